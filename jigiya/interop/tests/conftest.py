"""A fake DHIS2 running in-process: `http.server.ThreadingHTTPServer` on 127.0.0.1, random port.

It answers `POST /api/dataValueSets` as the DHIS2 Web API documentation describes: basic auth
(401 otherwise), the JSON data value set parsed, each value checked against the data elements,
org units and category option combos it knows, and an import summary — wrapped as 2.38+ does
({"httpStatus", "httpStatusCode", "response": summary}, 409 when WARNING/ERROR) or bare (2.37).
Values are kept between requests, so sending the same values again counts them as `updated`;
`dryRun=true` stores nothing. `mode` makes it slow or broken.
"""

import base64
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from jigiya.interop.tests.factories import PASSWORD

USERNAME = "jigiya"
UID_DEFAULT = "bRowv6yZOF2"


@dataclass
class FakeDhis2:
    url: str
    data_elements: set[str] = field(default_factory=set)
    org_units: set[str] = field(default_factory=set)
    category_option_combos: set[str] = field(default_factory=lambda: {UID_DEFAULT})
    stored: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    # ok, slow, legacy (2.37 bare summary), html, error500, hangup (reads the values, then
    # closes the connection without answering)
    mode: str = "ok"
    delay: float = 2.0

    def summary(self, body: dict[str, Any], dry_run: bool) -> tuple[int, dict[str, Any]]:
        imported = updated = ignored = 0
        conflicts: dict[tuple[str, str], dict[str, Any]] = {}
        for index, value in enumerate(body.get("dataValues", [])):
            problem = None
            if value.get("dataElement") not in self.data_elements:
                problem = (
                    "E7610",
                    "dataElement",
                    value.get("dataElement"),
                    "Data element not found or not accessible: `{}`",
                )
            elif value.get("orgUnit") not in self.org_units:
                problem = (
                    "E7612",
                    "orgUnit",
                    value.get("orgUnit"),
                    "Organisation unit not found or not accessible: `{}`",
                )
            elif value.get("categoryOptionCombo", UID_DEFAULT) not in self.category_option_combos:
                problem = (
                    "E7613",
                    "categoryOptionCombo",
                    value.get("categoryOptionCombo"),
                    "Category option combo not found or not accessible: `{}`",
                )
            if problem:
                ignored += 1
                code, prop, obj, text = problem
                conflict = conflicts.setdefault(
                    (code, obj),
                    {
                        "object": obj,
                        "objects": {prop: obj},
                        "value": text.format(obj),
                        "errorCode": code,
                        "property": prop,
                        "indexes": [],
                    },
                )
                conflict["indexes"].append(index)
                continue
            key = (
                value["dataElement"],
                value.get("period") or body["period"],
                value["orgUnit"],
                value.get("categoryOptionCombo", UID_DEFAULT),
            )
            if key in self.stored:
                updated += 1
            else:
                imported += 1
            if not dry_run:
                self.stored[key] = value["value"]
        status = "WARNING" if conflicts else "SUCCESS"
        summary = {
            "responseType": "ImportSummary",
            "status": status,
            "importOptions": {
                "idSchemes": {},
                "dryRun": dry_run,
                "importStrategy": "CREATE_AND_UPDATE",
            },
            "description": "Import process completed successfully"
            if not conflicts
            else "Import process completed with conflicts",
            "importCount": {
                "imported": imported,
                "updated": updated,
                "ignored": ignored,
                "deleted": 0,
            },
            "conflicts": list(conflicts.values()),
            "dataSetComplete": "false",
        }
        if self.mode == "legacy":
            for conflict in summary["conflicts"]:
                for key in ("objects", "errorCode", "property", "indexes"):
                    conflict.pop(key)
            return 200, summary
        if conflicts:
            return 409, {
                "httpStatus": "Conflict",
                "httpStatusCode": 409,
                "status": "WARNING",
                "message": "One more conflicts encountered, please check import summary.",
                "response": summary,
            }
        return 200, {
            "httpStatus": "OK",
            "httpStatusCode": 200,
            "status": "OK",
            "message": "Import was successful.",
            "response": summary,
        }


def _handler(fake: FakeDhis2) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _answer(self, status: int, body: Any, content_type: str = "application/json") -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            params = {key: values[0] for key, values in parse_qs(parts.query).items()}
            fake.requests.append(
                {"path": parts.path, "params": params, "auth": self.headers.get("Authorization")}
            )
            if fake.mode == "slow":
                time.sleep(fake.delay)
            if parts.path != "/api/dataValueSets":
                return self._answer(
                    404, {"httpStatus": "Not Found", "httpStatusCode": 404, "status": "ERROR"}
                )
            expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self._answer(
                    401,
                    {
                        "httpStatus": "Unauthorized",
                        "httpStatusCode": 401,
                        "status": "ERROR",
                        "message": "Unauthorized",
                    },
                )
            if fake.mode == "hangup":
                self.close_connection = True
                return None
            if fake.mode == "html":
                return self._answer(200, b"<html>login</html>", "text/html")
            if fake.mode == "error500":
                return self._answer(
                    500,
                    {
                        "httpStatus": "Internal Server Error",
                        "httpStatusCode": 500,
                        "status": "ERROR",
                    },
                )
            try:
                body = json.loads(raw)
            except ValueError:
                return self._answer(
                    400, {"httpStatus": "Bad Request", "httpStatusCode": 400, "status": "ERROR"}
                )
            fake.requests[-1]["body"] = body
            status, answer = fake.summary(body, params.get("dryRun") == "true")
            return self._answer(status, answer)

    return Handler


@pytest.fixture
def fake_dhis2(settings: Any) -> Any:
    settings.JIGIYA_DHIS2_ALLOW_HTTP = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake := FakeDhis2(url="")))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url(settings: Any) -> str:
    """An address where nothing listens: DHIS2 "down"."""
    settings.JIGIYA_DHIS2_ALLOW_HTTP = True
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


OCTOBER = "2026-10"


@dataclass
class World:
    server: Any
    fake: FakeDhis2


def _value(place: Any, code: str, n: int, d: int | None = None, breakdown: str = "") -> Any:
    import datetime

    from jigiya.indicators.models import IndicatorValue

    return IndicatorValue.objects.create(
        indicator=code,
        place=place,
        month=datetime.date(2026, 10, 1),
        breakdown=breakdown,
        numerator=n,
        denominator=d,
    )


@pytest.fixture
def world(cast: Any, fake_dhis2: FakeDhis2) -> World:
    """A national DHIS2 server (the fake) with four figures mapped for Community A and CSCom B,
    and October 2026 values: A held 1 assembly (30 women of 80), B held 2 (45 of 90)."""
    from jigiya.interop.tests.factories import (
        DataElementMappingFactory,
        Dhis2ServerFactory,
        OrgUnitMappingFactory,
    )

    server = Dhis2ServerFactory(name="DHIS2 Mali", place=cast.country, base_url=fake_dhis2.url)
    for code, figure, element in [
        ("quality.asaco_assemblies", "value", "deASSEMB001"),
        ("quality.asaco_assembly_women", "numerator", "deWOMEN0001"),
        ("quality.asaco_assembly_women", "denominator", "dePEOPLE001"),
        ("quality.asaco_assembly_women", "value", "deWSHARE001"),
    ]:
        DataElementMappingFactory(
            server=server, indicator=code, figure=figure, data_element=element
        )
    OrgUnitMappingFactory(server=server, place=cast.community_a, org_unit="ouCOMMUNA01")
    OrgUnitMappingFactory(server=server, health_center=cast.center_b, org_unit="ouCSCOMB001")
    fake_dhis2.data_elements = {"deASSEMB001", "deWOMEN0001", "dePEOPLE001", "deWSHARE001"}
    fake_dhis2.org_units = {"ouCOMMUNA01", "ouCSCOMB001"}
    _value(cast.community_a, "quality.asaco_assemblies", 1)
    _value(cast.community_a, "quality.asaco_assembly_women", 30, 80)
    _value(cast.community_b, "quality.asaco_assemblies", 2)
    _value(cast.community_b, "quality.asaco_assembly_women", 45, 90)
    return World(server=server, fake=fake_dhis2)
