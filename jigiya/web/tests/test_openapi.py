"""The OpenAPI document as clients read it: every reference resolves, and every operation
declares the errors it can answer, with the one error body."""

from typing import Any

import pytest
from django.test import Client

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _refs(node: Any, where: str = "#") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        found = [(where, node["$ref"])] if isinstance(node.get("$ref"), str) else []
        for key, value in node.items():
            found += _refs(value, f"{where}/{key}")
        return found
    if isinstance(node, list):
        return [ref for index, item in enumerate(node) for ref in _refs(item, f"{where}/{index}")]
    return []


def _resolve(document: dict[str, Any], pointer: str) -> Any:
    assert pointer.startswith("#/"), pointer
    node: Any = document
    for part in pointer[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    ]


def test_every_reference_resolves(document):
    refs = _refs(document)
    assert len(refs) > 100
    dangling = []
    for where, pointer in refs:
        try:
            _resolve(document, pointer)
        except (AssertionError, KeyError, IndexError, ValueError):
            dangling.append(f"{where} → {pointer}")
    assert dangling == []


def test_every_operation_declares_the_errors_it_can_answer(document):
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert _resolve(document, error["$ref"])["required"] == ["error"]
    problems = []
    for method, path, operation in _operations(document):
        parameters = operation.get("parameters", [])
        body = operation.get("requestBody")
        expected = {"401", "403", "429"}
        if any(p["in"] == "path" for p in parameters):
            expected.add("404")
        if parameters or body:
            expected |= {"400", "422"}
        if body:
            expected.add("413")
        declared = operation["responses"]
        missing = expected - set(declared)
        if missing:
            problems.append(f"{method} {path} lacks {sorted(missing)}")
        for status, answer in declared.items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if status >= "400" and schema != error and "DuplicateErrorOut" not in str(schema):
                problems.append(f"{method} {path} {status} is not the error body: {schema}")
    assert problems == []


def test_writes_with_a_device_id_declare_the_conflict(document):
    """A record sent again under its id with other content answers 409 (`core.retries`)."""
    writes = {
        (method, path): "409" in operation["responses"]
        for method, path, operation in _operations(document)
        if "id" in _body_fields(document, operation)
    }
    assert len(writes) >= 10
    assert [write for write, declared in writes.items() if not declared] == []


def _body_fields(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = body.get("schema", {})
    if "$ref" in schema:
        schema = _resolve(document, schema["$ref"])
    return schema.get("properties", {})
