"""Objects of this app for the access matrix: path parameter → object id in place "a" or "b".

Server "a" reports for Community A (mapped to CSCom A), server "b" for Community B."""

from typing import Any

from jigiya.interop import secret
from jigiya.interop.models import DataElementMapping, Dhis2Push, Dhis2Server, OrgUnitMapping


def _server(cast: Any, where: str) -> Dhis2Server:
    server, _created = Dhis2Server.objects.get_or_create(
        name=f"DHIS2 {where}",
        defaults={
            "place": cast.place(where),
            "base_url": "https://dhis2.example.org",
            "username": "jigiya",
            "password": secret.encrypt("secret"),
            "data_set": "dsMONTHLY01",
        },
    )
    return server


def _element(cast: Any, where: str) -> Any:
    return DataElementMapping.objects.get_or_create(
        server=_server(cast, where),
        indicator="quality.asaco_assemblies",
        breakdown="",
        figure="value",
        defaults={"data_element": f"deASSEMBLY{where}"},
    )[0].pk


def _org_unit(cast: Any, where: str) -> Any:
    center = cast.center_a if where == "a" else cast.center_b
    return OrgUnitMapping.objects.get_or_create(
        server=_server(cast, where),
        health_center=center,
        defaults={"org_unit": f"ouCSCOM000{where}"},
    )[0].pk


def _push(cast: Any, where: str) -> Any:
    server = _server(cast, where)
    push = Dhis2Push.objects.filter(server=server).first()
    if push is None:
        push = Dhis2Push.objects.create(
            server=server,
            period="202601",
            status="failed",
            payload={"period": "202601", "dataValues": []},
            payload_hash="0" * 64,
            value_count=0,
            error_code="unreachable",
        )
    return push.pk


OBJECTS = {
    "dhis2_server_id": lambda cast, where: _server(cast, where).pk,
    "dhis2_element_id": _element,
    "dhis2_org_unit_id": _org_unit,
    "dhis2_push_id": _push,
}
OUTSIDE_TEXT = {"b": ["DHIS2 b", "ouCSCOM000b"]}
