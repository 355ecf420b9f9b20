"""Replay every recorded multi-turn conversation's history through ``ChatResponses``.

For each later ``POST /v1/responses`` of a recording, the history is rebuilt as LangChain
messages: user/system/developer messages from the recorded ``input``, an ``AIMessage`` from
our conversion of each earlier recorded response, ``ToolMessage`` s from the recorded
``function_call_output`` items (and a hand-built ``AIMessage`` for a call no recorded response
made, e.g. history from another provider). ``ChatResponses.invoke`` sends it to a local server;
the ``input`` it sent must match the recorded one, and the whole body must match the spec.

Normalised before comparing (the recording clients' own choices, not ours):

1. pydantic-ai's placeholder ``{"role": "assistant", "content": ""}`` for a turn without text
   is dropped from the recorded input.
2. pydantic-ai's combined call ids ``resp_…:call_0`` (it disambiguates reused ids) become the
   call id the server gave, ``call_0``.
3. Assistant messages are compared by role and text: recording clients send
   ``{"role": "assistant", "content": text}`` or a trimmed output message, we send the output
   message as received. Text is compared after pydantic-ai's own normalisation of recorded JSON
   (typographic quotes, dashes and ellipses to ASCII, NFKC; shared/fixtures/recorded/README.md).
4. ``function_call`` items by call id, name and parsed arguments (clients drop id and status).
5. ``reasoning`` items by id and summary text, and by ``encrypted_content`` unless the previous
   response was streamed: then we replay the final response's copy and pydantic-ai the
   ``output_item.done`` one, which the server re-encrypts; both are valid.
6. Server-side items (web search, code interpreter, MCP, tool search, ...) by type and id: the
   recording client rebuilds them from its own parts (dropping ``sources``, ``outputs``,
   ``tools``, null fields). Separately, ours must equal the recorded output item exactly.
7. Server-side items a recording client did not send back at all (``file_search_call``, a hosted
   ``tool_search_output``) are left out of ours.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from langchain_responses._wire.response import Response
from langchain_responses.chat_model import ChatResponses
from langchain_responses.convert.output import to_ai_message
from tests.stream.recorded import final_response
from tests.support.recordings import Recording, load_recordings
from tests.support.server import Reply, ScriptedServer
from tests.support.spec import validate_request

Json = dict[str, Any]

COMPACTION = "a `compaction` item from POST /responses/compact (not a chat turn) is in the history"
ADDITIONAL_TOOLS = "pydantic-ai's `additional_tools` input item has no LangChain message form"
PYDANTIC = "pydantic-ai__test_"
SKIPPED = {
    f"{PYDANTIC}openai_responses__test_openai_responses_compact_messages": COMPACTION,
    f"{PYDANTIC}openai_responses__test_openai_responses_compact_with_auto_previous_response_"
    "id_chain": COMPACTION,
    f"{PYDANTIC}openai_tool_availability_delta__test_openai_live_delta_preserves_the_warmed_"
    "cache_prefix": ADDITIONAL_TOOLS,
    f"{PYDANTIC}tool_search__test_cross_provider_capability_replay_anthropic-claude-sonnet-4-5-"
    "openai-responses-gpt-5.4": ADDITIONAL_TOOLS,
    f"{PYDANTIC}tool_search__test_cross_provider_capability_replay_google-gemini-3-flash-preview-"
    "openai-responses-gpt-5.4": ADDITIONAL_TOOLS,
    f"{PYDANTIC}tool_search__test_cross_provider_capability_replay_openai-responses-gpt-5.4-"
    "anthropic-claude-sonnet-4-5": ADDITIONAL_TOOLS,
    f"{PYDANTIC}tool_search__test_cross_provider_capability_replay_openai-responses-gpt-5.4-"
    "google-gemini-3-flash-preview": ADDITIONAL_TOOLS,
    f"{PYDANTIC}tool_search__test_openai_native_tool_search_with_deferred_capability": (
        ADDITIONAL_TOOLS
    ),
    f"{PYDANTIC}tool_search__test_openai_native_tool_search_with_deferred_capability_gpt_5_6_"
    "sol": ADDITIONAL_TOOLS,
    f"{PYDANTIC}tool_search__test_live_tool_search_handoff_anthropic_to_openai": (
        "a `tool_search_call` made by another provider (no recorded response made it)"
    ),
    f"{PYDANTIC}tool_search__test_openai_client_tool_search_streaming": (
        "a client-executed `tool_search_output`: tool_search_call is not surfaced as a tool "
        "call, so no ToolMessage can answer it"
    ),
}

COMBINED_ID = re.compile(r"^resp_[A-Za-z0-9]+:")
ASCII = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "--"}
    | {"\u2026": "..."}
)
OWN_ITEMS = frozenset({"message", "function_call", "function_call_output", "reasoning"})
LEFT_OUT_BY_CLIENTS = frozenset({"file_search_call", "tool_search_output"})


class UnrepresentableError(Exception):
    """An input item that no LangChain message can produce."""


@dataclass
class Turn:
    """One create call: what was sent, the response it ended with, whether it streamed."""

    body: Json
    response: Response | None
    streamed: bool


def _turns(recording: Recording) -> list[Turn]:
    turns: list[Turn] = []
    for interaction in recording.interactions:
        request, reply = interaction.request, interaction.response
        if request.method == "POST" and request.path == "/v1/responses":
            turns.append(Turn(request.body, _final(reply.body_json, reply.body_sse), False))
            turns[-1].streamed = reply.body_sse is not None
            if reply.status != 200:
                turns[-1].response = None
        elif request.method == "GET" and turns and reply.status == 200 and reply.body_json:
            turns[-1].response = Response.model_validate(reply.body_json)  # a polled result
    return turns


def _final(body_json: Any, body_sse: str | None) -> Response | None:
    if body_sse is not None:
        return final_response(body_sse.encode())
    if isinstance(body_json, dict) and body_json.get("object") == "response":
        return Response.model_validate(body_json)
    return None


def _multi_turn() -> list[Recording]:
    return [r for r in load_recordings() if len(_turns(r)) >= 2]


def _call_id(value: str) -> str:
    return COMBINED_ID.sub("", value)


def _recorded_input(body: Json) -> list[Json]:
    raw = body["input"]
    items = [{"role": "user", "content": raw}] if isinstance(raw, str) else raw
    return [i for i in items if not (i.get("role") == "assistant" and i.get("content") in ("", []))]


# -- rebuilding the history -------------------------------------------------------------------


class History:
    """LangChain messages for a recorded input, given the responses before it."""

    def __init__(self, responses: list[Response]) -> None:
        self.responses = responses
        self.owner: dict[str, int] = {}
        for number, response in enumerate(responses):
            for item in response.output:
                for key in _keys(item.to_dict()):
                    self.owner.setdefault(key, number)
        self.types = [{item.type for item in response.output} for response in responses]
        self.used: set[int] = set()
        self.messages: list[BaseMessage] = []

    def add(self, item: Json) -> None:
        role, kind = item.get("role"), item.get("type")
        if kind in (None, "message") and role in {"user", "system", "developer"}:
            self.messages.append(_input_message(role, item["content"]))
        elif kind == "function_call_output":
            self.messages.append(
                ToolMessage(item["output"], tool_call_id=_call_id(item["call_id"]))
            )
        elif (number := self._response_of(item)) is not None:
            if number not in self.used:
                self.used.add(number)
                self.messages.append(to_ai_message(self.responses[number]))
        else:
            self.messages.append(_hand_built(item))

    def _response_of(self, item: Json) -> int | None:
        for key in _keys(item):
            if key in self.owner:
                number = self.owner[key]
                if item.get("type") not in self.types[number]:
                    # the client's own answer to a call, e.g. a client tool_search_output
                    raise UnrepresentableError(str(item.get("type")))
                return number
        if item.get("role") == "assistant":  # an easy message: the next response with text
            for number, response in enumerate(self.responses):
                has_text = any(output.type == "message" for output in response.output)
                if number not in self.used and has_text:
                    return number
        return None


def _keys(item: Json) -> list[str]:
    """The item id first: pydantic-ai recordings reuse call ids across responses."""
    return [_call_id(str(item[key])) for key in ("id", "call_id") if item.get(key)]


def _input_message(role: str, content: Any) -> BaseMessage:
    if role == "user":
        return HumanMessage(content=content)
    extra = {"__openai_role__": "developer"} if role == "developer" else {}
    return SystemMessage(content=content, additional_kwargs=extra)


def _hand_built(item: Json) -> AIMessage:
    """History from another model: an AIMessage made by hand, as users do."""
    if item.get("type") == "function_call":
        call = {"name": item["name"], "args": json.loads(item["arguments"]), "id": item["call_id"]}
        return AIMessage(content="", tool_calls=[call])
    if item.get("role") == "assistant":
        return AIMessage(content=item["content"])
    raise UnrepresentableError(str(item.get("type")))


def history_for(turns: list[Turn], k: int) -> list[BaseMessage]:
    history = History([t.response for t in turns[:k] if t.response is not None])
    for item in _recorded_input(turns[k].body):
        history.add(item)
    return history.messages


# -- normalising ------------------------------------------------------------------------------


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value.translate(ASCII))


def normalise(item: Json, streamed_reasoning: set[str]) -> tuple[Any, ...]:
    kind = item.get("type") or "message"
    if kind == "message" and item.get("role") == "assistant":
        content = item["content"]
        text = content if isinstance(content, str) else "".join(p.get("text", "") for p in content)
        return ("assistant", _text(text))
    if kind == "message":
        content = item["content"]
        parts = [{"type": "input_text", "text": content}] if isinstance(content, str) else content
        return (item["role"], json.dumps(parts, sort_keys=True))
    if kind == "function_call":
        return (kind, _call_id(item["call_id"]), item["name"], json.loads(item["arguments"]))
    if kind == "function_call_output":
        return (kind, _call_id(item["call_id"]), json.dumps(item["output"], sort_keys=True))
    if kind == "reasoning":
        secret = None if item["id"] in streamed_reasoning else item.get("encrypted_content")
        return (kind, item["id"], secret, [p.get("text") for p in item.get("summary") or []])
    return (kind, item.get("id"))


# -- the test ---------------------------------------------------------------------------------

RECORDINGS = _multi_turn()


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as scripted:
        yield scripted
    scripted.check()


def _options(body: Json) -> Json:
    keys = ("instructions", "store", "previous_response_id", "conversation")
    return {key: body[key] for key in keys if body.get(key) not in (None, "")}


def _sent_input(server: ScriptedServer, turn: Turn, history: list[BaseMessage]) -> list[Json]:
    reply = turn.response.to_dict() if turn.response else {"id": "resp_x", "object": "response"}
    server.enqueue(Reply(json=reply | {"status": "completed", "background": False}))
    model = ChatResponses(
        model=turn.body["model"], api_key="sk-test", base_url=server.base_url, max_retries=0
    )
    try:
        model.invoke(history, **_options(turn.body))
    finally:
        model.client.close()
    body: Json = server.requests[-1].json
    validate_request("/v1/responses", "POST", _spec_checked(body))
    sent: list[Json] = body["input"]
    return sent


def _spec_checked(body: Json) -> Json:
    """The body as validated: web search ``sources`` of type ``api`` left out.

    The server sends such sources (``{"type": "api", "name": "oai-weather"}``) and the spec does
    not know them yet: the recorded Response fails the spec's own ``Response`` schema the same
    way. We send the item back as received; the rest of it must match the spec.
    """
    checked = copy.deepcopy(body)
    for item in checked["input"]:
        action = item.get("action") if item.get("type") == "web_search_call" else None
        if isinstance(action, dict) and isinstance(action.get("sources"), list):
            action["sources"] = [s for s in action["sources"] if s.get("type") != "api"]
    return checked


def _check_turn(server: ScriptedServer, turns: list[Turn], k: int) -> None:
    history = history_for(turns, k)
    sent = _sent_input(server, turns[k], history)
    earlier = [t.response for t in turns[:k] if t.response is not None]
    outputs = {item.id: item.to_dict() for r in earlier for item in r.output if item.id}
    for item in sent:  # server-side items go back exactly as they came
        if item.get("type") not in OWN_ITEMS and item.get("id") in outputs:
            assert item == outputs[item["id"]]
    recorded = _recorded_input(turns[k].body)
    recorded_ids = {item.get("id") for item in recorded}
    ours = [
        item
        for item in sent
        if not (item.get("type") in LEFT_OUT_BY_CLIENTS and item.get("id") not in recorded_ids)
    ]
    streamed = {
        item.id for t in turns[:k] if t.streamed and t.response for item in t.response.output
    }
    assert [normalise(i, streamed) for i in ours] == [normalise(i, streamed) for i in recorded]


@pytest.mark.parametrize("recording", RECORDINGS, ids=[r.name for r in RECORDINGS])
def test_history_replays_as_recorded(server: ScriptedServer, recording: Recording) -> None:
    if recording.name in SKIPPED:
        pytest.skip(SKIPPED[recording.name])
    turns = _turns(recording)
    for k in range(1, len(turns)):
        _check_turn(server, turns, k)


def test_skip_list_is_exactly_the_unrepresentable_recordings() -> None:
    unrepresentable = set()
    for recording in RECORDINGS:
        turns = _turns(recording)
        try:
            for k in range(1, len(turns)):
                history_for(turns, k)
        except UnrepresentableError:
            unrepresentable.add(recording.name)
    assert unrepresentable == set(SKIPPED)


def test_enough_conversations_are_replayed() -> None:
    replayed = [r for r in RECORDINGS if r.name not in SKIPPED]
    assert len(replayed) >= 45
    assert sum(len(_turns(r)) - 1 for r in replayed) >= 55
