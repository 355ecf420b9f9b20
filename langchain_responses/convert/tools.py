"""Tools for ``bind_tools`` and ``tool_choice`` (pure).

Bound tools are kept in the form LangChain and LangGraph read (``{"type": "function",
"function": {...}}``, and a ``name`` on built-in tools so agents can match them by name); the
request gets the Responses form (flat functions; built-ins without the helper ``name``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_responses._wire.base import WireModel
from langchain_responses.convert.request import to_tool
from langchain_responses.convert.schema import to_strict_schema
from langchain_responses.errors import InvalidRequestError

JsonObject = dict[str, Any]

BUILTIN_TOOL_TYPES = frozenset(
    {
        "file_search",
        "web_search",
        "web_search_2025_08_26",
        "web_search_preview",
        "web_search_preview_2025_03_11",
        "computer",
        "computer_use_preview",
        "computer_use",
        "code_interpreter",
        "image_generation",
        "mcp",
        "local_shell",
        "shell",
        "apply_patch",
        "custom",
        "namespace",
        "tool_search",
        "programmatic_tool_calling",
    }
)
_NAMED_TYPES = frozenset({"function", "custom", "namespace"})
_CHOICE_KEYWORDS = {"auto": "auto", "none": "none", "required": "required", "any": "required"}
_FORCEABLE_BUILTINS = frozenset(
    {
        "file_search",
        "web_search_preview",
        "web_search_preview_2025_03_11",
        "computer",
        "computer_use_preview",
        "computer_use",
        "image_generation",
        "code_interpreter",
        "apply_patch",
        "shell",
        "programmatic_tool_calling",
    }
)
_CHOICE_TYPES = _FORCEABLE_BUILTINS | {"function", "custom", "mcp", "allowed_tools"}


def _openai_tool(tool: Any, strict: bool | None) -> JsonObject:
    from langchain_core.utils.function_calling import convert_to_openai_tool

    return convert_to_openai_tool(tool, strict=strict)


def _builtin(definition: Mapping[str, Any], name: str | None) -> JsonObject:
    tool = dict(definition)
    if name and "name" not in tool:
        tool["name"] = name  # lets LangGraph match the bound tool by name; dropped on send
    return tool


def _chat_function(tool: Mapping[str, Any], strict: bool | None) -> JsonObject:
    """A Responses-style flat function -> the Chat-style form LangChain tooling reads."""
    function = {k: v for k, v in tool.items() if k != "type"}
    if strict is not None:
        function["strict"] = strict
    return {"type": "function", "function": function}


def _from_dict(tool: Mapping[str, Any], strict: bool | None) -> JsonObject:
    kind = tool.get("type")
    if kind == "function" and isinstance(tool.get("function"), Mapping):
        function: JsonObject = dict(tool["function"])
        if strict is not None:
            function["strict"] = strict
        return {"type": "function", "function": function}
    if kind == "function":
        return _chat_function(tool, strict)
    if kind in BUILTIN_TOOL_TYPES:
        return dict(tool)
    if kind in {None, "object"} and ("properties" in tool or "title" in tool or "name" in tool):
        # A bare JSON schema (its own `type` is "object") or an untyped function dict.
        return _openai_tool(dict(tool), strict)
    known = ", ".join(sorted(BUILTIN_TOOL_TYPES))
    raise InvalidRequestError(
        f"Unknown tool type {kind!r}. Use a LangChain tool, a function, a pydantic model, a JSON "
        f"schema, or a tool dict of type 'function' or one of: {known}."
    )


CLIENT_ONLY = "client_only"
"""Bound-tool type of tools the client runs that the API must not see (MCP approvals)."""


def to_bound_tool(tool: Any, *, strict: bool | None = None) -> JsonObject:
    """The form stored by ``bind_tools`` for any tool-like object."""
    from langchain_core.tools import BaseTool  # ~250 ms to import: only when tools are bound

    metadata = (tool.metadata or {}) if isinstance(tool, BaseTool) else {}
    if metadata.get(CLIENT_ONLY):
        return {"type": CLIENT_ONLY, "name": tool.name}
    if metadata.get("responses_tool"):
        return _builtin(metadata["responses_tool"], tool.name)
    if isinstance(tool, WireModel):
        tool = tool.to_dict()
    if isinstance(tool, Mapping):
        return _from_dict(tool, strict)
    if isinstance(tool, (BaseTool, type)) or callable(tool):
        return _openai_tool(tool, strict)
    raise InvalidRequestError(f"Cannot use {tool!r} as a tool.")


def to_request_tool(bound: Mapping[str, Any]) -> JsonObject:
    """A bound tool as the Responses API takes it."""
    if bound.get("type") == "function" and isinstance(bound.get("function"), Mapping):
        function = dict(bound["function"])
        strict = function.get("strict")
        parameters = function.get("parameters") or {"type": "object", "properties": {}}
        if strict:
            parameters = to_strict_schema(parameters)
        tool: JsonObject = {"type": "function", "name": function["name"]}
        if function.get("description"):
            tool["description"] = function["description"]
        tool.update({"parameters": parameters, "strict": bool(strict)})
        return tool
    tool = to_tool(bound)
    if tool.get("type") not in _NAMED_TYPES:
        tool.pop("name", None)
    return tool


def tool_name(bound: Mapping[str, Any]) -> str | None:
    """The name a tool call uses for this bound tool."""
    function = bound.get("function")
    if isinstance(function, Mapping):
        return str(function.get("name"))
    name = bound.get("name")
    return str(name) if name else None


def to_tool_choice(choice: Any, bound_tools: Sequence[Mapping[str, Any]] = ()) -> Any:
    """Every ``tool_choice`` form LangChain users pass, as the Responses API takes it."""
    if choice is None:
        return None
    if choice is True:
        return "required"
    if isinstance(choice, str):
        return _choice_from_str(choice, bound_tools)
    if isinstance(choice, Mapping):
        return _choice_from_dict(choice)
    raise InvalidRequestError(f"Invalid tool_choice {choice!r}: use a string or a dict.")


def _choice_from_str(choice: str, bound_tools: Sequence[Mapping[str, Any]]) -> Any:
    if choice in _CHOICE_KEYWORDS:
        return _CHOICE_KEYWORDS[choice]
    for tool in bound_tools:
        if tool_name(tool) == choice:
            kind = "function" if tool.get("type") == "function" else tool.get("type")
            if kind in {"function", "custom"}:
                return {"type": kind, "name": choice}
            return {"type": kind}
    if choice in _FORCEABLE_BUILTINS:
        return {"type": choice}
    names = [n for n in (tool_name(t) for t in bound_tools) if n]
    raise InvalidRequestError(
        f"tool_choice={choice!r} names no bound tool (bound: {names or 'none'}); use 'auto', "
        "'none', 'required', a bound tool's name or a built-in tool type."
    )


def _choice_from_dict(choice: Mapping[str, Any]) -> JsonObject:
    if choice.get("type") == "function" and isinstance(choice.get("function"), Mapping):
        return {"type": "function", "name": choice["function"]["name"]}
    if choice.get("type") not in _CHOICE_TYPES:
        raise InvalidRequestError(
            f"Invalid tool_choice {dict(choice)!r}: its type must be one of "
            f"{', '.join(sorted(_CHOICE_TYPES))}."
        )
    return dict(choice)
