"""Profiles of langchain-responses' hot paths (the raw material of ``benchmarks/PROFILE.md``).

    .venv/bin/python -m benchmarks.profile                 # every scenario, cProfile
    .venv/bin/python -m benchmarks.profile --pyinstrument  # also pyinstrument call trees
    .venv/bin/python -m benchmarks.profile chat_stream history

Writes ``benchmarks/profiles/<scenario>.txt`` (top functions by own time and by cumulative
time) and, with ``--pyinstrument`` (``pip install pyinstrument``), ``<scenario>.tree.txt``.
The import profile is ``python -X importtime`` in a fresh interpreter, summed per package.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import Server, _child_env

OUT = Path(__file__).resolve().parent / "profiles"
API_KEY = "sk-bench-not-a-real-key"


def _scenarios(base: str, deltas: int) -> dict[str, Callable[[], Any]]:
    from langchain_core.messages import HumanMessage

    from benchmarks.contenders import (
        ChatResponsesContender,
        ResponsesClientContender,
    )
    from benchmarks.history import agent_history

    client = ResponsesClientContender(base)
    chat = ChatResponsesContender(base)
    loop = asyncio.new_event_loop()
    history = agent_history(3000)
    from langchain_responses._http.request import encode_json
    from langchain_responses.convert.params import request_body
    from langchain_responses.resources import _specs

    settings = chat.llm._settings()
    messages = [HumanMessage("hi")]

    def history_to_bytes() -> None:
        for _ in range(5):
            body = request_body(settings, history)
            encode_json(_specs.create(body, stream=False).body or {})

    scenarios: dict[str, Callable[[], Any]] = {
        "client_stream": lambda: client.stream("text", deltas),
        "chat_stream": lambda: chat.stream("text", deltas),
        "chat_astream": lambda: loop.run_until_complete(chat.astream("text", deltas)),
        "chat_stream_fc": lambda: chat.stream("fc", deltas),
        "client_call": lambda: [client.call() for _ in range(300)],
        "chat_call": lambda: [chat.llm.invoke(messages) for _ in range(300)],
        "history": lambda: [request_body(settings, history) for _ in range(10)],
        "history_to_bytes": history_to_bytes,
    }
    # Warm every path once (first-call costs are not what we profile).
    for kind in ("text", "fc"):
        client.stream(kind, 300)
        chat.stream(kind, 300)
        loop.run_until_complete(chat.astream(kind, 300))
    client.call()
    chat.llm.invoke(messages)
    request_body(settings, history[:30])
    return scenarios


def _cprofile(name: str, fn: Callable[[], Any], top: int) -> str:
    profiler = cProfile.Profile()
    start = time.process_time()
    profiler.enable()
    fn()
    profiler.disable()
    cpu = time.process_time() - start
    out = io.StringIO()
    out.write(f"# {name}: {cpu * 1e3:.0f} ms CPU under cProfile (profiling overhead included)\n\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs()
    out.write("## by own time\n")
    stats.sort_stats("tottime").print_stats(top)
    out.write("## by cumulative time\n")
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _pyinstrument(fn: Callable[[], Any]) -> str | None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    profiler = Profiler(interval=0.0005)
    profiler.start()
    fn()
    profiler.stop()
    return profiler.output_text(unicode=False, color=False, show_all=False)


def import_profile(statement: str) -> str:
    """``-X importtime`` of ``statement`` in a fresh interpreter, summed per top package."""
    env = _child_env()
    subprocess.run([sys.executable, "-c", statement], env=env, check=True)  # bytecode cache
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    own: dict[str, int] = defaultdict(int)
    modules: list[tuple[int, int, str]] = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if not match:
            continue
        self_us, cumulative, _, module = match.groups()
        own[module.split(".")[0]] += int(self_us)
        modules.append((int(self_us), int(cumulative), module))
    total = sum(own.values())
    lines = [
        f"# import profile: {statement}",
        "",
        f"total own import time {total / 1e3:.0f} ms",
        "",
    ]
    lines.append("## own time per top-level package (us)")
    for package, us in sorted(own.items(), key=lambda kv: -kv[1])[:25]:
        lines.append(f"{us:>9}  {package}")
    lines += ["", "## slowest modules by own time (us)"]
    for self_us, cumulative, module in sorted(modules, reverse=True)[:40]:
        lines.append(f"{self_us:>9} {cumulative:>9}  {module}")
    lines += ["", "## langchain_responses modules by cumulative time (us)"]
    for self_us, cumulative, module in sorted(modules, key=lambda m: -m[1]):
        if module.startswith("langchain_responses"):
            lines.append(f"{self_us:>9} {cumulative:>9}  {module}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile")
    parser.add_argument("scenarios", nargs="*", help="default: all, plus the import profile")
    parser.add_argument("--deltas", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--pyinstrument", action="store_true")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    wanted = set(args.scenarios)
    if not wanted or "import" in wanted:
        for name, statement in (
            ("import_chat", "from langchain_responses import ChatResponses"),
            ("import_client", "from langchain_responses import ResponsesClient"),
        ):
            (OUT / f"{name}.txt").write_text(import_profile(statement))
            print(f"wrote {OUT / name}.txt", file=sys.stderr)
    wanted.discard("import")
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    server = Server(events_per_write=8)
    try:
        for kind in ("text", "fc"):
            server.prepare(kind, args.deltas)
        scenarios = _scenarios(server.base, args.deltas)
        for name, fn in scenarios.items():
            if wanted and name not in wanted:
                continue
            (OUT / f"{name}.txt").write_text(_cprofile(name, fn, args.top))
            if args.pyinstrument:
                tree = _pyinstrument(fn)
                if tree is not None:
                    (OUT / f"{name}.tree.txt").write_text(tree)
            print(f"wrote {OUT / name}.txt", file=sys.stderr)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
