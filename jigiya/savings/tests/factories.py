import datetime
from decimal import Decimal

import factory

from jigiya.registry.models import Household, Person
from jigiya.savings.models import Cycle, Group, GroupStatus, GroupStatusChange, Membership


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Famille {n}")
    community = None


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.Sequence(lambda n: f"Awa{n}")
    family_name = "Traoré"
    sex = "F"
    relationship = "spouse"


class GroupFactory(factory.django.DjangoModelFactory):
    """An active group (activated on its formation day), without a cycle."""

    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Groupe {n}")
    community = None
    formed_on = datetime.date(2024, 1, 1)
    status = GroupStatus.ACTIVE
    status_since = factory.LazyAttribute(lambda group: group.formed_on)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            GroupStatusChange.objects.create(
                group=self, status=GroupStatus.FORMING, on=self.formed_on
            )
            if self.status != GroupStatus.FORMING:
                GroupStatusChange.objects.create(
                    group=self, status=self.status, on=self.formed_on, number=2
                )


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    group = None
    number = 1
    starts_on = datetime.date(2024, 1, 1)
    planned_end = datetime.date(2024, 12, 31)
    share_price = 500
    max_shares = 5
    health_contribution = 100
    interest_rate = Decimal("10")
    max_loan_multiple = 3
    max_term_months = 3
    fines = [{"reason": "retard", "amount": 100}]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = None
    person = factory.LazyAttribute(
        lambda m: PersonFactory(household=HouseholdFactory(community=m.group.community))
    )
    joined_on = datetime.date(2024, 1, 1)
    number = factory.Sequence(lambda n: n + 1)
