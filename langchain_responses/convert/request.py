"""Turning client keyword parameters into a request body (pure; no I/O).

Lenient in, strict out: wire models and dicts are both accepted, the forms the original
``client.responses`` docs showed but the API does not have are rewritten to the real shape
(docs/seed-compatibility.md), and values the API documents as invalid are refused before
anything is sent, with a message that says what to change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from langchain_responses._wire.base import WireModel
from langchain_responses.errors import InvalidRequestError

_SCALARS = frozenset({str, int, float, bool, type(None)})
OPTION_KEYS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"})

_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "top_logprobs": (0, 20),
    "max_output_tokens": (16, float("inf")),
    "max_tool_calls": (1, float("inf")),
}


def split_options(params: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Separate per-call options (``extra_*``, ``timeout``…) from body fields."""
    body = {k: v for k, v in params.items() if k not in OPTION_KEYS}
    options = {k: v for k, v in params.items() if k in OPTION_KEYS}
    return body, options


def to_json(value: Any) -> Any:
    """Dump wire models (only the fields that were set) and other pydantic models to JSON."""
    kind = type(value)
    if kind in _SCALARS:  # exact types first: most of a body is plain JSON already
        return value
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if kind is dict or (isinstance(value, Mapping) and not isinstance(value, BaseModel)):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, WireModel):
        return value.to_dict()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True)
    return value


def to_input(value: Any) -> Any:
    """``input`` as the API takes it: a string or a list (a lone item is wrapped)."""
    value = to_json(value)
    if isinstance(value, Mapping):
        return [value]
    if value is None or isinstance(value, (str, list)):
        return value
    raise InvalidRequestError(
        f"input must be a string or a list of input items, got {type(value).__name__}."
    )


def to_tool(tool: Any) -> dict[str, Any]:
    """One tool definition as JSON, rewriting the seed's ``computer_use`` form."""
    data = to_json(tool)
    if not isinstance(data, Mapping) or not isinstance(data.get("type"), str):
        raise InvalidRequestError(
            f"Each tool must be an object with a 'type' (e.g. {{'type': 'function', ...}}), "
            f"got {data!r:.120}."
        )
    if data["type"] == "computer_use":
        return _computer_use_preview(data)
    return dict(data)


def _computer_use_preview(data: Mapping[str, Any]) -> dict[str, Any]:
    """The seed's ``computer_use`` tool -> the real ``computer_use_preview`` tool.

    ``display_number`` is an X11 display, so the environment defaults to ``linux``.
    """
    try:
        width = int(data.get("display_width", data["display_width_px"]))
        height = int(data.get("display_height", data["display_height_px"]))
    except KeyError as exc:
        raise InvalidRequestError(
            "The computer tool needs display_width and display_height (pixels)."
        ) from exc
    return {
        "type": "computer_use_preview",
        "display_width": width,
        "display_height": height,
        "environment": data.get("environment", "linux"),
    }


def check_ranges(body: Mapping[str, Any]) -> None:
    """Refuse numeric parameters outside the ranges the API documents."""
    for name, (low, high) in _RANGES.items():
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidRequestError(f"{name} must be a number, got {value!r}.")
        if not low <= value <= high:
            bound = f">= {low}" if high == float("inf") else f"between {low} and {high}"
            raise InvalidRequestError(f"{name} must be {bound}, got {value}.")


def check_metadata(metadata: Any) -> None:
    """Metadata: at most 16 string pairs, keys <= 64 and values <= 512 characters."""
    if metadata is None:
        return
    if not isinstance(metadata, Mapping) or len(metadata) > 16:
        raise InvalidRequestError("metadata must be a dict of at most 16 string pairs.")
    for key, value in metadata.items():
        if not isinstance(value, str) or len(str(key)) > 64 or len(value) > 512:
            raise InvalidRequestError(
                f"metadata[{key!r}]: keys must be <= 64 chars and values strings <= 512 chars."
            )


def to_body(params: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body for create / input_tokens / compact, validated where the API is clear."""
    body = {key: to_json(value) for key, value in params.items()}
    if "input" in body:
        body["input"] = to_input(body["input"])
    if "tools" in body:
        tools = body["tools"]
        if not isinstance(tools, Sequence) or isinstance(tools, (str, bytes)):
            raise InvalidRequestError("tools must be a list of tool definitions.")
        body["tools"] = [to_tool(tool) for tool in tools]
    check_ranges(body)
    check_metadata(body.get("metadata"))
    return body
