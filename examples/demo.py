"""The langchain-responses demo: a streaming agent that calls a function tool and edits files.

    python3 run.py demo

With ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` set it talks to that server (model from
``DEMO_MODEL``, default ``gpt-4.1-mini``). Otherwise it starts a local ``llmock`` server (a mock
that speaks /v1/responses), scripts its three answers (call the weather tool, call the patch
tool, answer in text), runs the agent against it, and stops it. Exits non-zero on failure.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from langchain.agents import create_agent
from langchain_core.messages import AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool

from langchain_responses import ChatResponses
from langchain_responses.tools import ApplyPatchFunctionTool

PATCH = """*** Begin Patch
*** Add File: weather.md
+# Weather report
+Paris: 21 C and sunny.
*** End Patch"""


@tool
def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"21 C and sunny in {city}"


@contextlib.contextmanager
def endpoint() -> Iterator[tuple[str, str, str, bool]]:
    """(base_url, api_key, model, is_mock): the configured server, or a scripted llmock."""
    if os.environ.get("OPENAI_API_KEY") and os.environ.get("OPENAI_BASE_URL"):
        model = os.environ.get("DEMO_MODEL", "gpt-4.1-mini")
        print(f"Using {os.environ['OPENAI_BASE_URL']} with {model}")
        yield os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"], model, False
        return
    from llmock.scenarios import Reply, ToolCall
    from llmock.testing import LLMockServer

    with LLMockServer() as mock:
        mock.state.scenarios.add(Reply(tool_calls=(ToolCall("get_weather", {"city": "Paris"}),)))
        mock.state.scenarios.add(Reply(tool_calls=(ToolCall("apply_patch", {"patch": PATCH}),)))
        mock.state.scenarios.add(
            Reply(text="It is 21 C and sunny in Paris; I saved the report to weather.md.")
        )
        print(f"Started a local llmock server at {mock.url} (scripted; no API key needed)")
        yield mock.base_url("openai"), "sk-demo-not-a-real-key", "gpt-4.1-mini", True
    print("Stopped the llmock server")


def show(chunk: object) -> None:
    """Print streamed tokens, tool calls and tool results as they happen."""
    if isinstance(chunk, AIMessageChunk):
        for call in chunk.tool_call_chunks:
            if call.get("name"):
                print(f"\n  -> calling {call['name']}", flush=True)
        if chunk.text:
            print(chunk.text, end="", flush=True)
    elif isinstance(chunk, ToolMessage):
        print(f"  <- {chunk.name}: {str(chunk.content).splitlines()[0]}", flush=True)


def main() -> int:
    """Run the agent; check that it finished and wrote the report."""
    with tempfile.TemporaryDirectory() as workspace, endpoint() as (url, key, model, mock):
        llm = ChatResponses(model=model, base_url=url, api_key=key, streaming=True)
        tools = [get_weather, ApplyPatchFunctionTool(root=workspace)]
        agent = create_agent(llm, tools=tools, system_prompt="Be brief. Save reports as files.")
        question = "What's the weather in Paris? Save a short report to weather.md."
        print(f"Workspace: {workspace}\nUser: {question}\nAgent:", end=" ")
        for chunk, _meta in agent.stream(
            {"messages": [HumanMessage(question)]}, stream_mode="messages"
        ):
            show(chunk)
        report = Path(workspace, "weather.md")
        print(f"\n\nweather.md:\n{report.read_text() if report.exists() else '(missing)'}")
        llm.close()
        if mock and not report.exists():
            print("FAILED: the agent did not write weather.md", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
