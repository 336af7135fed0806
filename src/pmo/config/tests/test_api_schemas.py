"""The OpenAPI document describes every request body truly: unknown keys are refused, and no
two schemas share a name (the document keeps one per name, so the other endpoint's body or
answer would be described with the wrong fields)."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

from ninja import Schema

from pmo.config.api import api


def _subclasses(cls: type) -> Iterator[type]:
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        yield sub
        yield from _subclasses(sub)


def test_no_two_api_schemas_share_a_name() -> None:
    modules: dict[str, set[str]] = collections.defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("pmo."):
            modules[schema.__name__].add(schema.__module__)
    # one name in two modules is fine only when both are the same shape (a version number)
    shared = {name: sorted(m) for name, m in modules.items() if len(m) > 1}
    assert set(shared) <= {"VersionIn"}, shared


def _json_bodies(schema: dict[str, Any]) -> list[tuple[str, str]]:
    bodies = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = content["application/json"]["schema"]
                # an optional body (submit, withdraw) is "anyOf": [its schema, null]
                refs = (
                    [body["$ref"]]
                    if "$ref" in body
                    else [member["$ref"] for member in body["anyOf"] if "$ref" in member]
                )
                assert len(refs) == 1, (method, path, body)
                bodies.append((f"{method.upper()} {path}", refs[0].rsplit("/", 1)[-1]))
    return bodies


def _nested(components: dict[str, Any], name: str, seen: set[str]) -> set[str]:
    if name in seen:
        return seen
    seen.add(name)
    text = repr(components[name])
    for other in components:
        if f"#/components/schemas/{other}'" in text:
            _nested(components, other, seen)
    return seen


def test_every_json_body_refuses_keys_it_does_not_know() -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    bodies = _json_bodies(schema)
    assert len(bodies) >= 50
    names: set[str] = set()
    for _operation, name in bodies:
        _nested(components, name, names)
    objects = [n for n in names if "properties" in components[n]]  # not the enums
    assert len(objects) > len(set(name for _, name in bodies))  # nested ones too (GateIn)
    open_ = sorted(n for n in objects if components[n].get("additionalProperties") is not False)
    assert open_ == []


def test_every_operation_documents_its_error_answer() -> None:
    schema = api.get_openapi_schema()
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) > 100
    undocumented = [op["operationId"] for op in operations if "4XX" not in op["responses"]]
    assert undocumented == []
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail", "errors"]
