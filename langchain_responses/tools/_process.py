"""Running one command for the shell executor: spawn, capture, time out, kill the group.

The sync shell uses ``subprocess`` plus reader threads, the async one ``asyncio`` subprocesses;
the executor's sans-IO flow is driven by ``drive`` / ``adrive``. POSIX only.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import IO, TypeVar, cast

_T = TypeVar("_T")
_DRAIN_TIMEOUT_S = 2.0  # after a kill, grandchildren that left the group may hold the pipes
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Spawn:
    """One process to start: what the sans-IO flow asks its shell for."""

    argv: tuple[str, ...]
    cwd: str | None
    env: dict[str, str]
    timeout_s: float


@dataclass(frozen=True)
class Finished:
    """What the shell reports back: decoded streams and the exit code (``None``: timed out)."""

    stdout: str
    stderr: str
    returncode: int | None
    duration_s: float


Flow = Generator[Spawn, Finished, _T]


def spawn(request: Spawn, capture_limit: int) -> Finished:
    """Sync shell: ``subprocess`` plus one reader thread per pipe."""
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            request.argv,
            cwd=request.cwd,
            env=request.env,
            bufsize=0,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return _not_started(exc, started)
    out, err = _Capture(capture_limit), _Capture(capture_limit)
    readers = [
        threading.Thread(target=capture.drain, args=(pipe,), daemon=True)
        for pipe, capture in ((process.stdout, out), (process.stderr, err))
    ]
    for reader in readers:
        reader.start()
    returncode = _wait(process, request.timeout_s)
    for reader in readers:
        reader.join(_DRAIN_TIMEOUT_S)
    return Finished(out.text(), err.text(), returncode, time.monotonic() - started)


async def aspawn(request: Spawn, capture_limit: int) -> Finished:
    """Async shell: an ``asyncio`` subprocess plus one reader task per pipe."""
    started = time.monotonic()
    try:
        process = await asyncio.create_subprocess_exec(
            *request.argv,
            cwd=request.cwd,
            env=request.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        return _not_started(exc, started)
    out, err = _Capture(capture_limit), _Capture(capture_limit)
    pumps = [
        asyncio.ensure_future(capture.adrain(stream))
        for stream, capture in ((process.stdout, out), (process.stderr, err))
    ]
    returncode = await _await(process, request.timeout_s)
    _, pending = await asyncio.wait(pumps, timeout=_DRAIN_TIMEOUT_S)
    for task in pending:
        task.cancel()
    return Finished(out.text(), err.text(), returncode, time.monotonic() - started)


def drive(flow: Flow[_T], spawn: Callable[[Spawn], Finished]) -> _T:
    """Run a sans-IO flow to its end, answering each spawn request with ``spawn``."""
    try:
        request = next(flow)
        while True:
            request = flow.send(spawn(request))
    except StopIteration as stop:
        result: _T = stop.value
        return result


async def adrive(flow: Flow[_T], spawn: Callable[[Spawn], Awaitable[Finished]]) -> _T:
    """Async twin of ``drive``."""
    try:
        request = next(flow)
        while True:
            request = flow.send(await spawn(request))
    except StopIteration as stop:
        result: _T = stop.value
        return result


@dataclass
class _Capture:
    """Keeps the first ``limit`` bytes of a stream and counts the rest."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    dropped: int = 0

    def add(self, chunk: bytes) -> None:
        room = max(self.limit - len(self.data), 0)
        self.data += chunk[:room]
        self.dropped += max(len(chunk) - room, 0)

    def drain(self, pipe: IO[bytes] | None) -> None:
        """Read ``pipe`` to its end (in a thread), then close it."""
        with cast(IO[bytes], pipe) as stream:  # a PIPE is never None
            while chunk := stream.read(_CHUNK):
                self.add(chunk)

    async def adrain(self, stream: asyncio.StreamReader | None) -> None:
        """Async twin of ``drain``."""
        while chunk := await cast(asyncio.StreamReader, stream).read(_CHUNK):
            self.add(chunk)

    def text(self) -> str:
        text = self.data.decode("utf-8", errors="replace")
        if self.dropped:
            text += f"\n[... {self.dropped} more bytes were not captured ...]"
        return text


def _wait(process: subprocess.Popen[bytes], timeout_s: float) -> int | None:
    """The exit code, or ``None`` at the timeout; the group is killed if still running."""
    try:
        return _exit_code(process.wait(timeout_s))
    except subprocess.TimeoutExpired:
        return None
    finally:
        if process.returncode is None:
            _kill_group(process.pid)
            process.wait()


async def _await(process: asyncio.subprocess.Process, timeout_s: float) -> int | None:
    """Async twin of ``_wait`` (also kills the group when the task is cancelled)."""
    try:
        return _exit_code(await asyncio.wait_for(process.wait(), timeout_s))
    except asyncio.TimeoutError:
        return None
    finally:
        if process.returncode is None:
            _kill_group(process.pid)
            await process.wait()


def _kill_group(pid: int) -> None:
    """Kill the command and everything it started (it leads its own session/group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _exit_code(returncode: int) -> int:
    """Signal deaths (negative in Python) become 128 + signal, as a shell reports them."""
    return returncode if returncode >= 0 else 128 - returncode


def _not_started(exc: OSError, started: float) -> Finished:
    """A command that could not start is still an output the model can adapt to (127/126)."""
    exit_code = 127 if isinstance(exc, FileNotFoundError) else 126
    return Finished("", f"failed to start: {exc}", exit_code, time.monotonic() - started)
