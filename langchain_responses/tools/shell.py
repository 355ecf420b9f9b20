"""Client-side executor for the ``shell`` tool and the legacy ``local_shell`` tool.

Nothing runs without an approval policy; the refusal says how to set one (tool-adapters §3.5).
A sans-IO generator (parse, approve, one process per command, shape the output) is driven by two
shells that differ only in how they spawn: ``subprocess`` + threads, or ``asyncio``. POSIX only.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypedDict, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from langchain_responses.tools._process import Finished, Flow, Spawn, adrive, aspawn, drive, spawn

__all__ = [
    "ApprovalPolicy",
    "ExitOutcome",
    "ShellExecutor",
    "ShellOutput",
    "TimeoutOutcome",
    "allow_all",
    "allow_commands",
    "deny_all",
    "to_local_shell_call_output",
    "to_shell_call_output",
]

logger = logging.getLogger(__name__)

_TIMEOUT_EXIT = 124  # local_shell timeouts, as timeout(1) reports them
_DRAIN_TIMEOUT_S = 2.0  # after a kill, grandchildren that left the group may hold the pipes
_CHUNK = 1 << 16
_SAFE_ENV_KEYS = ("HOME", "LANG", "LC_ALL", "LC_CTYPE", "LOGNAME", "PATH", "SHELL", "TERM")
_MARKER = "\n[... {} characters truncated ...]"
_SHELL_SYNTAX = frozenset(";&|<>()`$\n")
_HOW_TO_ALLOW = (
    "To allow commands, give the executor an approval policy: "
    "ShellExecutor(approve=allow_all()) runs everything (only inside a sandbox you trust), "
    "ShellExecutor(approve=allow_commands(['ls', 'git status'])) allows command prefixes, "
    "and ShellExecutor(approve=policy) takes any policy(command: str) -> bool | str "
    "(True approves; False or a reason string refuses)."
)

ApprovalPolicy = Callable[[str], bool | str]
"""Decides one command line: ``True`` runs it; ``False`` or a reason string refuses it."""

_T = TypeVar("_T")


class ExitOutcome(TypedDict):
    """The command ran to completion (or was killed by a signal: 128 + signal number)."""

    type: Literal["exit"]
    exit_code: int


class TimeoutOutcome(TypedDict):
    """The command hit its timeout and its process group was killed."""

    type: Literal["timeout"]


class ShellOutput(TypedDict):
    """One entry of a ``shell_call_output`` item: the result of one command."""

    stdout: str
    stderr: str
    outcome: ExitOutcome | TimeoutOutcome


def allow_all() -> ApprovalPolicy:
    """Approve every command. Use it only where the model cannot do harm (container, VM)."""
    return lambda command: True


def deny_all(reason: str = "shell commands are disabled") -> ApprovalPolicy:
    """Refuse every command with ``reason`` (shown to the model on stderr)."""
    return lambda command: reason


def allow_commands(prefixes: Iterable[str]) -> ApprovalPolicy:
    """Approve simple commands whose leading words equal one of ``prefixes``.

    ``allow_commands(["ls", "git status"])`` approves ``ls -la src`` and ``git status --short``
    but not ``git push``. A prefix allows any arguments after it. Commands that use shell syntax
    (``; & | < > ( ) $`` backquotes or a newline outside single quotes) are refused, since they
    could chain or substitute a command the list does not allow.
    """
    allowed = [tuple(shlex.split(prefix)) for prefix in prefixes]
    if not allowed or not all(allowed):
        raise ValueError("allow_commands needs at least one non-empty command prefix")
    listing = ", ".join(repr(shlex.join(prefix)) for prefix in allowed)

    def approve(command: str) -> bool | str:
        if _has_shell_syntax(command):
            return "only simple commands are allowed (no ; & | < > ( ) $ ` or newlines)"
        words = tuple(shlex.split(command))
        if any(words[: len(prefix)] == prefix for prefix in allowed):
            return True
        return f"not in the allow-list ({listing})"

    return approve


def _has_shell_syntax(command: str) -> bool:
    """Whether ``command`` chains, redirects, substitutes or expands anything.

    Single-quoted text is literal to the shell; inside double quotes ``$`` and backquotes still
    expand. An unterminated quote counts as syntax, so the command is refused.
    """
    quote = ""
    chars = iter(command)
    for char in chars:
        if quote == "'":
            quote = "" if char == "'" else quote
        elif char == "\\":
            if next(chars, None) is None:
                return True  # a trailing backslash escapes nothing
        elif quote == '"':
            if char in "$`":
                return True
            quote = "" if char == '"' else quote
        elif char in "'\"":
            quote = char
        elif char in _SHELL_SYNTAX:
            return True
    return quote != ""


_STRICT = ConfigDict(strict=True, extra="ignore", populate_by_name=True)
_TIMEOUT_ALIASES = AliasChoices("timeout_ms", "timeoutMs", "timeout")


class _ShellAction(BaseModel):
    """A ``shell_call`` action; camelCase aliases are accepted (§3.3)."""

    model_config = _STRICT
    commands: list[str] = Field(min_length=1)
    timeout_ms: int | None = Field(None, ge=0, validation_alias=_TIMEOUT_ALIASES)
    max_output_length: int | None = Field(
        None, ge=0, validation_alias=AliasChoices("max_output_length", "maxOutputLength")
    )


class _ExecAction(BaseModel):
    """A legacy ``local_shell_call`` action: ``command`` is an argv vector, not a shell line."""

    model_config = _STRICT
    type: Literal["exec"] = "exec"
    command: list[str] = Field(min_length=1)
    env: dict[str, str] = Field(default_factory=dict)
    timeout_ms: int | None = Field(None, ge=0, validation_alias=_TIMEOUT_ALIASES)
    working_directory: str | None = None
    user: str | None = None


@dataclass(frozen=True, kw_only=True)
class ShellExecutor:
    """Runs ``shell_call`` / ``local_shell_call`` actions here, after approval.

    ``approve=None`` (the default) refuses everything. ``cwd`` (default: the current directory)
    also bounds ``local_shell``'s ``working_directory``. ``env`` defaults to PATH, HOME, locale
    and a few more from ``os.environ``, so secrets do not reach model-written commands.
    """

    approve: ApprovalPolicy | None = None
    cwd: str | os.PathLike[str] | None = None
    env: Mapping[str, str] | None = None
    timeout_ms: int = 10_000
    max_timeout_ms: int = 600_000
    max_output_length: int = 10_000
    capture_limit_bytes: int = 1 << 20

    def run(self, action: Mapping[str, Any]) -> list[ShellOutput]:
        """Run a ``shell_call`` action: its ``commands`` in order, stopping after a timeout.

        Returns one entry per command that ran, truncated to one shared character budget
        (``max_output_length`` of the action, capped by the executor's). A refused call runs
        nothing and returns a single entry with exit code 1 and the reason on stderr.
        """
        return drive(self._shell_flow(action), self._spawn)

    async def arun(self, action: Mapping[str, Any]) -> list[ShellOutput]:
        """Async twin of ``run``."""
        return await adrive(self._shell_flow(action), self._aspawn)

    def run_local_shell(self, action: Mapping[str, Any]) -> str:
        """Run a legacy ``local_shell_call`` ``exec`` action; argv is executed without a shell.

        Returns the JSON string the ``local_shell_call_output`` item carries (codex's shape):
        ``{"output": stdout + stderr, "metadata": {"exit_code": N, "duration_seconds": S}}``,
        exit code 124 on timeout and 1 when refused.
        """
        return drive(self._local_shell_flow(action), self._spawn)

    async def arun_local_shell(self, action: Mapping[str, Any]) -> str:
        """Async twin of ``run_local_shell``."""
        return await adrive(self._local_shell_flow(action), self._aspawn)

    def _shell_flow(self, action: Mapping[str, Any]) -> Flow[list[ShellOutput]]:
        parsed = _ShellAction.model_validate(action)
        requested = parsed.max_output_length
        limit = min(self.max_output_length, requested if requested is not None else sys.maxsize)
        refusal = self._refusal(parsed.commands)
        if refusal is not None:
            return _truncate([_shell_output(Finished("", refusal, 1, 0.0))], limit)
        timeout_s = self._timeout_s(parsed.timeout_ms)
        outputs: list[ShellOutput] = []
        shell = shutil.which("bash") or "/bin/sh"
        cwd = None if self.cwd is None else os.fspath(self.cwd)
        for command in parsed.commands:
            finished = yield Spawn((shell, "-c", command), cwd, self._env(), timeout_s)
            outputs.append(_shell_output(finished))
            if finished.returncode is None:
                break
        return _truncate(outputs, limit)

    def _local_shell_flow(self, action: Mapping[str, Any]) -> Flow[str]:
        try:
            spawn = self._local_spawn(action)
        except _RefusedError as refused:
            return _local_json(str(refused), 1, 0.0, self.max_output_length)
        finished = yield spawn
        if finished.returncode is None:
            note = f"command timed out after {round(spawn.timeout_s * 1000)} milliseconds\n"
            text, exit_code = note + finished.stdout + finished.stderr, _TIMEOUT_EXIT
        else:
            text, exit_code = finished.stdout + finished.stderr, finished.returncode
        return _local_json(text, exit_code, finished.duration_s, self.max_output_length)

    def _local_spawn(self, action: Mapping[str, Any]) -> Spawn:
        """The process for a ``local_shell`` action; model-set env vars are shown to the policy."""
        parsed = _ExecAction.model_validate(action)
        env = parsed.env
        assignments = [f"{shlex.quote(key)}={shlex.quote(value)}" for key, value in env.items()]
        shown = " ".join([*assignments, shlex.join(parsed.command)])
        refusal = self._refusal([shown]) or _user_refusal(parsed.user)
        if refusal is not None:
            raise _RefusedError(refusal)
        cwd = self._working_directory(parsed.working_directory)
        timeout_s = self._timeout_s(parsed.timeout_ms)
        return Spawn(tuple(parsed.command), str(cwd), {**self._env(), **env}, timeout_s)

    def _refusal(self, commands: Sequence[str]) -> str | None:
        """Why the call must not run, or ``None``: every command is approved before any runs."""
        if self.approve is None:
            logger.warning("ShellExecutor refused a command: no approval policy is set")
            return f"shell command not run: no approval policy is set. {_HOW_TO_ALLOW}"
        reasons = []
        for command in commands:
            verdict = self.approve(command)
            if verdict is not True:
                reason = verdict if isinstance(verdict, str) and verdict else "not approved"
                reasons.append(f"shell command refused: {command!r}: {reason}")
        return "\n".join(reasons) or None

    def _timeout_s(self, requested_ms: int | None) -> float:
        """The model's timeout (0 or none: the executor's default), capped by ``max_timeout_ms``."""
        return min(requested_ms or self.timeout_ms, self.max_timeout_ms) / 1000

    def _env(self) -> dict[str, str]:
        if self.env is not None:
            return dict(self.env)
        return {key: os.environ[key] for key in _SAFE_ENV_KEYS if key in os.environ}

    def _working_directory(self, requested: str | None) -> Path:
        """``working_directory`` resolved against ``cwd``; refused when it leaves ``cwd``."""
        root = Path(self.cwd if self.cwd is not None else os.getcwd()).resolve()
        if not requested:
            return root
        target = (root / requested).resolve()
        if target != root and root not in target.parents:
            raise _RefusedError(f"working_directory {requested!r} is outside {str(root)!r}")
        return target

    def _spawn(self, request: Spawn) -> Finished:
        return spawn(request, self.capture_limit_bytes)

    async def _aspawn(self, request: Spawn) -> Finished:
        return await aspawn(request, self.capture_limit_bytes)


def _shell_output(finished: Finished) -> ShellOutput:
    """The ``shell_call_output`` entry for one finished command."""
    outcome: ExitOutcome | TimeoutOutcome = {"type": "timeout"}
    if finished.returncode is not None:
        outcome = {"type": "exit", "exit_code": finished.returncode}
    return ShellOutput(stdout=finished.stdout, stderr=finished.stderr, outcome=outcome)


class _RefusedError(Exception):
    """Internal: the call is refused; the message goes to the model."""


def _user_refusal(user: str | None) -> str | None:
    """``local_shell`` may ask for a user; this executor cannot switch, so it refuses others."""
    if not user:
        return None
    current = getpass.getuser()
    return None if user == current else f"cannot run as user {user!r}: commands run as {current!r}"


class _Budget:
    """One character budget spent across streams in order; the cut point gets a marker."""

    def __init__(self, limit: int, total: int) -> None:
        self.left = limit
        self.unseen = total
        self.cut = False

    def take(self, text: str) -> str:
        if self.cut:
            return ""
        self.unseen -= len(text)
        if len(text) <= self.left:
            self.left -= len(text)
            return text
        self.cut = True
        keep = self.left - len(_MARKER.format(len(text) + self.unseen))  # widest marker fits
        if keep < 0:
            return text[: self.left]
        return text[:keep] + _MARKER.format(len(text) - keep + self.unseen)


def _truncate(outputs: Sequence[ShellOutput], limit: int) -> list[ShellOutput]:
    """Fit all outputs in ``limit`` characters, stdout before stderr, commands in order.

    The marker counts toward the limit (so truncating again changes nothing); it is left out
    only when the limit is too small to hold it.
    """
    total = sum(len(output["stdout"]) + len(output["stderr"]) for output in outputs)
    budget = _Budget(limit, total)
    return [
        ShellOutput(
            stdout=budget.take(output["stdout"]),
            stderr=budget.take(output["stderr"]),
            outcome=output["outcome"].copy(),
        )
        for output in outputs
    ]


def _local_json(text: str, exit_code: int, duration_s: float, limit: int) -> str:
    output = text if len(text) <= limit else _Budget(limit, len(text)).take(text)
    metadata = {"exit_code": exit_code, "duration_seconds": round(duration_s, 1)}
    return json.dumps({"output": output, "metadata": metadata})


def to_shell_call_output(
    call_id: str,
    outputs: Sequence[ShellOutput],
    max_output_length: int | None = None,
    *,
    caller: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``shell_call_output`` item answering ``call_id``.

    Pass the ``max_output_length`` the model asked for: it is echoed back and applied (again) as
    one shared budget, so outputs of a custom executor are held to it too. No ``status`` is sent
    (the API does not accept it yet); ``caller`` is copied from the call when it had one.
    """
    if not call_id:
        raise ValueError("a shell_call_output needs the call_id of its shell_call")
    limit = max(max_output_length, 0) if max_output_length is not None else sys.maxsize
    item: dict[str, Any] = {
        "type": "shell_call_output",
        "call_id": call_id,
        "output": _truncate(outputs, limit),
    }
    if max_output_length is not None:
        item["max_output_length"] = max_output_length
    if caller is not None:
        item["caller"] = dict(caller)
    return item


def to_local_shell_call_output(call_id: str, output: str) -> dict[str, Any]:
    """The ``local_shell_call_output`` item: keyed by ``call_id`` (not ``id``), see §3.1."""
    if not call_id:
        raise ValueError("a local_shell_call_output needs the call_id of its local_shell_call")
    return {"type": "local_shell_call_output", "call_id": call_id, "output": output}
