"""A response as the JSON the chat model's message is built from (no langchain-core here).

The plain client uses this too (``ChatResponses``' internal create), so it must not import
langchain-core's message classes.
"""

from __future__ import annotations

from types import NoneType
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from langchain_responses._wire.response import Response

JsonObject = dict[str, Any]

_OBJECTS = ("usage", "incomplete_details", "conversation")
_ENVELOPE = {"id", "model", "status", "created_at", "service_tier", *_OBJECTS}
"""What the message is built from, besides ``output``."""
_CALL_TEXT = {"function_call": "arguments", "custom_tool_call": "input"}


def response_json(response: Response) -> JsonObject:
    """The JSON of a typed response that the message is built from: the envelope and output.

    ``output`` is dumped item by item rather than as a set field: a streamed response may have
    had its items added as they arrived.
    """
    data = response.model_dump(mode="json", exclude_unset=True, by_alias=True, include=_ENVELOPE)
    data["output"] = [item.to_dict() for item in response.output]
    return data


def is_readable(body: Any) -> TypeGuard[JsonObject]:
    """Whether ``convert.output.message_from_json`` can take ``body`` as received, unvalidated.

    It needs an object with a string ``id``, a list of objects as ``output``, objects (or
    nothing) for the nested fields it reads, message parts that are objects, and names for the
    calls it turns into tool calls. Anything else should go through ``Response`` first.
    """
    return (
        isinstance(body, dict)
        and isinstance(body.get("id"), str)
        and isinstance(body.get("output"), list)
        and all(isinstance(body.get(key), (dict, NoneType)) for key in _OBJECTS)
        and all(_readable_item(item) for item in body["output"])
    )


def _readable_item(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    kind = item.get("type")
    if kind == "message":
        content = item.get("content")
        return not isinstance(content, list) or all(isinstance(part, dict) for part in content)
    if kind in _CALL_TEXT:
        text = item.get(_CALL_TEXT[kind])
        return isinstance(item.get("name"), str) and isinstance(text, (str, NoneType))
    return True
