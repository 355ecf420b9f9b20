"""Base classes shared by every wire model.

Wire models are declarations: they parse what the server sends without ever rejecting an
unknown field or type, and dump exactly what was set, so items round-trip unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, model_serializer, model_validator
from pydantic_core.core_schema import SerializerFunctionWrapHandler, ValidatorFunctionWrapHandler

UNKNOWN_TAG = "__unknown__"
"""Discriminator tag for types this package does not know yet; they parse into a generic model."""


class WireModel(BaseModel):
    """A lenient wire object: unknown fields are kept and dumped back."""

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        ser_json_inf_nan="constants",
    )

    def model_post_init(self, context: Any, /) -> None:
        """Count a defaulted ``type`` tag as set: it must always be sent."""
        if "type" in type(self).model_fields:
            self.__pydantic_fields_set__.add("type")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict of exactly the fields that were set (nothing invented)."""
        return self.model_dump(mode="json", exclude_unset=True, by_alias=True)


class OrderedWireModel(WireModel):
    """A wire model that dumps its keys in the order they arrived.

    Items that go back to the server (reasoning with ``encrypted_content``, unknown items, tool
    calls) must round-trip byte for byte; pydantic would otherwise put declared fields first.
    """

    _key_order: tuple[str, ...] | None = PrivateAttr(default=None)

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
    known: Collection[str], *, untyped: Callable[[dict[str, Any]], str] | None = None
) -> Callable[[Any], str]:
    """A pydantic discriminator on ``type`` that sends unknown types to :data:`UNKNOWN_TAG`.

    ``untyped`` names the tag for an object without ``type`` (an input message may omit it).
    """
    tags = frozenset(known)

    def discriminate(value: Any) -> str:
        if isinstance(value, dict):
            tag = value.get("type")
            if tag is None and untyped is not None:
                return untyped(value)
        else:
            tag = getattr(value, "type", None)
        return tag if isinstance(tag, str) and tag in tags else UNKNOWN_TAG

    return discriminate
