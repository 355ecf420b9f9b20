"""The ``*** Begin Patch`` envelope (codex, custom and function tools) and how it arrives. Pure.

`parse_envelope` turns the text into `FileOperation` values (Add -> ``create_file`` with the
``+`` lines as diff, Delete -> ``delete_file``, Update -> ``update_file`` with its hunks as diff
and ``move_to``), following codex's lenient parser: markers are compared trimmed, a heredoc
wrapper (``<<EOF`` / ``<<'EOF'`` / ``<<"EOF"``) is stripped, and the ``streaming`` mode parses
an unfinished patch for progress reporting only. `parse_apply_patch_argv` recognises the shell
argv shapes codex accepts (``apply_patch <patch>``, ``bash -lc "cd x && apply_patch <<'EOF' ..."``)
and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from langchain_responses.tools._v4a import EOF_MARKER, PatchSyntaxError, parse_update_diff

OperationType = Literal["create_file", "update_file", "delete_file"]
ParseMode = Literal["strict", "lenient", "streaming"]

BEGIN_PATCH = "*** Begin Patch"
END_PATCH = "*** End Patch"
ADD_FILE = "*** Add File: "
DELETE_FILE = "*** Delete File: "
UPDATE_FILE = "*** Update File: "
MOVE_TO = "*** Move to: "
APPLY_PATCH_COMMANDS = ("apply_patch", "applypatch")
IMPLICIT_INVOCATION = (
    'patch detected without explicit call to apply_patch. Rerun as ["apply_patch", "<patch>"]'
)
_HEREDOC_OPENERS = ("<<EOF", "<<'EOF'", '<<"EOF"')
_SNAPSHOT_WRAPPER = '. "$0" && exec "$@"'


@dataclass(frozen=True)
class FileOperation:
    """One file operation, as in an ``apply_patch_call`` (plus the unofficial ``move_to``)."""

    type: OperationType
    path: str
    diff: str = ""
    move_to: str | None = None


@dataclass(frozen=True)
class PatchInvocation:
    """An apply_patch found in a command line: the envelope text and an optional ``cd`` dir."""

    patch: str
    workdir: str | None = None


def parse_envelope(text: str, *, mode: ParseMode = "lenient") -> list[FileOperation]:
    """Parse a ``*** Begin Patch`` text; raises `PatchSyntaxError` (line numbers 1-based)."""
    lines = [line.removesuffix("\r") for line in text.strip().split("\n")]
    if mode == "strict":
        body = _strict_body(lines)
    elif mode == "lenient":
        body = _lenient_body(lines)
    else:
        body = _streaming_body(lines)
    return _parse_operations(body, streaming=mode == "streaming")


def _strict_body(lines: list[str]) -> list[str]:
    if lines[0].strip() != BEGIN_PATCH:
        raise PatchSyntaxError("The first line of the patch must be '*** Begin Patch'")
    if len(lines) < 2 or lines[-1].strip() != END_PATCH:
        raise PatchSyntaxError("The last line of the patch must be '*** End Patch'")
    return lines[1:-1]


def _lenient_body(lines: list[str]) -> list[str]:
    """Strict, or strict inside a heredoc wrapper (a gpt-4.1 habit codex tolerates)."""
    try:
        return _strict_body(lines)
    except PatchSyntaxError:
        wrapped = lines[0] in _HEREDOC_OPENERS and lines[-1].endswith("EOF") and len(lines) >= 4
        if not wrapped:
            raise
    return _strict_body(lines[1:-1])


def _streaming_body(lines: list[str]) -> list[str]:
    if lines[0].strip() != BEGIN_PATCH:
        return _strict_body(lines)
    if len(lines) > 1 and lines[-1].strip() == END_PATCH:
        return lines[1:-1]
    return lines[1:]


def _parse_operations(lines: list[str], *, streaming: bool) -> list[FileOperation]:
    operations: list[FileOperation] = []
    index = 0
    while index < len(lines):
        try:
            operation, used = _parse_operation(lines, index, streaming=streaming)
        except PatchSyntaxError:
            if streaming and operations:
                break  # the unfinished tail of a streamed patch
            raise
        operations.append(operation)
        index += used
    return operations


def _parse_operation(lines: list[str], index: int, *, streaming: bool) -> tuple[FileOperation, int]:
    header = lines[index].strip()
    if header.startswith(ADD_FILE):
        end = index + 1
        while end < len(lines) and lines[end].startswith("+"):
            end += 1
        diff = "\n".join(lines[index + 1 : end])
        return FileOperation("create_file", header[len(ADD_FILE) :].strip(), diff), end - index
    if header.startswith(DELETE_FILE):
        return FileOperation("delete_file", header[len(DELETE_FILE) :].strip()), 1
    if header.startswith(UPDATE_FILE):
        return _parse_update(lines, index, header[len(UPDATE_FILE) :].strip(), streaming)
    raise PatchSyntaxError(
        f"'{header}' is not a valid hunk header. Valid hunk headers: '*** Add File: {{path}}', "
        "'*** Delete File: {path}', '*** Update File: {path}'",
        index + 2,
    )


def _parse_update(
    lines: list[str], index: int, path: str, streaming: bool
) -> tuple[FileOperation, int]:
    start = index + 1
    move_to = None
    if start < len(lines) and lines[start].startswith(MOVE_TO):
        move_to = lines[start][len(MOVE_TO) :].strip()
        start += 1
    end = start
    while end < len(lines) and (
        not lines[end].startswith("*") or lines[end].rstrip() == EOF_MARKER
    ):
        end += 1
    body = lines[start:end]
    if not any(line.strip() for line in body):
        raise PatchSyntaxError(f"Update file hunk for path '{path}' is empty", index + 2)
    body = _checked_update_body(body, first_line=start + 2, streaming=streaming)
    return FileOperation("update_file", path, "\n".join(body), move_to), end - index


def _checked_update_body(body: list[str], *, first_line: int, streaming: bool) -> list[str]:
    """Validate the hunks now, so that errors carry envelope line numbers.

    While streaming, an unfinished last hunk is cut off instead, so that the operation count
    never drops as the text grows.
    """
    try:
        parse_update_diff("\n".join(body))
    except PatchSyntaxError as err:
        if not streaming:
            line = None if err.line is None else err.line + first_line - 1
            raise PatchSyntaxError(err.detail, line) from None
        for cut in range(len(body) - 1, 0, -1):
            try:
                parse_update_diff("\n".join(body[:cut]))
            except PatchSyntaxError:
                continue
            return body[:cut]
        raise
    return body


def parse_apply_patch_argv(argv: Sequence[str]) -> PatchInvocation | None:
    """The apply_patch call in a shell argv, or None when ``argv`` is something else.

    Raises `PatchSyntaxError` for a raw patch given without the ``apply_patch`` command, so the
    model is told to rerun it properly instead of having it run as a shell script.
    """
    args = _unwrap_snapshot(list(argv))
    script = _shell_script(args)
    if (len(args) == 1 and _is_patch(args[0])) or (script is not None and _is_patch(script)):
        raise PatchSyntaxError(IMPLICIT_INVOCATION)
    if len(args) == 2 and args[0] in APPLY_PATCH_COMMANDS:
        return PatchInvocation(args[1])
    return None if script is None else _heredoc_invocation(script)


def _is_patch(text: str) -> bool:
    try:
        parse_envelope(text)
    except PatchSyntaxError:
        return False
    return True


def _program(path: str) -> str:
    return re.split(r"[\\/]", path)[-1].lower().removesuffix(".exe")


def _is_shell(program: str, flag: str) -> bool:
    name = _program(program)
    if name in ("bash", "zsh", "sh"):
        return flag in ("-c", "-lc")
    if name in ("pwsh", "powershell"):
        return flag.lower() == "-command"
    return name == "cmd" and flag.lower() == "/c"


def _unwrap_snapshot(args: list[str]) -> list[str]:
    """Drop codex's shell-snapshot prefix: ``bash -c '. "$0" && exec "$@"' <snap> <argv...>``."""
    if len(args) >= 5 and _is_shell(args[0], args[1]) and args[2].strip() == _SNAPSHOT_WRAPPER:
        return args[4:]
    return args


def _shell_script(args: list[str]) -> str | None:
    if len(args) == 3 and _is_shell(args[0], args[1]):
        return args[2]
    no_profile = len(args) == 4 and args[1].lower() == "-noprofile"
    if no_profile and _program(args[0]) in ("pwsh", "powershell") and _is_shell(args[0], args[2]):
        return args[3]
    return None


# The first line of the only script shapes accepted: `[cd <one dir> && ]apply_patch <<TAG`.
_HEREDOC_HEADER = re.compile(
    r"\s*(?:cd[ \t]+(?P<cd>'[^']*'|\"[^\"$`\\]*\"|[^\s'\"$`\\;&|<>()]+)[ \t]*&&[ \t]*)?"
    r"(?:apply_patch|applypatch)[ \t]*<<[ \t]*(?P<quote>['\"]?)(?P<tag>\w+)(?P=quote)[ \t]*"
)


def _heredoc_invocation(script: str) -> PatchInvocation | None:
    header, _, rest = script.partition("\n")
    match = _HEREDOC_HEADER.fullmatch(header.removesuffix("\r"))
    if match is None:
        return None
    lines = [line.removesuffix("\r") for line in rest.split("\n")]
    if match["tag"] not in lines:
        return None
    end = lines.index(match["tag"])
    if any(line.strip() for line in lines[end + 1 :]):
        return None  # more commands after the heredoc
    workdir = match["cd"]
    if workdir is not None and workdir[:1] in ("'", '"'):
        workdir = workdir[1:-1]
    return PatchInvocation("\n".join(lines[:end]), workdir)
