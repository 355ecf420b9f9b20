"""Typed factories for ``tools[]`` entries (wire reference §8).

Each returns a validated plain dict (``ToolDefinition``) for ``bind_tools``, agents and
``client.responses.create(tools=[...])``. Values are checked here, so a typo fails at once with
a message that says what to change, instead of as a 400 from the server in the middle of a run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel
from typing_extensions import TypedDict, Unpack

from langchain_responses._wire.base import WireModel
from langchain_responses._wire.tools import (
    ApplyPatchTool,
    CodeInterpreterContainer,
    CodeInterpreterTool,
    ComputerTool,
    ComputerUsePreviewTool,
    CustomTool,
    CustomToolFormat,
    FileSearchFilter,
    FileSearchTool,
    ImageGenerationTool,
    LocalShellTool,
    McpApprovalFilter,
    McpTool,
    McpToolFilter,
    RankingOptions,
    ShellEnvironment,
    ShellTool,
    UserLocation,
    WebSearchFilters,
    WebSearchTool,
)
from langchain_responses.errors import InvalidRequestError
from langchain_responses.tools._checks import as_dict as _as_dict
from langchain_responses.tools._checks import choice as _choice
from langchain_responses.tools._checks import given as _given
from langchain_responses.tools._checks import int_in as _int_in
from langchain_responses.tools._checks import number_in as _number_in
from langchain_responses.tools._checks import strings as _strings
from langchain_responses.tools._checks import text as _text

__all__ = [
    "CONNECTOR_IDS",
    "ImageGenerationOptions",
    "ToolDefinition",
    "apply_patch_tool",
    "code_interpreter_tool",
    "computer_tool",
    "computer_use_preview_tool",
    "custom_tool",
    "file_search_tool",
    "image_generation_tool",
    "local_shell_tool",
    "mcp_tool",
    "shell_tool",
    "web_search_tool",
]

ObjectLike = Mapping[str, Any] | BaseModel

CONNECTOR_IDS = frozenset(
    f"connector_{name}"
    for name in (
        "dropbox",
        "gmail",
        "googlecalendar",
        "googledrive",
        "microsoftteams",
        "outlookcalendar",
        "outlookemail",
        "sharepoint",
    )
)
"""The service connectors an ``mcp`` tool can name instead of a server URL."""

_COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")
_MEMORY_LIMITS = ("1g", "4g", "16g", "64g")
_ENVIRONMENTS = ("windows", "mac", "linux", "ubuntu", "browser")
_SHELL_ENVIRONMENTS = ("local", "container_auto", "container_reference")
_TUNNEL_ID = re.compile(r"tunnel_[a-z0-9]{32}")
_TOOL_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}")
_SIZE = re.compile(r"auto|[1-9][0-9]*x[1-9][0-9]*")
_COUNTRY = re.compile(r"[A-Z]{2}")


class ToolDefinition(dict[str, Any]):
    """A validated tool definition: a plain dict (as agents and the client take tools)."""

    def to_dict(self) -> dict[str, Any]:
        """A copy as a plain dict."""
        return dict(self)


def _definition(tool: WireModel) -> ToolDefinition:
    return ToolDefinition(tool.to_dict())


# --- file_search ---------------------------------------------------------------------------


def file_search_tool(
    vector_store_ids: str | Sequence[str],
    *,
    max_num_results: int | None = None,
    filters: ObjectLike | None = None,
    ranking_options: ObjectLike | None = None,
) -> ToolDefinition:
    """Search the given vector stores (``filters`` match file ``attributes``)."""
    ids = [vector_store_ids] if isinstance(vector_store_ids, str) else vector_store_ids
    fields = _given(
        max_num_results=None
        if max_num_results is None
        else _int_in("max_num_results", max_num_results, 1, 50),
        filters=None if filters is None else _filter(_as_dict("filters", filters), "filters"),
        ranking_options=None if ranking_options is None else _ranking(ranking_options),
    )
    return _definition(
        FileSearchTool(vector_store_ids=_strings("vector_store_ids", ids, low=1), **fields)
    )


def _filter(data: dict[str, Any], path: str) -> FileSearchFilter:
    """A comparison (``eq`` … ``nin``) or compound (``and`` / ``or``) filter, recursively."""
    kind = data.get("type")
    if kind in ("and", "or"):
        parts = data.get("filters")
        if not isinstance(parts, list) or not parts:
            raise InvalidRequestError(f"{path}.filters must be a non-empty list for {kind!r}.")
        for index, part in enumerate(parts):
            _filter(_as_dict(f"{path}.filters[{index}]", part), f"{path}.filters[{index}]")
    else:
        _choice(f"{path}.type", kind, (*_COMPARISONS, "and", "or"))
        _text(f"{path}.key", data.get("key"))
        value = data.get("value")
        is_list = isinstance(value, list)
        if value is None or is_list != (kind in ("in", "nin")):
            shape = "a list" if kind in ("in", "nin") else "a string, number or boolean"
            raise InvalidRequestError(f"{path}.value must be {shape} for {kind!r}, got {value!r}.")
    return FileSearchFilter.model_validate(data)


def _ranking(value: ObjectLike) -> RankingOptions:
    data = _as_dict("ranking_options", value)
    if "ranker" in data:
        _choice("ranking_options.ranker", data["ranker"], ("auto", "default-2024-11-15"))
    if "score_threshold" in data:
        _number_in("ranking_options.score_threshold", data["score_threshold"], 0, 1)
    hybrid = data.get("hybrid_search")
    if hybrid is not None:
        weights = _as_dict("ranking_options.hybrid_search", hybrid)
        for key in ("embedding_weight", "text_weight"):
            _number_in(f"ranking_options.hybrid_search.{key}", weights.get(key), 0, float("inf"))
    return RankingOptions.model_validate(data)


# --- web_search ----------------------------------------------------------------------------


def web_search_tool(
    *,
    allowed_domains: Sequence[str] | None = None,
    user_location: ObjectLike | None = None,
    search_context_size: Literal["low", "medium", "high"] | None = None,
    external_web_access: bool | None = None,
    preview: bool = False,
) -> ToolDefinition:
    """Web search; ``preview=True`` picks the older ``web_search_preview`` tool."""
    if preview and (allowed_domains is not None or external_web_access is not None):
        raise InvalidRequestError(
            "allowed_domains and external_web_access exist only on the GA web_search tool: "
            "drop preview=True or those arguments."
        )
    fields = _given(
        filters=None if allowed_domains is None else _domains(allowed_domains),
        user_location=None if user_location is None else _location(user_location),
        search_context_size=None
        if search_context_size is None
        else _choice("search_context_size", search_context_size, ("low", "medium", "high")),
        external_web_access=external_web_access,
    )
    return _definition(
        WebSearchTool(type="web_search_preview" if preview else "web_search", **fields)
    )


def _domains(value: Sequence[str]) -> WebSearchFilters:
    domains = _strings("allowed_domains", value, low=1)
    for domain in domains:
        if "://" in domain or "/" in domain:
            raise InvalidRequestError(
                f"allowed_domains takes bare domains like 'example.com', got {domain!r}."
            )
    return WebSearchFilters(allowed_domains=domains)


def _location(value: ObjectLike) -> UserLocation:
    data = {"type": "approximate", **_as_dict("user_location", value)}
    _choice("user_location.type", data["type"], ("approximate",))
    country = data.get("country")
    if country is not None and not (isinstance(country, str) and _COUNTRY.fullmatch(country)):
        raise InvalidRequestError(
            f"user_location.country must be a two-letter ISO code like 'US', got {country!r}."
        )
    return UserLocation.model_validate(data)


# --- computer, apply_patch, shell ----------------------------------------------------------


def computer_tool() -> ToolDefinition:
    """The GA computer tool (calls carry a batched ``actions`` list)."""
    return _definition(ComputerTool())


def computer_use_preview_tool(
    display_width: int,
    display_height: int,
    environment: Literal["windows", "mac", "linux", "ubuntu", "browser"],
) -> ToolDefinition:
    """The preview computer tool, for a screen of the given size in pixels."""
    tool = ComputerUsePreviewTool(
        display_width=_int_in("display_width", display_width, 1, 100_000),
        display_height=_int_in("display_height", display_height, 1, 100_000),
        environment=_choice("environment", environment, _ENVIRONMENTS),
    )
    return _definition(tool)


def apply_patch_tool() -> ToolDefinition:
    """File edits as ``apply_patch_call`` items, for ``tools.apply_patch`` to run."""
    return _definition(ApplyPatchTool())


def local_shell_tool() -> ToolDefinition:
    """The legacy local shell tool (``local_shell_call`` items; codex-mini era models)."""
    return _definition(LocalShellTool())


def shell_tool(
    environment: Literal["local", "container_auto"] | ObjectLike | None = None,
) -> ToolDefinition:
    """The shell tool: ``local`` (we run the commands), ``container_auto`` or a container.

    ``environment`` is a type name, or an object such as
    ``{"type": "container_reference", "container_id": "cntr_…"}``.
    """
    if environment is None:
        return _definition(ShellTool())
    data = (
        {"type": environment}
        if isinstance(environment, str)
        else _as_dict("environment", environment)
    )
    kind = _choice("environment.type", data.get("type"), _SHELL_ENVIRONMENTS)
    if kind == "container_reference":
        _text("environment.container_id", data.get("container_id"))
    _container_options("environment", data)
    return _definition(ShellTool(environment=ShellEnvironment.model_validate(data)))


def _container_options(name: str, data: Mapping[str, Any]) -> None:
    if data.get("file_ids") is not None:
        _strings(f"{name}.file_ids", data["file_ids"], high=50)
    if data.get("memory_limit") is not None:
        _choice(f"{name}.memory_limit", data["memory_limit"], _MEMORY_LIMITS)


# --- code_interpreter ----------------------------------------------------------------------


def code_interpreter_tool(
    container: str | ObjectLike = "auto",
    *,
    file_ids: Sequence[str] | None = None,
    memory_limit: Literal["1g", "4g", "16g", "64g"] | None = None,
) -> ToolDefinition:
    """Python in a sandbox: a new container (``"auto"``) or an existing container id."""
    options = _given(file_ids=file_ids, memory_limit=memory_limit)
    if isinstance(container, str) and container != "auto":
        if options:
            raise InvalidRequestError(
                "file_ids and memory_limit configure a new container: use container='auto' "
                "(an existing container keeps its own files and limits)."
            )
        return _definition(CodeInterpreterTool(container=_text("container", container)))
    data = {"type": "auto"} if isinstance(container, str) else _as_dict("container", container)
    data.update(options)
    _choice("container.type", data.get("type"), ("auto",))
    _container_options("container", data)
    return _definition(CodeInterpreterTool(container=CodeInterpreterContainer.model_validate(data)))


# --- image_generation ----------------------------------------------------------------------


class ImageGenerationOptions(TypedDict, total=False):
    """The optional settings of the ``image_generation`` tool (§8.6)."""

    model: str
    action: Literal["generate", "edit", "auto"]
    quality: Literal["low", "medium", "high", "auto"]
    size: str
    """``1024x1024``, ``1024x1536``, ``1536x1024``, ``auto``, or ``WxH`` for newer models."""
    output_format: Literal["png", "webp", "jpeg"]
    output_compression: int
    background: Literal["transparent", "opaque", "auto"]
    moderation: Literal["auto", "low"]
    input_fidelity: Literal["high", "low"]
    input_image_mask: ObjectLike
    partial_images: int


_IMAGE_CHOICES: dict[str, tuple[str, ...]] = {
    "action": ("generate", "edit", "auto"),
    "quality": ("low", "medium", "high", "auto"),
    "output_format": ("png", "webp", "jpeg"),
    "background": ("transparent", "opaque", "auto"),
    "moderation": ("auto", "low"),
    "input_fidelity": ("high", "low"),
}
_IMAGE_RANGES = {"partial_images": (0, 3), "output_compression": (0, 100)}


def image_generation_tool(**options: Unpack[ImageGenerationOptions]) -> ToolDefinition:
    """Image generation; every setting is optional and checked against the documented values."""
    data: dict[str, Any] = dict(options)
    unknown = set(data) - set(ImageGenerationOptions.__annotations__)
    if unknown:
        raise InvalidRequestError(
            f"Unknown image_generation option(s) {sorted(unknown)}; "
            f"known: {', '.join(ImageGenerationOptions.__annotations__)}."
        )
    for key, allowed in _IMAGE_CHOICES.items():
        if key in data:
            _choice(key, data[key], allowed)
    for key, (low, high) in _IMAGE_RANGES.items():
        if key in data:
            _int_in(key, data[key], low, high)
    _image_size_and_mask(data)
    if data.get("background") == "transparent" and data.get("output_format") == "jpeg":
        raise InvalidRequestError("background='transparent' needs output_format 'png' or 'webp'.")
    return _definition(ImageGenerationTool(**data))


def _image_size_and_mask(data: dict[str, Any]) -> None:
    if "model" in data:
        _text("model", data["model"])
    size = data.get("size")
    if size is not None and not (isinstance(size, str) and _SIZE.fullmatch(size)):
        raise InvalidRequestError(
            f"size must be 'auto' or 'WIDTHxHEIGHT' (e.g. '1024x1536'), got {size!r}."
        )
    if "input_image_mask" in data:
        mask = _as_dict("input_image_mask", data["input_image_mask"])
        if not mask.get("image_url") and not mask.get("file_id"):
            raise InvalidRequestError("input_image_mask needs an image_url or a file_id.")
        data["input_image_mask"] = mask


# --- mcp -----------------------------------------------------------------------------------


def mcp_tool(
    server_label: str,
    *,
    server_url: str | None = None,
    connector_id: str | None = None,
    tunnel_id: str | None = None,
    require_approval: Literal["always", "never"] | ObjectLike | None = None,
    allowed_tools: Sequence[str] | ObjectLike | None = None,
    headers: Mapping[str, str] | None = None,
    authorization: str | None = None,
    server_description: str | None = None,
) -> ToolDefinition:
    """A remote MCP server, reached by exactly one of URL, connector or tunnel.

    ``require_approval`` left as None means the server default, ``"always"``.
    """
    fields = _given(
        **_mcp_target(server_url, connector_id, tunnel_id),
        require_approval=None if require_approval is None else _approval(require_approval),
        allowed_tools=None if allowed_tools is None else _allowed_tools(allowed_tools),
        headers=None if headers is None else _headers(headers),
        authorization=None if authorization is None else _text("authorization", authorization),
        server_description=server_description,
    )
    return _definition(McpTool(server_label=_text("server_label", server_label), **fields))


def _mcp_target(url: str | None, connector_id: str | None, tunnel_id: str | None) -> dict[str, str]:
    given = _given(server_url=url, connector_id=connector_id, tunnel_id=tunnel_id)
    if len(given) != 1:
        raise InvalidRequestError(
            "mcp_tool needs exactly one of server_url, connector_id or tunnel_id, "
            f"got {sorted(given) or 'none'}."
        )
    if url is not None and not re.match(r"https?://[^/\s]+", url):
        raise InvalidRequestError(f"server_url must be an http(s) URL, got {url!r}.")
    if connector_id is not None:
        _choice("connector_id", connector_id, sorted(CONNECTOR_IDS))
    if tunnel_id is not None and not _TUNNEL_ID.fullmatch(tunnel_id):
        raise InvalidRequestError(
            f"tunnel_id must be 'tunnel_' + 32 lowercase letters or digits, got {tunnel_id!r}."
        )
    return given


def _tool_filter(name: str, value: object) -> McpToolFilter:
    data = _as_dict(name, value)
    unknown = set(data) - {"tool_names", "read_only"}
    if unknown:
        raise InvalidRequestError(f"{name} takes tool_names and read_only, not {sorted(unknown)}.")
    if "tool_names" in data:
        _strings(f"{name}.tool_names", data["tool_names"])
    if "read_only" in data and not isinstance(data["read_only"], bool):
        raise InvalidRequestError(f"{name}.read_only must be true or false.")
    return McpToolFilter.model_validate(data)


def _approval(value: str | ObjectLike) -> str | McpApprovalFilter:
    if isinstance(value, str):
        return _choice("require_approval", value, ("always", "never"))
    data = _as_dict("require_approval", value)
    if not data or set(data) - {"always", "never"}:
        raise InvalidRequestError(
            "require_approval takes 'always', 'never' or {'always': {...}, 'never': {...}}, "
            f"got {data!r}."
        )
    filters = {key: _tool_filter(f"require_approval.{key}", data[key]) for key in data}
    return McpApprovalFilter(**filters)


def _allowed_tools(value: Sequence[str] | ObjectLike) -> list[str] | McpToolFilter:
    if isinstance(value, (Mapping, BaseModel)):
        return _tool_filter("allowed_tools", value)
    return _strings("allowed_tools", value)


def _headers(value: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise InvalidRequestError("headers must be a dict of strings to strings.")
    return dict(value)


# --- custom --------------------------------------------------------------------------------


def custom_tool(
    name: str,
    *,
    description: str | None = None,
    grammar: str | None = None,
    syntax: Literal["lark", "regex"] = "lark",
) -> ToolDefinition:
    """A free-text tool; ``grammar`` (Lark or regex) constrains what the model may write."""
    if not isinstance(name, str) or not _TOOL_NAME.fullmatch(name):
        raise InvalidRequestError(f"name must be 1-128 letters, digits, '_' or '-', got {name!r}.")
    if grammar is None:
        text_format = CustomToolFormat(type="text")
    else:
        text_format = CustomToolFormat(
            type="grammar",
            syntax=_choice("syntax", syntax, ("lark", "regex")),
            definition=_text("grammar", grammar),
        )
    return _definition(CustomTool(name=name, **_given(description=description), format=text_format))
