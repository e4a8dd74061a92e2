"""Schemathesis against the live OpenAPI document: every operation, as every role that writes.

The document is read from the running application (`/api/v1/openapi.json` through WSGI), so an
endpoint added later is fuzzed without anyone remembering to. Each operation is one pytest item
(so `pytest -n 2` shares them between both cores) run against a small world in Community A (the
access matrix's objects, `tests/access.py` of each app), with an API token per writing role; each
generated request goes out under one of those tokens, drawn with the request. Path parameters
and body fields naming an object get that object's real id, so requests reach the services
instead of stopping at 404; what is generated as something other than a UUID stays, to try the
edge.

Bounded for CI: `MAX_EXAMPLES` requests per operation, derandomized (the same requests on every
run), no shrinking, no deadline; one pytest item per operation, so `pytest -n 2` spreads them over
both cores (`-m "not api_fuzz"` leaves them out of a quick local run). Checks: no 5xx, and every answer as the document says (status
declared, content type, body schema). A failure here is a bug in a handler or in the document:
fix it there, never by loosening a check.
"""

import os
import uuid
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jigiya.accounts.roles import Role
from jigiya.accounts.services import token_create
from jigiya.interop import secret
from jigiya.interop.models import Dhis2Server
from jigiya.web.tests.test_access_matrix import OBJECTS
from jigiya.wsgi import application

# A deeper run by hand: JIGIYA_FUZZ_EXAMPLES=200 .venv/bin/pytest jigiya/web/tests/test_api_fuzz.py
MAX_EXAMPLES = int(os.environ.get("JIGIYA_FUZZ_EXAMPLES", "12"))
SEED = 20261203
WRITING_ROLES = [
    Role.ADMIN,
    Role.CHW,
    Role.CHW_SUPERVISOR,
    Role.SAVINGS_FACILITATOR,
    Role.HEALTH_CENTER_STAFF,
    Role.ME_OFFICER,
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Body fields naming an object → the access matrix's name for that kind of object.
FIELD_OBJECTS = {
    "parent_id": "place_id",
    "community_id": "place_id",
    "chw_id": "user_id",
    "head_id": "person_id",
    "person_id": "person_id",
    "membership_id": "membership_id",
    "confirmed_by_id": "membership_id",
    "health_center_id": "health_center_id",
    "referral_id": "referral_id",
    "server_id": "dhis2_server_id",
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
            # The token goes in as the role's; a random Authorization header only tries 401.
            "with-security-parameters": False,
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    """The access matrix's objects in Community A, and a token for each writing role there.
    The DHIS2 server is made first, at a closed local port: a push fails at once, offline."""
    Dhis2Server.objects.create(
        name="DHIS2 a",
        place=cast.community_a,
        base_url="http://127.0.0.1:9",
        username="jigiya",
        password=secret.encrypt("secret"),
        data_set="dsMONTHLY01",
        timeout=1,
    )
    ids = {name: str(make(cast, "a")) for name, make in OBJECTS.items()}
    tokens = {}
    for role in WRITING_ROLES:
        user = cast.user(role, "a")
        tokens[role] = token_create(actor=user, user=user, name=f"fuzz {role}")[1]
    return {"ids": ids, "tokens": tokens}


@pytest.fixture(autouse=True)
def one_connection() -> Iterator[None]:
    """Requests go straight to the WSGI application, which closes the database connection at
    the end of each request: that would end the test's transaction, as it would not through
    Django's test client (which disconnects the same handler)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _with_real_ids(node: Any, ids: dict[str, str]) -> Any:
    """`node` (a body) with each field naming a known kind of object given a real one."""
    if isinstance(node, dict):
        return {
            key: (
                ids[FIELD_OBJECTS[key]]
                if key in FIELD_OBJECTS and _is_uuid(value)
                else _with_real_ids(value, ids)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_with_real_ids(item, ids) for item in node]
    return node


@pytest.mark.api_fuzz
@pytest.mark.django_db
@schema.parametrize()
@schema.given(role=st.sampled_from(WRITING_ROLES))
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)
def test_every_operation_answers_as_documented(case: Any, role: Role, world: dict[str, Any]):
    for name, value in (case.path_parameters or {}).items():
        if name in world["ids"] and _is_uuid(value):
            case.path_parameters[name] = world["ids"][name]
    if isinstance(case.body, dict | list):
        case.body = _with_real_ids(case.body, world["ids"])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['tokens'][role]}"}, checks=CHECKS
    )
