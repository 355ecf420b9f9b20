"""Content parts of messages and tool outputs, and the annotations on output text (§3.1, §4.1).

Parts keep their key order (they live inside items, which must round-trip byte for byte).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, Tag

from langchain_responses._wire.base import UNKNOWN_TAG, OrderedWireModel, type_discriminator

ImageDetail = Literal["low", "high", "auto", "original"] | str
FileDetail = Literal["low", "high", "auto"] | str


class PromptCacheBreakpoint(OrderedWireModel):
    """Explicit prompt-cache breakpoint on an input part (gpt-5.6+)."""

    mode: Literal["explicit"] | str


class InputTextPart(OrderedWireModel):
    type: Literal["input_text"] = "input_text"
    text: str
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class InputImagePart(OrderedWireModel):
    """An image by URL (https or ``data:``) or file id; send ``detail`` (required by the spec)."""

    type: Literal["input_image"] = "input_image"
    image_url: str | None = None
    file_id: str | None = None
    detail: ImageDetail | None = None
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class InputFilePart(OrderedWireModel):
    """A file by id, inline base64 ``file_data`` (with ``filename``) or ``file_url``."""

    type: Literal["input_file"] = "input_file"
    file_id: str | None = None
    file_data: str | None = None
    file_url: str | None = None
    filename: str | None = None
    detail: FileDetail | None = None
    prompt_cache_breakpoint: PromptCacheBreakpoint | None = None


class TopLogprob(OrderedWireModel):
    token: str | None = None
    logprob: float | None = None
    bytes: list[int] | None = None


class Logprob(OrderedWireModel):
    """Log probability of one output token (stream events omit ``bytes``)."""

    token: str
    logprob: float
    bytes: list[int] | None = None
    top_logprobs: list[TopLogprob] | None = None


class FileCitation(OrderedWireModel):
    type: Literal["file_citation"] = "file_citation"
    file_id: str
    filename: str | None = None
    index: int | None = None


class UrlCitation(OrderedWireModel):
    type: Literal["url_citation"] = "url_citation"
    url: str
    title: str | None = None
    start_index: int | None = None
    end_index: int | None = None


class ContainerFileCitation(OrderedWireModel):
    type: Literal["container_file_citation"] = "container_file_citation"
    container_id: str
    file_id: str
    filename: str | None = None
    start_index: int | None = None
    end_index: int | None = None


class FilePath(OrderedWireModel):
    type: Literal["file_path"] = "file_path"
    file_id: str
    index: int | None = None


class UnknownAnnotation(OrderedWireModel):
    """An annotation type this package does not know; kept as received."""

    type: str | None = None


Annotation = Annotated[
    Annotated[FileCitation, Tag("file_citation")]
    | Annotated[UrlCitation, Tag("url_citation")]
    | Annotated[ContainerFileCitation, Tag("container_file_citation")]
    | Annotated[FilePath, Tag("file_path")]
    | Annotated[UnknownAnnotation, Tag(UNKNOWN_TAG)],
    Discriminator(
        type_discriminator(
            ("file_citation", "url_citation", "container_file_citation", "file_path")
        )
    ),
]


class OutputTextPart(OrderedWireModel):
    """Model text; ``logprobs`` is filled only with ``include: message.output_text.logprobs``."""

    type: Literal["output_text"] = "output_text"
    text: str
    annotations: list[Annotation] = Field(default_factory=list)
    logprobs: list[Logprob] | None = Field(default_factory=list)


class RefusalPart(OrderedWireModel):
    type: Literal["refusal"] = "refusal"
    refusal: str


class ReasoningTextPart(OrderedWireModel):
    """Raw chain of thought (gpt-oss, DeepSeek; OpenAI models send summaries instead)."""

    type: Literal["reasoning_text"] = "reasoning_text"
    text: str


class SummaryTextPart(OrderedWireModel):
    type: Literal["summary_text"] = "summary_text"
    text: str


class TextPart(OrderedWireModel):
    """Plain text part of a stored conversation message."""

    type: Literal["text"] = "text"
    text: str


class ComputerScreenshot(OrderedWireModel):
    """A screenshot: the ``output`` of ``computer_call_output`` (not an ``input_image``)."""

    type: Literal["computer_screenshot"] = "computer_screenshot"
    image_url: str | None = None
    file_id: str | None = None
    detail: ImageDetail | None = None


class UnknownContent(OrderedWireModel):
    """A content part type this package does not know; kept as received."""

    type: str | None = None


InputContent = Annotated[
    Annotated[InputTextPart, Tag("input_text")]
    | Annotated[InputImagePart, Tag("input_image")]
    | Annotated[InputFilePart, Tag("input_file")]
    | Annotated[UnknownContent, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(("input_text", "input_image", "input_file"))),
]
"""A part of an input message, of a tool output, or a prompt variable."""

OutputContent = Annotated[
    Annotated[OutputTextPart, Tag("output_text")]
    | Annotated[RefusalPart, Tag("refusal")]
    | Annotated[ReasoningTextPart, Tag("reasoning_text")]
    | Annotated[UnknownContent, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(("output_text", "refusal", "reasoning_text"))),
]
"""The ``part`` of ``response.content_part.*`` events."""

MessageContent = Annotated[
    Annotated[InputTextPart, Tag("input_text")]
    | Annotated[InputImagePart, Tag("input_image")]
    | Annotated[InputFilePart, Tag("input_file")]
    | Annotated[OutputTextPart, Tag("output_text")]
    | Annotated[RefusalPart, Tag("refusal")]
    | Annotated[ReasoningTextPart, Tag("reasoning_text")]
    | Annotated[SummaryTextPart, Tag("summary_text")]
    | Annotated[TextPart, Tag("text")]
    | Annotated[ComputerScreenshot, Tag("computer_screenshot")]
    | Annotated[UnknownContent, Tag(UNKNOWN_TAG)],
    Discriminator(
        type_discriminator(
            (
                "input_text",
                "input_image",
                "input_file",
                "output_text",
                "refusal",
                "reasoning_text",
                "summary_text",
                "text",
                "computer_screenshot",
            )
        )
    ),
]
"""A part of any message: input, output, or stored in a conversation."""

SummaryContent = Annotated[
    Annotated[SummaryTextPart, Tag("summary_text")] | Annotated[UnknownContent, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(("summary_text",))),
]
"""A part of a reasoning item's ``summary``."""

ReasoningContent = Annotated[
    Annotated[ReasoningTextPart, Tag("reasoning_text")]
    | Annotated[UnknownContent, Tag(UNKNOWN_TAG)],
    Discriminator(type_discriminator(("reasoning_text",))),
]
"""A part of a reasoning item's ``content``."""
