"""Base classes shared by every wire model.

Wire models are declarations: they parse what the server sends without ever rejecting an
unknown field or type, and dump exactly what was set, so items round-trip unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeAlias

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_serializer, model_validator
from pydantic_core.core_schema import SerializerFunctionWrapHandler, ValidatorFunctionWrapHandler

UNKNOWN_TAG = "__unknown__"
"""Discriminator tag for types this package does not know yet; they parse into a generic model."""

JsonValue: TypeAlias = Any
"""Free JSON the API does not structure (arguments, results, schema fragments): kept as parsed."""

JsonObject: TypeAlias = dict[str, Any]
"""A free JSON object (JSON Schemas, metadata, filters): kept as parsed."""


class WireModel(BaseModel):
    """A lenient wire object: unknown fields are kept and dumped back."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        ser_json_inf_nan="constants",
        # ~230 models: build each validator on first use, not at import (-140 ms, -25 MB).
        defer_build=True,
    )

    def __init__(self, /, **data: Any) -> None:
        """Count a defaulted ``type`` tag as set when built in code: it must always be sent.

        Parsing (``model_validate*``) skips this, so a parsed object dumps exactly the keys it
        arrived with (an input message may omit ``type``) and stays fast (no post-init hook).
        """
        super().__init__(**data)
        if "type" in type(self).model_fields and getattr(self, "type", None) is not None:
            self.__pydantic_fields_set__.add("type")

    # Tell pydantic this __init__ is not custom, so validation never routes through it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of exactly the fields that were set (nothing invented)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class OrderedWireModel(WireModel):
    """A wire model that dumps its keys in the order they arrived.

    Items that go back to the server (reasoning with ``encrypted_content``, unknown items, tool
    calls) must round-trip byte for byte; pydantic would otherwise put declared fields first.
    Objects built in code dump in declaration order.
    """

    _key_order: tuple[str, ...] | None = PrivateAttr(default=None)

    def __init__(self, /, **data: Any) -> None:
        super().__init__(**data)
        self._key_order = None

    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @model_validator(mode="wrap")
    @classmethod
    def _remember_key_order(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, OrderedWireModel):
            model._key_order = tuple(data)
        return model

    @model_serializer(mode="wrap")
    def _dump_in_key_order(self, handler: SerializerFunctionWrapHandler) -> Any:
        dumped = handler(self)
        order = self._key_order
        if not order or not isinstance(dumped, dict):
            return dumped
        ordered = {key: dumped[key] for key in order if key in dumped}
        ordered.update((key, value) for key, value in dumped.items() if key not in ordered)
        return ordered


def type_discriminator(
    known: Collection[str] | Mapping[str, str],
    *,
    untyped: Callable[[dict[str, Any]], str] | None = None,
) -> Callable[[Any], str]:
    """A pydantic discriminator on ``type`` that sends unknown types to ``UNKNOWN_TAG``.

    ``known`` lists the tags, or maps each ``type`` to its tag when one model serves several
    types (``web_search`` and its dated aliases). ``untyped`` names the tag for an object
    without ``type`` (an input message may omit it).
    """
    tags = dict(known) if isinstance(known, Mapping) else {tag: tag for tag in known}

    def discriminate(value: Any) -> str:
        # Called with raw dicts when parsing and with model instances when dumping.
        is_dict = isinstance(value, dict)
        tag = value.get("type") if is_dict else getattr(value, "type", None)
        if tag is None and untyped is not None:
            return untyped(value if is_dict else dict(value))
        return tags.get(tag, UNKNOWN_TAG) if isinstance(tag, str) else UNKNOWN_TAG

    return discriminate
