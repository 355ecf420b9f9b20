"""Every ```python block of the docs (and the README) runs, and the site builds in strict mode.

Blocks run page by page, in order, in one namespace per page (like a notebook), in a fresh
working directory, with ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` pointing at a local llmock
server. An HTML comment right before a block changes that:

- ``<!-- docs-test: skip (reason) -->`` - the block cannot run offline (live credentials, a
  real browser); keep these few.
- ``<!-- docs-test: script=NAME -->`` - the block runs against a ``ScriptedServer`` playing the
  script ``NAME`` below (built-in tool calls, errors, background runs ... that llmock cannot
  produce). Scripts may also check the requests the block sent, create input files, and
  replace a URL written in the block (``http://localhost:11434/v1``) with the local server's.

A block that defines ``test_*`` functions (the testing guide) gets them called, with the
``llmock``, ``monkeypatch`` and ``tmp_path`` fixtures they ask for.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import itertools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import RecordedRequest, Reply, ScriptedServer

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```python[^\n]*\n(?P<code>.*?)^(?P=indent)```[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_DIRECTIVE = re.compile(r"<!--\s*docs-test:\s*(?P<body>.*?)\s*-->")


# --------------------------------------------------------------------------- collecting blocks


@dataclass(frozen=True)
class Block:
    """One ```python block of a page."""

    path: Path
    line: int  # 1-based line of the first code line
    code: str
    directive: str | None

    @property
    def skip_reason(self) -> str | None:
        if self.directive and self.directive.startswith("skip"):
            return self.directive[4:].strip(" ()") or "no reason given"
        return None

    @property
    def script(self) -> str | None:
        match = re.search(r"script=([\w-]+)", self.directive or "")
        return match.group(1) if match else None


def _directive_before(text: str, start: int) -> str | None:
    """The ``docs-test`` comment on the last non-blank line before ``start``, if any."""
    for line in reversed(text[:start].splitlines()):
        if line.strip():
            match = _DIRECTIVE.search(line)
            return match.group("body") if match else None
    return None


def blocks_of(path: Path) -> list[Block]:
    """The python blocks of a markdown file, dedented, with their directives."""
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        indent = match.group("indent")
        lines = match.group("code").splitlines(keepends=True)
        code = "".join(line.removeprefix(indent) for line in lines)
        line = text.count("\n", 0, match.start("code")) + 1
        found.append(Block(path, line, code, _directive_before(text, match.start())))
    return found


def pages() -> list[Path]:
    """Every page with python blocks: the README, then the docs in order."""
    candidates = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
    return [path for path in candidates if blocks_of(path)]


# --------------------------------------------------------------------------- scripts


@dataclass
class Context:
    """What a script gets: the server it may start, URL replacements and the work dir."""

    workdir: Path
    stack: contextlib.ExitStack
    env: dict[str, str]
    replacements: dict[str, str] = field(default_factory=dict)
    servers: list[ScriptedServer] = field(default_factory=list)

    def serve(self, *replies: Reply | Callable[[RecordedRequest], Reply]) -> ScriptedServer:
        """Start a scripted server answering with ``replies`` and point the env at it."""
        server = self.stack.enter_context(ScriptedServer())
        server.enqueue(*replies)
        self.servers.append(server)
        self.env["OPENAI_BASE_URL"] = server.base_url
        return server

    def route(self, routes: Mapping[str, list[Any]]) -> ScriptedServer:
        """Serve ``"METHOD /path"`` (``*``: one path segment) with its replies, in order.

        The last reply of a route answers every further request to it.
        """
        queues = {key: list(value) for key, value in routes.items()}

        def handle(request: RecordedRequest) -> Reply:
            for key, queue in queues.items():
                method, pattern = key.split(" ", 1)
                regex = "^" + re.escape(pattern).replace(r"\*", "[^/]+") + "$"
                if request.method == method and re.match(regex, request.path):
                    reply = queue.pop(0) if len(queue) > 1 else queue[0]
                    return reply(request) if callable(reply) else reply
            raise AssertionError(f"no route for {request.method} {request.path}")

        server = self.stack.enter_context(ScriptedServer(default=handle))
        self.servers.append(server)
        self.env["OPENAI_BASE_URL"] = server.base_url
        return server


SCRIPTS: dict[str, Callable[[Context], None]] = {}


def script(name: str) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    def register(function: Callable[[Context], None]) -> Callable[[Context], None]:
        SCRIPTS[name] = function
        return function

    return register


_ids = itertools.count(1)


def response(*items: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A completed Response with these output items."""
    body = {
        "id": f"resp_{next(_ids):04d}",
        "object": "response",
        "created_at": 1_760_000_000,
        "status": "completed",
        "model": "gpt-4.1-mini",
        "output": list(items),
        "usage": {
            "input_tokens": 12,
            "input_tokens_details": {"cached_tokens": 0},
            "output_tokens": 8,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 20,
        },
    }
    body.update(fields)
    return body


def message(text: str, annotations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"msg_{next(_ids):04d}",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": annotations or []}],
    }


def text_events(final: dict[str, Any], *, cut_after: int | None = None) -> list[dict[str, Any]]:
    """The SSE events of a streamed text answer ending in ``final`` (or cut off early)."""
    item = final["output"][0]
    text = item["content"][0]["text"]
    shell = {**item, "status": "in_progress", "content": []}
    start = {**final, "status": "in_progress", "output": [], "usage": None}
    events: list[dict[str, Any]] = [
        {"type": "response.created", "response": start},
        {"type": "response.output_item.added", "output_index": 0, "item": shell},
        {
            "type": "response.content_part.added",
            "item_id": item["id"],
            "output_index": 0,
            "content_index": 0,
            "part": {"type": "output_text", "text": "", "annotations": []},
        },
    ]
    for word in re.findall(r"\S+\s*", text):
        events.append(
            {
                "type": "response.output_text.delta",
                "item_id": item["id"],
                "output_index": 0,
                "content_index": 0,
                "delta": word,
                "logprobs": [],
            }
        )
    events += [
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.completed", "response": final},
    ]
    if cut_after is not None:
        events = events[:cut_after]
    return [{**event, "sequence_number": n} for n, event in enumerate(events)]


def checked(check: Callable[[Any], None], reply: Reply) -> Callable[[RecordedRequest], Reply]:
    """A reply that first asserts something about the request body."""

    def handle(request: RecordedRequest) -> Reply:
        check(request.json)
        return reply

    return handle


def _types(body: Any) -> list[str | None]:
    return [item.get("type") for item in body["input"]]


# -- reasoning and state ------------------------------------------------------------------------


@script("reasoning")
def _reasoning(ctx: Context) -> None:
    reasoning = {
        "type": "reasoning",
        "id": "rs_0001",
        "summary": [{"type": "summary_text", "text": "Multiply 6 by 7."}],
        "encrypted_content": "gAAAAB...opaque...",
    }

    def sends_reasoning_back(body: Any) -> None:
        assert "reasoning.encrypted_content" in body["include"]
        assert body["input"][1]["encrypted_content"] == "gAAAAB...opaque..."

    ctx.serve(
        Reply(json=response(reasoning, message("42"), model="gpt-5-mini")),
        checked(sends_reasoning_back, Reply(json=response(message("48"), model="gpt-5-mini"))),
    )


@script("previous-response-id")
def _previous_response_id(ctx: Context) -> None:
    def only_the_new_turn(body: Any) -> None:
        assert body["previous_response_id"] == "resp_ada"
        assert body["input"] == [{"role": "user", "content": "What is my name?"}]

    ctx.serve(
        Reply(json=response(message("Nice to meet you, Ada."), id="resp_ada")),
        checked(only_the_new_turn, Reply(json=response(message("Your name is Ada.")))),
    )


@script("conversation")
def _conversation(ctx: Context) -> None:
    conversation = {"id": "conv_0001", "object": "conversation", "created_at": 1, "metadata": {}}
    ref = {"conversation": {"id": "conv_0001"}}
    ctx.route(
        {
            "POST /v1/conversations": [Reply(json=conversation)],
            "POST /v1/responses": [
                Reply(json=response(message("Hi Ada!"), **ref)),
                Reply(json=response(message("You are Ada."), **ref)),
            ],
            "GET /v1/conversations/*/items": [
                Reply(
                    json={
                        "object": "list",
                        "data": [message("You are Ada."), message("Hi Ada!")],
                        "has_more": False,
                    }
                )
            ],
        }
    )


@script("background")
def _background(ctx: Context) -> None:
    pending = response(id="resp_bg01", status="queued", background=True, usage=None)
    ctx.serve(
        Reply(json=pending),
        Reply(json={**pending, "status": "in_progress"}),
        Reply(json=response(message("Here is the report."), id="resp_bg01", background=True)),
    )


@script("background-client")
def _background_client(ctx: Context) -> None:
    pending = response(id="resp_bg02", status="queued", background=True, usage=None)
    ctx.serve(
        Reply(json=pending),
        Reply(json={**pending, "status": "in_progress"}),
        Reply(json={**pending, "status": "cancelled"}),
    )


@script("background-resume")
def _background_resume(ctx: Context) -> None:
    final = response(message("Once upon a time, a stream was cut and resumed."), background=True)
    final["id"] = "resp_bg03"
    events = text_events(final)

    def resumed(request: RecordedRequest) -> Reply:
        assert request.method == "GET", request.method
        assert request.path == "/v1/responses/resp_bg03", request.path
        assert request.query == {"stream": "true", "starting_after": "5"}, request.query
        return Reply.sse(events[6:])

    ctx.serve(Reply.sse(events[:6], close_after_chunks=6), resumed)  # drops mid-answer


@script("compact")
def _compact(ctx: Context) -> None:
    compacted = {
        "id": "cmp_0001",
        "object": "response.compaction",
        "created_at": 1,
        "output": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
            {"type": "compaction", "id": "cmp_item", "encrypted_content": "gAAAAB..."},
        ],
    }
    ctx.route(
        {
            "POST /v1/responses": [
                Reply(json=response(message("A long answer."), id="resp_long")),
                Reply(json=response(message("Continuing from the summary."))),
            ],
            "POST /v1/responses/compact": [Reply(json=compacted)],
        }
    )


# -- errors -------------------------------------------------------------------------------------


@script("rate-limited-once")
def _rate_limited_once(ctx: Context) -> None:
    ctx.serve(
        Reply.error(
            429,
            "Rate limit reached for requests",
            error_type="requests",
            code="rate_limit_exceeded",
            headers={"retry-after-ms": "200", "x-request-id": "req_0001"},
        ),
        Reply(json=response(message("Hello after a short wait."))),
    )


@script("context-overflow")
def _context_overflow(ctx: Context) -> None:
    ctx.serve(
        Reply.error(
            400,
            "Your input exceeds the context window of this model.",
            code="context_length_exceeded",
            param="input",
            headers={"x-request-id": "req_0002"},
        ),
        Reply(json=response(message("A summary of the short version."))),
    )


@script("quota")
def _quota(ctx: Context) -> None:
    ctx.serve(
        Reply.error(429, "You exceeded your current quota.", code="insufficient_quota"),
    )


@script("stream-cut")
def _stream_cut(ctx: Context) -> None:
    final = response(message("The quick brown fox jumps over the lazy dog."))
    ctx.serve(Reply.sse(text_events(final, cut_after=7)))


@script("stream-failed")
def _stream_failed(ctx: Context) -> None:
    failed = response(
        status="failed",
        error={"code": "server_error", "message": "The model crashed."},
        usage=None,
    )
    events = text_events(response(message("Partial answer")), cut_after=4)
    events.append({"type": "response.failed", "response": failed, "sequence_number": 4})
    ctx.serve(Reply.sse(events))


# -- tools --------------------------------------------------------------------------------------


@script("hosted-tools")
def _hosted_tools(ctx: Context) -> None:
    search = {
        "type": "web_search_call",
        "id": "ws_0001",
        "status": "completed",
        "action": {"type": "search", "query": "langchain release"},
    }
    citation = {
        "type": "url_citation",
        "url": "https://example.com/news",
        "title": "News",
        "start_index": 0,
        "end_index": 21,
    }
    ctx.serve(Reply(json=response(search, message("LangChain 1.0 shipped.", [citation]))))


@script("custom-tool")
def _custom_tool(ctx: Context) -> None:
    call = {
        "type": "custom_tool_call",
        "id": "ctc_0001",
        "call_id": "call_sql",
        "name": "run_sql",
        "input": "SELECT count(*) FROM users",
    }

    def answers_the_call(body: Any) -> None:
        assert _types(body)[-2:] == ["custom_tool_call", "custom_tool_call_output"]

    ctx.serve(
        Reply(json=response(call)),
        checked(answers_the_call, Reply(json=response(message("There are 42 users.")))),
    )


def _agent_turns(ctx: Context, call: dict[str, Any], output_type: str, answer: str) -> None:
    def answered(body: Any) -> None:
        assert output_type in _types(body), _types(body)

    ctx.serve(
        Reply(json=response(call, model="gpt-5")),
        checked(answered, Reply(json=response(message(answer), model="gpt-5"))),
    )


@script("apply-patch-agent")
def _apply_patch_agent(ctx: Context) -> None:
    (ctx.workdir / "workspace").mkdir(exist_ok=True)
    call = {
        "type": "apply_patch_call",
        "id": "apc_0001",
        "call_id": "call_patch",
        "status": "completed",
        "operation": {"type": "create_file", "path": "hello.py", "diff": "+print('hello')\n"},
    }
    _agent_turns(ctx, call, "apply_patch_call_output", "Created hello.py.")


@script("shell-agent")
def _shell_agent(ctx: Context) -> None:
    call = {
        "type": "shell_call",
        "id": "sh_0001",
        "call_id": "call_shell",
        "status": "completed",
        "action": {"commands": ["git status --short", "rm -rf build"], "timeout_ms": 5000},
        "environment": {"type": "local"},
    }
    _agent_turns(ctx, call, "shell_call_output", "I may only run git status here.")


@script("computer-agent")
def _computer_agent(ctx: Context) -> None:
    call = {
        "type": "computer_call",
        "id": "cu_0001",
        "call_id": "call_cu",
        "status": "completed",
        "actions": [{"type": "click", "x": 120, "y": 48, "button": "left"}],
        "pending_safety_checks": [],
    }
    _agent_turns(ctx, call, "computer_call_output", "I opened the menu.")


@script("mcp-agent")
def _mcp_agent(ctx: Context) -> None:
    request = {
        "type": "mcp_approval_request",
        "id": "mcpr_0001",
        "server_label": "deepwiki",
        "name": "ask_question",
        "arguments": '{"repoName": "langchain-ai/langchain", "question": "What is LCEL?"}',
    }

    def approved(body: Any) -> None:
        reply = next(item for item in body["input"] if item.get("type") == "mcp_approval_response")
        assert reply["approve"] is True, reply
        assert all(tool["type"] == "mcp" for tool in body["tools"]), body["tools"]

    ctx.serve(
        Reply(json=response(request, model="gpt-5")),
        checked(approved, Reply(json=response(message("LCEL composes runnables."), model="gpt-5"))),
    )


# -- structured output --------------------------------------------------------------------------


@script("refusal")
def _refusal(ctx: Context) -> None:
    refusal = {
        "type": "message",
        "id": "msg_refusal",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "refusal", "refusal": "I can't help with that."}],
    }
    ctx.serve(Reply(json=response(refusal)), Reply(json=response(refusal)))


# -- file search ----------------------------------------------------------------------------------


@script("file-search")
def _file_search(ctx: Context) -> None:
    (ctx.workdir / "handbook.md").write_text("# Handbook\nRefunds are accepted within 30 days.\n")
    (ctx.workdir / "faq.md").write_text("# FAQ\nShipping takes 3 to 5 days.\n")
    file = {"id": "file-0001", "object": "file", "filename": "handbook.md", "purpose": "assistants"}
    counts = {"in_progress": 0, "completed": 1, "failed": 0, "cancelled": 0, "total": 1}
    store = {"id": "vs_0001", "object": "vector_store", "name": "support", "file_counts": counts}
    attached = {"id": "file-0002", "object": "vector_store.file", "status": "in_progress"}
    hits = {
        "object": "vector_store.search_results.page",
        "data": [
            {
                "file_id": "file-0001",
                "filename": "handbook.md",
                "score": 0.92,
                "content": [{"type": "text", "text": "Refunds are accepted within 30 days."}],
            }
        ],
        "has_more": False,
    }

    def attributes_sent(body: Any) -> None:
        assert body["attributes"] == {"team": "support"}, body

    ctx.route(
        {
            "POST /v1/files": [Reply(json=file), Reply(json={**file, "id": "file-0002"})],
            "POST /v1/vector_stores": [Reply(json={**store, "status": "in_progress"})],
            "GET /v1/vector_stores/vs_0001": [Reply(json={**store, "status": "completed"})],
            "POST /v1/vector_stores/vs_0001/files": [
                checked(attributes_sent, Reply(json=attached))
            ],
            "GET /v1/vector_stores/vs_0001/files/*": [
                Reply(json={**attached, "status": "completed"})
            ],
            "POST /v1/vector_stores/vs_0001/search": [Reply(json=hits)],
        }
    )


@script("file-search-answer")
def _file_search_answer(ctx: Context) -> None:
    search_call = {
        "type": "file_search_call",
        "id": "fs_0001",
        "status": "completed",
        "queries": ["refund window"],
        "results": [
            {"file_id": "file-0001", "filename": "handbook.md", "score": 0.92, "text": "Refunds..."}
        ],
    }
    cite = {"type": "file_citation", "file_id": "file-0001", "filename": "handbook.md", "index": 36}
    answer = message("Refunds are accepted within 30 days.", [cite])

    def searches_the_store(body: Any) -> None:
        tool = body["tools"][0]
        assert tool["vector_store_ids"] == ["vs_0001"], tool
        assert tool["filters"] == {"type": "eq", "key": "team", "value": "support"}, tool
        assert body["include"] == ["file_search_call.results"], body

    ctx.serve(checked(searches_the_store, Reply(json=response(search_call, answer))))


# -- other servers ------------------------------------------------------------------------------


def _server(ctx: Context, url: str, *replies: Reply | Callable[[RecordedRequest], Reply]) -> None:
    server = ctx.serve(*replies)
    ctx.replacements[url] = server.base_url


@script("azure")
def _azure(ctx: Context) -> None:
    def uses_api_key_header(request: RecordedRequest) -> Reply:
        assert request.headers.get("api-key") == "azure-key", request.headers
        assert "authorization" not in request.headers
        return Reply(json=response(message("Hello from Azure."), model="my-gpt-4-1-deployment"))

    ctx.env["AZURE_OPENAI_API_KEY"] = "azure-key"
    _server(ctx, "https://my-resource.openai.azure.com/openai/v1", uses_api_key_header)


@script("vllm")
def _vllm(ctx: Context) -> None:
    _server(ctx, "http://localhost:8000/v1", Reply(json=response(message("Hello from vLLM."))))


@script("ollama")
def _ollama(ctx: Context) -> None:
    _server(ctx, "http://localhost:11434/v1", Reply(json=response(message("Hello from Ollama."))))


@script("lmstudio")
def _lmstudio(ctx: Context) -> None:
    _server(ctx, "http://localhost:1234/v1", Reply(json=response(message("Hello, LM Studio."))))


@script("openrouter")
def _openrouter(ctx: Context) -> None:
    final = response(message("Hello from OpenRouter."), model="openai/gpt-4.1-mini")
    raw = [f"data: {json.dumps(event)}\n\n" for event in text_events(final)]
    stream = Reply(headers={"content-type": "text/event-stream"}, chunks=[*raw, "data: [DONE]\n\n"])
    missing = Reply.error(404, "Not Found", error_type="not_found")
    _server(ctx, "https://openrouter.ai/api/v1", stream, missing)


# -- seed compatibility -------------------------------------------------------------------------


@script("seed-input")
def _seed_input(ctx: Context) -> None:
    def wrapped(body: Any) -> None:
        assert body["input"] == [{"role": "user", "content": "Hello!"}], body["input"]

    ctx.serve(checked(wrapped, Reply(json=response(message("Hi there!")))))


@script("seed-computer")
def _seed_computer(ctx: Context) -> None:
    def rewritten(body: Any) -> None:
        assert body["tools"] == [
            {
                "type": "computer_use_preview",
                "display_width": 1280,
                "display_height": 800,
                "environment": "linux",
            }
        ], body["tools"]

    call = {
        "type": "computer_call",
        "id": "cu_0002",
        "call_id": "call_cu2",
        "status": "completed",
        "action": {"type": "screenshot"},
        "pending_safety_checks": [],
    }
    ctx.serve(checked(rewritten, Reply(json=response(call, model="computer-use-preview"))))


@script("seed-tool-calls")
def _seed_tool_calls(ctx: Context) -> None:
    call = {
        "type": "function_call",
        "id": "fc_0001",
        "call_id": "call_weather",
        "name": "get_weather",
        "arguments": '{"city": "Paris"}',
        "status": "completed",
    }
    ctx.serve(Reply(json=response(call)))


@script("input-tokens")
def _input_tokens(ctx: Context) -> None:
    count = Reply(json={"object": "response.input_tokens", "input_tokens": 21})
    ctx.serve(count, count)


# --------------------------------------------------------------------------- running a page


@contextlib.contextmanager
def _closing_transports() -> Iterator[None]:
    """Close every sync connection pool the block opened, also those of dropped objects.

    Examples leave models open (or inside a chain); their pooled sockets would otherwise be
    reported as ``ResourceWarning`` whenever the garbage collector gets to them.
    """
    from langchain_responses._http import transport

    opened: list[Any] = []
    original = transport.SyncTransport.__init__

    def remember(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        opened.append(self)

    transport.SyncTransport.__init__ = remember  # type: ignore[method-assign]
    try:
        yield
    finally:
        transport.SyncTransport.__init__ = original  # type: ignore[method-assign]
        for sync_transport in opened:
            sync_transport.close()


def _call_tests(namespace: dict[str, Any], before: set[str], fixtures: Mapping[str, Any]) -> None:
    """Call the ``test_*`` functions the block defined, with the fixtures they name."""
    for name, value in list(namespace.items()):
        if name.startswith("test_") and name not in before and inspect.isfunction(value):
            fixtures["llmock"].reset()  # a fresh mock per test, as the pytest fixture gives
            wanted = inspect.signature(value).parameters
            value(**{param: fixtures[param] for param in wanted})


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_block(block: Block, namespace: dict[str, Any], fixtures: dict[str, Any]) -> None:
    """Run one block (with its script, if any) in ``namespace``."""
    fixtures["llmock"].reset()
    with contextlib.ExitStack() as stack:
        ctx = Context(fixtures["tmp_path"], stack, env={})
        if block.script is not None:
            SCRIPTS[block.script](ctx)
        code = block.code
        for old, new in ctx.replacements.items():
            assert old in code, f"{block.path.name}:{block.line}: {old!r} is not in the block"
            code = code.replace(old, new)
        # Pad so that tracebacks show the line number in the markdown file.
        compiled = compile("\n" * (block.line - 1) + code, str(block.path), "exec")
        before = set(namespace)
        with _closing_transports(), _environment(ctx.env):
            exec(compiled, namespace)
            _call_tests(namespace, before, fixtures)
        for server in ctx.servers:
            server.check()


PAGES = pages()


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_examples_run(
    page: Path, llmock: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_ORG_ID", "OPENAI_PROJECT_ID"):
        monkeypatch.delenv(name, raising=False)
    fixtures = {"llmock": llmock, "monkeypatch": monkeypatch, "tmp_path": tmp_path}
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for block in blocks_of(page):
        if block.skip_reason is None:
            run_block(block, namespace, fixtures)


def test_every_script_is_used_and_every_skip_has_a_reason() -> None:
    blocks = [block for page in PAGES for block in blocks_of(page)]
    used = {block.script for block in blocks if block.script}
    assert used <= set(SCRIPTS), f"unknown scripts: {used - set(SCRIPTS)}"
    assert set(SCRIPTS) <= used, f"unused scripts: {set(SCRIPTS) - used}"
    for block in blocks:
        if block.directive and not (block.skip_reason or block.script):
            pytest.fail(f"{block.path}:{block.line}: unknown directive {block.directive!r}")
        if block.directive and block.directive.startswith("skip"):
            assert "(" in block.directive, f"{block.path}:{block.line}: a skip needs a (reason)"
    skipped = [block for block in blocks if block.skip_reason]
    assert len(skipped) <= 6, "keep skipped examples to the few that truly cannot run offline"


def test_docs_build_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[dev]')")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").is_file()
