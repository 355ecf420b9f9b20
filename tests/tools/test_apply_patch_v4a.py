"""The pure V4A diff engine: parsing, matching, line endings, and the §1.7 decisions."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from langchain_responses.tools._v4a import (
    DIFF_RULES,
    ENVELOPE_RULES,
    HunkMismatchError,
    PatchApplyError,
    PatchSyntaxError,
    apply_update,
    create_text,
    diff_lines,
    parse_update_diff,
    split_lines,
    unified_diff,
)


def lines(*items: str) -> str:
    return "\n".join(items)


def apply(text: str, diff: str, rules=DIFF_RULES) -> str:
    return apply_update(text, diff, rules).text


# --- openai-agents tests/test_apply_diff.py -------------------------------------------------


def test_floating_hunk_into_empty_file_adds_lines_with_final_newline():
    assert apply("", lines("@@", "+hello", "+world")) == "hello\nworld\n"


def test_empty_input_takes_newline_style_from_crlf_diff():
    assert apply("", "\r\n".join(["@@", "+hello", "+world"])) == "hello\r\nworld\r\n"


def test_create_requires_plus_prefix_on_every_line():
    with pytest.raises(PatchSyntaxError, match="Invalid Add File Line: 'plain line'"):
        create_text("plain line")


def test_create_ends_with_newline_only_when_last_line_is_bare_plus():
    assert create_text(lines("+hello", "+world", "+")) == "hello\nworld\n"
    assert create_text(lines("+a", "+b")) == "a\nb"
    assert create_text("+a\n+b\n") == "a\nb"


def test_contextual_replacement_with_anchor():
    diff = lines("@@ line1", "-line2", "+updated", " line3")
    assert apply("line1\nline2\nline3\n", diff) == "line1\nupdated\nline3\n"


STACKED_FILE = lines(
    "class BaseClass",
    "    def search():",
    "        pass",
    "",
    "class Subclass",
    "    def search():",
    "        pass",
    "",
)
STACKED_DIFF = lines(
    "@@ class BaseClass",
    "@@     def search():",
    "-        pass",
    "+        raise NotImplementedError()",
    "",
    "@@ class Subclass",
    "@@     def search():",
    "-        pass",
    "+        raise NotImplementedError()",
)


def test_stacked_anchors_from_the_tool_description():
    assert apply(STACKED_FILE, STACKED_DIFF) == STACKED_FILE.replace(
        "        pass", "        raise NotImplementedError()"
    )


def test_blank_separator_between_hunks_is_dropped_when_the_file_has_no_blank_line():
    # agents fails here (Invalid Anchor); we retry without the trailing empty context (codex).
    compact = STACKED_FILE.replace("pass\n\nclass", "pass\nclass")
    assert apply(compact, STACKED_DIFF) == compact.replace(
        "        pass", "        raise NotImplementedError()"
    )


def test_repeated_parent_anchor_in_a_later_stacked_hunk_counts_as_found():
    text = lines("class Target", "    def a():", "        pass", "    def b():", "        pass", "")
    diff = lines(
        "@@ class Target",
        "@@     def a():",
        "-        pass",
        "+        return 'a'",
        "@@ class Target",
        "@@     def b():",
        "-        pass",
        "+        return 'b'",
    )
    assert apply(text, diff) == text.replace("pass", "return 'a'", 1).replace("pass", "return 'b'")


def test_stacked_anchors_narrow_to_the_named_block():
    text = lines("class First", "    def run():", "        pass", "class Second", "    def run():")
    text += "\n        pass\n"
    diff = lines("@@ class Second", "@@     def run():", "-        pass", "+        return 1")
    assert apply(text, diff).endswith("class Second\n    def run():\n        return 1\n")
    assert apply(text, diff).startswith("class First\n    def run():\n        pass\n")


def test_single_unmatched_anchor_is_advisory_and_reported_in_notes():
    result = apply_update("a\nb\n", lines("@@ nope", "-b", "+B"))
    assert result.text == "a\nB\n"
    assert result.notes == (
        "hunk 1 (first context line 'b'): anchor '@@ nope' was not found; "
        "the hunk was placed by its context lines alone",
    )


def test_partially_matched_stacked_anchors_are_rejected():
    text = "class A\n    def run():\n        pass\n"
    with pytest.raises(HunkMismatchError, match="anchor '@@     def missing\\(\\):' was not found"):
        apply(text, lines("@@ class A", "@@     def missing():", "-        pass", "+        x"))


def test_stacked_anchors_fail_when_the_first_is_missing():
    with pytest.raises(HunkMismatchError, match="anchor '@@ class Nope' was not found"):
        apply("class A\n    pass\n", lines("@@ class Nope", "@@ class A", "-    pass", "+    x"))


def test_missing_anchor_followed_by_bare_marker_counts_as_stacked():
    with pytest.raises(HunkMismatchError, match="'@@ missing' was not found"):
        apply("a\nb\n", lines("@@ missing", "@@", "-b", "+B"))


def test_stacked_anchors_accept_a_trailing_bare_marker():
    text = "class Only\n    def run():\n        pass\n"
    diff = lines("@@ class Only", "@@", "-        pass", "+        return 1")
    assert apply(text, diff) == "class Only\n    def run():\n        return 1\n"


def test_unified_diff_header_is_only_an_anchor_and_wrong_context_raises():
    with pytest.raises(HunkMismatchError) as excinfo:
        apply("one\ntwo\n", lines("@@ -1,2 +1,2 @@", " x", "-two", "+2"))
    assert str(excinfo.value).startswith("hunk 1 (first context line 'x') did not match")


@pytest.mark.parametrize(
    ("text", "joiner", "expected"),
    [
        ("line1\r\nline2\r\nline3\r\n", "\n", "line1\r\nupdated\r\nline3\r\n"),
        ("line1\nline2\nline3\n", "\r\n", "line1\nupdated\nline3\n"),
        ("line1\r\nline2\r\nline3\r\n", "\r\n", "line1\r\nupdated\r\nline3\r\n"),
    ],
    ids=["crlf_input_lf_diff", "lf_input_crlf_diff", "crlf_input_crlf_diff"],
)
def test_input_line_endings_win_over_the_diff(text, joiner, expected):
    diff = joiner.join(["@@ line1", "-line2", "+updated", " line3"])
    assert apply(text, diff) == expected


def test_create_with_crlf_diff_uses_crlf():
    assert create_text("\r\n".join(["+hello", "+world", "+"])) == "hello\r\nworld\r\n"


# --- openai-agents tests/test_apply_diff_helpers.py -----------------------------------------


def test_diff_lines_drop_one_trailing_blank_and_carriage_returns():
    assert diff_lines("a\r\nb\n") == ["a", "b"]
    assert diff_lines("a\n\n") == ["a", ""]
    assert diff_lines("") == []


def test_parser_stops_at_end_patch_marker():
    parsed = parse_update_diff(lines("@@", "-a", "+b", "*** End Patch", "garbage"))
    assert len(parsed.hunks) == 1


def test_section_records_end_of_file_flag():
    parsed = parse_update_diff(lines("@@", " a", "+b", "*** End of File"))
    assert parsed.hunks[0].end_of_file


def test_invalid_star_marker_inside_a_diff_is_rejected():
    with pytest.raises(PatchSyntaxError, match="Unexpected marker '\\*\\*\\* Bad Marker'"):
        parse_update_diff(lines("@@", " a", "*** Bad Marker"))


def test_marker_without_lines_is_an_empty_section():
    with pytest.raises(PatchSyntaxError, match="does not contain any lines"):
        parse_update_diff(lines("@@ a", " x", "@@ b"))


def test_end_of_file_context_is_strict_with_a_hint_when_it_appears_elsewhere():
    with pytest.raises(HunkMismatchError) as excinfo:
        apply("one\ntwo\nthree\n", lines("@@", "-two", "+2", "*** End of File"))
    message = str(excinfo.value)
    assert "at the end of the file" in message
    assert "They do appear at line 2" in message


def test_fully_stripped_match_applies_and_is_noted():
    result = apply_update("    alpha  \n", lines("@@", "-alpha", "+beta"))
    assert result.text == "beta\n"
    assert result.notes == (
        "hunk 1 (first context line 'alpha') matched only after ignoring whitespace",
    )


def test_hunks_out_of_file_order_are_rejected_with_an_order_hint():
    diff = lines("@@", "-b", "+B", "@@", "-a", "+A")
    with pytest.raises(HunkMismatchError, match="hunks must follow the order"):
        apply("a\nb\n", diff)


# --- codex seek_sequence.rs ------------------------------------------------------------------


def test_seek_exact_match_finds_sequence():
    assert apply("foo\nbar\nbaz\n", lines("@@", " bar", "-baz", "+BAZ")) == "foo\nbar\nBAZ\n"


def test_seek_rstrip_match_ignores_trailing_whitespace_and_keeps_file_context():
    result = apply_update("foo   \nbar\n", lines("@@", " foo", "-bar", "+BAR"))
    assert result.text == "foo   \nBAR\n"
    assert "trailing whitespace" in result.notes[0]


def test_seek_trim_match_ignores_leading_and_trailing_whitespace():
    assert apply("    foo   \nbar\n", lines("@@", " foo", "-bar", "+BAR")) == "    foo   \nBAR\n"


def test_seek_pattern_longer_than_input_is_a_clean_mismatch():
    with pytest.raises(HunkMismatchError, match="these 3 line"):
        apply("one\n", lines("@@", " one", " two", "-three"))


# --- codex lib.rs / tool.rs behaviours that live in the engine -------------------------------


def test_unicode_dash_in_file_matches_ascii_patch():
    text = "import asyncio  # local import \u2013 avoids top\u2011level dep\n"
    diff = lines(
        "@@", "-import asyncio  # local import - avoids top-level dep", "+import asyncio  # HELLO"
    )
    assert apply(text, diff) == "import asyncio  # HELLO\n"


def test_unicode_quotes_and_nbsp_fold_to_ascii():
    text = "say \u201chi\u201d\u00a0and \u2018bye\u2019\n"
    assert apply(text, lines("@@", "-say \"hi\" and 'bye'", "+ok")) == "ok\n"


def test_no_punctuation_folding_inside_inserted_text():
    assert apply("a\n", lines("@@", " a", "+\u2013")) == "a\n\u2013\n"


def test_pure_insertion_goes_to_top_for_diff_rules_and_end_for_envelope_rules():
    diff = lines("@@", "+x")
    assert apply("line1\nline2\n", diff, DIFF_RULES) == "x\nline1\nline2\n"
    assert apply("line1\nline2\n", diff, ENVELOPE_RULES) == "line1\nline2\nx\n"


def test_pure_insertion_after_an_anchor_lands_after_the_anchor_in_both_dialects():
    diff = lines("@@ def f():", "+    x = 1")
    text = "def f():\n    return 2\n"
    for rules in (DIFF_RULES, ENVELOPE_RULES):
        assert apply(text, diff, rules) == "def f():\n    x = 1\n    return 2\n"


def test_pure_addition_chunk_followed_by_removal_lands_at_end_for_envelopes():
    diff = lines("@@", "+after-context", "+second-line", "@@", " line1", "-line2", "-line3")
    diff += "\n+line2-replacement"
    expected = "line1\nline2-replacement\nafter-context\nsecond-line\n"
    assert apply("line1\nline2\nline3\n", diff, ENVELOPE_RULES) == expected


def test_end_of_file_insertion_appends():
    assert apply("a\nb\n", lines("@@", "+c", "*** End of File")) == "a\nb\nc\n"


def test_end_of_file_context_matches_last_lines():
    diff = lines("@@", " two", "-three", "+four", "*** End of File")
    assert apply("one\ntwo\nthree\n", diff) == "one\ntwo\nfour\n"


def test_end_of_file_prefers_the_tail_over_an_earlier_identical_block():
    diff = lines("@@", "-x", "+y", "*** End of File")
    assert apply("x\nmid\nx\n", diff) == "x\nmid\ny\n"


def test_interleaved_changes_with_end_of_file_append():
    diff = lines("@@", " a", "-b", "+B", "@@", " c", " d", "-e", "+E", "@@", " f", "+g")
    diff += "\n*** End of File"
    assert apply("a\nb\nc\nd\ne\nf\n", diff, ENVELOPE_RULES) == "a\nB\nc\nd\nE\nf\ng\n"


def test_multiple_hunks_apply_in_one_pass():
    diff = lines("@@", " foo", "-bar", "+BAR", "@@", " baz", "-qux", "+QUX")
    assert apply("foo\nbar\nbaz\nqux\n", diff) == "foo\nBAR\nbaz\nQUX\n"


def test_repeated_lines_keep_change_order():
    assert apply("a\nb\n", lines("@@", "-a", "-b", "+b", "+b", "+a")) == "b\nb\na\n"


def test_deletion_only_hunk():
    assert apply("one\ntwo\nthree\n", lines("@@", " one", "-two", " three")) == "one\nthree\n"


def test_crlf_file_keeps_crlf_for_inserted_lines():
    diff = lines("@@", " a", "-b", "+B", "@@", " c", "+d", "*** End of File")
    assert apply("a\r\nb\r\nc\r\n", diff) == "a\r\nB\r\nc\r\nd\r\n"


def test_embedded_carriage_return_is_content_not_a_line_break():
    diff = lines("@@", "+BAZ", "*** End of File")
    assert apply("foo\r\r\nbar\r\n", diff) == "foo\r\r\nbar\r\nBAZ\r\n"


def test_repeated_context_line_keeps_its_own_ending():
    assert apply("same\r\nsame\n", lines("@@", "-same", " same")) == "same\n"


def test_untouched_mixed_line_endings_are_preserved():
    text = "a\r\nb\nc\r\nd\n"
    # untouched lines keep LF; the replaced line takes the file's first ending (CRLF)
    assert apply(text, lines("@@", " b", "-c", "+C")) == "a\r\nb\nC\r\nd\n"


def test_first_line_ending_is_used_for_new_lines_in_mixed_files():
    assert apply("a\nb\r\n", lines("@@", " b", "+c")) == "a\nb\r\nc\n"


def test_no_final_newline_is_preserved_for_diff_rules():
    assert apply("hello\nworld", lines("@@", " hello", "-world", "+there")) == "hello\nthere"
    assert apply("a\nb", lines("@@", " b", "+c")) == "a\nb\nc"


def test_envelope_rules_add_the_missing_final_newline_with_the_file_style():
    assert apply("one\r\ntwo", lines("@@", "-one", "+ONE"), ENVELOPE_RULES) == "ONE\r\ntwo\r\n"
    assert apply("no newline", lines("@@", "-no newline", "+x"), ENVELOPE_RULES) == "x\n"


def test_final_newline_is_not_doubled_by_a_trailing_blank_context_line():
    assert apply("foo\nbar\n", lines("@@", " foo", "-bar", "+BAR", "")) == "foo\nBAR\n"


def test_blank_line_after_insertion_is_kept_when_the_file_lacks_it():
    assert apply("foo\n", lines("@@", " foo", "", "+bar")) == "foo\n\nbar\n"


def test_deleting_every_line_gives_an_empty_file():
    assert apply("a\nb\n", lines("@@", "-a", "-b")) == ""


def test_file_with_only_a_newline():
    assert apply("\n", lines("@@", "-", "+x")) == "x\n"


def test_first_section_may_omit_the_marker():
    assert apply("import foo\n", lines(" import foo", "+bar")) == "import foo\nbar\n"


def test_chunk_after_end_of_file_must_start_with_a_marker():
    with pytest.raises(PatchSyntaxError, match="Expected update hunk to start with a @@"):
        parse_update_diff(lines("@@", "-a", "+b", "*** End of File", " c"))


def test_marker_alone_has_no_lines():
    with pytest.raises(PatchSyntaxError, match="line 1: Update hunk does not contain any lines"):
        parse_update_diff("@@")


def test_marker_with_only_end_of_file_has_no_lines():
    with pytest.raises(PatchSyntaxError, match="line 2: Update hunk does not contain any lines"):
        parse_update_diff(lines("@@", "*** End of File"))


def test_bad_prefix_line_is_reported_with_its_line_number():
    with pytest.raises(PatchSyntaxError) as excinfo:
        parse_update_diff(lines("@@", "bad"))
    assert str(excinfo.value) == (
        "line 2: Unexpected line found in update hunk: 'bad'. Every line should start with "
        "' ' (context line), '+' (added line), or '-' (removed line)"
    )


def test_empty_line_in_a_hunk_is_an_empty_context_line():
    hunk = parse_update_diff(lines("@@ change_context", "", " context", "-remove", "+add")).hunks[0]
    assert hunk.anchors == ("change_context",)
    assert hunk.lines == (
        (" ", ""),
        (" ", "context"),
        ("-", "remove"),
        ("+", "add"),
    )


def test_marker_plus_line_and_end_of_file_is_an_eof_insertion():
    hunk = parse_update_diff(lines("@@", "+line", "*** End of File")).hunks[0]
    assert hunk.end_of_file
    assert hunk.lines == (("+", "line"),)


def test_empty_diff_has_no_hunks():
    with pytest.raises(PatchSyntaxError, match="no hunks"):
        parse_update_diff("\n")


def test_mismatch_message_names_hunk_number_first_context_line_and_lines():
    text = "def greet():\n    print('hello')\n"
    diff = lines("@@", " def greet():", "-    print('hi')", "+    print('hey')")
    diff += '\n@@\n     print("x")\n+y'
    with pytest.raises(PatchApplyError) as excinfo:
        apply(text, diff)
    assert str(excinfo.value) == (
        "hunk 1 (first context line 'def greet():') did not match: these 2 line(s) were not "
        "found in the file, even ignoring whitespace and Unicode punctuation:\n"
        "def greet():\n    print('hi')\n"
        "Re-read the file and copy the context lines exactly."
    )


def test_mismatch_in_a_later_hunk_reports_its_number_and_position():
    diff = lines("@@", " a", "-b", "+B", "@@", " zzz", "+q")
    with pytest.raises(HunkMismatchError) as excinfo:
        apply("a\nb\nc\n", diff)
    assert str(excinfo.value).startswith("hunk 2 (first context line 'zzz') did not match")
    assert "not found after line 2" in str(excinfo.value)
    assert excinfo.value.hunk.number == 2


def test_very_long_lines_are_clipped_in_messages():
    long_line = "x" * 5000
    with pytest.raises(HunkMismatchError) as excinfo:
        apply("a\n", lines("@@", " " + long_line, "+y"))
    assert len(str(excinfo.value)) < 800
    assert "'" + "x" * 117 + "...'" in str(excinfo.value)


def test_split_lines_keeps_endings():
    assert split_lines("a\r\nb\nc") == [("a", "\r\n"), ("b", "\n"), ("c", "")]
    assert split_lines("") == []


# --- codex unified diff previews -------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "diff", "expected"),
    [
        (
            "foo\nbar\nbaz\nqux\n",
            lines("@@", " foo", "-bar", "+BAR", "@@", " baz", "-qux", "+QUX"),
            "@@ -1,4 +1,4 @@\n foo\n-bar\n+BAR\n baz\n-qux\n+QUX\n",
        ),
        (
            "foo\nbar\nbaz\n",
            lines("@@", "-foo", "+FOO", " bar"),
            "@@ -1,2 +1,2 @@\n-foo\n+FOO\n bar\n",
        ),
        (
            "foo\nbar\nbaz\n",
            lines("@@", " foo", " bar", "-baz", "+BAZ"),
            "@@ -2,2 +2,2 @@\n bar\n-baz\n+BAZ\n",
        ),
        (
            "foo\nbar\nbaz\n",
            lines("@@", "+quux", "*** End of File"),
            "@@ -3 +3,2 @@\n baz\n+quux\n",
        ),
        (
            "a\nb\nc\nd\ne\nf\n",
            lines(
                "@@", " a", "-b", "+B", "@@", " d", "-e", "+E", "@@", " f", "+g", "*** End of File"
            ),
            "@@ -1,6 +1,7 @@\n a\n-b\n+B\n c\n d\n-e\n+E\n f\n+g\n",
        ),
    ],
    ids=["two_chunks", "first_line", "last_line", "insert_at_eof", "interleaved"],
)
def test_unified_diff_preview_with_one_line_of_context(before, diff, expected):
    assert unified_diff(before, apply(before, diff)) == expected


# --- properties ------------------------------------------------------------------------------

LINE = st.text(st.sampled_from("ab \t-x#"), max_size=6)


def make_diff(old: list[str], new: list[str], context: int, eol: str) -> str:
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        out.append("@@")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(" " + line for line in old[i1:i2])
                continue
            out.extend("-" + line for line in old[i1:i2])
            out.extend("+" + line for line in new[j1:j2])
    return eol.join(out)


def join(items: list[str], eol: str, final: bool) -> str:
    return eol.join(items) + (eol if items and final else "")


@given(
    old=st.lists(LINE, unique=True, max_size=12),
    edits=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2), st.lists(LINE, max_size=3))),
    context=st.integers(1, 3),
    eol=st.sampled_from(["\n", "\r\n"]),
    final=st.booleans(),
)
def test_property_generated_diff_reproduces_the_edited_file(old, edits, context, eol, final):
    assume(final or not old or old[-1] != "")  # "a\n" + "" is the same text as "a\n"
    new = list(old)
    for position, remove, insert in edits:
        at = min(position, len(new))
        fresh = dict.fromkeys(line for line in insert if line not in new and line not in old)
        new[at : at + remove] = list(fresh)
    diff = make_diff(old, new, context, eol)
    final = final or not old
    before, after = join(old, eol, final), join(new, eol, final)
    if not diff:
        return
    assert apply(before, diff) == after


@given(
    old=st.lists(LINE, min_size=1, max_size=10),
    new=st.lists(LINE, max_size=10),
    eol=st.sampled_from(["\n", "\r\n"]),
    final=st.booleans(),
)
def test_property_whole_file_hunk_reproduces_any_edit_even_with_repeated_lines(
    old, new, eol, final
):
    assume(final or old[-1] != "")  # "a\n" + "" is the same text as "a\n"
    diff = make_diff(old, new, max(len(old), len(new)) + 1, eol)
    if not diff:
        return
    assert apply(join(old, eol, final), diff) == join(new, eol, final)


@given(content=st.lists(LINE, max_size=8), eol=st.sampled_from(["\n", "\r\n"]))
def test_property_create_text_round_trips(content, eol):
    eol = eol if len(content) > 1 else "\n"  # a one-line diff shows no line ending
    diff = eol.join("+" + line for line in content)
    assert create_text(diff) == eol.join(content)
    assert create_text(diff, ENVELOPE_RULES) == "".join(line + eol for line in content)
