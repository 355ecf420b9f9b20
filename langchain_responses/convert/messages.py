"""LangChain messages -> Responses input items (pure, linear in the history length).

- ``SystemMessage`` -> a ``system`` message item (``developer`` when the message says so via
  ``additional_kwargs={"__openai_role__": "developer"}``), kept in place in the history.
- ``HumanMessage`` -> a ``user`` message with text, image and file parts.
- ``AIMessage`` -> its output items again: text and refusals as an assistant message, reasoning,
  tool calls and hosted-tool items exactly as received (their pairing kept), tool calls made by
  hand as ``function_call`` items.
- ``ToolMessage`` -> the output item answering the call it names (``function_call_output``,
  ``computer_call_output``, ``apply_patch_call_output``, ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from langchain_responses.convert.ai import ai_items
from langchain_responses.convert.calls import call_id_of, to_output_item
from langchain_responses.convert.content import to_parts
from langchain_responses.errors import InvalidRequestError

JsonObject = dict[str, Any]


def _message(role: str, content: Any) -> JsonObject:
    if isinstance(content, str):
        return {"role": role, "content": content}
    return {"role": role, "content": to_parts(content)}


def _system(message: BaseMessage) -> JsonObject:
    role = message.additional_kwargs.get("__openai_role__", "system")
    return _message("developer" if role == "developer" else "system", message.content)


def known_calls(messages: Sequence[BaseMessage]) -> dict[str, JsonObject]:
    """Every call item in the history's AI messages, by the id a result must quote."""
    calls: dict[str, JsonObject] = {}
    for message in messages:
        if isinstance(message, AIMessage):
            for item in ai_items(message, keep_reasoning=True):
                call_id = call_id_of(item)
                if call_id and item.get("type") != "function_call_output":
                    calls[call_id] = item
    return calls


def _tool_result(
    message: ToolMessage, calls: Mapping[str, JsonObject], *, stateful: bool
) -> JsonObject:
    call = calls.get(message.tool_call_id)
    if call is None:
        if not stateful:
            raise InvalidRequestError(
                f"ToolMessage(tool_call_id={message.tool_call_id!r}) answers no tool call in the "
                "history: include the AIMessage that made the call, or continue a stored "
                "response with previous_response_id."
            )
        call = {"type": "function_call", "call_id": message.tool_call_id}
    return to_output_item(call, message)


def to_input_items(
    messages: Sequence[BaseMessage],
    *,
    calls: Mapping[str, JsonObject] | None = None,
    keep_reasoning: bool = True,
    stateful: bool = False,
) -> list[JsonObject]:
    """The ``input`` list for ``messages``.

    ``calls`` maps call ids to call items (default: those in ``messages``); pass the calls of the
    whole history when only its tail is sent. ``stateful`` (previous_response_id or a
    conversation) lets a result answer a call that lives only on the server.
    ``keep_reasoning=False`` leaves out reasoning that cannot be replayed (no
    ``encrypted_content`` while ``store=False``).
    """
    calls = known_calls(messages) if calls is None else calls
    items: list[JsonObject] = []
    for message in messages:
        if isinstance(message, AIMessage):
            items.extend(ai_items(message, keep_reasoning=keep_reasoning))
        elif isinstance(message, ToolMessage):
            items.append(_tool_result(message, calls, stateful=stateful))
        elif isinstance(message, HumanMessage):
            items.append(_message("user", message.content))
        elif isinstance(message, SystemMessage):
            items.append(_system(message))
        elif isinstance(message, ChatMessage):
            items.append(_message(message.role, message.content))
        else:
            raise InvalidRequestError(f"Unsupported message type: {type(message).__name__}.")
    return items
