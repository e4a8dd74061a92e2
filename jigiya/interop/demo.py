"""The demo's DHIS2 configuration: a national server at a placeholder HTTPS address (never
contacted by the demo), the two ASACO indicators mapped, and the demo's health centers mapped
to org units. Preview and ADX work; a real push needs a real server and password."""

import secrets
from typing import Any

from django.db import transaction

from jigiya.interop import services
from jigiya.interop.models import DataElementMapping, Dhis2Server, OrgUnitMapping
from jigiya.places.models import HealthCenter, Place

NAME = "DHIS2 national (démo)"
# (indicator, figure, data element UID)
ELEMENTS = [
    ("quality.asaco_assemblies", "value", "JgASACOas01"),
    ("quality.asaco_assembly_women", "numerator", "JgASACOwn01"),
    ("quality.asaco_assembly_women", "denominator", "JgASACOwd01"),
]
# health center code → org unit UID
ORG_UNITS = {
    "CSCOM-SOT": "JgOUSotuba1",
    "CSCOM-BAN": "JgOUBancon1",
    "CSCOM-YIR": "JgOUYirima1",
    "CSCOM-WAY": "JgOUWayerm1",
}


@transaction.atomic
def load(*, admin: Any) -> None:
    """Create what is missing (idempotent)."""
    country = Place.objects.filter(code="ML").first()
    if country is None:
        return
    server = Dhis2Server.objects.filter(name=NAME).first()
    if server is None:
        server = services.server_create(
            actor=admin,
            name=NAME,
            place=country,
            base_url="https://dhis2.example.org",
            username="jigiya-demo",
            password=secrets.token_urlsafe(16),  # a placeholder: nobody needs to know it
            data_set="JgDSMonthly",
            timeout=30,
        )
    for indicator, figure, element in ELEMENTS:
        if not DataElementMapping.objects.filter(
            server=server, indicator=indicator, figure=figure
        ).exists():
            services.data_element_mapping_save(
                actor=admin, server=server, indicator=indicator, figure=figure, data_element=element
            )
    for center in HealthCenter.objects.filter(code__in=ORG_UNITS):
        if not OrgUnitMapping.objects.filter(server=server, health_center=center).exists():
            services.org_unit_mapping_save(
                actor=admin, server=server, health_center=center, org_unit=ORG_UNITS[center.code]
            )
