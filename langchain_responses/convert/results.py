"""Tool results (``ToolMessage``) -> the output item that answers each kind of call (pure).

Executors shipped with this package put structured results in ``ToolMessage.artifact`` (a
screenshot URL, shell outcomes, a patch status); any other tool's text or multimodal content
is converted as faithfully as the output item allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import ToolMessage

from langchain_responses.convert.content import text_of, to_parts
from langchain_responses.errors import InvalidRequestError

JsonObject = dict[str, Any]
_APPROVALS = frozenset({"approve", "approved", "yes", "y", "true", "allow", "ok"})


def _artifact(message: ToolMessage) -> Mapping[str, Any]:
    artifact = message.artifact
    return artifact if isinstance(artifact, Mapping) else {}


def output_value(content: Any) -> str | list[JsonObject]:
    """A string, or input content parts when the result carries images or files."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = to_parts(content)
        if all(part["type"] == "input_text" for part in parts):
            return "".join(part["text"] for part in parts)
        return parts
    return str(content)


def content_output(kind: str, call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """``function_call_output`` / ``custom_tool_call_output``."""
    return {"type": kind, "call_id": call["call_id"], "output": output_value(message.content)}


def _screenshot(message: ToolMessage) -> JsonObject | None:
    artifact = _artifact(message)
    if artifact.get("image_url") or artifact.get("file_id"):
        shot = {k: artifact[k] for k in ("image_url", "file_id") if artifact.get(k)}
        return {"type": "computer_screenshot", **shot}
    content = message.content
    if isinstance(content, str):
        text = content.strip()
        return {"type": "computer_screenshot", "image_url": text} if _is_url(text) else None
    for part in to_parts(content):
        if part["type"] == "input_image":
            shot = {k: part[k] for k in ("image_url", "file_id") if part.get(k)}
            return {"type": "computer_screenshot", **shot}
    return None


def _is_url(text: str) -> bool:
    return text.startswith(("data:image/", "https://", "http://"))


def computer_output(call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """``computer_call_output``: the screenshot taken after the actions."""
    screenshot = _screenshot(message)
    if screenshot is None:
        failure = (
            f" The tool failed: {text_of(message.content)}" if message.status == "error" else ""
        )
        raise InvalidRequestError(
            f"The result of computer call {call.get('call_id')!r} has no screenshot: return an "
            f"image block or a data:image URL (langchain_responses' ComputerTool does).{failure}"
        )
    item: JsonObject = {
        "type": "computer_call_output",
        "call_id": call["call_id"],
        "output": screenshot,
    }
    if acknowledged := _artifact(message).get("acknowledged_safety_checks"):
        item["acknowledged_safety_checks"] = list(acknowledged)
    return item


def shell_output(call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """``shell_call_output``: one ``{stdout, stderr, outcome}`` per command."""
    outputs = _artifact(message).get("output")
    if not isinstance(outputs, list):
        code = 1 if message.status == "error" else 0
        outputs = [
            {
                "stdout": text_of(message.content),
                "stderr": "",
                "outcome": {"type": "exit", "exit_code": code},
            }
        ]
    item: JsonObject = {"type": "shell_call_output", "call_id": call["call_id"], "output": outputs}
    action = call.get("action") or {}
    if action.get("max_output_length") is not None:
        item["max_output_length"] = action["max_output_length"]
    return item


def local_shell_output(call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """``local_shell_call_output`` (legacy): ``id`` names the call, ``output`` is text."""
    return {
        "type": "local_shell_call_output",
        "id": call.get("call_id") or call.get("id"),
        "output": text_of(message.content),
    }


def apply_patch_output(call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """``apply_patch_call_output``: ``failed`` when the tool reported an error."""
    status = _artifact(message).get("status")
    if status not in {"completed", "failed"}:
        status = "failed" if message.status == "error" else "completed"
    return {
        "type": "apply_patch_call_output",
        "call_id": call["call_id"],
        "status": status,
        "output": text_of(message.content),
    }


def mcp_approval_output(call: Mapping[str, Any], message: ToolMessage) -> JsonObject:
    """``mcp_approval_response``: approve when the tool said so (artifact or a plain yes)."""
    artifact = message.artifact
    if isinstance(artifact, bool):
        approve, reason = artifact, None
    elif isinstance(artifact, Mapping) and "approve" in artifact:
        approve, reason = bool(artifact["approve"]), artifact.get("reason")
    else:
        text = text_of(message.content).strip().lower()
        approve, reason = message.status != "error" and text in _APPROVALS, None
    item: JsonObject = {
        "type": "mcp_approval_response",
        "approval_request_id": call["id"],
        "approve": approve,
    }
    if reason:
        item["reason"] = str(reason)
    return item
