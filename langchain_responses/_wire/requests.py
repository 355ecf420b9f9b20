"""Request bodies: ``POST /responses`` (§2), ``input_tokens`` (§1.5) and ``compact`` (§1.6).

All fields are optional and only what was set is dumped; unknown keys (a gateway's
``provider``, say) are kept. The config objects here are echoed on the ``Response`` too.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag

from langchain_responses._wire.base import (
    UNKNOWN_TAG,
    JsonObject,
    JsonValue,
    WireModel,
    type_discriminator,
)
from langchain_responses._wire.content import InputContent
from langchain_responses._wire.items import InputItem
from langchain_responses._wire.tools import Tool, ToolChoice

ReasoningEffort = Literal["none", "minimal", "low", "medium", "high", "xhigh", "max"] | str
ReasoningSummary = Literal["auto", "concise", "detailed"] | str
Verbosity = Literal["low", "medium", "high"] | str
ServiceTier = Literal["auto", "default", "flex", "scale", "priority", "fast", "ultrafast"] | str
Truncation = Literal["auto", "disabled"] | str
Include = (
    Literal[
        "reasoning.encrypted_content",
        "message.output_text.logprobs",
        "file_search_call.results",
        "web_search_call.action.sources",
        "web_search_call.results",
        "code_interpreter_call.outputs",
        "computer_call_output.output.image_url",
        "message.input_image.image_url",
    ]
    | str
)
Metadata = dict[str, JsonValue]
"""Up to 16 string pairs (values are strings on the wire)."""


class TextFormatText(WireModel):
    type: Literal["text"] = "text"


class TextFormatJsonSchema(WireModel):
    """Structured output; the schema sits directly in ``format`` (no nested ``json_schema``)."""

    type: Literal["json_schema"] = "json_schema"
    name: str
    json_schema: JsonObject = Field(alias="schema")
    """Sent as ``schema`` (that name shadows a ``BaseModel`` attribute)."""
    description: str | None = None
    strict: bool | None = None


class TextFormatJsonObject(WireModel):
    """Legacy JSON mode: the prompt itself must ask for JSON."""

    type: Literal["json_object"] = "json_object"


class UnknownTextFormat(WireModel):
    """A text format type this package does not know; kept as received."""

    type: str | None = None


TextFormat = Annotated[
    Annotated[TextFormatText, Tag("text")]
    | Annotated[TextFormatJsonSchema, Tag("json_schema")]
    | Annotated[TextFormatJsonObject, Tag("json_object")]
    | Annotated[UnknownTextFormat, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(("text", "json_schema", "json_object"))),
]


class TextConfig(WireModel):
    format: TextFormat | None = None
    verbosity: Verbosity | None = None


class ReasoningConfig(WireModel):
    """Reasoning knobs; the Response echoes effective values (often all ``null``)."""

    effort: ReasoningEffort | None = None
    summary: ReasoningSummary | None = None
    context: Literal["auto", "current_turn", "all_turns"] | str | None = None
    mode: Literal["standard", "pro"] | str | None = None
    generate_summary: ReasoningSummary | None = None
    """Deprecated alias of ``summary``."""


class StreamOptions(WireModel):
    include_obfuscation: bool | None = None


class Prompt(WireModel):
    """A reusable prompt template; variable values are strings or input parts."""

    id: str
    version: str | None = None
    variables: dict[str, str | InputContent] | None = None


class ConversationRef(WireModel):
    id: str


class ContextManagement(WireModel):
    """``{"type": "compaction", "compact_threshold"?: int >= 1000}``."""

    type: Literal["compaction"] | str = "compaction"
    compact_threshold: int | None = None


class ModerationPolicyMode(WireModel):
    mode: Literal["score", "block"] | str


class ModerationPolicy(WireModel):
    input: ModerationPolicyMode | None = None
    output: ModerationPolicyMode | None = None


class ModerationConfig(WireModel):
    """Moderate input/output with a moderation model; results land in ``Response.moderation``."""

    model: str
    policy: ModerationPolicy | None = None


class PromptCacheOptions(WireModel):
    mode: Literal["implicit", "explicit"] | str | None = None
    ttl: Literal["30m"] | str | None = None


class CreateResponseParams(WireModel):
    """The body of ``POST /responses``."""

    model: str | None = None
    input: str | list[InputItem] | None = None
    instructions: str | None = None
    tools: list[Tool] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_logprobs: int | None = None
    text: TextConfig | None = None
    reasoning: ReasoningConfig | None = None
    store: bool | None = None
    background: bool | None = None
    stream: bool | None = None
    stream_options: StreamOptions | None = None
    previous_response_id: str | None = None
    conversation: str | ConversationRef | None = None
    include: list[Include] | None = None
    metadata: Metadata | None = None
    prompt: Prompt | None = None
    prompt_cache_key: str | None = None
    prompt_cache_options: PromptCacheOptions | None = None
    prompt_cache_retention: Literal["in_memory", "24h"] | str | None = None
    """Deprecated: use ``prompt_cache_options.ttl``."""
    safety_identifier: str | None = None
    user: str | None = None
    """Deprecated: use ``safety_identifier`` and ``prompt_cache_key``."""
    service_tier: ServiceTier | None = None
    truncation: Truncation | None = None
    """Deprecated in the spec."""
    context_management: list[ContextManagement] | None = None
    moderation: ModerationConfig | None = None


class InputTokensParams(WireModel):
    """The body of ``POST /responses/input_tokens``."""

    model: str | None = None
    input: str | list[InputItem] | None = None
    instructions: str | None = None
    previous_response_id: str | None = None
    conversation: str | ConversationRef | None = None
    tools: list[Tool] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    reasoning: ReasoningConfig | None = None
    text: TextConfig | None = None
    truncation: Truncation | None = None
    personality: Literal["friendly", "pragmatic"] | str | None = None
    """Only on this endpoint."""


class CompactParams(WireModel):
    """The body of ``POST /responses/compact``; send the returned ``output`` as next input."""

    model: str
    input: str | list[InputItem] | None = None
    instructions: str | None = None
    previous_response_id: str | None = None
    prompt_cache_key: str | None = None
    prompt_cache_options: PromptCacheOptions | None = None
    prompt_cache_retention: Literal["in_memory", "24h"] | str | None = None
    service_tier: ServiceTier | None = None
