"""LangChain content blocks -> Responses input content parts (pure).

Accepts every shape users hand LangChain: plain strings, LangChain standard blocks
(``{"type": "image", "url" | "base64" | "file_id"}``), the older data blocks
(``source_type``), Chat-Completions blocks (``image_url``, ``file``) and Responses parts
(``input_text``, ``input_image``, ``input_file``) as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_responses.errors import InvalidRequestError

JsonObject = dict[str, Any]
_PASSTHROUGH = frozenset({"input_text", "input_image", "input_file"})
_TEXT_TYPES = frozenset({"text", "text-plain", "output_text"})


def to_parts(content: str | Sequence[str | Mapping[str, Any]]) -> list[JsonObject]:
    """Input content parts for a user message or a multimodal tool result."""
    if isinstance(content, str):
        return [{"type": "input_text", "text": content}]
    return [part for block in content if (part := to_part(block)) is not None]


def to_part(block: str | Mapping[str, Any]) -> JsonObject | None:
    """One content part (None for blocks that carry nothing to send, e.g. empty text)."""
    if isinstance(block, str):
        return {"type": "input_text", "text": block}
    kind = block.get("type")
    if kind in _PASSTHROUGH:
        return dict(block)
    if kind in _TEXT_TYPES:
        return {"type": "input_text", "text": str(block.get("text", ""))}
    if kind == "image_url":
        return _chat_image(block)
    if kind == "image":
        return _image(block)
    if kind == "file":
        return _chat_file(block) if isinstance(block.get("file"), Mapping) else _file(block)
    if kind in {"audio", "input_audio"}:
        raise InvalidRequestError(
            "The Responses API takes no audio input parts: transcribe the audio first, "
            "or send it as a file (type 'file') if the model accepts that format."
        )
    raise InvalidRequestError(
        f"Unsupported content block type {kind!r}: use text, image or file blocks "
        "(LangChain standard or OpenAI style)."
    )


def _source(block: Mapping[str, Any]) -> tuple[str, str | None]:
    """(kind, value) of a standard or legacy data block: url, base64 or file id."""
    legacy = block.get("source_type")
    if legacy == "url" or (legacy is None and block.get("url")):
        return "url", block.get("url")
    if legacy == "base64" or (legacy is None and (block.get("base64") or block.get("data"))):
        return "base64", block.get("base64") or block.get("data")
    if legacy == "id" or (legacy is None and (block.get("file_id") or block.get("id"))):
        return "file_id", block.get("file_id") or block.get("id")
    return "none", None


def _data_url(block: Mapping[str, Any], data: str, default_mime: str) -> str:
    mime = block.get("mime_type") or default_mime
    return f"data:{mime};base64,{data}"


def _detail(block: Mapping[str, Any]) -> str:
    extras = block.get("extras") or {}
    metadata = block.get("metadata") or {}
    return str(block.get("detail") or extras.get("detail") or metadata.get("detail") or "auto")


def _image(block: Mapping[str, Any]) -> JsonObject:
    kind, value = _source(block)
    if not value:
        raise InvalidRequestError(
            "An image block needs a 'url', 'base64' data (with 'mime_type') or a 'file_id'."
        )
    part: JsonObject = {"type": "input_image", "detail": _detail(block)}
    if kind == "url":
        part["image_url"] = value
    elif kind == "base64":
        part["image_url"] = _data_url(block, value, "image/png")
    else:
        part["file_id"] = value
    return part


def _chat_image(block: Mapping[str, Any]) -> JsonObject:
    image = block.get("image_url")
    url = image.get("url") if isinstance(image, Mapping) else image
    if not url:
        raise InvalidRequestError("An image_url block needs a URL (https or data:).")
    detail = image.get("detail") if isinstance(image, Mapping) else None
    return {"type": "input_image", "image_url": str(url), "detail": detail or "auto"}


def _filename(block: Mapping[str, Any]) -> str | None:
    for holder in (block, block.get("extras") or {}, block.get("metadata") or {}):
        name = holder.get("filename") or holder.get("name")
        if name:
            return str(name)
    return None


def _file(block: Mapping[str, Any]) -> JsonObject:
    kind, value = _source(block)
    if not value:
        raise InvalidRequestError(
            "A file block needs a 'url', 'base64' data (with 'mime_type') or a 'file_id'."
        )
    part: JsonObject = {"type": "input_file"}
    if kind == "url":
        part["file_url"] = value
    elif kind == "base64":
        part["file_data"] = _data_url(block, value, "application/pdf")
        part["filename"] = _filename(block) or "file"
    else:
        part["file_id"] = value
    return part


def _chat_file(block: Mapping[str, Any]) -> JsonObject:
    file = block["file"]
    part: JsonObject = {"type": "input_file"}
    for key in ("file_id", "file_data", "filename", "file_url"):
        if file.get(key):
            part[key] = file[key]
    if len(part) == 1:
        raise InvalidRequestError("A file block needs file_id, file_data or file_url.")
    return part


def text_of(content: str | Sequence[str | Mapping[str, Any]]) -> str:
    """The plain text of message content (text blocks joined)."""
    if isinstance(content, str):
        return content
    texts = []
    for block in content:
        if isinstance(block, str):
            texts.append(block)
        elif block.get("type") in _TEXT_TYPES | {"input_text"}:
            texts.append(str(block.get("text", "")))
    return "".join(texts)
