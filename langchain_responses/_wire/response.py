"""The ``Response`` object (§5) and the other JSON bodies the endpoints return (§1)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from langchain_responses._wire.base import JsonObject, WireModel
from langchain_responses._wire.content import OutputTextPart
from langchain_responses._wire.items import (
    TOOL_CALL_ITEM_CLASSES,
    InputItem,
    MessageItem,
    OutputItem,
    ToolCallItem,
)
from langchain_responses._wire.requests import (
    ConversationRef,
    Metadata,
    Prompt,
    PromptCacheOptions,
    ReasoningConfig,
    ServiceTier,
    TextConfig,
    Truncation,
)
from langchain_responses._wire.tools import Tool, ToolChoice


class InputTokensDetails(WireModel):
    cached_tokens: int = 0
    cache_write_tokens: int = 0


class OutputTokensDetails(WireModel):
    reasoning_tokens: int = 0


def _null_as_empty(value: Any) -> Any:
    return {} if value is None else value


class Usage(WireModel):
    """Token usage; a missing or ``null`` ``*_details`` object counts as all zeros."""

    input_tokens: int = 0
    input_tokens_details: Annotated[InputTokensDetails, BeforeValidator(_null_as_empty)] = Field(
        default_factory=InputTokensDetails
    )
    output_tokens: int = 0
    output_tokens_details: Annotated[OutputTokensDetails, BeforeValidator(_null_as_empty)] = Field(
        default_factory=OutputTokensDetails
    )
    total_tokens: int = 0


class ResponseError(WireModel):
    """Why a response failed (``status: failed``), e.g. ``code: server_error``."""

    code: str | None = None
    message: str | None = None


class IncompleteDetails(WireModel):
    reason: str | None = None
    """``max_output_tokens`` or ``content_filter``."""


class ModerationResult(WireModel):
    """``type: moderation_result`` (flags and scores) or ``type: error`` (``code``, ``message``)."""

    type: str | None = None
    flagged: bool | None = None
    categories: JsonObject | None = None
    category_scores: JsonObject | None = None
    category_applied_input_types: JsonObject | None = None
    model: str | None = None
    code: str | None = None
    message: str | None = None


class ResponseModeration(WireModel):
    input: ModerationResult | None = None
    output: ModerationResult | None = None


class Billing(WireModel):
    """Undeclared in the spec but sent: ``{"payer": "developer"}``."""

    payer: str | None = None


class Response(WireModel):
    """A model response. Echoed request parameters are optional: other hosts omit some."""

    id: str
    object: str = "response"
    created_at: int | float | None = None
    completed_at: int | float | None = None
    status: str | None = None
    """``completed``, ``failed``, ``in_progress``, ``cancelled``, ``queued`` or ``incomplete``."""
    error: ResponseError | None = None
    incomplete_details: IncompleteDetails | None = None
    background: bool | None = None
    model: str | None = None
    output: list[OutputItem] = Field(default_factory=list)
    usage: Usage | None = None
    instructions: str | list[InputItem] | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    parallel_tool_calls: bool | None = None
    previous_response_id: str | None = None
    conversation: ConversationRef | None = None
    reasoning: ReasoningConfig | None = None
    service_tier: ServiceTier | None = None
    store: bool | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_logprobs: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    text: TextConfig | None = None
    tool_choice: ToolChoice | None = None
    tools: list[Tool] = Field(default_factory=list)
    truncation: Truncation | None = None
    metadata: Metadata | None = None
    user: str | None = None
    safety_identifier: str | None = None
    prompt: Prompt | None = None
    prompt_cache_key: str | None = None
    prompt_cache_retention: str | None = None
    prompt_cache_options: PromptCacheOptions | None = None
    moderation: ResponseModeration | None = None
    billing: Billing | None = None

    @property
    def output_text(self) -> str:
        """The ``text`` of every ``output_text`` part of every message, joined (SDK semantics)."""
        return "".join(
            part.text
            for item in self.output
            if isinstance(item, MessageItem) and not isinstance(item.content, str)
            for part in item.content
            if isinstance(part, OutputTextPart)
        )

    @property
    def tool_calls(self) -> list[ToolCallItem]:
        """Every item of ``output`` in which the model calls a tool, in order."""
        return [item for item in self.output if isinstance(item, TOOL_CALL_ITEM_CLASSES)]


class InputTokensCount(WireModel):
    """The body of ``POST /responses/input_tokens``'s answer."""

    object: str = "response.input_tokens"
    input_tokens: int


class CompactedResponse(WireModel):
    """``POST /responses/compact``'s answer: user messages then one ``compaction`` item."""

    id: str
    object: str = "response.compaction"
    created_at: int | float | None = None
    output: list[OutputItem] = Field(default_factory=list)
    usage: Usage | None = None


class Conversation(WireModel):
    id: str
    object: str = "conversation"
    created_at: int | float | None = None
    metadata: Metadata | None = None


class ConversationDeleted(WireModel):
    id: str
    object: str = "conversation.deleted"
    deleted: bool


class ResponseDeleted(WireModel):
    """``DELETE /responses/{id}``'s body per the spec example (the schema declares none)."""

    id: str
    object: str = "response"
    deleted: bool


class ItemList(WireModel):
    """A page of items (``input_items`` and conversation items); ``data`` may hold any item."""

    object: str = "list"
    data: list[InputItem] = Field(default_factory=list)
    first_id: str | None = None
    last_id: str | None = None
    has_more: bool = False
