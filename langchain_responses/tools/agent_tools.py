"""The client-side executors as LangChain tools, ready for agents.

Bind them with ``ChatResponses.bind_tools`` (or pass them to ``create_agent``): each sends its
built-in tool definition (``apply_patch``, ``shell``, ``computer`` ...), and when the model calls
it, LangGraph's ``ToolNode`` / ``AgentExecutor`` runs it like any tool. The structured result
travels in ``ToolMessage.artifact`` and becomes the right output item on the next request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from langchain_core.tools import BaseTool
from pydantic import BaseModel, ConfigDict, Field

from langchain_responses.convert.calls import (
    APPLY_PATCH_TOOL_NAME,
    COMPUTER_TOOL_NAME,
    LOCAL_SHELL_TOOL_NAME,
    MCP_APPROVAL_TOOL_NAME,
    SHELL_TOOL_NAME,
)
from langchain_responses.tools.apply_patch import ApplyPatchEditor
from langchain_responses.tools.computer import (
    Acknowledge,
    AsyncComputer,
    Computer,
    arun_computer_actions,
    run_computer_actions,
)
from langchain_responses.tools.shell import ShellExecutor

JsonObject = dict[str, Any]
McpPolicy = Callable[[str, str, Mapping[str, Any]], bool | str]
"""``(server_label, tool_name, arguments) -> True`` to approve, ``False`` or a reason to deny."""


class _OperationArgs(BaseModel):
    operation: JsonObject = Field(description="create_file / update_file / delete_file")


class ApplyPatchTool(BaseTool):
    """Applies the model's ``apply_patch`` operations inside a workspace root (safely)."""

    name: str = APPLY_PATCH_TOOL_NAME
    description: str = "Create, update or delete files in the workspace with V4A diffs."
    args_schema: type[BaseModel] = _OperationArgs
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    metadata: dict[str, Any] | None = Field(default={"responses_tool": {"type": "apply_patch"}})
    editor: ApplyPatchEditor

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def __init__(self, root: Any = None, **kwargs: Any) -> None:
        if root is not None:
            kwargs["editor"] = ApplyPatchEditor(root)
        super().__init__(**kwargs)

    def _run(self, operation: JsonObject, **_: Any) -> tuple[str, JsonObject]:
        result = self.editor.apply(operation)
        return result.output, {"status": result.status}


class _PatchArgs(BaseModel):
    patch: str = Field(description="A patch in the '*** Begin Patch' ... '*** End Patch' format.")


class ApplyPatchFunctionTool(BaseTool):
    """``apply_patch`` as a plain function tool taking a ``*** Begin Patch`` text.

    For models and servers without the built-in tool (any Responses server, any model that
    knows the codex patch format); same safe workspace editor as ``ApplyPatchTool``.
    """

    name: str = APPLY_PATCH_TOOL_NAME
    description: str = (
        "Edit files in the workspace. Pass one patch: '*** Begin Patch', then for each file "
        "'*** Add File: path' (lines prefixed '+'), '*** Delete File: path' or "
        "'*** Update File: path' (hunks with ' '/'-'/'+' lines), then '*** End Patch'."
    )
    args_schema: type[BaseModel] = _PatchArgs
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    editor: ApplyPatchEditor

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def __init__(self, root: Any = None, **kwargs: Any) -> None:
        if root is not None:
            kwargs["editor"] = ApplyPatchEditor(root)
        super().__init__(**kwargs)

    def _run(self, patch: str, **_: Any) -> tuple[str, JsonObject]:
        result = self.editor.apply_envelope(patch)
        return result.output, {"status": result.status}


class _ShellArgs(BaseModel):
    action: JsonObject = Field(description="commands, timeout_ms, max_output_length")
    environment: JsonObject | None = None


def _shell_summary(outputs: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(list(outputs))


class ShellTool(BaseTool):
    """Runs the model's ``shell`` commands locally, only as the approval policy allows."""

    name: str = SHELL_TOOL_NAME
    description: str = "Run shell commands on the local machine."
    args_schema: type[BaseModel] = _ShellArgs
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    metadata: dict[str, Any] | None = Field(
        default={"responses_tool": {"type": "shell", "environment": {"type": "local"}}}
    )
    executor: ShellExecutor = Field(default_factory=ShellExecutor)
    """Default: deny every command (set ``ShellExecutor(approve=...)`` to allow some)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _run(self, action: JsonObject, **_: Any) -> tuple[str, JsonObject]:
        outputs = self.executor.run(action)
        return _shell_summary(outputs), {"output": outputs}

    async def _arun(self, action: JsonObject, **_: Any) -> tuple[str, JsonObject]:
        outputs = await self.executor.arun(action)
        return _shell_summary(outputs), {"output": outputs}


class _LocalShellArgs(BaseModel):
    action: JsonObject = Field(description="exec action: command argv, env, timeout_ms ...")


class LocalShellTool(BaseTool):
    """The legacy ``local_shell`` tool, run by the same approval-gated executor."""

    name: str = LOCAL_SHELL_TOOL_NAME
    description: str = "Run a command locally (legacy local_shell tool)."
    args_schema: type[BaseModel] = _LocalShellArgs
    metadata: dict[str, Any] | None = Field(default={"responses_tool": {"type": "local_shell"}})
    executor: ShellExecutor = Field(default_factory=ShellExecutor)

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _run(self, action: JsonObject, **_: Any) -> str:
        return self.executor.run_local_shell(action)

    async def _arun(self, action: JsonObject, **_: Any) -> str:
        return await self.executor.arun_local_shell(action)


class _ComputerArgs(BaseModel):
    action: JsonObject | None = None
    actions: list[JsonObject] | None = None
    pending_safety_checks: list[JsonObject] | None = None


def _screenshot_result(
    png_b64: str, call: Mapping[str, Any]
) -> tuple[list[JsonObject], JsonObject]:
    url = f"data:image/png;base64,{png_b64}"
    artifact: JsonObject = {"image_url": url}
    if call.get("pending_safety_checks"):
        artifact["acknowledged_safety_checks"] = list(call["pending_safety_checks"])
    content = [{"type": "image", "base64": png_b64, "mime_type": "image/png"}]
    return content, artifact


class ComputerTool(BaseTool):
    """Runs ``computer_call`` actions on a ``Computer`` and returns the screenshot.

    Pending safety checks need ``acknowledge``; without it (or when it says no) the call is
    refused with ``langchain_responses.tools.computer.SafetyCheckError``.
    """

    name: str = COMPUTER_TOOL_NAME
    description: str = "Operate a computer: click, type, scroll, and take screenshots."
    args_schema: type[BaseModel] = _ComputerArgs
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    computer: Any = None
    """A sync ``Computer``, used by ``invoke``."""
    async_computer: Any = None
    """An ``AsyncComputer``, used by ``ainvoke`` (falls back to ``computer``)."""
    acknowledge: Acknowledge | None = None
    preview: bool = False
    """Send the ``computer_use_preview`` tool (with the display size) instead of ``computer``."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def model_post_init(self, context: Any, /) -> None:
        """Derive the tool definition from the computer's screen."""
        self.metadata = {**(self.metadata or {}), "responses_tool": self._definition()}

    def _definition(self) -> JsonObject:
        if not self.preview:
            return {"type": "computer"}
        machine = self.computer or self.async_computer
        width, height = machine.dimensions or (1024, 768)
        return {
            "type": "computer_use_preview",
            "display_width": width,
            "display_height": height,
            "environment": machine.environment or "browser",
        }

    def _run(self, **call: Any) -> tuple[list[JsonObject], JsonObject]:
        computer: Computer | None = self.computer
        if computer is None:
            raise ValueError("ComputerTool needs computer=... (a sync Computer) for invoke().")
        shot = run_computer_actions(computer, _call(call), acknowledge=self.acknowledge)
        return _screenshot_result(shot, call)

    async def _arun(self, **call: Any) -> tuple[list[JsonObject], JsonObject]:
        computer: AsyncComputer | None = self.async_computer
        if computer is None:
            return self._run(**call)
        shot = await arun_computer_actions(computer, _call(call), acknowledge=self.acknowledge)
        return _screenshot_result(shot, call)


def _call(args: Mapping[str, Any]) -> JsonObject:
    call = {k: v for k, v in args.items() if v is not None and k != "run_manager"}
    call["type"] = "computer_call"
    return call


class _McpArgs(BaseModel):
    server_label: str
    name: str
    arguments: str = "{}"


class McpApprovalTool(BaseTool):
    """Answers ``mcp_approval_request`` items with the user's policy (default: deny)."""

    name: str = MCP_APPROVAL_TOOL_NAME
    description: str = "Approve or deny a remote MCP tool call."
    args_schema: type[BaseModel] = _McpArgs
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    metadata: dict[str, Any] | None = Field(default={"client_only": True})
    """Runs on the client only: the request never lists it as a tool."""
    policy: McpPolicy | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _run(
        self, server_label: str, name: str, arguments: str = "{}", **_: Any
    ) -> tuple[str, JsonObject]:
        if self.policy is None:
            reason = "No MCP approval policy: pass McpApprovalTool(policy=...) to approve calls."
            return f"denied: {reason}", {"approve": False, "reason": reason}
        try:
            parsed = json.loads(arguments or "{}")
        except ValueError:
            parsed = {}
        verdict = self.policy(server_label, name, parsed)
        if verdict is True:
            return "approved", {"approve": True}
        reason = verdict if isinstance(verdict, str) else "denied by policy"
        return f"denied: {reason}", {"approve": False, "reason": reason}


__all__ = [
    "ApplyPatchFunctionTool",
    "ApplyPatchTool",
    "ComputerTool",
    "LocalShellTool",
    "McpApprovalTool",
    "McpPolicy",
    "ShellTool",
]
