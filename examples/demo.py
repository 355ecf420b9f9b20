"""The langchain-responses demo: streams a reply and runs a tool call, with no API key needed.

Uses ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` when both are set; otherwise it starts a local
``llmock`` server (a mock that speaks /v1/responses), talks to it, and stops it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator

from langchain_responses import ResponsesClient

WEATHER_TOOL = {
    "type": "function",
    "name": "get_weather",
    "description": "Current weather for a city.",
    "parameters": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    "strict": True,
}


@contextlib.contextmanager
def server() -> Iterator[tuple[str, str]]:
    """(base_url, api_key): the configured endpoint, or a local llmock server."""
    if os.environ.get("OPENAI_API_KEY") and os.environ.get("OPENAI_BASE_URL"):
        print(f"Using {os.environ['OPENAI_BASE_URL']}")
        yield os.environ["OPENAI_BASE_URL"], os.environ["OPENAI_API_KEY"]
        return
    from llmock.testing import LLMockServer

    with LLMockServer() as mock:
        print(f"Started a local llmock server at {mock.url} (no API key needed)")
        yield mock.base_url("openai"), "sk-demo-not-a-real-key"
    print("Stopped the llmock server")


def main() -> int:
    """Stream a reply, then answer a function call and print the model's final answer."""
    model = os.environ.get("DEMO_MODEL", "gpt-4.1-mini")
    with server() as (base_url, api_key), ResponsesClient(base_url=base_url, api_key=api_key) as client:
        print("\n1. Streaming a reply:\n   ", end="")
        with client.responses.stream(model=model, input="Say hello in five words.") as stream:
            for event in stream:
                if event.type == "response.output_text.delta":
                    print(event.delta, end="", flush=True)  # type: ignore[union-attr]
        print(f"\n   (response {stream.get_final_response().id})")

        print("\n2. A tool call:")
        history: list[dict[str, object]] = [{"role": "user", "content": "Weather in Paris?"}]
        first = client.responses.create(model=model, input=history, tools=[WEATHER_TOOL])
        for call in first.tool_calls:
            args = json.loads(call.arguments)  # type: ignore[union-attr]
            print(f"   model called {call.name}({args})")  # type: ignore[union-attr]
            history += [call.to_dict(), {"type": "function_call_output", "call_id": call.call_id, "output": "21 C, sunny"}]  # type: ignore[union-attr]
        final = client.responses.create(model=model, input=history, tools=[WEATHER_TOOL])
        print(f"   final answer: {final.output_text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
