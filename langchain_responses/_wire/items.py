"""Conversation items: what goes in ``input`` (§3) and comes back in ``output`` (§4).

Every item keeps its key order so it can be sent back byte for byte. Fields the server may
omit are optional; ``status`` values are plain strings (new ones appear without notice).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from langchain_responses._wire.base import (
    UNKNOWN_TAG,
    JsonObject,
    JsonValue,
    OrderedWireModel,
    type_discriminator,
)
from langchain_responses._wire.content import (
    ComputerScreenshot,
    InputContent,
    MessageContent,
    ReasoningContent,
    SummaryContent,
)
from langchain_responses._wire.tools import Tool

Role = Literal["user", "assistant", "system", "developer"] | str


class ToolCaller(OrderedWireModel):
    """Who made a tool call: ``{"type": "direct"}`` or ``{"type": "program", "caller_id"}``."""

    type: Literal["direct", "program"] | str
    caller_id: str | None = None


# --- messages and reasoning ----------------------------------------------------------------


class MessageItem(OrderedWireModel):
    """A message; input messages may omit ``type`` and use a plain string ``content``."""

    type: Literal["message"] = "message"
    id: str | None = None
    role: Role
    content: str | list[MessageContent]
    status: str | None = None
    phase: Literal["commentary", "final_answer"] | str | None = None
    """Label on assistant messages; keep it when replaying history."""


class ReasoningItem(OrderedWireModel):
    """Reasoning; send it back unchanged (``encrypted_content`` from ``output_item.done``)."""

    type: Literal["reasoning"] = "reasoning"
    id: str | None = None
    summary: list[SummaryContent] = Field(default_factory=list)
    content: list[ReasoningContent] | None = None
    encrypted_content: str | None = None
    status: str | None = None


# --- function and custom tools -------------------------------------------------------------


class FunctionCallItem(OrderedWireModel):
    """A function call; ``arguments`` is a JSON string, answer it by ``call_id`` (not ``id``)."""

    type: Literal["function_call"] = "function_call"
    id: str | None = None
    call_id: str
    name: str
    arguments: str
    namespace: str | None = None
    caller: ToolCaller | None = None
    status: str | None = None
    created_by: str | None = None


class FunctionCallOutputItem(OrderedWireModel):
    """The result of a function call: a string (usually JSON) or input content parts."""

    type: Literal["function_call_output"] = "function_call_output"
    id: str | None = None
    call_id: str
    output: str | list[InputContent]
    name: str | None = None
    namespace: str | None = None
    caller: ToolCaller | None = None
    status: str | None = None
    created_by: str | None = None


class CustomToolCallItem(OrderedWireModel):
    """A custom tool call with free-text ``input``."""

    type: Literal["custom_tool_call"] = "custom_tool_call"
    id: str | None = None
    call_id: str
    name: str
    input: str
    namespace: str | None = None
    caller: ToolCaller | None = None
    status: str | None = None
    created_by: str | None = None


class CustomToolCallOutputItem(OrderedWireModel):
    type: Literal["custom_tool_call_output"] = "custom_tool_call_output"
    id: str | None = None
    call_id: str
    output: str | list[InputContent]
    caller: ToolCaller | None = None
    status: str | None = None
    created_by: str | None = None


# --- computer use --------------------------------------------------------------------------

_Keys = list[str] | None


class ClickAction(OrderedWireModel):
    type: Literal["click"] = "click"
    button: Literal["left", "right", "wheel", "back", "forward"] | str
    x: int
    y: int
    keys: _Keys = None


class DoubleClickAction(OrderedWireModel):
    type: Literal["double_click"] = "double_click"
    x: int
    y: int
    keys: _Keys = None


class DragPoint(OrderedWireModel):
    x: int
    y: int


class DragAction(OrderedWireModel):
    type: Literal["drag"] = "drag"
    path: list[DragPoint]
    keys: _Keys = None


class KeypressAction(OrderedWireModel):
    type: Literal["keypress"] = "keypress"
    keys: list[str]


class MoveAction(OrderedWireModel):
    type: Literal["move"] = "move"
    x: int
    y: int
    keys: _Keys = None


class ScreenshotAction(OrderedWireModel):
    type: Literal["screenshot"] = "screenshot"


class ScrollAction(OrderedWireModel):
    type: Literal["scroll"] = "scroll"
    x: int
    y: int
    scroll_x: int
    scroll_y: int
    keys: _Keys = None


class TypeAction(OrderedWireModel):
    type: Literal["type"] = "type"
    text: str


class WaitAction(OrderedWireModel):
    type: Literal["wait"] = "wait"


class UnknownComputerAction(OrderedWireModel):
    """A computer action type this package does not know; kept as received."""

    type: str | None = None


ComputerAction = Annotated[
    Annotated[ClickAction, Tag("click")]
    | Annotated[DoubleClickAction, Tag("double_click")]
    | Annotated[DragAction, Tag("drag")]
    | Annotated[KeypressAction, Tag("keypress")]
    | Annotated[MoveAction, Tag("move")]
    | Annotated[ScreenshotAction, Tag("screenshot")]
    | Annotated[ScrollAction, Tag("scroll")]
    | Annotated[TypeAction, Tag("type")]
    | Annotated[WaitAction, Tag("wait")]
    | Annotated[UnknownComputerAction, Tag(UNKNOWN_TAG)],
    Discriminator(
        type_discriminator(
            (
                "click",
                "double_click",
                "drag",
                "keypress",
                "move",
                "screenshot",
                "scroll",
                "type",
                "wait",
            )
        )
    ),
]


class SafetyCheck(OrderedWireModel):
    """A pending safety check; echo it in ``acknowledged_safety_checks`` to proceed."""

    id: str
    code: str | None = None
    message: str | None = None


class ComputerCallItem(OrderedWireModel):
    """``action`` (``computer_use_preview``) or batched ``actions`` (GA ``computer`` tool)."""

    type: Literal["computer_call"] = "computer_call"
    id: str | None = None
    call_id: str
    action: ComputerAction | None = None
    actions: list[ComputerAction] | None = None
    pending_safety_checks: list[SafetyCheck] = Field(default_factory=list)
    status: str | None = None


class ComputerCallOutputItem(OrderedWireModel):
    type: Literal["computer_call_output"] = "computer_call_output"
    id: str | None = None
    call_id: str
    output: ComputerScreenshot
    acknowledged_safety_checks: list[SafetyCheck] | None = None
    status: str | None = None
    created_by: str | None = None


# --- hosted tools --------------------------------------------------------------------------


class WebSearchSource(OrderedWireModel):
    """A source consulted by a search (``url``, or ``api`` without a URL)."""

    type: str | None = None
    url: str | None = None


class WebSearchAction(OrderedWireModel):
    """``search`` (``queries``, ``sources``), ``open_page`` (``url``) or ``find_in_page``."""

    type: Literal["search", "open_page", "find_in_page"] | str | None = None
    query: str | None = None
    """Deprecated in favour of ``queries``."""
    queries: list[str] | None = None
    sources: list[WebSearchSource] | None = None
    url: str | None = None
    pattern: str | None = None


class WebSearchCallItem(OrderedWireModel):
    type: Literal["web_search_call"] = "web_search_call"
    id: str | None = None
    status: str | None = None
    action: WebSearchAction | None = None


class FileSearchResult(OrderedWireModel):
    file_id: str | None = None
    filename: str | None = None
    text: str | None = None
    score: float | None = None
    attributes: JsonObject | None = None


class FileSearchCallItem(OrderedWireModel):
    """``results`` is filled only with ``include: file_search_call.results``."""

    type: Literal["file_search_call"] = "file_search_call"
    id: str | None = None
    queries: list[str] = Field(default_factory=list)
    status: str | None = None
    results: list[FileSearchResult] | None = None


class CodeInterpreterOutput(OrderedWireModel):
    """``{"type": "logs", "logs"}`` or ``{"type": "image", "url"}``."""

    type: Literal["logs", "image"] | str | None = None
    logs: str | None = None
    url: str | None = None


class CodeInterpreterCallItem(OrderedWireModel):
    """``outputs`` is filled only with ``include: code_interpreter_call.outputs``."""

    type: Literal["code_interpreter_call"] = "code_interpreter_call"
    id: str | None = None
    container_id: str | None = None
    code: str | None = None
    outputs: list[CodeInterpreterOutput] | None = None
    status: str | None = None


class ImageGenerationCallItem(OrderedWireModel):
    """``result`` is the base64 image."""

    type: Literal["image_generation_call"] = "image_generation_call"
    id: str | None = None
    status: str | None = None
    result: str | None = None
    revised_prompt: str | None = None
    action: str | None = None
    background: str | None = None
    output_format: str | None = None
    quality: str | None = None
    size: str | None = None


# --- shells and patches --------------------------------------------------------------------


class LocalShellExecAction(OrderedWireModel):
    type: Literal["exec"] | str = "exec"
    command: list[str]
    env: dict[str, str] = Field(default_factory=dict)
    timeout_ms: int | None = None
    working_directory: str | None = None
    user: str | None = None


class LocalShellCallItem(OrderedWireModel):
    """A legacy ``local_shell`` call."""

    type: Literal["local_shell_call"] = "local_shell_call"
    id: str | None = None
    call_id: str
    action: LocalShellExecAction
    status: str | None = None


class LocalShellCallOutputItem(OrderedWireModel):
    """Legacy; the spec links it to the call by ``id`` (and also names a ``call_id``)."""

    type: Literal["local_shell_call_output"] = "local_shell_call_output"
    id: str | None = None
    call_id: str | None = None
    output: str
    """JSON text."""
    status: str | None = None


class ShellAction(OrderedWireModel):
    commands: list[str]
    timeout_ms: int | None = None
    max_output_length: int | None = None


class ShellCallEnvironment(OrderedWireModel):
    """``{"type": "local"}`` or ``{"type": "container_reference", "container_id"}``."""

    type: Literal["local", "container_reference"] | str
    container_id: str | None = None


class ShellCallItem(OrderedWireModel):
    type: Literal["shell_call"] = "shell_call"
    id: str | None = None
    call_id: str
    action: ShellAction
    status: str | None = None
    environment: ShellCallEnvironment | None = None
    caller: ToolCaller | None = None
    created_by: str | None = None


class ShellCallOutcome(OrderedWireModel):
    """``{"type": "exit", "exit_code"}`` or ``{"type": "timeout"}``."""

    type: Literal["exit", "timeout"] | str
    exit_code: int | None = None


class ShellCallOutputContent(OrderedWireModel):
    stdout: str
    stderr: str
    outcome: ShellCallOutcome
    created_by: str | None = None


class ShellCallOutputItem(OrderedWireModel):
    """Pass back the ``max_output_length`` the call asked for."""

    type: Literal["shell_call_output"] = "shell_call_output"
    id: str | None = None
    call_id: str
    output: list[ShellCallOutputContent]
    status: str | None = None
    max_output_length: int | None = None
    caller: ToolCaller | None = None
    created_by: str | None = None


class ApplyPatchOperation(OrderedWireModel):
    """``create_file`` / ``update_file`` (``path``, unified ``diff``) or ``delete_file``."""

    type: Literal["create_file", "update_file", "delete_file"] | str
    path: str
    """Relative to the workspace root."""
    diff: str | None = None


class ApplyPatchCallItem(OrderedWireModel):
    type: Literal["apply_patch_call"] = "apply_patch_call"
    id: str | None = None
    call_id: str
    status: str | None = None
    operation: ApplyPatchOperation
    caller: ToolCaller | None = None
    created_by: str | None = None


class ApplyPatchCallOutputItem(OrderedWireModel):
    """``status`` is ``completed`` or ``failed`` (required when sending); ``output`` is a log."""

    type: Literal["apply_patch_call_output"] = "apply_patch_call_output"
    id: str | None = None
    call_id: str
    status: Literal["completed", "failed"] | str | None = None
    output: str | None = None
    caller: ToolCaller | None = None
    created_by: str | None = None


# --- MCP -----------------------------------------------------------------------------------


class McpListedTool(OrderedWireModel):
    name: str
    input_schema: JsonObject | None = None
    description: str | None = None
    annotations: JsonObject | None = None


class McpListToolsItem(OrderedWireModel):
    type: Literal["mcp_list_tools"] = "mcp_list_tools"
    id: str | None = None
    server_label: str
    tools: list[McpListedTool] = Field(default_factory=list)
    error: str | None = None


class McpApprovalRequestItem(OrderedWireModel):
    """Answer with an ``mcp_approval_response``."""

    type: Literal["mcp_approval_request"] = "mcp_approval_request"
    id: str | None = None
    server_label: str
    name: str
    arguments: str


class McpApprovalResponseItem(OrderedWireModel):
    type: Literal["mcp_approval_response"] = "mcp_approval_response"
    id: str | None = None
    approval_request_id: str
    approve: bool
    reason: str | None = None


class McpCallError(OrderedWireModel):
    """``mcp_protocol_error`` / ``http_error`` (``code``, ``message``) or a tool error."""

    type: Literal["mcp_protocol_error", "mcp_tool_execution_error", "http_error"] | str | None = (
        None
    )
    code: int | None = None
    message: str | None = None
    content: JsonValue = None


class McpCallItem(OrderedWireModel):
    """``error`` is structured now; older recordings carry a plain string."""

    type: Literal["mcp_call"] = "mcp_call"
    id: str | None = None
    server_label: str
    name: str
    arguments: str
    output: str | None = None
    error: McpCallError | str | None = None
    status: str | None = None
    approval_request_id: str | None = None


# --- context management, references, tool search, programs -----------------------------------


class CompactionItem(OrderedWireModel):
    """Compacted context; send it back as input unchanged."""

    type: Literal["compaction"] = "compaction"
    id: str | None = None
    encrypted_content: str
    created_by: str | None = None


class CompactionTriggerItem(OrderedWireModel):
    """Compacts the context; must be the last input item."""

    type: Literal["compaction_trigger"] = "compaction_trigger"


class ItemReferenceItem(OrderedWireModel):
    """A stored item by id (``type`` may be omitted)."""

    type: Literal["item_reference"] | None = "item_reference"
    id: str


class ToolSearchCallItem(OrderedWireModel):
    type: Literal["tool_search_call"] = "tool_search_call"
    id: str | None = None
    call_id: str | None = None
    execution: Literal["server", "client"] | str | None = None
    arguments: JsonValue = None
    status: str | None = None
    created_by: str | None = None


class ToolSearchOutputItem(OrderedWireModel):
    """Tools found by a search (sent by us for ``execution: client``)."""

    type: Literal["tool_search_output"] = "tool_search_output"
    id: str | None = None
    call_id: str | None = None
    execution: Literal["server", "client"] | str | None = None
    tools: list[Tool] = Field(default_factory=list)
    status: str | None = None
    created_by: str | None = None


class AdditionalToolsItem(OrderedWireModel):
    """Tool definitions added mid-conversation."""

    type: Literal["additional_tools"] = "additional_tools"
    id: str | None = None
    role: Role = "developer"
    tools: list[Tool] = Field(default_factory=list)


class ProgramItem(OrderedWireModel):
    """JavaScript run by programmatic tool calling; round-trip it unchanged."""

    type: Literal["program"] = "program"
    id: str | None = None
    call_id: str
    code: str
    fingerprint: str | None = None


class ProgramOutputItem(OrderedWireModel):
    type: Literal["program_output"] = "program_output"
    id: str | None = None
    call_id: str
    result: str | None = None
    status: str | None = None


class UnknownItem(OrderedWireModel):
    """An item type this package does not know; kept as received and sent back unchanged."""

    type: str | None = None


# --- unions --------------------------------------------------------------------------------

OUTPUT_ITEM_TYPES = (
    "message",
    "reasoning",
    "function_call",
    "function_call_output",
    "custom_tool_call",
    "custom_tool_call_output",
    "computer_call",
    "computer_call_output",
    "web_search_call",
    "file_search_call",
    "code_interpreter_call",
    "image_generation_call",
    "local_shell_call",
    "local_shell_call_output",
    "shell_call",
    "shell_call_output",
    "apply_patch_call",
    "apply_patch_call_output",
    "mcp_list_tools",
    "mcp_approval_request",
    "mcp_approval_response",
    "mcp_call",
    "compaction",
    "tool_search_call",
    "tool_search_output",
    "additional_tools",
    "program",
    "program_output",
)
INPUT_ITEM_TYPES = (*OUTPUT_ITEM_TYPES, "compaction_trigger", "item_reference")


def _untyped_input_tag(value: dict[str, Any]) -> str:
    if "role" in value:
        return "message"
    if value.keys() - {"type"} == {"id"}:
        return "item_reference"
    return UNKNOWN_TAG


OutputItem = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[ReasoningItem, Tag("reasoning")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[CustomToolCallItem, Tag("custom_tool_call")]
    | Annotated[CustomToolCallOutputItem, Tag("custom_tool_call_output")]
    | Annotated[ComputerCallItem, Tag("computer_call")]
    | Annotated[ComputerCallOutputItem, Tag("computer_call_output")]
    | Annotated[WebSearchCallItem, Tag("web_search_call")]
    | Annotated[FileSearchCallItem, Tag("file_search_call")]
    | Annotated[CodeInterpreterCallItem, Tag("code_interpreter_call")]
    | Annotated[ImageGenerationCallItem, Tag("image_generation_call")]
    | Annotated[LocalShellCallItem, Tag("local_shell_call")]
    | Annotated[LocalShellCallOutputItem, Tag("local_shell_call_output")]
    | Annotated[ShellCallItem, Tag("shell_call")]
    | Annotated[ShellCallOutputItem, Tag("shell_call_output")]
    | Annotated[ApplyPatchCallItem, Tag("apply_patch_call")]
    | Annotated[ApplyPatchCallOutputItem, Tag("apply_patch_call_output")]
    | Annotated[McpListToolsItem, Tag("mcp_list_tools")]
    | Annotated[McpApprovalRequestItem, Tag("mcp_approval_request")]
    | Annotated[McpApprovalResponseItem, Tag("mcp_approval_response")]
    | Annotated[McpCallItem, Tag("mcp_call")]
    | Annotated[CompactionItem, Tag("compaction")]
    | Annotated[ToolSearchCallItem, Tag("tool_search_call")]
    | Annotated[ToolSearchOutputItem, Tag("tool_search_output")]
    | Annotated[AdditionalToolsItem, Tag("additional_tools")]
    | Annotated[ProgramItem, Tag("program")]
    | Annotated[ProgramOutputItem, Tag("program_output")]
    | Annotated[UnknownItem, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(OUTPUT_ITEM_TYPES)),
]
"""An element of ``Response.output``."""

InputItem = Annotated[
    Annotated[MessageItem, Tag("message")]
    | Annotated[ReasoningItem, Tag("reasoning")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")]
    | Annotated[CustomToolCallItem, Tag("custom_tool_call")]
    | Annotated[CustomToolCallOutputItem, Tag("custom_tool_call_output")]
    | Annotated[ComputerCallItem, Tag("computer_call")]
    | Annotated[ComputerCallOutputItem, Tag("computer_call_output")]
    | Annotated[WebSearchCallItem, Tag("web_search_call")]
    | Annotated[FileSearchCallItem, Tag("file_search_call")]
    | Annotated[CodeInterpreterCallItem, Tag("code_interpreter_call")]
    | Annotated[ImageGenerationCallItem, Tag("image_generation_call")]
    | Annotated[LocalShellCallItem, Tag("local_shell_call")]
    | Annotated[LocalShellCallOutputItem, Tag("local_shell_call_output")]
    | Annotated[ShellCallItem, Tag("shell_call")]
    | Annotated[ShellCallOutputItem, Tag("shell_call_output")]
    | Annotated[ApplyPatchCallItem, Tag("apply_patch_call")]
    | Annotated[ApplyPatchCallOutputItem, Tag("apply_patch_call_output")]
    | Annotated[McpListToolsItem, Tag("mcp_list_tools")]
    | Annotated[McpApprovalRequestItem, Tag("mcp_approval_request")]
    | Annotated[McpApprovalResponseItem, Tag("mcp_approval_response")]
    | Annotated[McpCallItem, Tag("mcp_call")]
    | Annotated[CompactionItem, Tag("compaction")]
    | Annotated[ToolSearchCallItem, Tag("tool_search_call")]
    | Annotated[ToolSearchOutputItem, Tag("tool_search_output")]
    | Annotated[AdditionalToolsItem, Tag("additional_tools")]
    | Annotated[ProgramItem, Tag("program")]
    | Annotated[ProgramOutputItem, Tag("program_output")]
    | Annotated[CompactionTriggerItem, Tag("compaction_trigger")]
    | Annotated[ItemReferenceItem, Tag("item_reference")]
    | Annotated[UnknownItem, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(INPUT_ITEM_TYPES, untyped=_untyped_input_tag)),
]
"""An element of ``input``: every output item, plus ``compaction_trigger`` and references.

Without ``type``, an object with ``role`` is a message and one with only ``id`` a reference.
"""

ToolCallItem = (
    FunctionCallItem
    | CustomToolCallItem
    | ComputerCallItem
    | ShellCallItem
    | LocalShellCallItem
    | ApplyPatchCallItem
    | McpCallItem
    | McpApprovalRequestItem
    | CodeInterpreterCallItem
    | WebSearchCallItem
    | FileSearchCallItem
    | ImageGenerationCallItem
    | ToolSearchCallItem
)
"""An item in which the model calls a tool (client-side or hosted)."""

TOOL_CALL_ITEM_CLASSES = (
    FunctionCallItem,
    CustomToolCallItem,
    ComputerCallItem,
    ShellCallItem,
    LocalShellCallItem,
    ApplyPatchCallItem,
    McpCallItem,
    McpApprovalRequestItem,
    CodeInterpreterCallItem,
    WebSearchCallItem,
    FileSearchCallItem,
    ImageGenerationCallItem,
    ToolSearchCallItem,
)
"""The classes of ``ToolCallItem``, for ``isinstance``."""
