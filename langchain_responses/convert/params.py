"""``ChatResponses`` settings + call keyword arguments + messages -> a request body (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage

from langchain_responses.convert.messages import known_calls, to_input_items
from langchain_responses.convert.request import check_metadata, check_ranges
from langchain_responses.convert.schema import text_format
from langchain_responses.convert.tools import CLIENT_ONLY, to_request_tool, to_tool_choice
from langchain_responses.errors import InvalidRequestError

JsonObject = dict[str, Any]

CHAT_ONLY_PARAMS = {
    "seed": "the Responses API has no seed; outputs are not reproducible by seed",
    "n": "the Responses API returns one answer per request; call batch() for several",
    "logit_bias": "the Responses API has no logit_bias; steer the model with instructions",
    "presence_penalty": "the Responses API has no presence_penalty; use instructions or "
    "reasoning settings",
    "frequency_penalty": "the Responses API has no frequency_penalty; use instructions or "
    "reasoning settings",
    "functions": "use bind_tools(...) (Responses function tools)",
    "response_format_type": "use with_structured_output(...) or text={'format': ...}",
}
_RENAMED = {"max_tokens": "max_output_tokens", "request_metadata": "metadata"}
_CHAT_KEYS = frozenset(
    {
        "reasoning_effort",
        "verbosity",
        "logprobs",
        "response_format",
        "use_previous_response_id",
        "ls_structured_output_format",
        "stream",
    }
)
ENCRYPTED_REASONING = "reasoning.encrypted_content"
LOGPROBS = "message.output_text.logprobs"


def check_chat_only(params: Mapping[str, Any]) -> None:
    """Refuse Chat-Completions-only parameters with what to use instead."""
    for name, advice in CHAT_ONLY_PARAMS.items():
        if params.get(name) is not None:
            raise InvalidRequestError(f"{name} is a Chat Completions parameter: {advice}.")


def _merge_text(body: JsonObject, settings: Mapping[str, Any]) -> None:
    text = dict(body.get("text") or {})
    if settings.get("verbosity"):
        text["verbosity"] = settings["verbosity"]
    if (fmt := settings.get("response_format")) is not None:
        text["format"] = _response_format(fmt)
    if text:
        body["text"] = text


def _response_format(fmt: Any) -> JsonObject:
    """``response_format`` as langchain's ``create_agent`` or a user passes it."""
    if isinstance(fmt, Mapping):
        if fmt.get("type") == "json_schema" and isinstance(fmt.get("json_schema"), Mapping):
            inner = fmt["json_schema"]  # Chat Completions nesting -> flat
            return {"type": "json_schema", **inner}
        if fmt.get("type") in {"json_schema", "json_object", "text"}:
            return dict(fmt)
    return text_format(fmt)


def _merge_reasoning(body: JsonObject, settings: Mapping[str, Any]) -> None:
    if settings.get("reasoning_effort"):
        body["reasoning"] = {
            **(body.get("reasoning") or {}),
            "effort": settings["reasoning_effort"],
        }


def _merge_include(body: JsonObject, settings: Mapping[str, Any]) -> None:
    include = list(body.get("include") or [])
    if settings.get("logprobs") and LOGPROBS not in include:
        include.append(LOGPROBS)
        body.setdefault("top_logprobs", 0)
    if body.get("store") is False and ENCRYPTED_REASONING not in include:
        include.append(ENCRYPTED_REASONING)  # reasoning can only be replayed encrypted
    if include:
        body["include"] = include


def _tools(body: JsonObject) -> None:
    bound = body.pop("tools", None) or []
    sent = [tool for tool in bound if tool.get("type") != CLIENT_ONLY]
    if sent:
        body["tools"] = [to_request_tool(tool) for tool in sent]
    if body.get("tool_choice") is not None:
        body["tool_choice"] = to_tool_choice(body["tool_choice"], bound)


def _last_response_id(messages: Sequence[BaseMessage]) -> tuple[str | None, int]:
    for position in range(len(messages) - 1, -1, -1):
        message = messages[position]
        if isinstance(message, AIMessage):
            rid = message.response_metadata.get("id") or message.id
            if isinstance(rid, str) and rid.startswith("resp_"):
                return rid, position + 1
            return None, 0
    return None, 0


def _input(body: JsonObject, messages: Sequence[BaseMessage], settings: Mapping[str, Any]) -> None:
    tail: Sequence[BaseMessage] = messages
    if settings.get("use_previous_response_id") and body.get("store") is not False:
        previous, start = _last_response_id(messages)
        if previous and not body.get("previous_response_id"):
            body["previous_response_id"], tail = previous, messages[start:]
    stateful = bool(body.get("previous_response_id") or body.get("conversation"))
    body["input"] = to_input_items(
        tail,
        calls=known_calls(messages),
        keep_reasoning=body.get("store") is not False,
        stateful=stateful,
    )


def request_body(settings: Mapping[str, Any], messages: Sequence[BaseMessage]) -> JsonObject:
    """The create body for ``messages`` (settings: model fields overlaid by call kwargs)."""
    check_chat_only(settings)
    body: JsonObject = {}
    for key, value in settings.items():
        if value is None or key in _CHAT_KEYS or key in CHAT_ONLY_PARAMS:
            continue
        body[_RENAMED.get(key, key)] = value
    _merge_text(body, settings)
    _merge_reasoning(body, settings)
    _merge_include(body, settings)
    _tools(body)
    _input(body, messages, settings)
    check_ranges(body)
    check_metadata(body.get("metadata"))
    return body


_TOKEN_COUNT_KEYS = frozenset(
    {
        "model",
        "input",
        "instructions",
        "previous_response_id",
        "conversation",
        "tools",
        "tool_choice",
        "parallel_tool_calls",
        "reasoning",
        "text",
        "truncation",
    }
)
"""What ``POST /responses/input_tokens`` accepts of a create body."""


def token_count_params(body: Mapping[str, Any]) -> JsonObject:
    """The part of a create body that the token-counting endpoint takes."""
    return {key: value for key, value in body.items() if key in _TOKEN_COUNT_KEYS}
