import factory

from jigiya.places.models import Asaco, HealthCenter, Place, PlaceKind


class PlaceFactory(factory.django.DjangoModelFactory):
    """A place with a correct path. Give `parent`; the kind defaults to the one below it."""

    class Meta:
        model = Place

    kind = PlaceKind.COMMUNITY
    name = factory.Sequence(lambda n: f"Place {n}")
    code = factory.Sequence(lambda n: f"P{n:05d}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        place = model_class(*args, **kwargs)
        parent = place.parent
        place.path = f"{parent.path if parent else ''}{place.pk.hex}/"
        place.depth = parent.depth + 1 if parent else 0
        place.save()
        return place


class HealthCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthCenter

    name = factory.Sequence(lambda n: f"CSCom {n}")
    code = factory.Sequence(lambda n: f"HC{n:05d}")
    health_area = factory.LazyAttribute(lambda center: f"Aire de {center.name}")
    place = None


class AsacoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asaco

    name = factory.Sequence(lambda n: f"ASACO {n}")
    health_center = None
