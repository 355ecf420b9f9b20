"""Where langchain-responses spends its time, stage by stage, without profiler overhead.

    .venv/bin/python -m benchmarks.breakdown   # ~1.5 min -> benchmarks/profiles/breakdown.md

Profilers inflate call-heavy code unevenly (cProfile doubles these paths, pyinstrument more), so
each stage is timed on its own with ``time.process_time()`` (best of several runs) on inputs
captured from the real server: raw bytes, decoded SSE events, typed events, chunks. Rows marked
*prototype* time a sketch of a suggested change, written here (the package is untouched), to
put a number on the expected gain.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import Server, _child_env

OUT = Path(__file__).resolve().parent / "profiles"
N = 10_000


def best(fn: Callable[[], Any], runs: int = 5) -> float:
    """Best-of-``runs`` CPU seconds of ``fn()``."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


class Table:
    def __init__(self, title: str, unit: str, scale: float) -> None:
        self.title, self.unit, self.scale = title, unit, scale
        self.rows: list[tuple[str, float, str]] = []

    def add(self, label: str, seconds: float, note: str = "") -> float:
        self.rows.append((label, seconds, note))
        print(f"  {label}: {seconds * self.scale:.1f} {self.unit}", file=sys.stderr, flush=True)
        return seconds

    def markdown(self) -> str:
        lines = [f"### {self.title}", "", f"| stage | {self.unit} | note |", "|---|--:|---|"]
        lines += [f"| {label} | {s * self.scale:.1f} | {note} |" for label, s, note in self.rows]
        return "\n".join(lines) + "\n"


# --- prototypes of suggested changes (benchmark-local sketches) --------------------------------


class FastSSEDecoder:
    """Sketch: split on blank lines in bytes, keep ``data`` as bytes (pydantic parses bytes)."""

    def __init__(self) -> None:
        self._tail = b""

    def feed(self, chunk: bytes) -> list[tuple[str | None, bytes]]:
        buffer = self._tail + chunk if self._tail else chunk
        if b"\r" in buffer:  # rare: fall back to normalising line ends
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        blocks = buffer.split(b"\n\n")
        self._tail = blocks.pop()
        out: list[tuple[str | None, bytes]] = []
        for block in blocks:
            event: str | None = None
            data: list[bytes] = []
            for line in block.split(b"\n"):
                if line.startswith(b"data:"):
                    data.append(line[6:] if line[5:6] == b" " else line[5:])
                elif line.startswith(b"event:"):
                    event = line[6:].strip().decode()
            if data:
                out.append((event, data[0] if len(data) == 1 else b"\n".join(data)))
        return out


def event_classes() -> dict[str, Any]:
    """``{event type: event model}`` from the package's event module."""
    from pydantic import BaseModel

    from langchain_responses._wire import events as ev

    classes = {}
    for value in vars(ev).values():
        if (
            isinstance(value, type)
            and issubclass(value, BaseModel)
            and "type" in value.model_fields
        ):
            default = value.model_fields["type"].default
            if isinstance(default, str):
                classes[default] = value
    return classes


def make_fast_to_json() -> Callable[[Any], Any]:
    """Sketch of ``convert.request.to_json`` with exact-type checks first."""
    from pydantic import BaseModel

    from langchain_responses.convert.request import to_json

    def fast_to_json(value: Any) -> Any:
        kind = type(value)
        if kind is str or kind is int or kind is float or kind is bool or value is None:
            return value
        if kind is dict:
            return {k if type(k) is str else str(k): fast_to_json(v) for k, v in value.items()}
        if kind is list or kind is tuple:
            return [fast_to_json(v) for v in value]
        if isinstance(value, (BaseModel, Mapping)):
            return to_json(value)
        return value

    return fast_to_json


def _list_model() -> Any:
    """A BaseChatModel whose ``_stream`` yields the chunks it is given."""
    from langchain_core.language_models.chat_models import BaseChatModel

    class ListModel(BaseChatModel):
        @property
        def _llm_type(self) -> str:
            return "list"

        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            raise NotImplementedError

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            yield from kwargs["chunks"]

    return ListModel()


# --- streaming -------------------------------------------------------------------------------


class StreamInputs:
    """One stream captured at every stage: bytes, SSE events, typed events."""

    def __init__(self, raw: Any, kind: str) -> None:
        from benchmarks.contenders import model_name
        from langchain_responses._http.sse import SSEDecoder
        from langchain_responses._wire.events import parse_event

        self.kind = kind
        self.raw = raw
        self.body = {"model": model_name(kind, N), "input": "x", "stream": True}
        self.chunks = self.read_bytes()
        decoder = SSEDecoder()
        self.sses = [e for c in self.chunks for e in decoder.feed(c)] + decoder.flush()
        self.typed = [parse_event(s.data) for s in self.sses]
        fast = FastSSEDecoder()
        self.named = [e for c in self.chunks for e in fast.feed(c)]

    def read_bytes(self) -> list[bytes]:
        raw = self.raw
        with raw.client.stream("POST", raw.url, json=self.body, headers=raw.headers) as response:
            return list(response.iter_bytes())


def _client_stages(table: Table, inputs: StreamInputs, client: Any) -> None:  # noqa: C901
    from langchain_responses._http.sse import SSEDecoder
    from langchain_responses._wire.events import parse_event
    from langchain_responses.stream.response import ResponseAccumulator
    from langchain_responses.stream.state import ResponseStreamState

    classes = event_classes()

    def decode() -> None:
        decoder = SSEDecoder()
        for chunk in inputs.chunks:
            decoder.feed(chunk)
        decoder.flush()

    def fast_decode() -> None:
        decoder = FastSSEDecoder()
        for chunk in inputs.chunks:
            decoder.feed(chunk)

    def parse_by_name() -> None:
        for name, data in inputs.named:
            classes[name].model_validate_json(data)

    def accumulate() -> None:
        accumulator = ResponseAccumulator()
        for event in inputs.typed:
            accumulator.apply(event)

    def state_feed() -> None:
        state = ResponseStreamState()
        for sse in inputs.sses:
            state.feed(sse)

    kind = inputs.kind
    table.add(
        "raw httpx end to end (`iter_lines` + `json.loads`)",
        best(lambda: inputs.raw.stream(kind, N)),
    )
    table.add("httpx transport only (`iter_bytes`, nothing done)", best(inputs.read_bytes))
    table.add("`SSEDecoder.feed` over the captured chunks", best(decode))
    table.add(
        "*prototype*: bytes-level SSE split, `data` kept as bytes",
        best(fast_decode),
        "`FastSSEDecoder` in breakdown.py",
    )
    table.add(
        "`parse_event` (union TypeAdapter + callable discriminator)",
        best(lambda: [parse_event(s.data) for s in inputs.sses]),
    )
    table.add(
        "*prototype*: parse by the SSE `event:` name with the event's own model",
        best(parse_by_name),
        "`{type: cls}[sse.event].model_validate_json(data)`",
    )
    table.add("`ResponseAccumulator.apply` (snapshot kept up to date)", best(accumulate))
    table.add("`ResponseStreamState.feed` (parse + accumulate + checks)", best(state_feed))
    table.add("lr ResponsesClient end to end", best(lambda: client.stream(kind, N)))


def _chat_stages(table: Table, inputs: StreamInputs, chat: Any, bare: Any) -> None:
    from benchmarks.contenders import model_name
    from langchain_responses.stream.run import ChatStream

    typed, kind = inputs.typed, inputs.kind
    final = typed[-1].response  # type: ignore[union-attr]

    def builder_feed() -> None:
        run = ChatStream()
        for event in typed:
            run.builder.feed(event)

    def chat_feed() -> None:
        run = ChatStream()
        for event in typed:
            run.feed(event)
        run.finish(final)

    def core_loop() -> float:
        run = ChatStream()
        made = [c for e in typed for c in run.feed(e)]
        made.append(run.finish(final))
        model = _list_model()
        gc.collect()
        start = time.process_time()
        for _ in model.stream(chat.messages, chunks=made):
            pass
        return time.process_time() - start

    table.add("`ChunkBuilder.feed` (blocks + `AIMessageChunk`)", best(builder_feed))
    table.add("`ChatStream.feed` + `finish` (+ `ChatGenerationChunk`)", best(chat_feed))
    table.add(
        "langchain-core `BaseChatModel.stream` loop over those chunks",
        min(core_loop() for _ in range(5)),
    )
    table.add(
        "bare BaseChatModel end to end (chunks built + core loop)",
        best(lambda: bare.stream(kind, N)),
    )
    table.add(
        "`ChatResponses._stream` alone (client + ChatStream, no langchain-core wrapper)",
        best(lambda: list(chat.llm._stream(chat.messages, model=model_name(kind, N)))),
    )
    table.add("lr ChatResponses end to end", best(lambda: chat.stream(kind, N)))
    gc.disable()
    try:
        table.add(
            "lr ChatResponses end to end, garbage collector off",
            best(lambda: chat.stream(kind, N)),
            "the difference is GC work on the ~10 objects per retained chunk",
        )
    finally:
        gc.enable()


def _pipeline_stages(table: Table, kind: str, client: Any) -> None:
    """ChatStream inside the live pipeline (not on pre-parsed events), chunks dropped or kept."""
    from benchmarks.contenders import model_name
    from langchain_responses.stream.run import ChatStream

    def events() -> Any:
        return client.client.responses.create(model=model_name(kind, N), input="x", stream=True)

    def dropped() -> None:
        run = ChatStream()
        with events() as stream:
            for event in stream:
                run.feed(event)

    def kept() -> list[Any]:
        run, out = ChatStream(), []
        with events() as stream:
            for event in stream:
                out.extend(run.feed(event))
        out.append(run.finish(stream.response))
        return out

    table.add("pipeline: client + `ChatStream.feed`, chunks dropped", best(dropped))
    table.add("pipeline: client + `ChatStream.feed`, chunks kept", best(kept))
    gc.disable()
    try:
        table.add("pipeline: … chunks kept, garbage collector off", best(kept))
    finally:
        gc.enable()


def stream_breakdown(base: str, kind: str) -> Table:
    from benchmarks.contenders import (
        BareChatModelContender,
        ChatResponsesContender,
        RawHttpx,
        ResponsesClientContender,
    )

    title = "text" if kind == "text" else "function-call arguments"
    table = Table(f"Streaming {N:,} {title} deltas (sync), CPU ms per stream", "ms", 1e3)
    raw, client = RawHttpx(base), ResponsesClientContender(base)
    chat, bare = ChatResponsesContender(base), BareChatModelContender(base)
    inputs = StreamInputs(raw, kind)
    _client_stages(table, inputs, client)
    _chat_stages(table, inputs, chat, bare)
    _pipeline_stages(table, kind, client)
    raw.close()
    client.close()
    chat.close()
    return table


# --- small call ------------------------------------------------------------------------------


def call_breakdown(base: str) -> Table:
    from tenacity import Retrying  # noqa: TID251 - timing the package's own retry loop

    from benchmarks import payloads
    from benchmarks.contenders import (
        BareChatModelContender,
        ChatResponsesContender,
        RawHttpx,
        ResponsesClientContender,
    )
    from langchain_responses._http.request import build_request
    from langchain_responses._http.retry import retry_settings
    from langchain_responses._wire.response import Response
    from langchain_responses.convert.output import to_ai_message
    from langchain_responses.convert.params import request_body
    from langchain_responses.resources import _specs

    table = Table("Small non-streamed call, CPU µs per call", "µs", 1e6)
    calls = 300
    raw, client = RawHttpx(base), ResponsesClientContender(base)
    chat, bare = ChatResponsesContender(base), BareChatModelContender(base)
    messages = chat.messages
    body = json.loads(payloads.small_response())
    transport = client.client._transport
    params = {"model": "bench-small", "input": "Write a long story."}
    spec = _specs.create(params, stream=False)
    auth = transport.config.credentials.headers()
    response = Response.model_validate(body)

    def per_call(fn: Callable[[], Any]) -> float:
        return best(lambda: [fn() for _ in range(calls)]) / calls

    def retry_loop() -> None:
        for attempt in Retrying(**retry_settings(2)):
            with attempt:
                return

    def parts() -> None:
        to_ai_message(client.client.responses.create(**params))
        bare.llm.invoke(messages)

    def client_and_core() -> None:
        client.call()
        bare.llm.invoke(messages)

    table.add("raw httpx end to end (`post` + `json()`)", per_call(raw.call))
    table.add("lr ResponsesClient end to end", per_call(client.call))
    table.add(
        "`_specs.create` (body normalisation)",
        per_call(lambda: _specs.create(params, stream=False)),
    )
    table.add(
        "`build_request` (→ `httpx.Request`)",
        per_call(lambda: build_request(transport.config, spec, auth)),
    )
    table.add("tenacity `Retrying` set-up + first attempt", per_call(retry_loop))
    table.add(
        "`Response.model_validate` of the small body",
        per_call(lambda: Response.model_validate(body)),
    )
    table.add("lr ChatResponses `invoke` end to end", per_call(lambda: chat.llm.invoke(messages)))
    table.add(
        "`request_body` for one HumanMessage",
        per_call(lambda: request_body(chat.llm._settings(), messages)),
    )
    table.add(
        "`ChatResponses._prepare` (settings dict + request_body)",
        per_call(lambda: chat.llm._prepare(messages, {})),
    )
    table.add("`to_ai_message(response)`, hot loop", per_call(lambda: to_ai_message(response)))
    table.add(
        "bare BaseChatModel `invoke` (langchain-core's own floor)",
        per_call(lambda: bare.llm.invoke(messages)),
    )
    table.add(
        "client `create` + `to_ai_message` + bare `invoke`, interleaved",
        per_call(parts),
        "≈ ChatResponses `invoke`: its own glue is mostly `to_ai_message`",
    )
    table.add("client `create` + bare `invoke`, interleaved", per_call(client_and_core))
    return table


# --- history ---------------------------------------------------------------------------------


def history_breakdown() -> Table:
    from benchmarks.contenders import ChatResponsesContender
    from benchmarks.history import agent_history, raw_body
    from langchain_responses._http.request import encode_json
    from langchain_responses.convert.messages import known_calls, to_input_items
    from langchain_responses.convert.params import request_body
    from langchain_responses.convert.request import to_json
    from langchain_responses.resources import _specs

    table = Table("Request building, 3,000-message agent history, CPU ms per build", "ms", 1e3)
    chat = ChatResponsesContender("http://127.0.0.1:9")
    settings = chat.llm._settings()
    history = agent_history(3000)
    body = request_body(settings, history)
    calls = known_calls(history)
    fast_to_json = make_fast_to_json()

    table.add("raw: hand-written conversion", best(lambda: raw_body("m", history)))
    table.add("`request_body(settings, messages)`", best(lambda: request_body(settings, history)))
    table.add(
        "  of which `known_calls` (a first pass over every AIMessage)",
        best(lambda: known_calls(history)),
    )
    table.add("  of which `to_input_items`", best(lambda: to_input_items(history, calls=calls)))
    table.add(
        "`_specs.create(body)` (`to_body`: `to_json` over the input, twice)",
        best(lambda: _specs.create(body, stream=False)),
    )
    table.add("  one `to_json(body['input'])` walk", best(lambda: to_json(body["input"])))
    table.add(
        "  *prototype*: exact-type fast path in `to_json`",
        best(lambda: fast_to_json(body["input"])),
        "`type(v) is dict/list/str` before the ABC/pydantic `isinstance` checks",
    )
    table.add("`encode_json(body)`", best(lambda: encode_json(body)))
    table.add("raw: `json.dumps(body)`", best(lambda: json.dumps(body)))
    return table


# --- import ----------------------------------------------------------------------------------

_PROBE = """
import time, os
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 1e6
{before}
c0, r0 = time.process_time(), rss()
{stmt}
print(time.process_time() - c0, rss() - r0)
"""


def import_breakdown() -> Table:
    table = Table("Import in a fresh interpreter (bytecode cached), CPU ms and RSS", "ms", 1e3)
    floor = "import httpx, pydantic, tenacity"
    steps = [
        ("httpx + pydantic + tenacity (the client's own floor)", "", floor),
        (
            "`langchain_responses._wire` (every wire model, the event union TypeAdapter)",
            floor,
            "import langchain_responses._wire",
        ),
        (
            "`langchain_responses.client` on top of `_wire`",
            f"{floor}, langchain_responses._wire",
            "import langchain_responses.client",
        ),
        (
            "langchain-core chat-model base (on top of the client)",
            "import langchain_responses.client",
            "import langchain_core.language_models.chat_models",
        ),
        (
            "`langchain_responses.chat_model` on top of core + client",
            "import langchain_responses.client, langchain_core.language_models.chat_models",
            "import langchain_responses.chat_model",
        ),
        (
            "one more model with a `response: Response` field (as each lifecycle event has)",
            "import langchain_responses._wire.response as r, langchain_responses._wire.base as b",
            "type('E', (b.WireModel,), {'__annotations__': {'response': r.Response}, "
            "'__module__': 'x'})",
        ),
        (
            "`TypeAdapter(list[OutputItem])` (one more copy of the item union)",
            "import pydantic, langchain_responses._wire.items as i",
            "pydantic.TypeAdapter(list[i.OutputItem])",
        ),
    ]
    env = _child_env()
    for label, before, stmt in steps:
        code = _PROBE.format(before=before, stmt=stmt)
        results = []
        for _ in range(5):
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            cpu, rss = map(float, done.stdout.split())
            results.append((cpu, rss))
        cpu = sorted(c for c, _ in results)[len(results) // 2]
        rss = sorted(r for _, r in results)[len(results) // 2]
        table.add(label, cpu, f"+{rss:.1f} MB RSS")
    return table


_FIRST_USE = """
import sys, time, os, json
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 1e6
import httpx, pydantic, tenacity
c0, r0 = time.process_time(), rss()
import langchain_responses.client
c1, r1 = time.process_time(), rss()
from langchain_responses._wire.response import Response
from langchain_responses._wire.events import parse_event
sys.path.append({root!r})
from benchmarks import payloads
body = json.loads(payloads.small_response())
frames = [f.split(b"data: ", 1)[1].strip() for f in payloads.text_events(5)]
c2 = time.process_time()
Response.model_validate(body)
[parse_event(f) for f in frames]
c3, r3 = time.process_time(), rss()
print(c1 - c0, r1 - r0, c3 - c2, r3 - r0)
"""

_DEFER_PATCHES = (
    (
        "_wire/base.py",
        '        ser_json_inf_nan="constants",\n',
        '        ser_json_inf_nan="constants",\n        defer_build=True,\n',
    ),
    (
        "_wire/events.py",
        "_EVENT_ADAPTER: TypeAdapter[ResponseStreamEvent] = TypeAdapter(ResponseStreamEvent)",
        "import functools\n_lazy = functools.cache(lambda: TypeAdapter(ResponseStreamEvent))",
    ),
    ("_wire/events.py", "_EVENT_ADAPTER.validate_json(", "_lazy().validate_json("),
    (
        "resources/conversations.py",
        "_ITEM: TypeAdapter[InputItem] = TypeAdapter(InputItem)",
        "_ITEM: TypeAdapter[InputItem] = TypeAdapter(InputItem, config={'defer_build': True})",
    ),
)


def defer_build_experiment(table: Table) -> None:
    """Import cost of a patched copy of the package: ``defer_build`` + lazy adapters."""
    import shutil
    import tempfile

    root = Path(__file__).resolve().parent.parent
    env = _child_env()
    env.pop("PYTHONPATH", None)
    results: dict[str, tuple[float, float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "patched" / "langchain_responses"
        shutil.copytree(root / "langchain_responses", copy)
        for name, old, new in _DEFER_PATCHES:
            path = copy / name
            text = path.read_text()
            if old not in text:
                table.add(f"defer_build experiment skipped: {name} changed", 0.0)
                return
            path.write_text(text.replace(old, new))
        for label, where in (("current", root), ("patched", copy.parent)):
            runs = []
            for _ in range(4):
                done = subprocess.run(
                    [sys.executable, "-c", _FIRST_USE.format(root=str(root))],
                    env={**env, "PYTHONPATH": str(where)},
                    cwd=tmp,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                runs.append(tuple(map(float, done.stdout.split())))
            runs.sort()
            results[label] = runs[len(runs) // 2]  # type: ignore[assignment]
    for label, text in (
        ("current", "`langchain_responses.client` as it is"),
        ("patched", "*prototype*: `defer_build=True` on `WireModel` + lazy module-level adapters"),
    ):
        imp, rss, first, rss_used = results[label]
        table.add(
            f"{text}: import",
            imp,
            f"+{rss:.1f} MB RSS; then first `Response` parse + first stream events "
            f"{first * 1e3:.0f} ms, RSS +{rss_used:.1f} MB in all",
        )


def main() -> int:
    OUT.mkdir(exist_ok=True)
    parts = []
    print("imports", file=sys.stderr)
    imports = import_breakdown()
    defer_build_experiment(imports)
    parts.append(imports)
    print("history", file=sys.stderr)
    parts.append(history_breakdown())
    server = Server(events_per_write=8)
    try:
        for kind in ("text", "fc"):
            server.prepare(kind, N)
        for kind in ("text", "fc"):
            print(f"stream {kind}", file=sys.stderr)
            parts.append(stream_breakdown(server.base, kind))
        print("small call", file=sys.stderr)
        parts.append(call_breakdown(server.base))
    finally:
        server.stop()
    header = (
        "# Stage-by-stage costs (`python -m benchmarks.breakdown`)\n\n"
        "Best of 5 runs, `time.process_time()`, no profiler attached. Stages overlap (each row "
        "is timed on its own); *prototype* rows are sketches in `benchmarks/breakdown.py`.\n\n"
    )
    (OUT / "breakdown.md").write_text(header + "\n".join(t.markdown() for t in parts))
    print(f"wrote {OUT / 'breakdown.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
