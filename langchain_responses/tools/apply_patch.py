"""Client-side executor for the ``apply_patch`` tool: edits UTF-8 files under one workspace root.

All operations of a call are parsed, matched and checked in memory first; only then is anything
written (each file through a temp file and ``os.replace``), and a failure while writing restores
what was already written. Problems the model caused come back as a ``failed`` `PatchResult`,
never as an exception. Paths are relative to the root (backslashes read as ``/``; an absolute path
is accepted only inside the root); ``..``, drive letters, UNC paths, NUL bytes and symlinks that
lead outside the root are refused. Symlinks inside the root are followed when reading and
writing; ``delete_file`` on a symlink removes the link. The root is assumed not to be changed
by an adversary while a call runs. Matching rules: `langchain_responses.tools._v4a`.

``apply``/``apply_operations`` use `DIFF_RULES` (openai-agents: no final newline is added,
create_file and moves never replace an existing file); ``apply_envelope`` uses `ENVELOPE_RULES`
(codex: files end with a newline, Add File and Move to overwrite). Both are constructor options.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from langchain_responses.tools._patch_envelope import (
    FileOperation,
    PatchInvocation,
    parse_apply_patch_argv,
    parse_envelope,
)
from langchain_responses.tools._v4a import (
    DIFF_RULES,
    ENVELOPE_RULES,
    HunkMismatchError,
    PatchApplyError,
    PatchRules,
    PatchSyntaxError,
    apply_update,
    create_text,
    unified_diff,
)

__all__ = [
    "DIFF_RULES",
    "ENVELOPE_RULES",
    "ApplyPatchEditor",
    "FileOperation",
    "HunkMismatchError",
    "PatchApplyError",
    "PatchInvocation",
    "PatchResult",
    "PatchRules",
    "PatchSyntaxError",
    "parse_apply_patch_argv",
    "parse_envelope",
    "to_output_item",
]

_OPERATION_TYPES = ("create_file", "update_file", "delete_file")
_DRIVE = re.compile(r"[A-Za-z]:")
_BOM = "\ufeff"
_NOTHING_WRITTEN = "Nothing was changed: a patch is applied completely or not at all."


@dataclass(frozen=True)
class PatchResult:
    """What goes back to the model as an ``apply_patch_call_output``."""

    status: Literal["completed", "failed"]
    output: str


def to_output_item(
    call_id: str, result: PatchResult, *, caller: Mapping[str, object] | None = None
) -> dict[str, object]:
    """The ``apply_patch_call_output`` input item answering the call ``call_id``."""
    if not isinstance(call_id, str) or not call_id:
        raise ValueError("call_id must be a non-empty string")
    item: dict[str, object] = {
        "type": "apply_patch_call_output",
        "call_id": call_id,
        "status": result.status,
        "output": result.output,
    }
    if caller is not None:
        item["caller"] = dict(caller)
    return item


class _Dumpable(Protocol):
    def model_dump(self) -> Mapping[str, object]: ...


OperationLike = Mapping[str, object] | FileOperation | _Dumpable


class _OperationError(Exception):
    """A problem with one operation that the model caused; the message is for the model."""


@dataclass(frozen=True)
class _Target:
    shown: str  # relative, "/"-separated: what the model sees
    path: Path  # resolved location inside the root
    lexical: Path  # root / shown, symlinks not followed


@dataclass(frozen=True)
class _Backup:
    data: bytes | None = None
    mode: int = 0o644
    link: str | None = None


@dataclass
class _Plan:
    """The final state of every touched path (None = removed), computed without writing."""

    root: Path
    changes: dict[Path, str | None] = field(default_factory=dict)
    events: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    previews: list[tuple[str, str, str]] = field(default_factory=list)

    def exists(self, path: Path) -> bool:
        if path in self.changes:
            return self.changes[path] is not None
        return path.exists() or path.is_symlink()

    def read(self, target: _Target) -> str:
        if target.path in self.changes:
            content = self.changes[target.path]
            if content is None:
                raise _OperationError(f"{target.shown} was deleted earlier in this patch")
            return content
        if target.path.is_dir():
            raise _OperationError(f"{target.shown} is a directory, not a file")
        if not target.path.is_file():
            raise _OperationError(f"{target.shown} does not exist")
        try:
            data = target.path.read_bytes()
        except OSError as err:
            raise _OperationError(f"{target.shown} could not be read ({err.strerror})") from None
        return _decode(data, target.shown)

    def check_destination(self, target: _Target, rules: PatchRules) -> None:
        """Refuse to write over a directory, an existing file (unless allowed) or under a file."""
        if target.path not in self.changes and target.path.is_dir():
            raise _OperationError(f"{target.shown} is a directory")
        if self.exists(target.path) and not rules.overwrite:
            raise _OperationError(f"{target.shown} already exists; use update_file to change it")
        for parent in target.path.parents:
            if parent == self.root:
                break
            blocked = self.changes[parent] is not None if parent in self.changes else None
            if blocked is None:
                blocked = parent.exists() and not parent.is_dir()
            if blocked:
                shown = parent.relative_to(self.root).as_posix()
                raise _OperationError(f"cannot create {target.shown}: {shown} is a file")


def _decode(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _OperationError(
            f"{shown} is not UTF-8 text (invalid byte at offset {err.start}); "
            "apply_patch only edits UTF-8 text files"
        ) from None
    if "\x00" in text:
        raise _OperationError(f"{shown} looks binary (it contains NUL bytes); not edited")
    return text


def _coerce(operation: object) -> FileOperation:
    if isinstance(operation, FileOperation):
        return operation
    dump = getattr(operation, "model_dump", None)
    data = dump() if callable(dump) else operation
    if not isinstance(data, Mapping):
        raise TypeError(f"an operation must be a mapping, not {type(operation).__name__}")
    kind = data.get("type")
    if kind not in _OPERATION_TYPES:
        raise _OperationError(
            f"unknown operation type {kind!r}; expected create_file, update_file or delete_file"
        )
    path, move_to, diff = data.get("path"), data.get("move_to"), data.get("diff")
    if not isinstance(path, str) or not path.strip():
        raise _OperationError("'path' must be a non-empty string")
    if move_to is not None and (not isinstance(move_to, str) or not move_to.strip()):
        raise _OperationError("'move_to' must be a non-empty string when given")
    if kind == "delete_file":
        return FileOperation("delete_file", path)
    if not isinstance(diff, str) or (kind == "update_file" and not diff.strip()):
        raise _OperationError(f"{kind} needs a non-empty 'diff' string")
    return FileOperation(kind, path, diff, move_to if kind == "update_file" else None)


class ApplyPatchEditor:
    """Applies ``apply_patch`` operations and envelopes to the files under ``root``."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        diff_rules: PatchRules = DIFF_RULES,
        envelope_rules: PatchRules = ENVELOPE_RULES,
    ) -> None:
        given = Path(root)
        self._root = given.resolve(strict=True)
        if not self._root.is_dir():
            raise NotADirectoryError(f"workspace root is not a directory: {given}")
        self._aliases = (self._root.parts[1:], Path(os.path.abspath(given)).parts[1:])
        self.diff_rules = diff_rules
        self.envelope_rules = envelope_rules

    @property
    def root(self) -> Path:
        """The resolved workspace root."""
        return self._root

    def apply(self, operation: OperationLike, *, dry_run: bool = False) -> PatchResult:
        """Apply the ``operation`` of one ``apply_patch_call``."""
        return self.apply_operations([operation], dry_run=dry_run)

    def apply_operations(
        self, operations: Iterable[OperationLike], *, dry_run: bool = False
    ) -> PatchResult:
        """Apply several operations all together or not at all."""
        if isinstance(operations, (str, bytes, Mapping)):
            raise TypeError("operations must be a sequence of operations")
        items = list(operations)
        if not items:
            return PatchResult("failed", "No operations were given. " + _NOTHING_WRITTEN)
        return self._run(items, self.diff_rules, envelope=False, dry_run=dry_run)

    def apply_envelope(
        self, text: str, *, workdir: str | None = None, dry_run: bool = False
    ) -> PatchResult:
        """Apply a ``*** Begin Patch`` text; relative paths start at ``workdir`` in the root."""
        if not isinstance(text, str):
            raise TypeError("the patch must be a str")
        try:
            operations = parse_envelope(text)
            base = self._workdir(workdir)
        except PatchSyntaxError as err:
            return PatchResult("failed", f"Invalid patch: {err}\n{_NOTHING_WRITTEN}")
        except _OperationError as err:
            return PatchResult("failed", f"Invalid working directory: {err}\n{_NOTHING_WRITTEN}")
        if not operations:
            return PatchResult("failed", "No files were modified.")
        return self._run(operations, self.envelope_rules, envelope=True, dry_run=dry_run, base=base)

    def apply_argv(self, argv: Sequence[str]) -> PatchResult | None:
        """Run a shell ``argv`` that invokes apply_patch; None when it does not."""
        try:
            invocation = parse_apply_patch_argv(argv)
        except PatchSyntaxError as err:
            return PatchResult("failed", str(err))
        if invocation is None:
            return None
        return self.apply_envelope(invocation.patch, workdir=invocation.workdir)

    def _run(
        self,
        operations: Sequence[object],
        rules: PatchRules,
        *,
        envelope: bool,
        dry_run: bool,
        base: tuple[str, ...] = (),
    ) -> PatchResult:
        plan = _Plan(self._root)
        for number, raw in enumerate(operations, start=1):
            try:
                operation = _coerce(raw)
                self._plan(plan, operation, rules, base)
            except (_OperationError, PatchApplyError) as err:
                return PatchResult("failed", _failure(number, len(operations), raw, err))
        if dry_run:
            return PatchResult("completed", _preview(plan, envelope))
        try:
            _commit(plan)
        except OSError as err:
            reason = err.strerror or type(err).__name__
            return PatchResult("failed", f"Writing the files failed ({reason}). {_NOTHING_WRITTEN}")
        return PatchResult("completed", _summary(plan, envelope))

    def _plan(
        self, plan: _Plan, operation: FileOperation, rules: PatchRules, base: tuple[str, ...]
    ) -> None:
        target = self._target(operation.path, base)
        if operation.type == "create_file":
            plan.check_destination(target, rules)
            content = create_text(operation.diff, rules)
            plan.previews.append((target.shown, "", content))
            plan.changes[target.path] = content
            plan.events.append(("A", target.shown))
        elif operation.type == "update_file":
            self._plan_update(plan, operation, target, rules, base)
        else:
            _plan_delete(plan, target)

    def _plan_update(
        self,
        plan: _Plan,
        operation: FileOperation,
        target: _Target,
        rules: PatchRules,
        base: tuple[str, ...],
    ) -> None:
        original = plan.read(target)
        bom = _BOM if original.startswith(_BOM) else ""
        applied = apply_update(original.removeprefix(bom), operation.diff, rules)
        content = bom + applied.text
        plan.notes.extend(f"{target.shown}: {note}" for note in applied.notes)
        destination = self._target(operation.move_to, base) if operation.move_to else target
        plan.previews.append((destination.shown, original, content))
        if destination.path != target.path:
            plan.check_destination(destination, rules)
            plan.changes[target.path] = None
        plan.changes[destination.path] = content
        plan.events.append(("M", destination.shown))

    def _target(self, raw: str, base: tuple[str, ...]) -> _Target:
        parts = self._parts(raw, base)
        if not parts:
            raise _OperationError(f"'{raw}' names the workspace root, not a file")
        lexical = self._root.joinpath(*parts)
        path = self._resolve(lexical)
        if path == self._root:
            raise _OperationError(f"'{raw}' names the workspace root, not a file")
        return _Target("/".join(parts), path, lexical)

    def _resolve(self, lexical: Path) -> Path:
        try:
            path = lexical.resolve()
        except (OSError, RuntimeError):
            raise _OperationError("the path cannot be resolved (symlink loop?)") from None
        if not path.is_relative_to(self._root):
            raise _OperationError("the path leads outside the workspace through a symlink")
        return path

    def _parts(self, raw: str, base: tuple[str, ...]) -> tuple[str, ...]:
        """The path's components below the root, or `_OperationError` for any escape."""
        if "\x00" in raw:
            raise _OperationError("the path contains a NUL byte")
        text = raw.strip().replace("\\", "/")
        if _DRIVE.match(text) or text.startswith("//"):
            raise _OperationError(
                f"'{raw}': drive letters and UNC paths are not allowed; "
                "use a path relative to the workspace root"
            )
        parts = tuple(part for part in text.split("/") if part not in ("", "."))
        if ".." in parts:
            raise _OperationError(f"'{raw}': '..' is not allowed in paths")
        if not text.startswith("/"):
            return base + parts
        for alias in self._aliases:
            if parts[: len(alias)] == alias:
                return parts[len(alias) :]
        raise _OperationError(
            f"'{raw}' is outside the workspace; use a path relative to the workspace root"
        )

    def _workdir(self, workdir: str | None) -> tuple[str, ...]:
        if workdir is None:
            return ()
        parts = self._parts(workdir, ())
        path = self._resolve(self._root.joinpath(*parts))
        return path.relative_to(self._root).parts


def _plan_delete(plan: _Plan, target: _Target) -> None:
    key = target.lexical if target.lexical.is_symlink() else target.path
    if key in plan.changes and plan.changes[key] is None:
        raise _OperationError(f"{target.shown} was already deleted earlier in this patch")
    if key not in plan.changes and key.is_dir() and not key.is_symlink():
        raise _OperationError(f"{target.shown} is a directory; delete_file only removes files")
    if not plan.exists(key):
        raise _OperationError(f"{target.shown} does not exist")
    plan.changes[key] = None
    plan.events.append(("D", target.shown))


def _failure(number: int, total: int, raw: object, err: Exception) -> str:
    where = f"Operation {number} of {total} failed: " if total > 1 else ""
    if isinstance(raw, FileOperation):
        what = f"{raw.type} {raw.path}: "
    elif isinstance(raw, Mapping) and isinstance(raw.get("path"), str):
        what = f"{raw.get('type')} {raw['path']}: "
    else:
        what = ""
    return f"{where}{what}{err}\n{_NOTHING_WRITTEN}"


_VERBS = {"A": "Created", "M": "Updated", "D": "Deleted"}


def _summary(plan: _Plan, envelope: bool) -> str:
    if envelope:
        order = sorted(plan.events, key=lambda event: "AMD".index(event[0]))
        lines = ["Success. Updated the following files:", *(f"{k} {p}" for k, p in order)]
    else:
        lines = [f"{_VERBS[kind]} {shown}" for kind, shown in plan.events]
    return "\n".join([*lines, *(f"Note: {note}" for note in plan.notes)])


def _preview(plan: _Plan, envelope: bool) -> str:
    parts = ["Dry run: nothing was written.", _summary(plan, envelope)]
    for shown, before, after in plan.previews:
        parts.append(f"--- {shown}\n+++ {shown}\n{unified_diff(before, after).rstrip()}")
    return "\n".join(parts)


def _commit(plan: _Plan) -> None:
    """Write the plan; on any failure restore what was written and re-raise."""
    journal: list[tuple[Path, _Backup | None]] = []
    made: list[Path] = []
    try:
        for path, content in plan.changes.items():
            journal.append((path, _backup(path)))
            if content is None:
                path.unlink()
            else:
                _make_parents(path, plan.root, made)
                _write_atomic(path, content.encode("utf-8"), None)
    except OSError:
        _restore(journal, made)
        raise


def _backup(path: Path) -> _Backup | None:
    if path.is_symlink():
        return _Backup(link=os.readlink(path))
    if path.is_file():
        return _Backup(data=path.read_bytes(), mode=path.stat().st_mode & 0o7777)
    return None


def _make_parents(path: Path, root: Path, made: list[Path]) -> None:
    missing = [parent for parent in path.parents if not parent.exists()]
    for parent in reversed(missing):
        parent.mkdir()
        made.append(parent)
    if not path.parent.resolve().is_relative_to(root):
        raise PermissionError(1, "a parent directory now leads outside the workspace")


def _write_atomic(path: Path, data: bytes, mode: int | None) -> None:
    """Write ``data`` to a temp file next to ``path`` and move it over ``path``."""
    if mode is None and path.is_file():
        mode = path.stat().st_mode & 0o7777
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _restore(journal: list[tuple[Path, _Backup | None]], made: list[Path]) -> None:
    """Best effort: put every journaled path back as it was, then drop created directories."""
    for path, backup in reversed(journal):
        try:
            if backup is not None and backup.data is not None:
                _write_atomic(path, backup.data, backup.mode)
                continue
            path.unlink(missing_ok=True)
            if backup is not None and backup.link is not None:
                os.symlink(backup.link, path)
        except OSError:
            continue
    for directory in reversed(made):
        try:
            directory.rmdir()
        except OSError:
            continue
