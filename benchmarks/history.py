"""Agent histories (human / AI-with-tool-calls / tool messages) and a hand-written conversion.

``raw_body`` is what a developer on raw httpx would write: the fewest dict operations that turn
these messages into a Responses ``input`` list. It is the baseline of the history-build rows.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

_RESULT = json.dumps(
    {
        "results": [
            {"title": f"Result {i}", "url": f"https://example.com/{i}", "snippet": "x" * 40}
            for i in range(3)
        ]
    }
)


def agent_history(size: int) -> list[BaseMessage]:
    """``size`` messages: a system prompt, then (human, AI with a tool call, tool result) turns."""
    messages: list[BaseMessage] = [SystemMessage("You are a helpful research agent.")]
    turn = 0
    while len(messages) < size:
        call_id = f"call_{turn:06d}abcdefghijklmnop"
        step = len(messages) % 3
        if step == 1:
            messages.append(HumanMessage(f"Question {turn}: what is new about topic {turn}?"))
        elif step == 2:
            messages.append(
                AIMessage(
                    content="Let me search for that.",
                    tool_calls=[
                        {
                            "name": "web_search",
                            "args": {"query": f"topic {turn} news", "limit": 3},
                            "id": call_id,
                            "type": "tool_call",
                        }
                    ],
                )
            )
        else:
            messages.append(ToolMessage(_RESULT, tool_call_id=call_id))
            turn += 1
    return messages[:size]


def raw_input_items(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    """A minimal hand-written LangChain messages -> Responses ``input`` conversion."""
    items: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, ToolMessage):
            items.append(
                {
                    "type": "function_call_output",
                    "call_id": message.tool_call_id,
                    "output": message.content,
                }
            )
        elif isinstance(message, AIMessage):
            if message.content:
                items.append({"role": "assistant", "content": message.content})
            for call in message.tool_calls:
                items.append(
                    {
                        "type": "function_call",
                        "call_id": call["id"],
                        "name": call["name"],
                        "arguments": json.dumps(call["args"]),
                    }
                )
        elif isinstance(message, HumanMessage):
            items.append({"role": "user", "content": message.content})
        elif isinstance(message, SystemMessage):
            items.append({"role": "system", "content": message.content})
    return items


def raw_body(model: str, messages: list[BaseMessage]) -> dict[str, Any]:
    """The create body a raw-httpx user would send."""
    return {"model": model, "input": raw_input_items(messages)}
