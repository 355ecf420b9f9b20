"""Client-side tool calls as LangChain tool calls, and their results as output items (pure).

Every call item the client must answer (``function_call``, ``custom_tool_call``,
``computer_call``, ``shell_call``, ``local_shell_call``, ``apply_patch_call``,
``mcp_approval_request``) becomes a standard ``ToolCall`` so ``ToolNode``, ``create_agent`` and
``AgentExecutor`` can run it; the ``ToolMessage`` they produce becomes the matching output item.
The raw call item stays in the message content, so nothing needed to rebuild it is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.messages import InvalidToolCall, ToolCall, ToolMessage
from langchain_core.messages.tool import invalid_tool_call, tool_call

from langchain_responses.convert.results import (
    apply_patch_output,
    computer_output,
    content_output,
    local_shell_output,
    mcp_approval_output,
    shell_output,
)

JsonObject = dict[str, Any]

COMPUTER_TOOL_NAME = "computer"
SHELL_TOOL_NAME = "shell"
LOCAL_SHELL_TOOL_NAME = "local_shell"
APPLY_PATCH_TOOL_NAME = "apply_patch"
MCP_APPROVAL_TOOL_NAME = "mcp_approval"

CALL_ITEM_TYPES = frozenset(
    {
        "function_call",
        "custom_tool_call",
        "computer_call",
        "shell_call",
        "local_shell_call",
        "apply_patch_call",
        "mcp_approval_request",
    }
)
"""Items the client must answer: each becomes a ``ToolCall``."""


def call_id_of(item: Mapping[str, Any]) -> str | None:
    """The id a result must quote (``call_id``, or ``id`` for MCP approval requests)."""
    if item.get("type") == "mcp_approval_request":
        return item.get("id")
    return item.get("call_id")


def _args(item: Mapping[str, Any], *keys: str) -> JsonObject:
    return {key: item[key] for key in keys if item.get(key) is not None}


def _function(item: Mapping[str, Any]) -> ToolCall | InvalidToolCall:
    raw = item.get("arguments") or "{}"
    try:
        args = json.loads(raw)
    except ValueError as exc:
        return invalid_tool_call(
            name=item.get("name"), args=raw, id=item.get("call_id"), error=f"Bad JSON: {exc}"
        )
    if not isinstance(args, dict):
        return invalid_tool_call(
            name=item.get("name"), args=raw, id=item.get("call_id"), error="Not a JSON object"
        )
    return tool_call(name=item["name"], args=args, id=item.get("call_id"))


def _named(name: str, *keys: str) -> Callable[[Mapping[str, Any]], ToolCall]:
    def convert(item: Mapping[str, Any]) -> ToolCall:
        return tool_call(name=name, args=_args(item, *keys), id=call_id_of(item))

    return convert


def _custom(item: Mapping[str, Any]) -> ToolCall:
    return tool_call(
        name=item["name"], args={"input": item.get("input", "")}, id=item.get("call_id")
    )


def _mcp_approval(item: Mapping[str, Any]) -> ToolCall:
    return tool_call(
        name=MCP_APPROVAL_TOOL_NAME,
        args=_args(item, "server_label", "name", "arguments"),
        id=item.get("id"),
    )


_TO_TOOL_CALL: dict[str, Callable[[Mapping[str, Any]], ToolCall | InvalidToolCall]] = {
    "function_call": _function,
    "custom_tool_call": _custom,
    "computer_call": _named(COMPUTER_TOOL_NAME, "action", "actions", "pending_safety_checks"),
    "shell_call": _named(SHELL_TOOL_NAME, "action", "environment"),
    "local_shell_call": _named(LOCAL_SHELL_TOOL_NAME, "action"),
    "apply_patch_call": _named(APPLY_PATCH_TOOL_NAME, "operation"),
    "mcp_approval_request": _mcp_approval,
}


def to_tool_call(item: Mapping[str, Any]) -> ToolCall | InvalidToolCall | None:
    """The LangChain tool call for a call item the client must answer (None otherwise)."""
    convert = _TO_TOOL_CALL.get(str(item.get("type")))
    return convert(item) if convert is not None else None


_TO_OUTPUT: dict[str, Callable[[Mapping[str, Any], ToolMessage], JsonObject]] = {
    "function_call": lambda call, msg: content_output("function_call_output", call, msg),
    "custom_tool_call": lambda call, msg: content_output("custom_tool_call_output", call, msg),
    "computer_call": computer_output,
    "shell_call": shell_output,
    "local_shell_call": local_shell_output,
    "apply_patch_call": apply_patch_output,
    "mcp_approval_request": mcp_approval_output,
}


def to_output_item(call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """The output item answering ``call`` with the result in ``message``."""
    convert = _TO_OUTPUT.get(str(call.get("type")), _TO_OUTPUT["function_call"])
    return convert(call, message)


__all__ = [
    "APPLY_PATCH_TOOL_NAME",
    "CALL_ITEM_TYPES",
    "COMPUTER_TOOL_NAME",
    "LOCAL_SHELL_TOOL_NAME",
    "MCP_APPROVAL_TOOL_NAME",
    "SHELL_TOOL_NAME",
    "call_id_of",
    "to_output_item",
    "to_tool_call",
]
