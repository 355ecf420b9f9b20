"""V4A diffs (the ``diff`` of an ``apply_patch_call``): parse and apply them, without I/O.

Where openai-agents ``apply_diff`` and codex ``apply-patch`` disagree we chose
(``docs/tool-adapters.md`` §1.7):

- Matching: a hunk's old lines (space and ``-`` lines) are searched from the end of the previous
  hunk in four passes, first hit wins: exact, trailing whitespace ignored, surrounding whitespace
  ignored, then Unicode dashes/quotes/spaces folded to ASCII as well (codex's last pass). Matched
  context lines keep the file's text; ``+`` lines are inserted verbatim. Nothing else is guessed.
- A hunk whose old lines end with an empty line (a blank separator between hunks) is retried
  without it when it does not match (codex).
- ``@@`` anchors: a single anchor is advisory (agents) - an anchor that is not found is reported
  as a note, not an error; two or more stacked ``@@`` lines narrow step by step and must all be
  found. An anchor already passed by an earlier hunk counts as found.
- ``*** End of File``: the hunk's old lines must be the last lines of the file (strict).
- Pure insertions (only ``+`` lines) go at the cursor: the top of the file, or right after the
  anchor (agents). ``PatchRules.pure_insert_at_end`` sends anchor-less ones to the end (codex).
- Line endings are kept per line; inserted lines take the file's first line ending, else the
  diff's, else LF (codex's preserving variant). A lone CR inside a line is content.
- Final newline: with ``PatchRules.add_final_newline`` false (agents, for ``diff`` strings) an
  updated file keeps its state (an empty file counts as ending with one) and a created file ends
  with a newline only if the diff ends with a bare ``+`` line; true (codex, for envelopes) ends
  every written file with a newline.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

Op = Literal[" ", "-", "+"]
_OPS: dict[str, Op] = {" ": " ", "-": "-", "+": "+"}

EOF_MARKER = "*** End of File"
END_PATCH = "*** End Patch"
_MAX_SHOWN_LINES = 20


class PatchApplyError(ValueError):
    """A patch could not be parsed or applied; the message is written for the model."""


class PatchSyntaxError(PatchApplyError):
    """The patch text is malformed; ``line`` is 1-based within the parsed text when known."""

    def __init__(self, detail: str, line: int | None = None) -> None:
        super().__init__(detail if line is None else f"line {line}: {detail}")
        self.detail = detail
        self.line = line


class HunkMismatchError(PatchApplyError):
    """A well-formed hunk does not fit the file."""

    def __init__(self, hunk: Hunk, reason: str) -> None:
        super().__init__(f"{hunk.label()} did not match: {reason}")
        self.hunk = hunk
        self.reason = reason


@dataclass(frozen=True)
class PatchRules:
    """The behaviours on which the two reference implementations differ (see module doc)."""

    add_final_newline: bool = False
    pure_insert_at_end: bool = False
    overwrite: bool = False
    """Whether create_file / a move may replace an existing file (used by the editor)."""


DIFF_RULES = PatchRules()
"""openai-agents behaviour, for the ``diff`` of ``apply_patch_call`` operations."""
ENVELOPE_RULES = PatchRules(add_final_newline=True, pure_insert_at_end=True, overwrite=True)
"""codex behaviour, for ``*** Begin Patch`` envelopes."""


@dataclass(frozen=True)
class Hunk:
    """One section of an update diff: its ``@@`` lines, body and end-of-file flag."""

    number: int
    anchors: tuple[str, ...]
    markers: int
    lines: tuple[tuple[Op, str], ...]
    end_of_file: bool = False

    @property
    def old(self) -> list[str]:
        return [text for op, text in self.lines if op != "+"]

    def label(self) -> str:
        first = next((text for op, text in self.lines if op != "+"), None)
        if first is not None:
            return f"hunk {self.number} (first context line '{_clip(first)}')"
        if self.anchors:
            return f"hunk {self.number} (@@ {_clip(self.anchors[0])})"
        return f"hunk {self.number} (insertion of '{_clip(self.lines[0][1])}')"


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class UpdateDiff:
    hunks: tuple[Hunk, ...]
    eol: str


@dataclass(frozen=True)
class Applied:
    text: str
    notes: tuple[str, ...] = ()


def diff_lines(diff: str) -> list[str]:
    """Split a diff into lines, dropping CRs before LF and the empty tail of a final newline."""
    lines = [line.removesuffix("\r") for line in diff.split("\n")]
    if lines[-1] == "":
        lines.pop()
    return lines


def _eol_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def create_text(diff: str, rules: PatchRules = DIFF_RULES) -> str:
    """The content of a new file from an all-``+`` diff."""
    eol = _eol_of(diff)
    body: list[str] = []
    for number, line in enumerate(diff_lines(diff), start=1):
        if not line.startswith("+"):
            raise PatchSyntaxError(
                f"Invalid Add File Line: '{line}'. Every line of a new file must start with '+'",
                number,
            )
        body.append(line[1:])
    if rules.add_final_newline:
        return "".join(line + eol for line in body)
    return eol.join(body)


class _HunkParser:
    """Line-by-line state machine for the hunks of one file."""

    def __init__(self) -> None:
        self.hunks: list[Hunk] = []
        self.anchors: list[str] = []
        self.markers = 0
        self.body: list[tuple[Op, str]] = []
        self.needs_marker = False
        self.start = 1

    def feed(self, number: int, line: str) -> None:
        if line.startswith("@@"):
            self._marker(number, line)
        elif line.rstrip() == EOF_MARKER:
            self._close(number, end_of_file=True)
        elif not self.body and not self.markers and not line.strip():
            return  # blank lines between hunks (before the first, after an EOF marker)
        elif self.needs_marker and not self.markers:
            raise PatchSyntaxError(
                f"Expected update hunk to start with a @@ context marker, got: '{line}'", number
            )
        else:
            self._body_line(number, line)

    def finish(self, number: int) -> tuple[Hunk, ...]:
        if self.body or self.markers:
            self._close(number)
        if not self.hunks:
            raise PatchSyntaxError("the diff contains no hunks")
        return tuple(self.hunks)

    def _marker(self, number: int, line: str) -> None:
        if self.body:
            self._close(number)
        if not self.markers:
            self.start = number
        self.markers += 1
        text = line[2:].removeprefix(" ")
        if text.strip():
            self.anchors.append(text)

    def _body_line(self, number: int, line: str) -> None:
        op = _OPS.get(line[:1]) if line else " "
        if op is None:
            raise PatchSyntaxError(_unexpected_line(line), number)
        if not self.body and not self.markers:
            self.start = number
        self.body.append((op, line[1:]))

    def _close(self, number: int, *, end_of_file: bool = False) -> None:
        if not self.body:
            raise PatchSyntaxError("Update hunk does not contain any lines", number)
        hunk = Hunk(
            len(self.hunks) + 1, tuple(self.anchors), self.markers, tuple(self.body), end_of_file
        )
        self.hunks.append(hunk)
        self.anchors, self.markers, self.body = [], 0, []
        self.needs_marker = True


def _unexpected_line(line: str) -> str:
    if line.startswith("***"):
        return (
            f"Unexpected marker '{line}': a diff holds the hunks of one file (@@ lines, "
            f"' '/'-'/'+' lines and '{EOF_MARKER}')"
        )
    return (
        f"Unexpected line found in update hunk: '{line}'. Every line should start with "
        "' ' (context line), '+' (added line), or '-' (removed line)"
    )


def parse_update_diff(diff: str) -> UpdateDiff:
    """Parse the hunks of an update diff; raises `PatchSyntaxError`."""
    parser = _HunkParser()
    lines = diff_lines(diff)
    for number, line in enumerate(lines, start=1):
        if line.rstrip() == END_PATCH:
            break
        parser.feed(number, line)
    return UpdateDiff(parser.finish(len(lines)), _eol_of(diff))


def split_lines(text: str) -> list[tuple[str, str]]:
    """``(text, line ending)`` pairs; only LF and CRLF end lines, the last one may have ``""``."""
    parts = text.split("\n")
    lines = [(part[:-1], "\r\n") if part.endswith("\r") else (part, "\n") for part in parts[:-1]]
    if parts[-1]:
        lines.append((parts[-1], ""))
    return lines


_FOLD = str.maketrans(
    {
        **{chr(code): "-" for code in [*range(0x2010, 0x2016), 0x2212]},
        **{chr(code): "'" for code in range(0x2018, 0x201C)},
        **{chr(code): '"' for code in range(0x201C, 0x2020)},
        **{chr(code): " " for code in [0xA0, *range(0x2002, 0x200B), 0x202F, 0x205F, 0x3000]},
    }
)


def _same(text: str) -> str:
    return text


def _rstrip(text: str) -> str:
    return text.rstrip()


def _strip(text: str) -> str:
    return text.strip()


def _fold(text: str) -> str:
    return text.translate(_FOLD).strip()


_PASSES: tuple[Callable[[str], str], ...] = (_same, _rstrip, _strip, _fold)
_PASS_NAMES = ("", "trailing whitespace", "whitespace", "whitespace and Unicode punctuation")
_ANCHOR_PASSES = (0, 2, 3)


@dataclass
class _Document:
    lines: list[tuple[str, str]]
    final_newline: bool
    eol: str
    views: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, fallback_eol: str) -> _Document:
        lines = split_lines(text)
        eol = next((ending for _, ending in lines if ending), fallback_eol)
        return cls(lines, text == "" or text.endswith("\n"), eol)

    def view(self, level: int) -> list[str]:
        """The file's lines as compared in matching pass ``level`` (cached)."""
        if level not in self.views:
            normalize = _PASSES[level]
            self.views[level] = [normalize(text) for text, _ in self.lines]
        return self.views[level]

    def seek(self, pattern: Sequence[str], start: int, *, at_end: bool) -> tuple[int, int] | None:
        """``(index, pass)`` of the first match at or after ``start``, or None."""
        last = len(self.lines) - len(pattern)
        if last < start:
            return None
        positions = range(last, last + 1) if at_end else range(start, last + 1)
        for level, normalize in enumerate(_PASSES):
            view, wanted = self.view(level), [normalize(line) for line in pattern]
            for index in positions:
                if view[index : index + len(wanted)] == wanted:
                    return index, level
        return None

    def find_anchor(self, anchor: str, start: int, *, reuse_before: bool) -> int | None:
        """Cursor just after ``anchor``; ``start`` itself if it was passed already."""
        for level in _ANCHOR_PASSES:
            view, wanted = self.view(level), _PASSES[level](anchor)
            if reuse_before and wanted in view[:start]:
                return start
            if wanted in view[start:]:
                return view.index(wanted, start) + 1
        return None


@dataclass(frozen=True)
class _Edit:
    start: int
    length: int
    lines: tuple[tuple[Op, str], ...]


def _without_trailing_blank(
    lines: tuple[tuple[Op, str], ...],
) -> tuple[tuple[Op, str], ...] | None:
    """The body without its last old line when that line is empty (codex's retry)."""
    index = max((i for i, (op, _) in enumerate(lines) if op != "+"), default=-1)
    if index < 0 or lines[index][1]:
        return None
    later_additions = any(op == "+" for op, _ in lines[index + 1 :])
    if lines[index][0] == " " and later_additions:
        return (*lines[:index], ("+", ""), *lines[index + 1 :])
    return lines[:index] + lines[index + 1 :]


class _Locator:
    """Places hunks one after another, moving a cursor through the file."""

    def __init__(self, doc: _Document, rules: PatchRules) -> None:
        self.doc = doc
        self.rules = rules
        self.cursor = 0
        self.edits: list[_Edit] = []
        self.notes: list[str] = []

    def place(self, hunk: Hunk) -> None:
        anchored = self._follow_anchors(hunk)
        if not hunk.old:
            at_end = hunk.end_of_file or (self.rules.pure_insert_at_end and not anchored)
            self.edits.append(_Edit(len(self.doc.lines) if at_end else self.cursor, 0, hunk.lines))
            return
        for lines in self._variants(hunk):
            old = [text for op, text in lines if op != "+"]
            found = self.doc.seek(old, self.cursor, at_end=hunk.end_of_file)
            if found is not None:
                start, level = found
                self.edits.append(_Edit(start, len(old), lines))
                self.cursor = start + len(old)
                if level:
                    self.notes.append(
                        f"{hunk.label()} matched only after ignoring {_PASS_NAMES[level]}"
                    )
                return
        raise HunkMismatchError(hunk, self._why(hunk))

    @staticmethod
    def _variants(hunk: Hunk) -> Iterator[tuple[tuple[Op, str], ...]]:
        yield hunk.lines
        shorter = _without_trailing_blank(hunk.lines)
        if shorter is not None and any(op != "+" for op, _ in shorter):
            yield shorter

    def _follow_anchors(self, hunk: Hunk) -> bool:
        if not hunk.anchors:
            return False
        if hunk.markers == 1:
            found = self.doc.find_anchor(hunk.anchors[0], self.cursor, reuse_before=True)
            if found is None:
                self.notes.append(
                    f"{hunk.label()}: anchor '@@ {hunk.anchors[0]}' was not found; "
                    "the hunk was placed by its context lines alone"
                )
                return False
            self.cursor = found
            return True
        position = self.cursor
        for index, anchor in enumerate(hunk.anchors):
            found = self.doc.find_anchor(anchor, position, reuse_before=index == 0)
            if found is None:
                after = f" after '@@ {hunk.anchors[index - 1]}'" if index else ""
                where = f" at or after line {position + 1}" if position and not index else ""
                raise HunkMismatchError(hunk, f"anchor '@@ {anchor}' was not found{after}{where}")
            position = found
        self.cursor = position
        return True

    def _why(self, hunk: Hunk) -> str:
        old = hunk.old
        if hunk.end_of_file:
            where = "at the end of the file (the hunk ends with *** End of File)"
        else:
            where = f"after line {self.cursor}" if self.cursor else "in the file"
        shown = [_clip(line, 300) for line in old[:_MAX_SHOWN_LINES]]
        shown += ["..."] if len(old) > _MAX_SHOWN_LINES else []
        reason = (
            f"these {len(old)} line(s) were not found {where}, even ignoring whitespace "
            "and Unicode punctuation:\n" + "\n".join(shown)
        )
        elsewhere = self.doc.seek(old, 0, at_end=False)
        if elsewhere is not None:
            reason += (
                f"\n(They do appear at line {elsewhere[0] + 1}: hunks must follow the order of "
                "the file, and an End of File hunk must match the last lines.)"
            )
        return reason + "\nRe-read the file and copy the context lines exactly."


def _emit(doc: _Document, edit: _Edit) -> Iterator[tuple[str, str | None]]:
    index = edit.start
    for op, text in edit.lines:
        if op == "+":
            yield text, None
            continue
        if op == " ":
            yield doc.lines[index]
        index += 1


def _render(doc: _Document, edits: list[_Edit], rules: PatchRules) -> str:
    out: list[tuple[str, str | None]] = []
    position = 0
    for edit in sorted(edits, key=lambda edit: edit.start):
        out.extend(doc.lines[position : edit.start])
        out.extend(_emit(doc, edit))
        position = max(position, edit.start + edit.length)
    out.extend(doc.lines[position:])
    if not out:
        return ""
    body = [text + (ending or doc.eol) for text, ending in out[:-1]]
    text, ending = out[-1]
    keep_newline = rules.add_final_newline or doc.final_newline
    return "".join(body) + text + ((ending or doc.eol) if keep_newline else "")


def apply_update(text: str, diff: str | UpdateDiff, rules: PatchRules = DIFF_RULES) -> Applied:
    """Apply an update diff to ``text``; raises `PatchSyntaxError` or `HunkMismatchError`."""
    parsed = diff if isinstance(diff, UpdateDiff) else parse_update_diff(diff)
    doc = _Document.parse(text, parsed.eol)
    locator = _Locator(doc, rules)
    for hunk in parsed.hunks:
        locator.place(hunk)
    return Applied(_render(doc, locator.edits, rules), tuple(locator.notes))


def unified_diff(old: str, new: str, *, context: int = 1) -> str:
    """A unified diff body (no file headers) for previews; empty when nothing changed."""
    before = [text for text, _ in split_lines(old)]
    after = [text for text, _ in split_lines(new)]
    lines = list(difflib.unified_diff(before, after, n=context, lineterm=""))[2:]
    return "".join(line + "\n" for line in lines)
