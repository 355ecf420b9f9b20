"""Agents running the client-side built-in tools end to end against a local Responses server.

The server plays the model: each turn it answers with the call items the real API sends
(``apply_patch_call``, ``computer_call``, ``shell_call``, ``mcp_approval_request``), and the
agent framework runs our executor tools and sends their results back as output items.
"""

from __future__ import annotations

import itertools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage

from langchain_responses.chat_model import ChatResponses
from langchain_responses.tools.agent_tools import (
    ApplyPatchTool,
    ComputerTool,
    McpApprovalTool,
    ShellTool,
)
from langchain_responses.tools.shell import ShellExecutor, allow_commands
from tests.support.server import RecordedRequest, Reply, ScriptedServer
from tests.support.spec import validate_request

_ids = itertools.count(1)


def response(*items: dict[str, Any]) -> dict[str, Any]:
    """A completed Response with these output items."""
    return {
        "id": f"resp_{next(_ids):04d}",
        "object": "response",
        "created_at": 1_700_000_000,
        "status": "completed",
        "model": "gpt-5.4",
        "output": list(items),
        "usage": {
            "input_tokens": 10,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 5,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 15,
        },
    }


def message(text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"msg_{next(_ids)}",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def outputs_of(request: RecordedRequest, kind: str) -> list[dict[str, Any]]:
    return [item for item in request.json["input"] if item.get("type") == kind]


def scripted_model(turns: list[dict[str, Any]]) -> Callable[[RecordedRequest], Reply]:
    """Answer the n-th request with the n-th response; check each request against the spec."""

    def handle(request: RecordedRequest) -> Reply:
        validate_request("/v1/responses", "POST", request.json)
        return Reply(json=turns[min(request.index, len(turns) - 1)])

    return handle


@pytest.fixture
async def models() -> Any:
    """Makes models for a server and closes their connection pools afterwards."""
    made: list[ChatResponses] = []

    def make(server: ScriptedServer) -> ChatResponses:
        model = ChatResponses(
            model="gpt-5.4", base_url=server.base_url, api_key="sk-test", max_retries=0
        )
        made.append(model)
        return model

    yield make
    for model in made:
        await model.aclose()


def test_agent_edits_files_with_apply_patch_over_several_turns(tmp_path: Path, models: Any) -> None:
    (tmp_path / "notes.txt").write_text("alpha\nbeta\n")
    turns = [
        response(
            {
                "type": "apply_patch_call",
                "id": "apc_1",
                "call_id": "call_create",
                "status": "completed",
                "operation": {
                    "type": "create_file",
                    "path": "src/hello.py",
                    "diff": "+print('hi')\n",
                },
            }
        ),
        response(
            {
                "type": "apply_patch_call",
                "id": "apc_2",
                "call_id": "call_update",
                "status": "completed",
                "operation": {
                    "type": "update_file",
                    "path": "notes.txt",
                    "diff": "@@\n alpha\n-beta\n+gamma\n",
                },
            }
        ),
        response(
            {
                "type": "apply_patch_call",
                "id": "apc_3",
                "call_id": "call_bad",
                "status": "completed",
                "operation": {
                    "type": "update_file",
                    "path": "../outside.txt",
                    "diff": "@@\n-x\n+y\n",
                },
            }
        ),
        response(message("All edits done.")),
    ]
    with ScriptedServer(scripted_model(turns)) as server:
        agent = create_agent(models(server), tools=[ApplyPatchTool(root=tmp_path)])
        result = agent.invoke({"messages": [HumanMessage("Edit the workspace.")]})
        requests = server.requests

    assert (
        tmp_path / "src" / "hello.py"
    ).read_text() == "print('hi')"  # V4A create: no final newline
    assert (tmp_path / "notes.txt").read_text() == "alpha\ngamma\n"
    assert not (tmp_path.parent / "outside.txt").exists()
    assert requests[0].json["tools"] == [{"type": "apply_patch"}]
    first, second, third = (outputs_of(r, "apply_patch_call_output") for r in requests[1:4])
    assert first[-1]["call_id"] == "call_create"
    assert first[-1]["status"] == "completed"
    assert second[-1]["call_id"] == "call_update"
    assert second[-1]["status"] == "completed"
    assert third[-1]["call_id"] == "call_bad"
    assert third[-1]["status"] == "failed"
    assert ".." in third[-1]["output"]
    # The call items go back with their outputs, paired by call_id.
    calls = [item["call_id"] for item in outputs_of(requests[3], "apply_patch_call")]
    assert calls == ["call_create", "call_update", "call_bad"]
    final = result["messages"][-1]
    assert isinstance(final, AIMessage)
    assert final.text == "All edits done."


async def test_agent_runs_approved_shell_command_and_is_refused_another(
    tmp_path: Path, models: Any
) -> None:
    turns = [
        response(
            {
                "type": "shell_call",
                "id": "sh_1",
                "call_id": "call_echo",
                "status": "completed",
                "action": {"commands": ["echo hello from shell"], "timeout_ms": 5000},
                "environment": {"type": "local"},
            }
        ),
        response(
            {
                "type": "shell_call",
                "id": "sh_2",
                "call_id": "call_touch",
                "status": "completed",
                "action": {"commands": [f"touch {tmp_path / 'pwned'}"]},
                "environment": {"type": "local"},
            }
        ),
        response(message("Done with the shell.")),
    ]
    executor = ShellExecutor(approve=allow_commands(["echo"]), cwd=tmp_path)
    with ScriptedServer(scripted_model(turns)) as server:
        agent = create_agent(models(server), tools=[ShellTool(executor=executor)])
        result = await agent.ainvoke({"messages": [HumanMessage("Use the shell.")]})
        requests = server.requests

    assert requests[0].json["tools"] == [{"type": "shell", "environment": {"type": "local"}}]
    approved = outputs_of(requests[1], "shell_call_output")[-1]
    assert approved["call_id"] == "call_echo"
    assert approved["output"][0]["stdout"].strip() == "hello from shell"
    assert approved["output"][0]["outcome"] == {"type": "exit", "exit_code": 0}
    refused = outputs_of(requests[2], "shell_call_output")[-1]
    assert refused["call_id"] == "call_touch"
    assert refused["output"][0]["outcome"]["exit_code"] != 0
    assert "touch" in refused["output"][0]["stderr"]
    assert not (tmp_path / "pwned").exists()
    assert result["messages"][-1].text == "Done with the shell."


def test_mcp_approval_round_trip(models: Any) -> None:
    mcp_server = {
        "type": "mcp",
        "server_label": "docs",
        "server_url": "https://mcp.example.com/sse",
        "require_approval": "always",
    }
    turns = [
        response(
            {
                "type": "mcp_approval_request",
                "id": "mcpr_1",
                "server_label": "docs",
                "name": "search",
                "arguments": '{"query": "responses api"}',
            }
        ),
        response(
            {
                "type": "mcp_call",
                "id": "mcp_1",
                "server_label": "docs",
                "name": "search",
                "arguments": '{"query": "responses api"}',
                "output": "3 results",
                "approval_request_id": "mcpr_1",
                "status": "completed",
            },
            message("Found 3 results."),
        ),
    ]
    seen: list[tuple[str, str, dict[str, Any]]] = []

    def policy(label: str, name: str, arguments: dict[str, Any]) -> bool:
        seen.append((label, name, arguments))
        return label == "docs"

    with ScriptedServer(scripted_model(turns)) as server:
        agent = create_agent(models(server), tools=[mcp_server, McpApprovalTool(policy=policy)])
        result = agent.invoke({"messages": [HumanMessage("Search the docs.")]})
        requests = server.requests

    assert requests[0].json["tools"] == [mcp_server]  # the approval tool runs client-side only
    assert seen == [("docs", "search", {"query": "responses api"})]
    answer = outputs_of(requests[1], "mcp_approval_response")[-1]
    assert answer == {
        "type": "mcp_approval_response",
        "approval_request_id": "mcpr_1",
        "approve": True,
    }
    final = result["messages"][-1]
    assert final.text == "Found 3 results."
    assert any(b.get("type") == "server_tool_call" for b in final.content_blocks)


def test_mcp_approval_denied_by_default() -> None:
    tool = McpApprovalTool()
    call = {"name": "mcp_approval", "args": {"server_label": "x", "name": "y"}, "id": "mcpr_9"}
    result = tool.invoke({**call, "type": "tool_call"})
    assert result.artifact["approve"] is False
    assert "policy" in result.artifact["reason"]


FORM_PAGE = """<!doctype html>
<html><body style="margin:0">
<input id="name" style="position:absolute;left:40px;top:40px;width:200px;height:30px">
<button id="go" style="position:absolute;left:40px;top:100px;width:120px;height:40px"
  onclick="document.getElementById('out').textContent='Hello ' +
  document.getElementById('name').value">Submit</button>
<div id="out" style="position:absolute;left:40px;top:160px"></div>
</body></html>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
async def test_agent_fills_and_submits_a_form_in_chromium(tmp_path: Path, models: Any) -> None:
    from langchain_responses.tools.computer import AsyncPlaywrightComputer

    page = tmp_path / "form.html"
    page.write_text(FORM_PAGE)
    turns = [
        response(
            {
                "type": "computer_call",
                "id": "cu_1",
                "call_id": "call_fill",
                "status": "completed",
                "pending_safety_checks": [],
                "actions": [
                    {"type": "click", "button": "left", "x": 120, "y": 55},
                    {"type": "type", "text": "Ada"},
                    {"type": "click", "button": "left", "x": 90, "y": 120},
                ],
            }
        ),
        response(message("Submitted the form.")),
    ]
    async with AsyncPlaywrightComputer(width=640, height=480, start_url=page.as_uri()) as computer:
        tool = ComputerTool(async_computer=computer)
        with ScriptedServer(scripted_model(turns)) as server:
            agent = create_agent(models(server), tools=[tool])
            result = await agent.ainvoke({"messages": [HumanMessage("Fill the form with Ada.")]})
            requests = server.requests
        greeting = await computer.page.text_content("#out")

    assert greeting == "Hello Ada"
    assert requests[0].json["tools"] == [{"type": "computer"}]
    output = outputs_of(requests[1], "computer_call_output")[-1]
    assert output["call_id"] == "call_fill"
    assert output["output"]["type"] == "computer_screenshot"
    assert output["output"]["image_url"].startswith("data:image/png;base64,")
    assert result["messages"][-1].text == "Submitted the form."


def test_tool_messages_keep_structured_results_in_artifacts(tmp_path: Path) -> None:
    tool = ApplyPatchTool(root=tmp_path)
    call = {
        "name": "apply_patch",
        "args": {"operation": {"type": "create_file", "path": "a.txt", "diff": "+a\n"}},
        "id": "call_1",
        "type": "tool_call",
    }
    message = tool.invoke(call)
    assert message.artifact == {"status": "completed"}
    assert json.dumps(message.artifact)
