import factory

from jigiya.interop import secret
from jigiya.interop.models import DataElementMapping, Dhis2Server, OrgUnitMapping

PASSWORD = "district-2026"


class Dhis2ServerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dhis2Server

    name = factory.Sequence(lambda n: f"DHIS2 {n}")
    place = None
    base_url = "https://dhis2.example.org"
    username = "jigiya"
    password = factory.LazyFunction(lambda: secret.encrypt(PASSWORD))
    data_set = "dsMONTHLY01"
    timeout = 5


class DataElementMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataElementMapping

    server = None
    indicator = "quality.asaco_assemblies"
    figure = "value"
    data_element = factory.Sequence(lambda n: f"deASSEMB{n:03d}")


class OrgUnitMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnitMapping

    server = None
    org_unit = factory.Sequence(lambda n: f"ouPLACE{n:04d}")
