"""Server-sent stream events (§6.3) and ``parse_event``.

Events are plain (unordered) wire models: they are parsed once and never sent back, and
deltas arrive by the thousand. ``sequence_number`` is optional (streams before mid-2025 lack
it); delta events may carry an undeclared ``obfuscation`` padding string, kept as an extra.
"""

from __future__ import annotations

import functools
import typing
from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag, TypeAdapter, ValidationError

from langchain_responses._wire.base import UNKNOWN_TAG, WireModel, type_discriminator
from langchain_responses._wire.content import Annotation, Logprob, OutputContent, SummaryContent
from langchain_responses._wire.items import OutputItem, ShellCallOutputContent
from langchain_responses._wire.response import Response


class _Event(WireModel):
    sequence_number: int | None = None


class _ResponseEvent(_Event):
    response: Response


class _OutputEvent(_Event):
    output_index: int


class _ItemEvent(_OutputEvent):
    item_id: str | None = None


class _ContentEvent(_ItemEvent):
    content_index: int


# --- lifecycle -----------------------------------------------------------------------------


class ResponseCreatedEvent(_ResponseEvent):
    """The first event of a fresh stream."""

    type: Literal["response.created"] = "response.created"


class ResponseQueuedEvent(_ResponseEvent):
    """A background response waits to start."""

    type: Literal["response.queued"] = "response.queued"


class ResponseInProgressEvent(_ResponseEvent):
    type: Literal["response.in_progress"] = "response.in_progress"


class ResponseCompletedEvent(_ResponseEvent):
    """Terminal: the full response, with ``usage``."""

    type: Literal["response.completed"] = "response.completed"


class ResponseIncompleteEvent(_ResponseEvent):
    """Terminal: see ``response.incomplete_details``."""

    type: Literal["response.incomplete"] = "response.incomplete"


class ResponseFailedEvent(_ResponseEvent):
    """Terminal: see ``response.error``."""

    type: Literal["response.failed"] = "response.failed"


class StreamError(WireModel):
    """The nested ``error`` object of an ``error`` event as seen on the real wire."""

    type: str | None = None
    code: str | int | None = None
    message: str | None = None
    param: str | None = None


class ErrorEvent(_Event):
    """An error mid-stream: flat ``code``/``message``/``param`` (spec) or nested ``error``."""

    type: Literal["error"] = "error"
    code: str | int | None = None
    message: str | None = None
    param: str | None = None
    error: StreamError | None = None

    @property
    def error_code(self) -> str | None:
        code = self.code if self.code is not None else self.error.code if self.error else None
        return None if code is None else str(code)

    @property
    def error_message(self) -> str | None:
        if self.message is not None:
            return self.message
        return self.error.message if self.error else None

    @property
    def error_param(self) -> str | None:
        if self.param is not None:
            return self.param
        return self.error.param if self.error else None

    @property
    def error_type(self) -> str | None:
        """Only the nested shape carries a type (e.g. ``invalid_request_error``)."""
        return self.error.type if self.error else None


# --- output items and content parts --------------------------------------------------------


class OutputItemAddedEvent(_OutputEvent):
    """A new item in its initial state (``encrypted_content`` may be incomplete here)."""

    type: Literal["response.output_item.added"] = "response.output_item.added"
    item: OutputItem


class OutputItemDoneEvent(_OutputEvent):
    """The item's final state; authoritative over the accumulated deltas."""

    type: Literal["response.output_item.done"] = "response.output_item.done"
    item: OutputItem


class ContentPartAddedEvent(_ContentEvent):
    type: Literal["response.content_part.added"] = "response.content_part.added"
    part: OutputContent


class ContentPartDoneEvent(_ContentEvent):
    type: Literal["response.content_part.done"] = "response.content_part.done"
    part: OutputContent


class OutputTextDeltaEvent(_ContentEvent):
    type: Literal["response.output_text.delta"] = "response.output_text.delta"
    delta: str
    logprobs: list[Logprob] | None = Field(default_factory=list)


class OutputTextDoneEvent(_ContentEvent):
    type: Literal["response.output_text.done"] = "response.output_text.done"
    text: str
    logprobs: list[Logprob] | None = Field(default_factory=list)


class OutputTextAnnotationAddedEvent(_ContentEvent):
    type: Literal["response.output_text.annotation.added"] = "response.output_text.annotation.added"
    annotation_index: int
    annotation: Annotation | None = None


class RefusalDeltaEvent(_ContentEvent):
    type: Literal["response.refusal.delta"] = "response.refusal.delta"
    delta: str


class RefusalDoneEvent(_ContentEvent):
    type: Literal["response.refusal.done"] = "response.refusal.done"
    refusal: str


# --- function and custom tool calls --------------------------------------------------------


class FunctionCallArgumentsDeltaEvent(_ItemEvent):
    """No ``name`` here: take it from the ``output_item.added`` item."""

    type: Literal["response.function_call_arguments.delta"] = (
        "response.function_call_arguments.delta"
    )
    delta: str


class FunctionCallArgumentsDoneEvent(_ItemEvent):
    """``name`` is missing on some hosts (OpenRouter)."""

    type: Literal["response.function_call_arguments.done"] = "response.function_call_arguments.done"
    arguments: str
    name: str | None = None


class CustomToolCallInputDeltaEvent(_ItemEvent):
    type: Literal["response.custom_tool_call_input.delta"] = "response.custom_tool_call_input.delta"
    delta: str


class CustomToolCallInputDoneEvent(_ItemEvent):
    type: Literal["response.custom_tool_call_input.done"] = "response.custom_tool_call_input.done"
    input: str


# --- reasoning -----------------------------------------------------------------------------


class ReasoningSummaryPartAddedEvent(_ItemEvent):
    type: Literal["response.reasoning_summary_part.added"] = "response.reasoning_summary_part.added"
    summary_index: int
    part: SummaryContent


class ReasoningSummaryPartDoneEvent(_ItemEvent):
    """``status: "incomplete"`` only when the summary was interrupted."""

    type: Literal["response.reasoning_summary_part.done"] = "response.reasoning_summary_part.done"
    summary_index: int
    part: SummaryContent
    status: str | None = None


class ReasoningSummaryTextDeltaEvent(_ItemEvent):
    type: Literal["response.reasoning_summary_text.delta"] = "response.reasoning_summary_text.delta"
    summary_index: int
    delta: str


class ReasoningSummaryTextDoneEvent(_ItemEvent):
    type: Literal["response.reasoning_summary_text.done"] = "response.reasoning_summary_text.done"
    summary_index: int
    text: str


class ReasoningTextDeltaEvent(_ContentEvent):
    type: Literal["response.reasoning_text.delta"] = "response.reasoning_text.delta"
    delta: str


class ReasoningTextDoneEvent(_ContentEvent):
    type: Literal["response.reasoning_text.done"] = "response.reasoning_text.done"
    text: str


# --- hosted tool progress ------------------------------------------------------------------


class FileSearchCallInProgressEvent(_ItemEvent):
    type: Literal["response.file_search_call.in_progress"] = "response.file_search_call.in_progress"


class FileSearchCallSearchingEvent(_ItemEvent):
    type: Literal["response.file_search_call.searching"] = "response.file_search_call.searching"


class FileSearchCallCompletedEvent(_ItemEvent):
    type: Literal["response.file_search_call.completed"] = "response.file_search_call.completed"


class WebSearchCallInProgressEvent(_ItemEvent):
    type: Literal["response.web_search_call.in_progress"] = "response.web_search_call.in_progress"


class WebSearchCallSearchingEvent(_ItemEvent):
    type: Literal["response.web_search_call.searching"] = "response.web_search_call.searching"


class WebSearchCallCompletedEvent(_ItemEvent):
    type: Literal["response.web_search_call.completed"] = "response.web_search_call.completed"


class CodeInterpreterCallInProgressEvent(_ItemEvent):
    type: Literal["response.code_interpreter_call.in_progress"] = (
        "response.code_interpreter_call.in_progress"
    )


class CodeInterpreterCallInterpretingEvent(_ItemEvent):
    type: Literal["response.code_interpreter_call.interpreting"] = (
        "response.code_interpreter_call.interpreting"
    )


class CodeInterpreterCallCompletedEvent(_ItemEvent):
    type: Literal["response.code_interpreter_call.completed"] = (
        "response.code_interpreter_call.completed"
    )


class CodeInterpreterCallCodeDeltaEvent(_ItemEvent):
    """Note the underscore: ``code_interpreter_call_code``."""

    type: Literal["response.code_interpreter_call_code.delta"] = (
        "response.code_interpreter_call_code.delta"
    )
    delta: str


class CodeInterpreterCallCodeDoneEvent(_ItemEvent):
    type: Literal["response.code_interpreter_call_code.done"] = (
        "response.code_interpreter_call_code.done"
    )
    code: str


class ImageGenerationCallInProgressEvent(_ItemEvent):
    type: Literal["response.image_generation_call.in_progress"] = (
        "response.image_generation_call.in_progress"
    )


class ImageGenerationCallGeneratingEvent(_ItemEvent):
    type: Literal["response.image_generation_call.generating"] = (
        "response.image_generation_call.generating"
    )


class ImageGenerationCallCompletedEvent(_ItemEvent):
    type: Literal["response.image_generation_call.completed"] = (
        "response.image_generation_call.completed"
    )


class ImageGenerationCallPartialImageEvent(_ItemEvent):
    """A preview image (``partial_image_index`` is 0-based)."""

    type: Literal["response.image_generation_call.partial_image"] = (
        "response.image_generation_call.partial_image"
    )
    partial_image_b64: str
    partial_image_index: int
    size: str | None = None
    quality: str | None = None
    background: str | None = None
    output_format: str | None = None


# --- MCP -----------------------------------------------------------------------------------


class McpListToolsInProgressEvent(_ItemEvent):
    type: Literal["response.mcp_list_tools.in_progress"] = "response.mcp_list_tools.in_progress"


class McpListToolsCompletedEvent(_ItemEvent):
    type: Literal["response.mcp_list_tools.completed"] = "response.mcp_list_tools.completed"


class McpListToolsFailedEvent(_ItemEvent):
    type: Literal["response.mcp_list_tools.failed"] = "response.mcp_list_tools.failed"


class McpCallInProgressEvent(_ItemEvent):
    type: Literal["response.mcp_call.in_progress"] = "response.mcp_call.in_progress"


class McpCallCompletedEvent(_ItemEvent):
    type: Literal["response.mcp_call.completed"] = "response.mcp_call.completed"


class McpCallFailedEvent(_ItemEvent):
    type: Literal["response.mcp_call.failed"] = "response.mcp_call.failed"


class McpCallArgumentsDeltaEvent(_ItemEvent):
    """Note the underscore: ``mcp_call_arguments``."""

    type: Literal["response.mcp_call_arguments.delta"] = "response.mcp_call_arguments.delta"
    delta: str


class McpCallArgumentsDoneEvent(_ItemEvent):
    type: Literal["response.mcp_call_arguments.done"] = "response.mcp_call_arguments.done"
    arguments: str


# --- shell ---------------------------------------------------------------------------------


class ShellCallCommandAddedEvent(_OutputEvent):
    type: Literal["response.shell_call_command.added"] = "response.shell_call_command.added"
    command_index: int
    command: str


class ShellCallCommandDeltaEvent(_OutputEvent):
    type: Literal["response.shell_call_command.delta"] = "response.shell_call_command.delta"
    command_index: int
    delta: str


class ShellCallCommandDoneEvent(_OutputEvent):
    type: Literal["response.shell_call_command.done"] = "response.shell_call_command.done"
    command_index: int
    command: str


class ShellCallOutputDelta(WireModel):
    stdout: str | None = None
    stderr: str | None = None


class ShellCallOutputContentDeltaEvent(_ItemEvent):
    """``delta`` is an object (``stdout``/``stderr`` pieces), not a string."""

    type: Literal["response.shell_call_output_content.delta"] = (
        "response.shell_call_output_content.delta"
    )
    command_index: int
    delta: ShellCallOutputDelta


class ShellCallOutputContentDoneEvent(_ItemEvent):
    type: Literal["response.shell_call_output_content.done"] = (
        "response.shell_call_output_content.done"
    )
    command_index: int
    output: list[ShellCallOutputContent]


# --- audio (in the union; not produced for text models) ----------------------------------


class AudioDeltaEvent(_Event):
    type: Literal["response.audio.delta"] = "response.audio.delta"
    delta: str


class AudioDoneEvent(_Event):
    type: Literal["response.audio.done"] = "response.audio.done"


class AudioTranscriptDeltaEvent(_Event):
    type: Literal["response.audio.transcript.delta"] = "response.audio.transcript.delta"
    delta: str


class AudioTranscriptDoneEvent(_Event):
    type: Literal["response.audio.transcript.done"] = "response.audio.transcript.done"


class UnknownEvent(_Event):
    """An event type this package does not know; its fields are kept as extras."""

    type: str | None = None


EVENT_TYPES = (
    "response.created",
    "response.queued",
    "response.in_progress",
    "response.completed",
    "response.incomplete",
    "response.failed",
    "error",
    "response.output_item.added",
    "response.output_item.done",
    "response.content_part.added",
    "response.content_part.done",
    "response.output_text.delta",
    "response.output_text.done",
    "response.output_text.annotation.added",
    "response.refusal.delta",
    "response.refusal.done",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "response.custom_tool_call_input.delta",
    "response.custom_tool_call_input.done",
    "response.reasoning_summary_part.added",
    "response.reasoning_summary_part.done",
    "response.reasoning_summary_text.delta",
    "response.reasoning_summary_text.done",
    "response.reasoning_text.delta",
    "response.reasoning_text.done",
    "response.file_search_call.in_progress",
    "response.file_search_call.searching",
    "response.file_search_call.completed",
    "response.web_search_call.in_progress",
    "response.web_search_call.searching",
    "response.web_search_call.completed",
    "response.code_interpreter_call.in_progress",
    "response.code_interpreter_call.interpreting",
    "response.code_interpreter_call.completed",
    "response.code_interpreter_call_code.delta",
    "response.code_interpreter_call_code.done",
    "response.image_generation_call.in_progress",
    "response.image_generation_call.generating",
    "response.image_generation_call.completed",
    "response.image_generation_call.partial_image",
    "response.mcp_list_tools.in_progress",
    "response.mcp_list_tools.completed",
    "response.mcp_list_tools.failed",
    "response.mcp_call.in_progress",
    "response.mcp_call.completed",
    "response.mcp_call.failed",
    "response.mcp_call_arguments.delta",
    "response.mcp_call_arguments.done",
    "response.shell_call_command.added",
    "response.shell_call_command.delta",
    "response.shell_call_command.done",
    "response.shell_call_output_content.delta",
    "response.shell_call_output_content.done",
    "response.audio.delta",
    "response.audio.done",
    "response.audio.transcript.delta",
    "response.audio.transcript.done",
)

ResponseStreamEvent = Annotated[
    Annotated[ResponseCreatedEvent, Tag("response.created")]
    | Annotated[ResponseQueuedEvent, Tag("response.queued")]
    | Annotated[ResponseInProgressEvent, Tag("response.in_progress")]
    | Annotated[ResponseCompletedEvent, Tag("response.completed")]
    | Annotated[ResponseIncompleteEvent, Tag("response.incomplete")]
    | Annotated[ResponseFailedEvent, Tag("response.failed")]
    | Annotated[ErrorEvent, Tag("error")]
    | Annotated[OutputItemAddedEvent, Tag("response.output_item.added")]
    | Annotated[OutputItemDoneEvent, Tag("response.output_item.done")]
    | Annotated[ContentPartAddedEvent, Tag("response.content_part.added")]
    | Annotated[ContentPartDoneEvent, Tag("response.content_part.done")]
    | Annotated[OutputTextDeltaEvent, Tag("response.output_text.delta")]
    | Annotated[OutputTextDoneEvent, Tag("response.output_text.done")]
    | Annotated[OutputTextAnnotationAddedEvent, Tag("response.output_text.annotation.added")]
    | Annotated[RefusalDeltaEvent, Tag("response.refusal.delta")]
    | Annotated[RefusalDoneEvent, Tag("response.refusal.done")]
    | Annotated[FunctionCallArgumentsDeltaEvent, Tag("response.function_call_arguments.delta")]
    | Annotated[FunctionCallArgumentsDoneEvent, Tag("response.function_call_arguments.done")]
    | Annotated[CustomToolCallInputDeltaEvent, Tag("response.custom_tool_call_input.delta")]
    | Annotated[CustomToolCallInputDoneEvent, Tag("response.custom_tool_call_input.done")]
    | Annotated[ReasoningSummaryPartAddedEvent, Tag("response.reasoning_summary_part.added")]
    | Annotated[ReasoningSummaryPartDoneEvent, Tag("response.reasoning_summary_part.done")]
    | Annotated[ReasoningSummaryTextDeltaEvent, Tag("response.reasoning_summary_text.delta")]
    | Annotated[ReasoningSummaryTextDoneEvent, Tag("response.reasoning_summary_text.done")]
    | Annotated[ReasoningTextDeltaEvent, Tag("response.reasoning_text.delta")]
    | Annotated[ReasoningTextDoneEvent, Tag("response.reasoning_text.done")]
    | Annotated[FileSearchCallInProgressEvent, Tag("response.file_search_call.in_progress")]
    | Annotated[FileSearchCallSearchingEvent, Tag("response.file_search_call.searching")]
    | Annotated[FileSearchCallCompletedEvent, Tag("response.file_search_call.completed")]
    | Annotated[WebSearchCallInProgressEvent, Tag("response.web_search_call.in_progress")]
    | Annotated[WebSearchCallSearchingEvent, Tag("response.web_search_call.searching")]
    | Annotated[WebSearchCallCompletedEvent, Tag("response.web_search_call.completed")]
    | Annotated[
        CodeInterpreterCallInProgressEvent, Tag("response.code_interpreter_call.in_progress")
    ]
    | Annotated[
        CodeInterpreterCallInterpretingEvent, Tag("response.code_interpreter_call.interpreting")
    ]
    | Annotated[CodeInterpreterCallCompletedEvent, Tag("response.code_interpreter_call.completed")]
    | Annotated[CodeInterpreterCallCodeDeltaEvent, Tag("response.code_interpreter_call_code.delta")]
    | Annotated[CodeInterpreterCallCodeDoneEvent, Tag("response.code_interpreter_call_code.done")]
    | Annotated[
        ImageGenerationCallInProgressEvent, Tag("response.image_generation_call.in_progress")
    ]
    | Annotated[
        ImageGenerationCallGeneratingEvent, Tag("response.image_generation_call.generating")
    ]
    | Annotated[ImageGenerationCallCompletedEvent, Tag("response.image_generation_call.completed")]
    | Annotated[
        ImageGenerationCallPartialImageEvent, Tag("response.image_generation_call.partial_image")
    ]
    | Annotated[McpListToolsInProgressEvent, Tag("response.mcp_list_tools.in_progress")]
    | Annotated[McpListToolsCompletedEvent, Tag("response.mcp_list_tools.completed")]
    | Annotated[McpListToolsFailedEvent, Tag("response.mcp_list_tools.failed")]
    | Annotated[McpCallInProgressEvent, Tag("response.mcp_call.in_progress")]
    | Annotated[McpCallCompletedEvent, Tag("response.mcp_call.completed")]
    | Annotated[McpCallFailedEvent, Tag("response.mcp_call.failed")]
    | Annotated[McpCallArgumentsDeltaEvent, Tag("response.mcp_call_arguments.delta")]
    | Annotated[McpCallArgumentsDoneEvent, Tag("response.mcp_call_arguments.done")]
    | Annotated[ShellCallCommandAddedEvent, Tag("response.shell_call_command.added")]
    | Annotated[ShellCallCommandDeltaEvent, Tag("response.shell_call_command.delta")]
    | Annotated[ShellCallCommandDoneEvent, Tag("response.shell_call_command.done")]
    | Annotated[ShellCallOutputContentDeltaEvent, Tag("response.shell_call_output_content.delta")]
    | Annotated[ShellCallOutputContentDoneEvent, Tag("response.shell_call_output_content.done")]
    | Annotated[AudioDeltaEvent, Tag("response.audio.delta")]
    | Annotated[AudioDoneEvent, Tag("response.audio.done")]
    | Annotated[AudioTranscriptDeltaEvent, Tag("response.audio.transcript.delta")]
    | Annotated[AudioTranscriptDoneEvent, Tag("response.audio.transcript.done")]
    | Annotated[UnknownEvent, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(EVENT_TYPES)),
]
"""Any event of a Responses stream; unknown types parse into ``UnknownEvent``."""


@functools.cache
def _adapter() -> TypeAdapter[ResponseStreamEvent]:
    return TypeAdapter(ResponseStreamEvent)


@functools.cache
def _models_by_type() -> dict[str, type[WireModel]]:
    members = typing.get_args(typing.get_args(ResponseStreamEvent)[0])
    models = (typing.get_args(member)[0] for member in members)
    return {
        model.model_fields["type"].default: model
        for model in models
        if isinstance(model.model_fields["type"].default, str)
    }


def parse_event(data: str | bytes, event: str | None = None) -> ResponseStreamEvent:
    """Parse one SSE ``data:`` payload (raises ``pydantic.ValidationError`` on bad JSON).

    ``event`` is the SSE ``event:`` name; when it names a known type, that model is tried
    first (twice as fast as the discriminated union), and the union decides otherwise.
    """
    model = _models_by_type().get(event) if event else None
    if model is not None:
        try:
            return model.model_validate_json(data)  # type: ignore[return-value]
        except ValidationError:
            pass  # the name and the JSON disagree, or the JSON is bad: the union decides
    return _adapter().validate_json(data)
