"""The ``*** Begin Patch`` envelope parser and the shell-argv detection (codex parser/lib)."""

from __future__ import annotations

import re

import pytest

from langchain_responses.tools._patch_envelope import (
    IMPLICIT_INVOCATION,
    FileOperation,
    PatchInvocation,
    parse_apply_patch_argv,
    parse_envelope,
)
from langchain_responses.tools._v4a import ENVELOPE_RULES, PatchSyntaxError, apply_update

FIRST_LINE_ERROR = re.escape("The first line of the patch must be '*** Begin Patch'")
LAST_LINE_ERROR = re.escape("The last line of the patch must be '*** End Patch'")


def wrap(*body: str) -> str:
    return "\n".join(["*** Begin Patch", *body, "*** End Patch"])


# --- codex parser.rs: test_parse_patch ------------------------------------------------------


def test_missing_begin_marker_is_an_error():
    with pytest.raises(PatchSyntaxError, match=FIRST_LINE_ERROR):
        parse_envelope("bad", mode="strict")


def test_missing_end_marker_is_an_error():
    with pytest.raises(PatchSyntaxError, match=LAST_LINE_ERROR):
        parse_envelope("*** Begin Patch\nbad", mode="strict")


def test_markers_with_surrounding_spaces_are_accepted():
    text = "*** Begin Patch \n*** Add File: foo\n+hi\n *** End Patch"
    assert parse_envelope(text, mode="strict") == [FileOperation("create_file", "foo", "+hi")]
    assert parse_envelope(" *** Begin Patch\n*** Delete File: x\n*** End Patch ") == [
        FileOperation("delete_file", "x")
    ]


def test_empty_update_hunk_is_an_error_on_line_2():
    with pytest.raises(PatchSyntaxError) as excinfo:
        parse_envelope(wrap("*** Update File: test.py"), mode="strict")
    assert str(excinfo.value) == "line 2: Update file hunk for path 'test.py' is empty"
    assert excinfo.value.line == 2


def test_envelope_without_operations_parses_to_nothing():
    assert parse_envelope(wrap(), mode="strict") == []


def test_add_delete_and_update_with_move_and_anchor_parse():
    text = wrap(
        "*** Add File: path/add.py",
        "+abc",
        "+def",
        "*** Delete File: path/delete.py",
        "*** Update File: path/update.py",
        "*** Move to: path/update2.py",
        "@@ def f():",
        "-    pass",
        "+    return 123",
    )
    assert parse_envelope(text, mode="strict") == [
        FileOperation("create_file", "path/add.py", "+abc\n+def"),
        FileOperation("delete_file", "path/delete.py"),
        FileOperation(
            "update_file",
            "path/update.py",
            "@@ def f():\n-    pass\n+    return 123",
            "path/update2.py",
        ),
    ]


def test_update_followed_by_add():
    text = wrap("*** Update File: file.py", "@@", "+line", "*** Add File: other.py", "+content")
    assert parse_envelope(text) == [
        FileOperation("update_file", "file.py", "@@\n+line"),
        FileOperation("create_file", "other.py", "+content"),
    ]


def test_first_chunk_without_marker_parses():
    text = wrap("*** Update File: file2.py", " import foo", "+bar")
    assert parse_envelope(text) == [FileOperation("update_file", "file2.py", " import foo\n+bar")]


def test_add_file_content_gets_final_newlines_under_envelope_rules():
    from langchain_responses.tools._v4a import create_text

    [operation] = parse_envelope(wrap("*** Add File: foo", "+ab", "+cd"))
    assert create_text(operation.diff, ENVELOPE_RULES) == "ab\ncd\n"


def test_add_file_without_lines_is_an_empty_file():
    assert parse_envelope(wrap("*** Add File: empty.txt")) == [
        FileOperation("create_file", "empty.txt", "")
    ]


def test_delete_followed_by_content_is_an_invalid_header():
    with pytest.raises(PatchSyntaxError, match="line 3: '\\+junk' is not a valid hunk header"):
        parse_envelope(wrap("*** Delete File: x", "+junk"))


def test_hunk_header_with_padding_is_accepted():
    assert parse_envelope(wrap("  *** Update File: foo.txt", "@@", "-old", "+new")) == [
        FileOperation("update_file", "foo.txt", "@@\n-old\n+new")
    ]


def test_hunk_errors_carry_envelope_line_numbers():
    with pytest.raises(PatchSyntaxError) as excinfo:
        parse_envelope(wrap("*** Add File: a", "+x", "*** Update File: b", "@@", " ok", "bad"))
    assert excinfo.value.line == 7
    assert "Unexpected line found in update hunk: 'bad'" in str(excinfo.value)


def test_blank_lines_before_the_first_chunk_are_skipped():
    [operation] = parse_envelope(wrap("*** Update File: a", "", "@@", "-x", "+y"))
    assert apply_update("x\n", operation.diff).text == "y\n"


def test_crlf_envelope_parses_like_lf():
    text = wrap("*** Update File: a", "@@", "-x", "+y").replace("\n", "\r\n")
    assert parse_envelope(text) == [FileOperation("update_file", "a", "@@\n-x\n+y")]


def test_stacked_anchors_are_accepted_in_envelopes():
    [operation] = parse_envelope(wrap("*** Update File: a", "@@ class A", "@@     def f():", "-x"))
    assert operation.diff.startswith("@@ class A\n@@     def f():")


# --- test_parse_patch_accepts_relative_and_absolute_hunk_paths -----------------------------


def test_absolute_and_relative_paths_are_kept_as_written():
    text = wrap(
        "*** Add File: relative-add.py",
        "+c",
        "*** Delete File: /abs/d.py",
        "*** Update File: /abs/u.py",
        "@@",
        "-old",
        "+new",
    )
    assert [op.path for op in parse_envelope(text)] == ["relative-add.py", "/abs/d.py", "/abs/u.py"]


# --- test_parse_patch_lenient --------------------------------------------------------------

PATCH = "*** Begin Patch\n*** Update File: file2.py\n import foo\n+bar\n*** End Patch"
EXPECTED = [FileOperation("update_file", "file2.py", " import foo\n+bar")]


@pytest.mark.parametrize("opener", ["<<EOF", "<<'EOF'", '<<"EOF"'])
def test_heredoc_wrapper_is_stripped_in_lenient_mode_only(opener):
    text = f"{opener}\n{PATCH}\nEOF\n"
    with pytest.raises(PatchSyntaxError, match=FIRST_LINE_ERROR):
        parse_envelope(text, mode="strict")
    assert parse_envelope(text, mode="lenient") == EXPECTED


def test_heredoc_with_mismatched_quotes_is_rejected():
    with pytest.raises(PatchSyntaxError, match=FIRST_LINE_ERROR):
        parse_envelope(f"<<\"EOF'\n{PATCH}\nEOF\n", mode="lenient")


def test_heredoc_without_end_patch_reports_the_last_line():
    text = "<<EOF\n*** Begin Patch\n*** Update File: file2.py\nEOF\n"
    with pytest.raises(PatchSyntaxError, match=FIRST_LINE_ERROR):
        parse_envelope(text, mode="strict")
    with pytest.raises(PatchSyntaxError, match=LAST_LINE_ERROR):
        parse_envelope(text, mode="lenient")


# --- test_parse_one_hunk ------------------------------------------------------------------


def test_unknown_header_message_lists_valid_headers():
    with pytest.raises(PatchSyntaxError) as excinfo:
        parse_envelope(wrap("bad"))
    assert str(excinfo.value) == (
        "line 2: 'bad' is not a valid hunk header. Valid hunk headers: '*** Add File: {path}', "
        "'*** Delete File: {path}', '*** Update File: {path}'"
    )


def test_update_with_only_a_move_has_no_hunk():
    with pytest.raises(PatchSyntaxError, match="Update file hunk for path 'a' is empty"):
        parse_envelope(wrap("*** Update File: a", "*** Move to: b"))


# --- test_parse_patch_streaming -----------------------------------------------------------


def test_streaming_keeps_partial_add_content():
    assert parse_envelope(
        "*** Begin Patch\n*** Add File: src/hello.txt\n+hello\n+wor", mode="streaming"
    ) == [FileOperation("create_file", "src/hello.txt", "+hello\n+wor")]


def test_streaming_parses_an_unfinished_update_with_move():
    text = "*** Begin Patch\n*** Update File: src/old.rs\n*** Move to: src/new.rs\n@@\n-old\n+new"
    assert parse_envelope(text, mode="streaming") == [
        FileOperation("update_file", "src/old.rs", "@@\n-old\n+new", "src/new.rs")
    ]


def test_missing_end_marker_is_fine_while_streaming_but_not_strict():
    text = "*** Begin Patch\n*** Delete File: gone.txt"
    assert parse_envelope(text, mode="streaming") == [FileOperation("delete_file", "gone.txt")]
    with pytest.raises(PatchSyntaxError, match=LAST_LINE_ERROR):
        parse_envelope(text, mode="strict")


def test_streaming_ignores_the_trailing_newline():
    text = "*** Begin Patch\n*** Add File: src/one.txt\n+one\n*** Delete File: src/two.txt\n"
    assert parse_envelope(text, mode="streaming") == [
        FileOperation("create_file", "src/one.txt", "+one"),
        FileOperation("delete_file", "src/two.txt"),
    ]


def test_streaming_still_requires_the_begin_marker():
    with pytest.raises(PatchSyntaxError, match=FIRST_LINE_ERROR):
        parse_envelope("*** Add File: x\n+y", mode="streaming")


LARGE_PATCH = """\
*** Begin Patch
*** Add File: docs/release-notes.md
+# Release notes
+
+## CLI
+- Surface apply_patch progress while arguments stream.
*** Update File: src/config.rs
@@ impl Config
-    pub apply_patch_progress: bool,
+    pub stream_apply_patch_progress: bool,
     pub include_diagnostics: bool,
@@ fn default_progress_interval()
-    Duration::from_millis(500)
+    Duration::from_millis(250)
*** Delete File: src/legacy_patch_progress.rs
*** Update File: crates/cli/src/main.rs
*** Move to: crates/cli/src/bin/codex.rs
@@ fn run()
-    let args = Args::parse();
-    dispatch(args)
+    let cli = Cli::parse();
+    dispatch(cli)
*** Add File: tests/fixtures/apply_patch_progress.json
+{
+  "type": "apply_patch_progress"
+}
*** Update File: README.md
@@ Development workflow
 Build the Rust workspace before opening a pull request.
+When touching streamed tool calls, include parser coverage for partial input.
*** Delete File: docs/old-apply-patch-progress.md
*** End Patch"""


def test_streaming_operation_count_never_decreases_char_by_char():
    seen: list[int] = []
    for end in range(1, len(LARGE_PATCH) + 1):
        try:
            count = len(parse_envelope(LARGE_PATCH[:end], mode="streaming"))
        except PatchSyntaxError:
            continue
        assert not seen or count >= seen[-1], LARGE_PATCH[:end]
        if not seen or count > seen[-1]:
            seen.append(count)
    assert seen == [0, 1, 2, 3, 4, 5, 6, 7]
    assert parse_envelope(LARGE_PATCH, mode="streaming") == parse_envelope(LARGE_PATCH)


# --- codex lib.rs: invocation detection ---------------------------------------------------

HEREDOC_BODY = "*** Begin Patch\n*** Add File: foo\n+hi\n*** End Patch"


def heredoc(prefix: str = "", suffix: str = "") -> str:
    return f"{prefix}apply_patch <<'PATCH'\n{HEREDOC_BODY}\nPATCH{suffix}"


def test_raw_patch_as_single_argument_is_an_implicit_invocation_error():
    with pytest.raises(PatchSyntaxError, match="patch detected without explicit call"):
        parse_apply_patch_argv([HEREDOC_BODY])


def test_raw_patch_as_bash_script_is_an_implicit_invocation_error():
    with pytest.raises(PatchSyntaxError) as excinfo:
        parse_apply_patch_argv(["bash", "-lc", HEREDOC_BODY])
    assert str(excinfo.value) == IMPLICIT_INVOCATION


@pytest.mark.parametrize("command", ["apply_patch", "applypatch"])
def test_literal_invocation(command):
    assert parse_apply_patch_argv([command, HEREDOC_BODY + "\n"]) == PatchInvocation(
        HEREDOC_BODY + "\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["bash", "-lc", heredoc()],
        ["bash", "-c", heredoc()],
        ["bash", "-lc", heredoc().replace("apply_patch", "applypatch", 1)],
        ["/bin/bash", "-c", '. "$0" && exec "$@"', "/tmp/snap.sh", "/bin/bash", "-c", heredoc()],
        ["/bin/bash", "-c", '. "$0" && exec "$@"', "/tmp/snap.sh", "/bin/zsh", "-lc", heredoc()],
        ["powershell.exe", "-Command", heredoc()],
        ["powershell.exe", "-NoProfile", "-Command", heredoc()],
        ["pwsh", "-NoProfile", "-Command", heredoc()],
    ],
    ids=[
        "heredoc",
        "heredoc_non_login_shell",
        "heredoc_applypatch",
        "heredoc_wrapped_with_shell_snapshot",
        "heredoc_wrapped_with_shell_snapshot_mismatched_shells",
        "powershell_heredoc",
        "powershell_heredoc_no_profile",
        "pwsh_heredoc",
    ],
)
def test_heredoc_invocations_are_recognised(argv):
    invocation = parse_apply_patch_argv(argv)
    assert invocation == PatchInvocation(HEREDOC_BODY)
    assert parse_envelope(invocation.patch) == [FileOperation("create_file", "foo", "+hi")]


@pytest.mark.parametrize(
    ("argv", "workdir"),
    [
        (["cmd.exe", "/c", heredoc("cd foo && ")], "foo"),
        (["bash", "-lc", heredoc("cd foo && ")], "foo"),
        (["bash", "-lc", heredoc("cd 'foo bar' && ")], "foo bar"),
        (["bash", "-lc", heredoc('cd "foo bar" && ')], "foo bar"),
    ],
    ids=[
        "cmd_heredoc_with_cd",
        "heredoc_with_leading_cd",
        "cd_single_quoted_path_with_spaces",
        "cd_double_quoted_path_with_spaces",
    ],
)
def test_leading_cd_sets_the_workdir(argv, workdir):
    assert parse_apply_patch_argv(argv) == PatchInvocation(HEREDOC_BODY, workdir)


@pytest.mark.parametrize(
    "script",
    [
        heredoc("cd foo; "),
        heredoc("cd bar || "),
        heredoc("cd bar | "),
        heredoc("echo foo && "),
        heredoc().replace("apply_patch ", "apply_patch foo ", 1),
        heredoc("cd foo && cd bar && "),
        heredoc("cd foo bar && "),
        heredoc("cd bar && ", " && echo done"),
        heredoc("echo foo; cd bar && "),
        heredoc().replace("<<'PATCH'", "<<\"PATCH'"),
        heredoc() + "\necho done",
    ],
    ids=[
        "cd_with_semicolon",
        "cd_or_apply_patch",
        "cd_pipe_apply_patch",
        "echo_and_apply_patch",
        "apply_patch_with_arg",
        "double_cd_then_apply_patch",
        "cd_two_args",
        "cd_then_apply_patch_then_extra",
        "echo_then_cd_and_apply_patch",
        "mismatched_heredoc_quotes",
        "command_after_heredoc",
    ],
)
def test_other_shell_shapes_are_not_apply_patch(script):
    assert parse_apply_patch_argv(["bash", "-lc", script]) is None


def test_unrelated_commands_are_not_apply_patch():
    assert parse_apply_patch_argv(["ls", "-la"]) is None
    assert parse_apply_patch_argv(["bash", "-lc", "echo hi"]) is None
    assert parse_apply_patch_argv(["python", "-c", heredoc()]) is None
    assert parse_apply_patch_argv([]) is None
