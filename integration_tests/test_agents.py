"""Agents run their tool loop to completion through ChatResponses (llmock, or live).

Three agent runtimes, each sync and async, invoked and streamed: LangChain ``create_agent``,
LangGraph's ``create_react_agent`` and langchain-classic's ``AgentExecutor``. In every run the
tool really executes, the final answer is an ``AIMessage`` without tool calls, and the request
after the tool ran carries the ``function_call`` item and its ``function_call_output`` (read back
from llmock's journal, or client-side when live).

llmock's ``tool_mode="auto"`` plays the model: offered a tool, it calls the best match with
arguments generated from the tool's JSON schema; once the tool's result comes back, it answers
in text.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_classic.agents import AgentExecutor, create_tool_calling_agent
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)
from langchain_core.outputs import LLMResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import create_react_agent
from langgraph.warnings import LangGraphDeprecatedSinceV10

from integration_tests._backend import Backend
from langchain_responses.chat_model import ChatResponses

QUESTION = "What is the weather in Paris right now? Use the get_weather tool."
FUNCTION_CALL_KEYS = {"type", "id", "call_id", "name", "arguments", "status", "namespace"}
"""What a replayed ``function_call`` item may contain (no LangChain ``index`` or extras)."""


class WeatherTool:
    """A real tool that records every call it gets."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.outputs: list[str] = []

        @tool
        def get_weather(city: str) -> str:
            """Get the current weather for a city."""
            self.calls.append({"city": city})
            answer = f"It is 21 degrees and sunny in {city}."
            self.outputs.append(answer)
            return answer

        self.tool: BaseTool = get_weather


@pytest.fixture
def weather() -> WeatherTool:
    return WeatherTool()


@pytest.fixture
async def chat(backend: Backend) -> AsyncIterator[ChatResponses]:
    """A model for one test; both connection pools closed on the loop the test ran on."""
    model = backend.chat(temperature=0)
    yield model
    await backend.release(model)


# -- what every run must show ---------------------------------------------------------------


def check_tool_loop(
    backend: Backend,
    weather: WeatherTool,
    final: BaseMessage,
    *,
    streamed: bool,
) -> None:
    """The tool ran, the answer came after it, and the second request replayed the pair."""
    assert weather.calls, "the tool never ran"
    if not backend.live:
        # llmock fills the single string argument from the schema: "mock-<name>".
        assert weather.calls == [{"city": "mock-city"}]

    assert isinstance(final, AIMessage)
    assert not final.tool_calls, f"the final answer still calls tools: {final.tool_calls}"
    assert final.text.strip(), "the final answer has no text"

    bodies = backend.bodies()
    if not backend.live:
        assert len(bodies) == 2, f"expected one tool round trip, got {len(bodies)} requests"
    first, second = bodies[0], bodies[-1]
    assert [t.get("name") for t in first.get("tools", [])] == ["get_weather"]
    items = second["input"]
    calls = [item for item in items if item.get("type") == "function_call"]
    results = [item for item in items if item.get("type") == "function_call_output"]
    assert calls, f"no function_call replayed in the last request: {items}"
    assert len(results) == len(calls)
    for call in calls:
        assert set(call) <= FUNCTION_CALL_KEYS, f"non-API keys in a replayed call: {call}"
        assert call["name"] == "get_weather"
        (result,) = [r for r in results if r["call_id"] == call["call_id"]]
        assert items.index(call) < items.index(result), "the output came before its call"
        assert json.loads(call["arguments"]) in weather.calls
        assert result["output"] in weather.outputs
    if streamed:
        assert all(body.get("stream") is True for body in bodies), "a model call was not streamed"


def last_ai_message(messages: list[BaseMessage]) -> BaseMessage:
    assert isinstance(messages[-1], AIMessage), f"the run ended on {type(messages[-1]).__name__}"
    return messages[-1]


def merge_streamed(
    events: list[tuple[BaseMessage, dict[str, Any]]],
) -> tuple[list[AIMessageChunk], list[ToolMessage]]:
    """``stream_mode="messages"`` events -> one merged message per model call, tool results."""
    merged: dict[str, AIMessageChunk] = {}
    tools: list[ToolMessage] = []
    for message, _metadata in events:
        if isinstance(message, AIMessageChunk):
            assert message.id, "a streamed chunk has no message id"
            merged[message.id] = merged[message.id] + message if message.id in merged else message
        elif isinstance(message, ToolMessage):
            tools.append(message)
    return list(merged.values()), tools


def check_streamed_messages(
    backend: Backend, weather: WeatherTool, events: list[tuple[BaseMessage, dict[str, Any]]]
) -> None:
    """Streamed runs: a tool-calling turn, the tool's result, then the streamed answer."""
    turns, tool_messages = merge_streamed(events)
    assert len(turns) >= 2, f"expected a tool call then an answer, got {len(turns)} model turns"
    assert turns[0].tool_calls
    assert turns[0].tool_calls[0]["name"] == "get_weather"
    assert [m.content for m in tool_messages] == weather.outputs
    check_tool_loop(backend, weather, turns[-1], streamed=True)


# -- LangChain create_agent -------------------------------------------------------------------


def test_create_agent_invoke(backend: Backend, chat: ChatResponses, weather: WeatherTool) -> None:
    agent = create_agent(chat, [weather.tool])
    state = agent.invoke({"messages": [HumanMessage(QUESTION)]})
    check_tool_loop(backend, weather, last_ai_message(state["messages"]), streamed=False)


async def test_create_agent_ainvoke(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    agent = create_agent(chat, [weather.tool])
    state = await agent.ainvoke({"messages": [HumanMessage(QUESTION)]})
    check_tool_loop(backend, weather, last_ai_message(state["messages"]), streamed=False)


def test_create_agent_stream_messages(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    agent = create_agent(chat, [weather.tool])
    events = list(agent.stream({"messages": [HumanMessage(QUESTION)]}, stream_mode="messages"))
    check_streamed_messages(backend, weather, events)


async def test_create_agent_astream_messages(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    agent = create_agent(chat, [weather.tool])
    events = [
        event
        async for event in agent.astream(
            {"messages": [HumanMessage(QUESTION)]}, stream_mode="messages"
        )
    ]
    check_streamed_messages(backend, weather, events)


# -- LangGraph create_react_agent (deprecated in favour of create_agent, still supported) -----


def react_agent(chat: ChatResponses, weather: WeatherTool) -> Any:
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message="create_react_agent has been moved",
            category=LangGraphDeprecatedSinceV10,
        )
        return create_react_agent(chat, [weather.tool])


def test_react_agent_invoke(backend: Backend, chat: ChatResponses, weather: WeatherTool) -> None:
    state = react_agent(chat, weather).invoke({"messages": [HumanMessage(QUESTION)]})
    check_tool_loop(backend, weather, last_ai_message(state["messages"]), streamed=False)


async def test_react_agent_ainvoke(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    state = await react_agent(chat, weather).ainvoke({"messages": [HumanMessage(QUESTION)]})
    check_tool_loop(backend, weather, last_ai_message(state["messages"]), streamed=False)


def test_react_agent_stream_messages(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    agent = react_agent(chat, weather)
    events = list(agent.stream({"messages": [HumanMessage(QUESTION)]}, stream_mode="messages"))
    check_streamed_messages(backend, weather, events)


async def test_react_agent_astream_messages(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    agent = react_agent(chat, weather)
    events = [
        event
        async for event in agent.astream(
            {"messages": [HumanMessage(QUESTION)]}, stream_mode="messages"
        )
    ]
    check_streamed_messages(backend, weather, events)


# -- langchain-classic AgentExecutor + create_tool_calling_agent ------------------------------
# The executor streams the model even from invoke() and keeps the merged AIMessageChunk in
# the agent scratchpad: the second request is built from message chunks, not AIMessages.

PROMPT = ChatPromptTemplate.from_messages(
    [
        ("system", "You are a helpful assistant. Use tools when they help."),
        ("human", "{input}"),
        ("placeholder", "{agent_scratchpad}"),
    ]
)


class ModelResults(BaseCallbackHandler):
    """Every message the chat model returned, in order."""

    def __init__(self) -> None:
        self.messages: list[BaseMessage] = []

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        generation = response.generations[0][0]
        self.messages.append(generation.message)  # type: ignore[attr-defined]


def executor(chat: ChatResponses, weather: WeatherTool) -> AgentExecutor:
    agent = create_tool_calling_agent(chat, [weather.tool], PROMPT)
    return AgentExecutor(agent=agent, tools=[weather.tool], return_intermediate_steps=True)


def check_executor_run(
    backend: Backend, weather: WeatherTool, result: dict[str, Any], seen: ModelResults
) -> None:
    (step,) = result["intermediate_steps"]
    action, observation = step
    assert observation == weather.outputs[0]
    assert action.message_log, "the action kept no model message"
    assert all(isinstance(m, AIMessageChunk) for m in action.message_log), (
        "expected the executor's streamed chunks in the scratchpad"
    )
    assert result["output"], "the executor returned no output"
    check_tool_loop(backend, weather, seen.messages[-1], streamed=True)


def test_agent_executor_invoke(backend: Backend, chat: ChatResponses, weather: WeatherTool) -> None:
    seen = ModelResults()
    result = executor(chat, weather).invoke({"input": QUESTION}, {"callbacks": [seen]})
    check_executor_run(backend, weather, result, seen)


async def test_agent_executor_ainvoke(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    seen = ModelResults()
    result = await executor(chat, weather).ainvoke({"input": QUESTION}, {"callbacks": [seen]})
    check_executor_run(backend, weather, result, seen)


def _executor_result(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """What invoke() would have returned, from the executor's streamed steps."""
    intermediate = [s for step in steps for s in step.get("steps", [])]
    output = [step["output"] for step in steps if "output" in step]
    assert len(output) == 1, f"expected one final output, got {steps}"
    return {
        "output": output[0],
        "intermediate_steps": [(s.action, s.observation) for s in intermediate],
    }


def test_agent_executor_stream(backend: Backend, chat: ChatResponses, weather: WeatherTool) -> None:
    seen = ModelResults()
    steps = list(executor(chat, weather).stream({"input": QUESTION}, {"callbacks": [seen]}))
    check_executor_run(backend, weather, _executor_result(steps), seen)


async def test_agent_executor_astream(
    backend: Backend, chat: ChatResponses, weather: WeatherTool
) -> None:
    seen = ModelResults()
    steps = [
        step
        async for step in executor(chat, weather).astream(
            {"input": QUESTION}, {"callbacks": [seen]}
        )
    ]
    check_executor_run(backend, weather, _executor_result(steps), seen)
