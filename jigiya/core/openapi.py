"""The OpenAPI document completed: every error an operation can answer, and no dangling `$ref`.

Ninja documents the answers a handler returns; the errors come from exception handlers
(`jigiya/api.py`) and the edge (`core.middleware`), so they are declared here, by rule, with
the one error body (`core.api.ErrorOut`):

- every operation: 401 (no valid login or token), 403 (the role does not allow it) and 429
  (over the API's rate limit);
- with a path parameter, or a query parameter or body field naming an object (`…_id`): 404;
- with any parameter or a body: 400 (refused by a rule) and 422 (not the expected format);
- with a body: 413 (too large); with a body carrying the record's own `id`: 409 (same id,
  other content). A handler that conflicts otherwise declares its 409 itself.

Bodies that handlers read themselves (`core.api.body_doc`) carry pydantic's `$defs`, whose
`#/$defs/…` references point nowhere in an OpenAPI document: they are moved to
`components/schemas` and the references rewritten.
"""

from typing import Any

from jigiya.core.api import ErrorOut

ERROR = "ErrorOut"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR}"}
DESCRIPTIONS = {
    "400": "Refused by a rule (the fields say which)",
    "401": "No valid login or API token",
    "403": "Your role does not allow this here",
    "404": "Not found, or outside your places",
    "409": "The same id was sent with other content",
    "413": "The request is too large",
    "422": "The request does not match the expected format",
    "429": "Too many requests: wait, then try again",
}
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _rewrite(node: Any, names: dict[str, str]) -> Any:
    """`node` with every `#/$defs/X` reference pointing at `#/components/schemas/<names[X]>`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                name = value.removeprefix("#/$defs/")
                out[key] = f"#/components/schemas/{names.get(name, name)}"
            else:
                out[key] = _rewrite(value, names)
        return out
    if isinstance(node, list):
        return [_rewrite(item, names) for item in node]
    return node


def _lift_defs(node: Any, components: dict[str, Any]) -> Any:
    """`node` with the `$defs` it holds moved into `components` (renamed on a clash with a
    different schema of the same name) and its references rewritten."""
    if isinstance(node, list):
        return [_lift_defs(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _lift_defs(value, components) for key, value in node.items()}
    defs = node.pop("$defs", None)
    if not defs:
        return node
    names: dict[str, str] = {}
    for name, schema in defs.items():
        final, number = name, 1
        while final in components and components[final] != _rewrite(schema, names | {name: final}):
            number += 1
            final = f"{name}{number}"
        names[name] = final
    for name, schema in defs.items():
        components[names[name]] = _rewrite(schema, names)
    return _rewrite(node, names)


def _statuses(operation: dict[str, Any], components: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters", [])
    body = operation.get("requestBody")
    statuses = ["401", "403", "429"]
    schema = (body or {}).get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:  # a body Ninja reads itself: its schema is a component
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    fields = schema.get("properties", {})
    names = [p["name"] for p in parameters if p["in"] != "path"] + list(fields)
    if any(p["in"] == "path" for p in parameters) or any(n.endswith("_id") for n in names):
        statuses.append("404")
    if parameters or body:
        statuses += ["400", "422"]
    if body:
        statuses.append("413")
    if "id" in fields:
        statuses.append("409")
    return sorted(statuses)


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its `$defs` lifted to components and every error status declared."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error.pop("$defs", {}))
    components[ERROR] = error
    document["paths"] = _lift_defs(document.get("paths", {}), components)
    for operations in document["paths"].values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            # Ninja keys its answers by number; JSON keys are strings: one key per status.
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            operation["responses"] = responses
            for status in _statuses(operation, components):
                responses.setdefault(
                    status,
                    {
                        "description": DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return document
