# ruff: noqa: RUF001 - the table uses the multiplication sign on purpose
"""Benchmarks: langchain-responses against raw httpx, the openai SDK and langchain-openai.

    .venv/bin/python -m benchmarks            # full run (~4-5 min on 2 cores)
    .venv/bin/python -m benchmarks --quick    # ~1 min, fewer rounds and deltas
    .venv/bin/python benchmarks/run.py --help

Starts the local SSE server (``benchmarks/server.py``) in its own process, one worker process per
library (``benchmarks/worker.py``), runs every scenario in interleaved rounds, prints the table
and writes it to ``benchmarks/results.md`` (all samples: ``benchmarks/results.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # ``python benchmarks/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.imports import PROBES, probe

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"

CONTENDER_KEYS = ("raw", "openai", "lc_openai", "lr_client", "lr_chat", "lr_chat_events", "bare")
LABELS = {
    "raw": "raw httpx",
    "openai": "openai SDK",
    "lc_openai": "langchain-openai",
    "lr_client": "lr ResponsesClient",
    "lr_chat": "lr ChatResponses",
    "lr_chat_events": "lr ChatResponses, a chunk per event",
    "bare": "bare BaseChatModel",
}
CHECKED = ("lr_client", "lr_chat", "lr_chat_events")
"""The columns whose numbers are judged against the targets."""


# --- settings ---------------------------------------------------------------------------------


@dataclass
class Settings:
    rounds: int = 5
    deltas: int = 10_000
    calls: int = 100
    conc_rounds: int = 3
    conc_streams: int = 200
    conc_deltas: int = 200
    import_rounds: int = 5
    history_sizes: tuple[int, ...] = (30, 300, 3000)
    history_reps: dict[int, int] = field(default_factory=lambda: {30: 40, 300: 10, 3000: 5})
    history_budget: float = 0.3
    """CPU seconds one history measurement may take (slow libraries get fewer repetitions)."""
    events_per_write: int = 8
    contenders: tuple[str, ...] = CONTENDER_KEYS
    sections: tuple[str, ...] = ("stream", "call", "history", "concurrent", "import")
    quick: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Settings:
        s = cls()
        if args.quick:
            s = cls(
                rounds=2,
                deltas=5000,
                calls=30,
                conc_rounds=1,
                conc_streams=100,
                conc_deltas=50,
                import_rounds=2,
                history_reps={30: 20, 300: 5, 3000: 3},
                history_budget=0.15,
                quick=True,
            )
        for name in ("rounds", "deltas", "calls", "conc_rounds", "import_rounds"):
            if getattr(args, name) is not None:
                setattr(s, name, getattr(args, name))
        if args.concurrency is not None:
            s.conc_streams, s.conc_deltas = args.concurrency
        s.events_per_write = args.events_per_write
        if args.only:
            s.contenders = tuple(k for k in CONTENDER_KEYS if k in args.only)
        if args.sections:
            s.sections = tuple(args.sections)
        return s


# --- processes --------------------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Bytecode is cached (outside the package tree) as it is for any installed package; the
    # environment's PYTHONDONTWRITEBYTECODE would otherwise recompile every module each time.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    for name in list(env):
        if name.startswith(("LANGCHAIN_", "LANGSMITH_")):
            env.pop(name)  # no tracing
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Server:
    """The SSE server in its own process; its CPU use is read from ``/__stats``."""

    def __init__(self, events_per_write: int) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.server",
                "--events-per-write",
                str(events_per_write),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            cwd=ROOT,
            env=_child_env(),
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"server did not start: {line!r}")
        self.base = f"http://127.0.0.1:{int(line.split()[1])}"

    def cpu(self) -> float:
        with urllib.request.urlopen(f"{self.base}/__stats", timeout=10) as answer:
            return float(json.loads(answer.read())["cpu"])

    def prepare(self, kind: str, n: int) -> None:
        """Build a stream body before the measurements, so none of them pays for it."""
        url = f"{self.base}/__prepare?kind={kind}&n={n}"
        with urllib.request.urlopen(url, timeout=60) as answer:
            answer.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        if self.proc.poll() is None:
            self.proc.kill()


class WorkerProcess:
    """A persistent worker for one library, driven one JSON line at a time."""

    def __init__(self, key: str, base: str) -> None:
        self.key = key
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.worker", key, "--base", base],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            cwd=ROOT,
            env=_child_env(),
        )

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace")[-3000:]
            raise RuntimeError(f"worker {self.key} died:\n{tail}")
        result: dict[str, Any] = json.loads(line)
        if "error" in result:
            raise RuntimeError(f"worker {self.key}: {result['error']}")
        return result

    def ready(self) -> dict[str, Any]:
        return self._read()

    def cmd(self, op: str, **params: Any) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"op": op, **params}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.cmd("quit")
        with contextlib.suppress(Exception):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def one_shot_concurrent(key: str, base: str, streams: int, deltas: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.worker",
            key,
            "--base",
            base,
            "--concurrent",
            str(streams),
            str(deltas),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_child_env(),
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"concurrency worker {key} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- measuring --------------------------------------------------------------------------------

Samples = dict[str, dict[str, list[float]]]
"""metric -> contender -> samples."""


def _rotated(keys: tuple[str, ...], r: int) -> list[str]:
    """The contenders in a different order each round, so drift spreads evenly."""
    r %= len(keys)
    return list(keys[r:] + keys[:r])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(settings: Settings) -> tuple[Samples, dict[str, Any]]:
    samples: Samples = defaultdict(lambda: defaultdict(list))
    notes: dict[str, Any] = {"load_start": os.getloadavg()}
    server = Server(settings.events_per_write)
    notes["server"] = server.base
    for kind, n in (
        ("text", settings.deltas),
        ("fc", settings.deltas),
        ("text", settings.conc_deltas),
    ):
        server.prepare(kind, n)
    try:
        if {"stream", "call", "history"} & set(settings.sections):
            _persistent_rounds(settings, server, samples)
        if "concurrent" in settings.sections:
            _concurrency_rounds(settings, server, samples)
    finally:
        server.stop()
    if "import" in settings.sections:
        _import_rounds(settings, samples, notes)
    notes["load_end"] = os.getloadavg()
    return samples, notes


def _persistent_rounds(settings: Settings, server: Server, samples: Samples) -> None:
    started = time.perf_counter()
    workers = {key: WorkerProcess(key, server.base) for key in settings.contenders}
    try:
        for key, worker in workers.items():
            worker.ready()
            worker.cmd("warmup")
            _log(f"  {LABELS[key]}: ready and verified")
        for r in range(settings.rounds):
            _log(f"round {r + 1}/{settings.rounds} ({time.perf_counter() - started:.0f} s)")
            order = [workers[key] for key in _rotated(settings.contenders, r)]
            if "stream" in settings.sections:
                _stream_round(settings, server, order, samples)
            if "call" in settings.sections:
                _call_round(settings, server, order, samples)
            if "history" in settings.sections:
                _history_round(settings, order, samples)
    finally:
        for worker in workers.values():
            worker.close()


def _stream_round(
    settings: Settings, server: Server, order: list[WorkerProcess], samples: Samples
) -> None:
    scale = 10_000 / settings.deltas
    for mode, kind in (("sync", "text"), ("async", "text"), ("sync", "fc")):
        name = f"stream_{mode}_{kind}"
        for worker in order:
            before = server.cpu()
            result = worker.cmd("stream", mode=mode, kind=kind, n=settings.deltas)
            server_cpu = server.cpu() - before
            samples[f"{name}.cpu"][worker.key].append(result["cpu"] * scale)
            samples[f"{name}.wall"][worker.key].append(result["wall"] * scale)
            samples[f"{name}.server"][worker.key].append(server_cpu * scale)


def _call_round(
    settings: Settings, server: Server, order: list[WorkerProcess], samples: Samples
) -> None:
    for worker in order:
        before = server.cpu()
        result = worker.cmd("call", calls=settings.calls)
        server_cpu = (server.cpu() - before) / settings.calls
        samples["call.cpu"][worker.key].append(result["cpu"])
        samples["call.wall"][worker.key].append(result["wall"])
        samples["call.server"][worker.key].append(server_cpu)


def _history_round(settings: Settings, order: list[WorkerProcess], samples: Samples) -> None:
    big = max(settings.history_sizes)
    jobs = [(size, False, f"history.{size}") for size in settings.history_sizes]
    if not settings.quick:
        jobs.append((big, True, f"history.{big}.bytes"))
    for size, to_bytes, metric in jobs:
        for worker in order:
            result = worker.cmd(
                "history",
                size=size,
                reps=settings.history_reps.get(size, 3),
                to_bytes=to_bytes,
                max_seconds=settings.history_budget,
            )
            if result["time"] is not None:
                samples[metric][worker.key].append(result["time"])


def _concurrency_rounds(settings: Settings, server: Server, samples: Samples) -> None:
    for r in range(settings.conc_rounds):
        _log(
            f"concurrency round {r + 1}/{settings.conc_rounds}: "
            f"{settings.conc_streams} x astream({settings.conc_deltas} deltas)"
        )
        for key in _rotated(settings.contenders, r):
            before = server.cpu()
            result = one_shot_concurrent(
                key, server.base, settings.conc_streams, settings.conc_deltas
            )
            samples["concurrent.server"][key].append(server.cpu() - before)
            samples["concurrent.wall"][key].append(result["wall"])
            samples["concurrent.cpu"][key].append(result["cpu"])
            samples["concurrent.peak_rss"][key].append(result["peak_rss"])
            samples["concurrent.rss_growth"][key].append(result["rss_after"] - result["rss_before"])


def _import_rounds(settings: Settings, samples: Samples, notes: dict[str, Any]) -> None:
    keys = ["python", "core", "floor", *settings.contenders]
    warm = not settings.quick or {"stream", "call", "history"}.isdisjoint(settings.sections)
    _log(
        f"imports: {len(keys)} probes x {settings.import_rounds} rounds"
        + (" (+1 warm-up)" if warm else " (bytecode cached by the workers)")
    )
    env = _child_env()
    for key in keys if warm else ():
        probe(key, env)  # warm the bytecode cache and the page cache; not counted
    for r in range(settings.import_rounds):
        for key in _rotated(tuple(keys), r):
            result = probe(key, env)
            samples["import.time"][key].append(result["import"])
            samples["import.wall"][key].append(result["import_wall"])
            samples["import.rss"][key].append(result["rss_import"])
            samples["import.ready"][key].append(result["import"] + result["construct"])
            samples["import.ready_rss"][key].append(result["rss_construct"])
            samples["import.modules"][key].append(result["modules"])
    notes["import_probes"] = {key: PROBES[key] for key in keys}


# --- reporting --------------------------------------------------------------------------------


def _median(samples: Samples, metric: str, key: str) -> float | None:
    values = samples.get(metric, {}).get(key)
    return statistics.median(values) if values else None


@dataclass
class Row:
    label: str
    metric: str
    unit: str  # ms, s, MB, us
    scale: float = 1.0
    target: str = ""
    check: Any = None  # (value, raw value, samples) -> bool | None
    ratio: bool = True
    contenders: tuple[str, ...] | None = None


def _fmt(value: float | None, unit: str, scale: float) -> str:
    if value is None:
        return "—"
    v = value * scale
    if unit == "MB":
        return f"{v:.1f} MB"
    digits = 0 if v >= 100 else 1 if v >= 10 else 2
    return f"{v:.{digits}f} {unit}"


def _ratio_check(limit: float) -> Any:
    def check(value: float, raw: float | None, _: Samples) -> bool | None:
        return None if raw in (None, 0) else value / raw <= limit

    return check


def _absolute_check(limit_seconds: float) -> Any:
    return lambda value, raw, _: value <= limit_seconds


def _rows(settings: Settings) -> list[tuple[str, list[Row]]]:
    per = "per 10k deltas"
    sections: list[tuple[str, list[Row]]] = []
    if "stream" in settings.sections:
        for mode, kind, title in (
            ("sync", "text", "Streaming, sync, text deltas"),
            ("async", "text", "Streaming, async, text deltas"),
            ("sync", "fc", "Streaming, sync, function-call argument deltas"),
        ):
            name = f"stream_{mode}_{kind}"
            sections.append(
                (
                    title,
                    [
                        Row(
                            f"client CPU {per} ¹",
                            f"{name}.cpu",
                            "ms",
                            1e3,
                            "≤ 3.5×",
                            _ratio_check(3.5),
                        ),
                        Row(f"wall {per} ²", f"{name}.wall", "ms", 1e3),
                        Row(f"server CPU {per}", f"{name}.server", "ms", 1e3, ratio=False),
                    ],
                )
            )
    if "call" in settings.sections:
        sections.append(
            (
                "Small non-streamed call (median per call)",
                [
                    Row("wall ²", "call.wall", "ms", 1e3, "≤ 1.9×", _ratio_check(1.9)),
                    Row("client CPU ¹", "call.cpu", "ms", 1e3, "≤ 1.9×", _ratio_check(1.9)),
                    Row("server CPU", "call.server", "ms", 1e3, ratio=False),
                ],
            )
        )
    if "concurrent" in settings.sections:
        c = f"{settings.conc_streams} concurrent astream × {settings.conc_deltas} deltas"
        sections.append(
            (
                c,
                [
                    Row("wall ²", "concurrent.wall", "ms", 1e3, "≤ 3×", _ratio_check(3.0)),
                    Row("client CPU ¹", "concurrent.cpu", "ms", 1e3, "≤ 3×", _ratio_check(3.0)),
                    Row("peak RSS (process)", "concurrent.peak_rss", "MB"),
                    Row("RSS growth during the burst", "concurrent.rss_growth", "MB", ratio=False),
                    Row("server CPU", "concurrent.server", "ms", 1e3, ratio=False),
                ],
            )
        )
    if "import" in settings.sections:
        sections.append(
            (
                "Import in a fresh interpreter (bytecode cached)",
                [
                    Row(
                        "import time (CPU) ¹",
                        "import.time",
                        "ms",
                        1e3,
                        "≤ floor + 50 ms",
                        _import_check,
                    ),
                    Row("import time (wall) ²", "import.wall", "ms", 1e3),
                    Row(
                        "RSS after import",
                        "import.rss",
                        "MB",
                        1.0,
                        "≤ 70 MB",
                        lambda v, r, s: v <= 70,
                    ),
                    Row("import + construct client/model (CPU)", "import.ready", "ms", 1e3),
                    Row("RSS after construct", "import.ready_rss", "MB"),
                    Row("modules loaded", "import.modules", "", 1.0),
                ],
            )
        )
    if "history" in settings.sections:
        sizes = settings.history_sizes
        rows = [
            Row(
                f"{size} messages",
                f"history.{size}",
                "ms",
                1e3,
                *(("≤ 30 ms, linear", _history_check(settings)) if size == max(sizes) else ()),
            )
            for size in sizes
        ]
        if not settings.quick:
            rows.append(
                Row(
                    f"{max(sizes)} messages, through to JSON bytes",
                    f"history.{max(sizes)}.bytes",
                    "ms",
                    1e3,
                )
            )
        sections.append(("Request building for an agent history (median CPU per build) ¹", rows))
    return sections


def _import_check(value: float, raw: float | None, samples: Samples) -> bool | None:
    floor = _median(samples, "import.time", "floor")
    return None if floor is None else value <= floor + 0.050


def _history_check(settings: Settings) -> Any:
    return lambda value, raw, samples: value <= 0.030


def _linearity(samples: Samples, settings: Settings, key: str) -> float | None:
    sizes = sorted(settings.history_sizes)
    if len(sizes) < 2:
        return None
    small, big = sizes[-2], sizes[-1]
    t_small, t_big = (
        _median(samples, f"history.{small}", key),
        _median(samples, f"history.{big}", key),
    )
    if not t_small or not t_big:
        return None
    return (t_big / big) / (t_small / small)


def _cell(value: float | None, raw: float | None, row: Row, key: str) -> str:
    text = (
        _fmt(value, row.unit, row.scale) if row.unit else ("—" if value is None else f"{value:.0f}")
    )
    if value is not None and row.ratio and key != "raw" and raw:
        ratio = value / raw
        text += f" ({ratio:.2f}×)" if ratio < 10 else f" ({ratio:.0f}×)"
    return text


def build_table(samples: Samples, settings: Settings) -> tuple[str, list[str]]:
    keys = settings.contenders
    header = [
        "Scenario",
        *(LABELS[k] for k in keys),
        "Target",
        *(f"{LABELS[k]} meets?" for k in CHECKED if k in keys),
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + [":-:"] * (len(header) - 1)) + "|",
    ]
    verdicts: list[str] = []
    for title, rows in _rows(settings):
        lines.append("| **" + title + "** |" + " |" * (len(header) - 1))
        for row in rows:
            raw = _median(samples, row.metric, "raw")
            cells = [row.label]
            for key in keys:
                cells.append(_cell(_median(samples, row.metric, key), raw, row, key))
            cells.append(row.target)
            for key in CHECKED:
                if key not in keys:
                    continue
                value = _median(samples, row.metric, key)
                verdict = ""
                if row.check is not None and value is not None:
                    ok = row.check(value, raw, samples)
                    if row.metric.startswith("history.") and row.metric.count(".") == 1:
                        lin = _linearity(samples, settings, key)
                        ok = ok and (lin is not None and lin <= 1.25)
                    if ok is not None:
                        verdict = "✅" if ok else "❌"
                        if not ok:
                            verdicts.append(f"{LABELS[key]}: {title} / {row.label} ({row.target})")
                cells.append(verdict)
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), verdicts


def _versions() -> dict[str, str]:
    out = {}
    for name in (
        "langchain-responses",
        "langchain-core",
        "langchain-openai",
        "openai",
        "httpx",
        "httpx2",
        "pydantic",
        "pydantic-core",
        "tenacity",
        "langsmith",
    ):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[name] = importlib.metadata.version(name)
    return out


def _git() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "langchain_responses")
    return head + (" (+ uncommitted changes in langchain_responses/)" if dirty else "")


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_info(notes: dict[str, Any]) -> list[str]:
    mem = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    versions = ", ".join(f"{k} {v}" for k, v in _versions().items())
    load = "/".join(f"{x:.2f}" for x in notes.get("load_start", ()))
    load_end = "/".join(f"{x:.2f}" for x in notes.get("load_end", ()))
    return [
        f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}",
        f"- Machine: {_cpu_model()}, {os.cpu_count()} cores{mem}; {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}); {versions}",
        f"- langchain-responses at git {_git()}",
        f"- Load average (1/5/15 min) at start {load}, at end {load_end}",
    ]


def render(samples: Samples, settings: Settings, notes: dict[str, Any], elapsed: float) -> str:
    table, failures = build_table(samples, settings)
    mode = "quick" if settings.quick else "full"
    lines = [
        "# langchain-responses benchmarks",
        "",
        f"Generated by `.venv/bin/python -m benchmarks{' --quick' if settings.quick else ''}` "
        f"({mode} run, {elapsed:.0f} s). Medians over {settings.rounds} rounds "
        f"({settings.conc_rounds} for concurrency, {settings.import_rounds} for imports); "
        "ratios are to raw httpx in the same row.",
        "",
        *machine_info(notes),
        *(
            [
                "- Quick mode: 5,000 deltas per stream (scaled to 10k), 100 × 50 concurrent "
                "streams, 2 import rounds. langchain-core's chunk merging is superlinear, so the "
                "chat-model rows read lower than in a full run; use the full run for decisions.",
            ]
            if settings.quick
            else []
        ),
        "",
        table,
        "",
    ]
    if "history" in settings.sections:
        lin = []
        for key in settings.contenders:
            value = _linearity(samples, settings, key)
            if value is not None:
                lin.append(f"{LABELS[key]} {value:.2f}")
        sizes = sorted(settings.history_sizes)
        if lin and len(sizes) >= 2:
            lines += [
                f"History build linearity (time per message at {sizes[-1]} ÷ at {sizes[-2]}; "
                "1.00 = perfectly linear, the target allows ≤ 1.25): " + ", ".join(lin) + ".",
                "",
            ]
    if "stream" in settings.sections:
        shares = []
        for mode, kind in (("sync", "text"), ("async", "text"), ("sync", "fc")):
            server = max(
                (_median(samples, f"stream_{mode}_{kind}.server", k) or 0.0)
                for k in settings.contenders
            )
            raw = _median(samples, f"stream_{mode}_{kind}.cpu", "raw")
            if raw:
                shares.append((server, server / raw))
        if shares:
            worst = max(shares, key=lambda pair: pair[1])
            lines += [
                f"Server check: the SSE server used at most {worst[0] * 1e3:.1f} ms CPU per 10k "
                f"deltas, {worst[1]:.0%} of what the fastest client (raw httpx) needed to read "
                "them, so it is not the bottleneck.",
                "",
            ]
    if "import" in settings.sections:
        floor = [
            f"{name} {_fmt(_median(samples, 'import.time', key), 'ms', 1e3)} / "
            f"{_fmt(_median(samples, 'import.rss', key), 'MB', 1)}"
            for key, name in (
                ("python", "bare interpreter"),
                ("core", "langchain-core alone"),
                ("floor", "floor = langchain-core + httpx + pydantic + tenacity"),
            )
            if _median(samples, "import.time", key) is not None
        ]
        lines += ["Import floors (time / RSS): " + "; ".join(floor) + ".", ""]
    lines += [
        "¹ CPU time of the measuring process (`time.process_time()`): robust to preemption on a "
        "shared machine. ² Wall-clock: also depends on the machine's load (see the load average "
        "above); judge the CPU rows first.",
        "",
        "Targets not met: " + ("; ".join(failures) if failures else "none") + ".",
        "",
        "How it is measured:",
        "",
        f"- Server: `benchmarks/server.py`, asyncio raw-socket HTTP/1.1 (uvloop if installed) in "
        f"its own process, precomputed Responses SSE bodies (response.created, in_progress, "
        f"output_item.added, content_part.added, N deltas, *.done events, response.completed "
        f"with usage), each event its own HTTP chunk, {settings.events_per_write} events per "
        "socket write. Its CPU per scenario is in the *server CPU* rows: well below the fastest "
        "client's, so it is not the bottleneck.",
        "- Each library runs in its own worker process (only its own imports), warmed up and "
        "verified (every delta received, text/arguments identical) before measuring; contenders "
        "are interleaved and their order rotated every round. CPU is `time.process_time()` of "
        "the worker (all threads), wall is `time.perf_counter()`.",
        "- Raw httpx: `client.stream()` + `iter_lines()` + `json.loads` per `data:` line. "
        "openai SDK: `responses.create(stream=True)`. Clients keep the text of every delta; chat "
        "models are consumed with `.stream()` / `.astream()` (langchain-openai: "
        "`ChatOpenAI(use_responses_api=True)`). The bare BaseChatModel yields the same chunk "
        "shapes as ChatResponses without I/O: langchain-core's own per-chunk floor.",
        "- Concurrency: a fresh process per library and round; peak RSS is the process's "
        "`ru_maxrss` (imports included).",
        "- History build: raw = a hand-written messages → input-items loop; openai = the same + "
        "the SDK's `maybe_transform`; langchain-openai = `ChatOpenAI._get_request_payload`; "
        "lr ResponsesClient = hand-written items + `resources._specs.create`; lr ChatResponses "
        "= `convert.params.request_body(settings, messages)`. The *through to JSON bytes* row adds "
        "what happens next at call time (client body building and JSON encoding).",
        "",
    ]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


@contextlib.contextmanager
def _timer() -> Iterator[list[float]]:
    out: list[float] = []
    start = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n", 1)[0]
    )
    parser.add_argument("--quick", action="store_true", help="~1 minute: fewer rounds and deltas")
    parser.add_argument("--rounds", type=int, help="rounds for streams, calls and history")
    parser.add_argument("--deltas", type=int, help="deltas per measured stream (default 10000)")
    parser.add_argument("--calls", type=int, help="small calls per round")
    parser.add_argument("--conc-rounds", type=int, help="rounds of the concurrency scenario")
    parser.add_argument(
        "--concurrency", type=int, nargs=2, metavar=("STREAMS", "DELTAS"), help="default 200 200"
    )
    parser.add_argument("--import-rounds", type=int, help="fresh interpreters per library")
    parser.add_argument(
        "--events-per-write", type=int, default=8, help="server: SSE events per socket write"
    )
    parser.add_argument("--only", nargs="+", choices=CONTENDER_KEYS, help="a subset of libraries")
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=("stream", "call", "history", "concurrent", "import"),
        help="a subset of scenarios",
    )
    parser.add_argument(
        "--output", type=Path, default=HERE / "results.md", help="Markdown file to write"
    )
    args = parser.parse_args(argv)
    settings = Settings.from_args(args)
    if "raw" not in settings.contenders:
        settings.contenders = ("raw", *settings.contenders)
    CACHE.mkdir(exist_ok=True)
    with _timer() as elapsed:
        samples, notes = measure(settings)
    report = render(samples, settings, notes, elapsed[0] if elapsed else 0.0)
    print(report)
    args.output.write_text(report)
    args.output.with_suffix(".json").write_text(
        json.dumps({"settings": settings.__dict__, "notes": notes, "samples": samples}, indent=1)
    )
    _log(f"wrote {args.output} and {args.output.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
