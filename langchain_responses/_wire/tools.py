"""Tool definitions (``tools[]``, §8) and the ``tool_choice`` forms (§8.14).

Tools keep their key order: they also travel inside items (``tool_search_output``,
``additional_tools``) that must round-trip byte for byte.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Discriminator, Field, Tag

from langchain_responses._wire.base import (
    UNKNOWN_TAG,
    JsonObject,
    JsonValue,
    OrderedWireModel,
    WireModel,
    type_discriminator,
)

AllowedCaller = Literal["direct", "programmatic"] | str


class FunctionTool(OrderedWireModel):
    """A function tool; flat (no nested ``function`` key as in Chat Completions).

    The spec requires ``parameters`` and ``strict`` (both nullable); send them.
    """

    type: Literal["function"] = "function"
    name: str
    description: str | None = None
    parameters: JsonObject | None = None
    strict: bool | None = None
    output_schema: JsonObject | None = None
    defer_loading: bool | None = None
    allowed_callers: list[AllowedCaller] | None = None


class FileSearchFilter(OrderedWireModel):
    """A comparison (``eq`` … ``nin``: ``key``, ``value``) or compound (``and``/``or``) filter."""

    type: str
    key: str | None = None
    value: JsonValue = None
    filters: list[FileSearchFilter] | None = None


class HybridSearch(OrderedWireModel):
    embedding_weight: float | None = None
    text_weight: float | None = None


class RankingOptions(OrderedWireModel):
    ranker: Literal["auto", "default-2024-11-15"] | str | None = None
    score_threshold: float | None = None
    hybrid_search: HybridSearch | None = None


class FileSearchTool(OrderedWireModel):
    type: Literal["file_search"] = "file_search"
    vector_store_ids: list[str] = Field(default_factory=list)
    max_num_results: int | None = None
    filters: FileSearchFilter | None = None
    ranking_options: RankingOptions | None = None


class UserLocation(OrderedWireModel):
    type: Literal["approximate"] | str = "approximate"
    city: str | None = None
    region: str | None = None
    country: str | None = None
    """ISO-3166 alpha-2."""
    timezone: str | None = None
    """IANA time zone."""


class WebSearchFilters(OrderedWireModel):
    allowed_domains: list[str] | None = None


WebSearchToolType = Literal[
    "web_search", "web_search_2025_08_26", "web_search_preview", "web_search_preview_2025_03_11"
]


class WebSearchTool(OrderedWireModel):
    """``web_search`` (and its dated alias) or the older ``web_search_preview`` variants.

    Only ``web_search`` takes ``filters`` / ``external_web_access``; only the previews take
    ``search_content_types``.
    """

    type: WebSearchToolType | str = "web_search"
    filters: WebSearchFilters | None = None
    user_location: UserLocation | None = None
    search_context_size: Literal["low", "medium", "high"] | str | None = None
    external_web_access: bool | None = None
    search_content_types: list[str] | None = None


class ComputerTool(OrderedWireModel):
    """The GA computer tool; its calls carry a batched ``actions`` list."""

    type: Literal["computer"] = "computer"


class ComputerUsePreviewTool(OrderedWireModel):
    """The preview computer tool; ``display_width``/``display_height`` have no ``_px`` suffix."""

    type: Literal["computer_use_preview"] = "computer_use_preview"
    display_width: int
    display_height: int
    environment: Literal["windows", "mac", "linux", "ubuntu", "browser"] | str


class DomainSecret(OrderedWireModel):
    domain: str
    name: str
    value: str


class NetworkPolicy(OrderedWireModel):
    """``{type: "disabled"}`` or ``{type: "allowlist", allowed_domains, domain_secrets?}``."""

    type: Literal["disabled", "allowlist"] | str
    allowed_domains: list[str] | None = None
    domain_secrets: list[DomainSecret] | None = None


class CodeInterpreterContainer(OrderedWireModel):
    """An automatically created container (``{"type": "auto"}``)."""

    type: Literal["auto"] | str = "auto"
    file_ids: list[str] | None = None
    memory_limit: Literal["1g", "4g", "16g", "64g"] | str | None = None
    network_policy: NetworkPolicy | None = None


class CodeInterpreterTool(OrderedWireModel):
    """``container`` is a container id or an auto-container spec."""

    type: Literal["code_interpreter"] = "code_interpreter"
    container: str | CodeInterpreterContainer
    allowed_callers: list[AllowedCaller] | None = None


class ImageMask(OrderedWireModel):
    image_url: str | None = None
    file_id: str | None = None


class ImageGenerationTool(OrderedWireModel):
    type: Literal["image_generation"] = "image_generation"
    model: str | None = None
    action: Literal["generate", "edit", "auto"] | str | None = None
    quality: Literal["low", "medium", "high", "auto"] | str | None = None
    size: str | None = None
    """``1024x1024``, ``1024x1536``, ``1536x1024``, ``auto`` or ``WxH`` for newer models."""
    output_format: Literal["png", "webp", "jpeg"] | str | None = None
    output_compression: int | None = None
    background: Literal["transparent", "opaque", "auto"] | str | None = None
    moderation: Literal["auto", "low"] | str | None = None
    input_fidelity: Literal["high", "low"] | str | None = None
    input_image_mask: ImageMask | None = None
    partial_images: int | None = None


class McpToolFilter(OrderedWireModel):
    tool_names: list[str] | None = None
    read_only: bool | None = None


class McpApprovalFilter(OrderedWireModel):
    always: McpToolFilter | None = None
    never: McpToolFilter | None = None


class McpTool(OrderedWireModel):
    """A remote MCP server: exactly one of ``server_url``, ``connector_id`` or ``tunnel_id``."""

    type: Literal["mcp"] = "mcp"
    server_label: str
    server_url: str | None = None
    connector_id: str | None = None
    tunnel_id: str | None = None
    authorization: str | None = None
    headers: dict[str, str] | None = None
    server_description: str | None = None
    allowed_tools: list[str] | McpToolFilter | None = None
    require_approval: Literal["always", "never"] | str | McpApprovalFilter | None = None
    allowed_callers: list[AllowedCaller] | None = None
    defer_loading: bool | None = None


class LocalShellTool(OrderedWireModel):
    """The legacy local shell tool; calls arrive as ``local_shell_call``."""

    type: Literal["local_shell"] = "local_shell"


class ShellSkill(OrderedWireModel):
    """A skill: ``skill_reference`` (``skill_id``), ``inline`` (``source``) or local (``path``)."""

    type: str | None = None
    skill_id: str | None = None
    version: str | None = None
    name: str | None = None
    description: str | None = None
    source: JsonObject | None = None
    path: str | None = None


class ShellEnvironment(OrderedWireModel):
    """``container_auto``, ``local`` (we run the commands) or ``container_reference``."""

    type: Literal["container_auto", "local", "container_reference"] | str
    file_ids: list[str] | None = None
    memory_limit: str | None = None
    network_policy: NetworkPolicy | None = None
    skills: list[ShellSkill] | None = None
    container_id: str | None = None


class ShellTool(OrderedWireModel):
    type: Literal["shell"] = "shell"
    environment: ShellEnvironment | None = None
    allowed_callers: list[AllowedCaller] | None = None


class ApplyPatchTool(OrderedWireModel):
    type: Literal["apply_patch"] = "apply_patch"
    allowed_callers: list[AllowedCaller] | None = None


class CustomToolFormat(OrderedWireModel):
    """``{type: "text"}`` (unconstrained) or ``{type: "grammar", syntax, definition}``."""

    type: Literal["text", "grammar"] | str
    syntax: Literal["lark", "regex"] | str | None = None
    definition: str | None = None


class CustomTool(OrderedWireModel):
    """A free-text tool; calls arrive as ``custom_tool_call`` with a string ``input``."""

    type: Literal["custom"] = "custom"
    name: str
    description: str | None = None
    format: CustomToolFormat | None = None
    defer_loading: bool | None = None
    allowed_callers: list[AllowedCaller] | None = None


class ToolSearchTool(OrderedWireModel):
    """Lets the model search deferred tools; ``execution: client`` means we run the search."""

    type: Literal["tool_search"] = "tool_search"
    execution: Literal["server", "client"] | str | None = None
    description: str | None = None
    parameters: JsonObject | None = None


class ProgrammaticToolCallingTool(OrderedWireModel):
    type: Literal["programmatic_tool_calling"] = "programmatic_tool_calling"


class UnknownTool(OrderedWireModel):
    """A tool type this package does not know; kept as received."""

    type: str | None = None


NamespaceMember = Annotated[
    Annotated[FunctionTool, Tag("function")]
    | Annotated[CustomTool, Tag("custom")]
    | Annotated[UnknownTool, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(("function", "custom"))),
]


class NamespaceTool(OrderedWireModel):
    """Groups function/custom tools; their calls carry ``namespace``."""

    type: Literal["namespace"] = "namespace"
    name: str
    description: str | None = None
    tools: list[NamespaceMember] = Field(default_factory=list)


Tool = Annotated[
    Annotated[FunctionTool, Tag("function")]
    | Annotated[FileSearchTool, Tag("file_search")]
    | Annotated[WebSearchTool, Tag("web_search")]
    | Annotated[ComputerTool, Tag("computer")]
    | Annotated[ComputerUsePreviewTool, Tag("computer_use_preview")]
    | Annotated[CodeInterpreterTool, Tag("code_interpreter")]
    | Annotated[ImageGenerationTool, Tag("image_generation")]
    | Annotated[McpTool, Tag("mcp")]
    | Annotated[LocalShellTool, Tag("local_shell")]
    | Annotated[ShellTool, Tag("shell")]
    | Annotated[ApplyPatchTool, Tag("apply_patch")]
    | Annotated[CustomTool, Tag("custom")]
    | Annotated[NamespaceTool, Tag("namespace")]
    | Annotated[ToolSearchTool, Tag("tool_search")]
    | Annotated[ProgrammaticToolCallingTool, Tag("programmatic_tool_calling")]
    | Annotated[UnknownTool, Tag(UNKNOWN_TAG)],
    Discriminator(
        type_discriminator(
            {
                "function": "function",
                "file_search": "file_search",
                "web_search": "web_search",
                "web_search_2025_08_26": "web_search",
                "web_search_preview": "web_search",
                "web_search_preview_2025_03_11": "web_search",
                "computer": "computer",
                "computer_use_preview": "computer_use_preview",
                "code_interpreter": "code_interpreter",
                "image_generation": "image_generation",
                "mcp": "mcp",
                "local_shell": "local_shell",
                "shell": "shell",
                "apply_patch": "apply_patch",
                "custom": "custom",
                "namespace": "namespace",
                "tool_search": "tool_search",
                "programmatic_tool_calling": "programmatic_tool_calling",
            }
        )
    ),
]
"""One entry of ``tools``."""


# --- tool_choice ---------------------------------------------------------------------------

ToolChoiceMode = Literal["none", "auto", "required"]


class AllowedToolRef(WireModel):
    """A minimal tool reference, e.g. ``{"type": "function", "name": "x"}``."""

    type: str
    name: str | None = None
    server_label: str | None = None


class ToolChoiceAllowed(WireModel):
    """Restrict the model to a subset of ``tools``."""

    type: Literal["allowed_tools"] = "allowed_tools"
    mode: Literal["auto", "required"] | str
    tools: list[AllowedToolRef]


class ToolChoiceFunction(WireModel):
    type: Literal["function"] = "function"
    name: str


class ToolChoiceCustom(WireModel):
    type: Literal["custom"] = "custom"
    name: str


class ToolChoiceMcp(WireModel):
    type: Literal["mcp"] = "mcp"
    server_label: str
    name: str | None = None


ToolChoiceBuiltinType = Literal[
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
]


class ToolChoiceBuiltin(WireModel):
    """Force a built-in tool by type (``web_search`` itself is not in the server's enum)."""

    type: ToolChoiceBuiltinType


class UnknownToolChoice(WireModel):
    """A ``tool_choice`` object of a type this package does not know; kept as received."""

    type: str | None = None


_BUILTIN_CHOICES: tuple[str, ...] = get_args(ToolChoiceBuiltinType)

ToolChoiceObject = Annotated[
    Annotated[ToolChoiceAllowed, Tag("allowed_tools")]
    | Annotated[ToolChoiceFunction, Tag("function")]
    | Annotated[ToolChoiceCustom, Tag("custom")]
    | Annotated[ToolChoiceMcp, Tag("mcp")]
    | Annotated[ToolChoiceBuiltin, Tag("builtin")]
    | Annotated[UnknownToolChoice, Tag(UNKNOWN_TAG)],
    Discriminator(
        type_discriminator(
            {
                "allowed_tools": "allowed_tools",
                "function": "function",
                "custom": "custom",
                "mcp": "mcp",
                **dict.fromkeys(_BUILTIN_CHOICES, "builtin"),
            }
        )
    ),
]

ToolChoice = ToolChoiceMode | str | ToolChoiceObject
"""``"none"`` / ``"auto"`` / ``"required"`` (or a newer string), or a typed object."""
