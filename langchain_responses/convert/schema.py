"""JSON Schemas for structured output and strict function tools (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.v1 import BaseModel as BaseModelV1

_NAME_CHARS = re.compile(r"[^A-Za-z0-9_-]")


def schema_name(name: str) -> str:
    """A name the API accepts for a schema or tool: ``[A-Za-z0-9_-]``, at most 64 chars."""
    return _NAME_CHARS.sub("_", name)[:64] or "output"


def json_schema_of(target: Any) -> dict[str, Any]:
    """The JSON Schema of a pydantic model, a TypedDict / dataclass, or a schema dict."""
    if isinstance(target, Mapping):
        return dict(target)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return target.model_json_schema()
    if isinstance(target, type) and issubclass(target, BaseModelV1):
        return target.schema()  # TypeAdapter refuses pydantic.v1 models
    return TypeAdapter(target).json_schema()


def to_strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Make a schema acceptable to strict mode.

    Strict mode needs every object closed (``additionalProperties: false``) with all of its
    properties required (the model then always sends every field, as the SDK does).
    """
    strict: dict[str, Any] = _strict(dict(schema), root=True)
    return strict


def _strict(node: Any, *, root: bool = False) -> Any:
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _strict(value) for key, value in node.items()}
    if root or "properties" in node or node.get("type") == "object":
        _close_object(node)
    if "$ref" in node and len(node) > 1:
        # Strict mode rejects siblings next to $ref: wrap it.
        node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    if node.get("default", ...) is None:
        del node["default"]
    return node


def _close_object(node: dict[str, Any]) -> None:
    props = node.get("properties")
    if not isinstance(props, dict) or node.get("type", "object") != "object":
        return
    node["additionalProperties"] = False
    node["required"] = list(props)


def text_format(target: Any, *, name: str | None = None, strict: bool = True) -> dict[str, Any]:
    """The ``text.format`` object asking for JSON that matches ``target``'s schema."""
    schema = json_schema_of(target)
    title = name or schema.get("title") or getattr(target, "__name__", None) or "output"
    fmt: dict[str, Any] = {
        "type": "json_schema",
        "name": schema_name(str(title)),
        "schema": to_strict_schema(schema) if strict else schema,
        "strict": strict,
    }
    if description := schema.get("description"):
        fmt["description"] = description
    return fmt
