"""``bind_tools``: every kind of tool, ``strict``, every ``tool_choice``, agents on top of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from langchain_responses import errors
from langchain_responses.chat_model import ChatResponses
from tests.stream import synthetic as syn
from tests.support.server import Reply, ScriptedServer
from tests.support.spec import validate_request

Json = dict[str, Any]
DONE: Json = syn.terminal("completed", [syn.message_item("ok")])["response"]


@tool
def get_weather(city: str) -> str:
    """Get the weather in a city."""
    return f"Sunny in {city}"


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


class Lookup(BaseModel):
    """Look a word up."""

    word: str = Field(description="The word")
    language: str | None = None


class Search(TypedDict):
    """Search the web."""

    query: Annotated[str, ..., "What to search for"]


CHAT_FUNCTION = {
    "type": "function",
    "function": {
        "name": "chat_style",
        "description": "A Chat Completions function dict.",
        "parameters": {"type": "object", "properties": {"x": {"type": "integer"}}},
    },
}
RESPONSES_FUNCTION = {
    "type": "function",
    "name": "responses_style",
    "description": "A Responses function dict.",
    "parameters": {"type": "object", "properties": {"y": {"type": "string"}}},
}
BUILTINS: list[Json] = [
    {"type": "web_search", "search_context_size": "low"},
    {"type": "web_search_preview"},
    {"type": "file_search", "vector_store_ids": ["vs_1"], "max_num_results": 3},
    {"type": "code_interpreter", "container": {"type": "auto"}},
    {"type": "image_generation", "quality": "low"},
    {"type": "mcp", "server_label": "wiki", "server_url": "https://mcp.example.com/sse"},
    {"type": "computer"},
    {
        "type": "computer_use_preview",
        "display_width": 1024,
        "display_height": 768,
        "environment": "browser",
    },
    {"type": "shell", "environment": {"type": "local"}},
    {"type": "local_shell"},
    {"type": "apply_patch"},
    {
        "type": "custom",
        "name": "sql",
        "description": "Free-form SQL.",
        "format": {"type": "grammar", "syntax": "lark", "definition": 'start: "SELECT"'},
    },
]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer(default=Reply(json=DONE)) as scripted:
        yield scripted
    scripted.check()


@pytest.fixture
def model(server: ScriptedServer) -> Iterator[ChatResponses]:
    chat = ChatResponses(model="gpt-5", api_key="sk-test", base_url=server.base_url)
    yield chat
    chat.client.close()


def _sent(server: ScriptedServer, runnable: Any) -> Json:
    runnable.invoke([HumanMessage("hi")])
    body: Json = server.requests[-1].json
    validate_request("/v1/responses", "POST", body)
    return body


def _tool(body: Json, name: str) -> Json:
    found: Json = next(t for t in body["tools"] if t.get("name") == name)
    return found


# -- kinds of tools ------------------------------------------------------------------------------


def test_every_kind_of_function_tool(server: ScriptedServer, model: ChatResponses) -> None:
    tools = [
        get_weather,
        multiply,
        Lookup,
        Search,
        Lookup.model_json_schema() | {"title": "lookup_schema"},
        CHAT_FUNCTION,
        RESPONSES_FUNCTION,
    ]
    body = _sent(server, model.bind_tools(tools))
    names = [t["name"] for t in body["tools"]]
    assert names == [
        "get_weather",
        "multiply",
        "Lookup",
        "Search",
        "lookup_schema",
        "chat_style",
        "responses_style",
    ]
    for sent in body["tools"]:
        assert sent["type"] == "function"
        assert "function" not in sent  # the Responses form is flat
        assert sent["strict"] is False
        assert sent["parameters"]["type"] == "object"
    assert _tool(body, "get_weather")["description"] == "Get the weather in a city."
    assert _tool(body, "get_weather")["parameters"]["properties"] == {"city": {"type": "string"}}
    assert _tool(body, "Search")["parameters"]["properties"]["query"] == {
        "description": "What to search for",
        "type": "string",
    }
    assert _tool(body, "chat_style")["description"] == "A Chat Completions function dict."
    assert _tool(body, "responses_style")["parameters"] == RESPONSES_FUNCTION["parameters"]


def test_builtin_tools_go_out_unchanged(server: ScriptedServer, model: ChatResponses) -> None:
    body = _sent(server, model.bind_tools(BUILTINS))
    assert body["tools"] == BUILTINS


def test_unknown_tool_dict_is_refused() -> None:
    with pytest.raises(errors.InvalidRequestError, match="Unknown tool type 'teleport'"):
        ChatResponses(api_key="sk-test").bind_tools([{"type": "teleport"}])


def test_strict_makes_schemas_strict(server: ScriptedServer, model: ChatResponses) -> None:
    tools = [get_weather, Lookup, CHAT_FUNCTION, RESPONSES_FUNCTION]
    body = _sent(server, model.bind_tools(tools, strict=True))
    for sent in body["tools"]:
        assert sent["strict"] is True
        parameters = sent["parameters"]
        assert parameters["additionalProperties"] is False
        assert parameters["required"] == list(parameters["properties"])
    language = _tool(body, "Lookup")["parameters"]["properties"]["language"]
    assert "default" not in language  # strict mode rejects a null default


def test_strict_false_is_sent(server: ScriptedServer, model: ChatResponses) -> None:
    body = _sent(server, model.bind_tools([RESPONSES_FUNCTION], strict=False))
    assert body["tools"][0]["strict"] is False


# -- tool_choice -------------------------------------------------------------------------------

CHOICES: list[tuple[Any, Any]] = [
    ("auto", "auto"),
    ("none", "none"),
    ("required", "required"),
    ("any", "required"),
    (True, "required"),
    ("get_weather", {"type": "function", "name": "get_weather"}),
    ("sql", {"type": "custom", "name": "sql"}),
    ("computer", {"type": "computer"}),
    ("file_search", {"type": "file_search"}),
    ("image_generation", {"type": "image_generation"}),
    ("apply_patch", {"type": "apply_patch"}),
    ("shell", {"type": "shell"}),
    (
        {"type": "function", "function": {"name": "get_weather"}},
        {"type": "function", "name": "get_weather"},
    ),
    ({"type": "function", "name": "get_weather"}, {"type": "function", "name": "get_weather"}),
    ({"type": "mcp", "server_label": "wiki"}, {"type": "mcp", "server_label": "wiki"}),
    (
        {
            "type": "allowed_tools",
            "mode": "required",
            "tools": [{"type": "function", "name": "get_weather"}, {"type": "image_generation"}],
        },
        {
            "type": "allowed_tools",
            "mode": "required",
            "tools": [{"type": "function", "name": "get_weather"}, {"type": "image_generation"}],
        },
    ),
]
CHOICE_TOOLS: list[Any] = [
    get_weather,
    {"type": "computer"},
    {"type": "file_search", "vector_store_ids": ["vs_1"]},
    {"type": "image_generation"},
    {"type": "apply_patch"},
    {"type": "shell", "environment": {"type": "local"}},
    {"type": "mcp", "server_label": "wiki", "server_url": "https://mcp.example.com/sse"},
    BUILTINS[-1],
]


@pytest.mark.parametrize(("choice", "expected"), CHOICES, ids=[str(c) for c, _ in CHOICES])
def test_tool_choice_forms(
    server: ScriptedServer, model: ChatResponses, choice: Any, expected: Any
) -> None:
    body = _sent(server, model.bind_tools(CHOICE_TOOLS, tool_choice=choice))
    assert body["tool_choice"] == expected


def test_tool_choice_false_sends_none_of_it(server: ScriptedServer, model: ChatResponses) -> None:
    body = _sent(server, model.bind_tools([get_weather], tool_choice=False))
    assert "tool_choice" not in body


def test_builtin_choice_is_an_object_even_when_not_bound(
    server: ScriptedServer, model: ChatResponses
) -> None:
    body = _sent(server, model.bind_tools([{"type": "computer"}], tool_choice="computer"))
    assert body["tool_choice"] == {"type": "computer"}


@pytest.mark.parametrize(
    ("choice", "match"),
    [
        ("get_time", "names no bound tool"),
        ("web_search", "names no bound tool"),  # not forceable (see the wire reference §8.14)
        ({"type": "teleport"}, "Invalid tool_choice"),
        (3, "Invalid tool_choice"),
    ],
)
def test_invalid_tool_choice_is_refused_at_bind_time(choice: Any, match: str) -> None:
    model = ChatResponses(api_key="sk-test")
    with pytest.raises(errors.InvalidRequestError, match=match):
        model.bind_tools([get_weather, {"type": "web_search"}], tool_choice=choice)


def test_tool_choice_per_call_is_checked_too(server: ScriptedServer, model: ChatResponses) -> None:
    bound = model.bind_tools([get_weather])
    with pytest.raises(errors.InvalidRequestError, match="names no bound tool"):
        bound.invoke([HumanMessage("hi")], tool_choice="get_time")
    assert server.requests == []


@pytest.mark.parametrize("parallel", [True, False])
def test_parallel_tool_calls(server: ScriptedServer, model: ChatResponses, parallel: bool) -> None:
    body = _sent(server, model.bind_tools([get_weather], parallel_tool_calls=parallel))
    assert body["parallel_tool_calls"] is parallel


# -- response_format (as langchain's create_agent passes it) ---------------------------------


class Weather(BaseModel):
    """A weather report."""

    city: str
    temperature: float


def test_response_format_chat_completions_shape(
    server: ScriptedServer, model: ChatResponses
) -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    fmt = {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": schema, "strict": True},
    }
    body = _sent(server, model.bind_tools([get_weather], response_format=fmt))
    assert body["text"]["format"] == {
        "type": "json_schema",
        "name": "answer",
        "schema": schema,
        "strict": True,
    }


def test_response_format_pydantic_and_json_object(
    server: ScriptedServer, model: ChatResponses
) -> None:
    body = _sent(server, model.bind_tools([get_weather], response_format=Weather))
    assert body["text"]["format"]["type"] == "json_schema"
    assert body["text"]["format"]["name"] == "Weather"
    assert body["text"]["format"]["schema"]["additionalProperties"] is False
    body = _sent(server, model.bind(response_format={"type": "json_object"}))
    assert body["text"]["format"] == {"type": "json_object"}


def test_create_agent_with_a_provider_strategy(
    server: ScriptedServer, model: ChatResponses
) -> None:
    from langchain.agents import create_agent
    from langchain.agents.structured_output import ProviderStrategy

    answer = syn.message_item('{"city": "Paris", "temperature": 21.5}')
    server.enqueue(Reply(json={**DONE, "output": [answer]}))
    agent = create_agent(model, tools=[get_weather], response_format=ProviderStrategy(Weather))
    result = agent.invoke({"messages": [HumanMessage("Weather in Paris?")]})
    assert result["structured_response"] == Weather(city="Paris", temperature=21.5)
    body = server.requests[-1].json
    validate_request("/v1/responses", "POST", body)
    assert body["text"]["format"]["type"] == "json_schema"
    assert body["text"]["format"]["name"] == "Weather"
    assert [t["name"] for t in body["tools"]] == ["get_weather"]


# -- agents read the bound form ----------------------------------------------------------------


def test_bound_function_tools_keep_the_chat_form(model: ChatResponses) -> None:
    bound = model.bind_tools([get_weather, RESPONSES_FUNCTION, {"type": "web_search"}])
    tools = bound.kwargs["tools"]  # type: ignore[attr-defined]
    assert tools[0]["type"] == "function"
    assert tools[0]["function"]["name"] == "get_weather"
    assert tools[1]["function"]["name"] == "responses_style"
    assert tools[2] == {"type": "web_search"}


FUNCTION_CALL = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "get_weather",
    "arguments": '{"city": "Paris"}',
    "status": "completed",
}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_langgraph_react_agent_runs_a_tool_loop(
    server: ScriptedServer, model: ChatResponses
) -> None:
    from langgraph.prebuilt import create_react_agent

    server.enqueue(
        Reply(json={**DONE, "id": "resp_a", "output": [FUNCTION_CALL]}),
        Reply(json={**DONE, "id": "resp_b", "output": [syn.message_item("It is sunny.")]}),
    )
    bound = model.bind_tools([get_weather, {"type": "web_search"}])
    agent = create_react_agent(bound, [get_weather, {"type": "web_search"}])
    result = agent.invoke({"messages": [HumanMessage("Weather in Paris?")]})
    messages = result["messages"]
    assert isinstance(messages[1], AIMessage)
    assert messages[1].tool_calls[0]["name"] == "get_weather"
    assert isinstance(messages[2], ToolMessage)
    assert messages[2].content == "Sunny in Paris"
    assert messages[-1].text == "It is sunny."
    second = server.requests[1].json
    validate_request("/v1/responses", "POST", second)
    assert second["input"][1:] == [
        FUNCTION_CALL,
        {"type": "function_call_output", "call_id": "call_1", "output": "Sunny in Paris"},
    ]
    assert [t["type"] for t in second["tools"]] == ["function", "web_search"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_langgraph_notices_a_missing_bound_tool(model: ChatResponses) -> None:
    from langgraph.prebuilt import create_react_agent

    @tool
    def other(x: str) -> str:
        """Another tool."""
        return x

    with pytest.raises(ValueError, match="Missing tools"):
        create_react_agent(model.bind_tools([get_weather]), [other])
