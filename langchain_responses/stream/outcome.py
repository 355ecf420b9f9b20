"""How a non-streamed chat call ends: still pending (background), failed, or cut at a stop.

Kept apart from ``stream.run`` so ``invoke`` does not load the stream event models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage
from pydantic import ValidationError

from langchain_responses import errors
from langchain_responses.stream.stop import cut_at_stop

_PENDING = frozenset({"queued", "in_progress"})


def failed_error(response: Mapping[str, Any]) -> errors.ResponseFailedError:
    """The error for a failed response (as JSON); it carries the typed ``Response``."""
    from langchain_responses._wire.response import Response  # loaded by now: the client ran

    error = response.get("error") or {}
    if not isinstance(error, Mapping):  # not the documented object: keep what it says
        error = {"message": str(error)}
    try:
        typed: Response | None = Response.model_validate(response)
    except ValidationError:
        typed = None  # the error is what matters; a malformed envelope must not hide it
    code = error.get("code")
    return errors.ResponseFailedError(
        error.get("message") or "The response failed",
        code=str(code) if code is not None else None,
        response=typed,
    )


def is_pending(response: Mapping[str, Any]) -> bool:
    """Whether a (background) response, as JSON, is still queued or running."""
    return response.get("status") in _PENDING


def apply_stop(message: AIMessage, stop: Sequence[str]) -> AIMessage:
    """Cut the text at the first stop sequence; what came after it is dropped."""
    if not stop or isinstance(message.content, str):
        return message
    content: list[Any] = []
    for block in message.content:
        if isinstance(block, dict) and block.get("type") == "text":
            text, found = cut_at_stop(block.get("text", ""), stop)
            if found:
                content.append({**block, "text": text})
                meta = {**message.response_metadata, "finish_reason": "stop"}
                return message.model_copy(
                    update={"content": content, "tool_calls": [], "response_metadata": meta}
                )
        content.append(block)
    return message
