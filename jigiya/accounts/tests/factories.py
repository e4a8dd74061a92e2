import factory

from jigiya.accounts.models import Assignment, User

PASSWORD = "Correct-horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Awa"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            self.save()


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    user = factory.SubFactory(UserFactory)
    role = "chw"
    place = None
