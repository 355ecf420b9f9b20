"""A benchmark worker: one process per library, so each runs with only its own imports.

Persistent mode (driven by ``benchmarks.run`` over stdin/stdout, one JSON object per line)::

    python -m benchmarks.worker KEY --base http://127.0.0.1:PORT

One-shot mode for the concurrency scenario (a fresh process, so peak RSS is its own)::

    python -m benchmarks.worker KEY --base URL --concurrent STREAMS DELTAS
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import sys
import time
from typing import Any

from benchmarks.contenders import CONTENDERS, Contender, concurrent_streams


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; falls back to the peak elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return peak_rss_mb()


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3


class Worker:
    def __init__(self, contender: Contender) -> None:
        self.c = contender
        self.loop = asyncio.new_event_loop()
        self._histories: dict[int, list[Any]] = {}

    def history(self, size: int) -> list[Any]:
        if size not in self._histories:
            from benchmarks.history import agent_history

            self._histories[size] = agent_history(size)
        return self._histories[size]

    # -- operations -----------------------------------------------------------------------

    def op_warmup(self, n: int = 300) -> dict[str, Any]:
        for kind in ("text", "fc"):
            self.c.check(kind, n, self.c.stream(kind, n))
            self.c.check(kind, n, self.loop.run_until_complete(self.c.astream(kind, n)))
        text = self.c.call()
        if "How can I help" not in text:
            raise AssertionError(f"{self.c.key}: unexpected small-call answer {text!r}")
        can_build = True
        try:
            self.c.build(self.history(30))
            self.c.build_bytes(self.history(30))
        except NotImplementedError:
            can_build = False
        return {"ok": True, "build": can_build}

    def op_stream(self, mode: str, kind: str, n: int) -> dict[str, Any]:
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        if mode == "sync":
            got = self.c.stream(kind, n)
        else:
            got = self.loop.run_until_complete(self.c.astream(kind, n))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.c.check(kind, n, got)
        return {"cpu": cpu, "wall": wall}

    def op_call(self, calls: int) -> dict[str, Any]:
        gc.collect()
        walls: list[float] = []
        cpu = time.process_time()
        for _ in range(calls):
            start = time.perf_counter()
            self.c.call()
            walls.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu
        return {"cpu": cpu / calls, "wall": statistics.median(walls)}

    def op_history(
        self, size: int, reps: int, to_bytes: bool, max_seconds: float = 0.3
    ) -> dict[str, Any]:
        messages = self.history(size)
        build = self.c.build_bytes if to_bytes else self.c.build
        try:
            if build(messages) is None:
                return {"time": None}
        except NotImplementedError:
            return {"time": None}
        gc.collect()
        # CPU time, not wall: a multi-millisecond build on a busy machine is often preempted.
        times: list[float] = []
        budget = time.process_time() + max_seconds
        for _ in range(reps):
            start = time.process_time()
            build(messages)
            times.append(time.process_time() - start)
            if time.process_time() > budget:
                break
        return {"time": statistics.median(times), "reps": len(times)}

    def serve(self, commands: Any, reply: Any) -> None:
        for line in commands:
            request = json.loads(line)
            op = request.pop("op")
            if op == "quit":
                break
            try:
                result = getattr(self, f"op_{op}")(**request)
            except Exception as exc:  # report to the driver instead of dying silently
                result = {"error": f"{type(exc).__name__}: {exc}"}
            reply.write(json.dumps(result) + "\n")
            reply.flush()
        self.c.close()
        self.loop.run_until_complete(self.c.aclose())


def one_shot_concurrent(contender: Contender, streams: int, n: int) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        # Warm up the code paths (one stream), then measure the burst.
        contender.check("text", 50, await contender.astream("text", 50))
        gc.collect()
        before = rss_mb()
        cpu, wall = time.process_time(), time.perf_counter()
        results = await concurrent_streams(contender, streams, n)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = rss_mb()
        for got in results:
            contender.check("text", n, got)
        await contender.aclose()
        return {
            "cpu": cpu,
            "wall": wall,
            "rss_before": before,
            "rss_after": after,
            "peak_rss": peak_rss_mb(),
        }

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("key", choices=sorted(CONTENDERS))
    parser.add_argument("--base", required=True)
    parser.add_argument("--concurrent", nargs=2, type=int, metavar=("STREAMS", "DELTAS"))
    args = parser.parse_args()
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    reply = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    contender = CONTENDERS[args.key](args.base)
    if args.concurrent:
        reply.write(json.dumps(one_shot_concurrent(contender, *args.concurrent)) + "\n")
        reply.flush()
        return
    reply.write(json.dumps({"ready": True, "rss": rss_mb()}) + "\n")
    reply.flush()
    Worker(contender).serve(sys.stdin, reply)


if __name__ == "__main__":
    main()
