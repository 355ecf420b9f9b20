"""ApplyPatchEditor: operations, envelopes, path safety, atomic writes, output items."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from langchain_responses.tools.apply_patch import (
    DIFF_RULES,
    ENVELOPE_RULES,
    ApplyPatchEditor,
    FileOperation,
    PatchResult,
    to_output_item,
)

NOTHING = "Nothing was changed: a patch is applied completely or not at all."


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "outside"
    path.mkdir()
    (path / "secret.txt").write_text("secret\n")
    return path


@pytest.fixture
def editor(ws: Path) -> ApplyPatchEditor:
    return ApplyPatchEditor(ws)


def op(kind: str, path: object, diff: object = None, **extra: object) -> dict[str, object]:
    item: dict[str, object] = {"type": kind, "path": path, **extra}
    if diff is not None:
        item["diff"] = diff
    return item


def tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def wrap(*body: str) -> str:
    return "\n".join(["*** Begin Patch", *body, "*** End Patch"])


# --- openai-agents tests/sandbox/test_apply_patch.py ------------------------------------------


def test_update_with_invalid_context_fails_and_leaves_the_file(editor, ws):
    (ws / "bad.txt").write_text("alpha\nbeta\n")
    result = editor.apply(op("update_file", "bad.txt", "@@\n missing\n-beta\n+gamma\n"))
    assert result.status == "failed"
    assert result.output.startswith(
        "update_file bad.txt: hunk 1 (first context line 'missing') did not match"
    )
    assert result.output.endswith(NOTHING)
    assert (ws / "bad.txt").read_text() == "alpha\nbeta\n"


def test_update_uses_anchor_jump(editor, ws):
    (ws / "anchor.txt").write_text("a\nb\nmarker\nc\nd\n")
    result = editor.apply(op("update_file", "anchor.txt", "@@ marker\n c\n-d\n+e\n"))
    assert result == PatchResult("completed", "Updated anchor.txt")
    assert (ws / "anchor.txt").read_text() == "a\nb\nmarker\nc\ne\n"


def test_update_uses_stacked_anchor_jump(editor, ws):
    text = "class First\n    def run():\n        pass\nclass Second\n    def run():\n        pass\n"
    (ws / "stacked.py").write_text(text)
    diff = "@@ class Second\n@@     def run():\n-        pass\n+        return 1\n"
    assert editor.apply(op("update_file", "stacked.py", diff)).status == "completed"
    assert (ws / "stacked.py").read_text() == text[: text.rindex("pass")] + "return 1\n"


def test_update_rejects_partially_matched_stacked_anchors_file_unchanged(editor, ws):
    (ws / "s.py").write_text("class A\n    def run():\n        pass\n")
    diff = "@@ class A\n@@     def nope():\n-        pass\n+        x\n"
    result = editor.apply(op("update_file", "s.py", diff))
    assert result.status == "failed"
    assert "anchor '@@     def nope():' was not found after '@@ class A'" in result.output
    assert (ws / "s.py").read_text() == "class A\n    def run():\n        pass\n"


def test_update_matches_end_of_file_context(editor, ws):
    (ws / "tail.txt").write_text("one\ntwo\nthree\n")
    diff = "@@\n two\n-three\n+four\n*** End of File\n"
    assert editor.apply(op("update_file", "tail.txt", diff)).status == "completed"
    assert (ws / "tail.txt").read_text() == "one\ntwo\nfour\n"


@pytest.mark.parametrize("diff", [None, "", "  \n"], ids=["missing", "empty", "blank"])
def test_update_without_diff_fails(editor, ws, diff):
    (ws / "file.txt").write_text("x\n")
    result = editor.apply(op("update_file", "file.txt", diff))
    assert result == PatchResult(
        "failed", f"update_file file.txt: update_file needs a non-empty 'diff' string\n{NOTHING}"
    )


def test_update_of_missing_file_fails(editor):
    result = editor.apply(op("update_file", "missing.txt", "@@\n-old\n+new\n"))
    assert result == PatchResult(
        "failed", f"update_file missing.txt: missing.txt does not exist\n{NOTHING}"
    )


def test_delete_of_missing_file_fails(editor):
    result = editor.apply(op("delete_file", "nope.txt"))
    assert result == PatchResult(
        "failed", f"delete_file nope.txt: nope.txt does not exist\n{NOTHING}"
    )


def test_missing_file_errors_use_the_workspace_path_not_the_root(editor, ws):
    for item in (op("update_file", "missing.txt", "@@\n-a\n+b"), op("delete_file", "gone.txt")):
        result = editor.apply(item)
        assert result.status == "failed"
        assert str(ws) not in result.output
        assert str(ws.parent) not in result.output


def test_rejects_empty_path(editor):
    result = editor.apply(op("create_file", "", "+nope"))
    assert result.status == "failed"
    assert "'path' must be a non-empty string" in result.output


def test_normalizes_backslashes_in_path(editor, ws):
    result = editor.apply(op("create_file", "sub\\dir\\new.txt", "+hello"))
    assert result == PatchResult("completed", "Created sub/dir/new.txt")
    assert (ws / "sub" / "dir" / "new.txt").read_text() == "hello"


def test_normalizes_backslashes_in_move_to(editor, ws):
    (ws / "old.txt").write_text("alpha\n")
    result = editor.apply(op("update_file", "old.txt", "@@\n-alpha\n+beta\n", move_to="a\\b.txt"))
    assert result == PatchResult("completed", "Updated a/b.txt")
    assert (ws / "a" / "b.txt").read_text() == "beta\n"
    assert not (ws / "old.txt").exists()


def test_allows_absolute_path_within_root(editor, ws):
    result = editor.apply(op("create_file", str(ws / "abs-ok.txt"), "+hello"))
    assert result == PatchResult("completed", "Created abs-ok.txt")
    assert (ws / "abs-ok.txt").read_bytes() == b"hello"


def test_allows_absolute_path_through_the_root_as_given(tmp_path, ws):
    alias = tmp_path / "alias"
    alias.symlink_to(ws)
    editor = ApplyPatchEditor(alias)
    assert editor.root == ws.resolve()
    assert editor.apply(op("create_file", str(alias / "x.txt"), "+x")).status == "completed"
    assert (ws / "x.txt").read_text() == "x"


def test_rejects_absolute_path_outside_root(editor, outside):
    result = editor.apply(op("create_file", str(outside / "new.txt"), "+nope"))
    assert result.status == "failed"
    assert "is outside the workspace" in result.output
    assert not (outside / "new.txt").exists()


def test_create_requires_plus_lines(editor, ws):
    result = editor.apply(op("create_file", "new.txt", "oops"))
    assert result.status == "failed"
    assert "Invalid Add File Line: 'oops'" in result.output
    assert not (ws / "new.txt").exists()


def test_rejects_invalid_diff_line_prefix(editor, ws):
    (ws / "oops.txt").write_text("alpha\nbeta\n")
    result = editor.apply(op("update_file", "oops.txt", "oops"))
    assert result.status == "failed"
    assert "Unexpected line found in update hunk: 'oops'" in result.output


def test_update_of_non_utf8_file_fails_with_a_decode_message(editor, ws):
    (ws / "binary.txt").write_bytes(b"\xff\xfe\xfd")
    result = editor.apply(op("update_file", "binary.txt", "@@\n+\n"))
    assert result.status == "failed"
    assert "binary.txt is not UTF-8 text (invalid byte at offset 0)" in result.output
    assert (ws / "binary.txt").read_bytes() == b"\xff\xfe\xfd"


def test_update_of_file_with_nul_bytes_is_refused_as_binary(editor, ws):
    (ws / "blob.bin").write_bytes(b"a\x00b\n")
    result = editor.apply(op("update_file", "blob.bin", "@@\n+x"))
    assert result.status == "failed"
    assert "looks binary" in result.output


def test_dialect_rules_are_configurable(ws):
    (ws / "custom.txt").write_text("hello\nworld")
    editor = ApplyPatchEditor(ws, diff_rules=ENVELOPE_RULES)
    assert (
        editor.apply(op("update_file", "custom.txt", "@@\n hello\n-world\n+there")).status
        == "completed"
    )
    assert (ws / "custom.txt").read_text() == "hello\nthere\n"


def test_supports_a_non_default_root_given_as_str(tmp_path):
    root = tmp_path / "custom-workspace"
    root.mkdir()
    assert (
        ApplyPatchEditor(str(root)).apply(op("create_file", "new.txt", "+hello")).status
        == "completed"
    )
    assert (root / "new.txt").read_bytes() == b"hello"


def test_mapping_operation_moves_file(editor, ws):
    (ws / "old.txt").write_text("alpha\n")
    item = op("update_file", "old.txt", "@@\n-alpha\n+beta\n", move_to="renamed/new.txt")
    assert editor.apply(item) == PatchResult("completed", "Updated renamed/new.txt")
    assert (ws / "renamed" / "new.txt").read_bytes() == b"beta\n"
    assert not (ws / "old.txt").exists()


def test_mapping_operation_without_move_to_updates_in_place(editor, ws):
    (ws / "keep.txt").write_text("alpha\n")
    assert editor.apply(op("update_file", "keep.txt", "@@\n-alpha\n+beta\n")).status == "completed"
    assert tree(ws) == {"keep.txt": b"beta\n"}


def test_mapping_operation_rejects_non_string_move_to(editor, ws):
    (ws / "old.txt").write_text("alpha\n")
    result = editor.apply(op("update_file", "old.txt", "@@\n-alpha\n+beta\n", move_to=5))
    assert result.status == "failed"
    assert "'move_to' must be a non-empty string" in result.output
    assert tree(ws) == {"old.txt": b"alpha\n"}


# --- openai-agents tests/test_apply_patch_tool.py and the output item -------------------------


def test_success_is_completed_with_a_short_summary(editor, ws):
    (ws / "a.txt").write_text("a\n")
    (ws / "b.txt").write_text("b\n")
    result = editor.apply_operations(
        [
            op("create_file", "n.txt", "+n\n"),
            op("update_file", "a.txt", "@@\n-a\n+A"),
            op("delete_file", "b.txt"),
        ]
    )
    assert result == PatchResult("completed", "Created n.txt\nUpdated a.txt\nDeleted b.txt")


def test_model_caused_failure_is_a_result_not_an_exception(editor):
    result = editor.apply(op("rename_file", "a.txt"))
    assert result.status == "failed"
    assert "unknown operation type 'rename_file'" in result.output


def test_accepts_mappings_dataclasses_and_model_dump_objects(editor, ws):
    class Model:
        def model_dump(self) -> dict[str, object]:
            return {"type": "create_file", "path": "m.txt", "diff": "+m"}

    assert (
        editor.apply({"type": "create_file", "path": "d.txt", "diff": "+d"}).status == "completed"
    )
    assert editor.apply(FileOperation("create_file", "f.txt", "+f")).status == "completed"
    assert editor.apply(Model()).status == "completed"
    assert tree(ws) == {"d.txt": b"d", "f.txt": b"f", "m.txt": b"m"}


def test_any_failed_operation_makes_the_whole_call_failed(editor, ws):
    result = editor.apply_operations(
        [
            op("create_file", "ok.txt", "+ok"),
            op("delete_file", "missing.txt"),
            op("create_file", "b.txt", "+b"),
        ]
    )
    assert result.status == "failed"
    assert result.output == (
        "Operation 2 of 3 failed: delete_file missing.txt: missing.txt does not exist\n" + NOTHING
    )
    assert tree(ws) == {}


def test_output_item_shape():
    result = PatchResult("failed", 'Invalid Context 0:\n    print("hi")')
    assert to_output_item("call_7", result) == {
        "type": "apply_patch_call_output",
        "call_id": "call_7",
        "status": "failed",
        "output": 'Invalid Context 0:\n    print("hi")',
    }


def test_output_item_copies_the_caller():
    item = to_output_item("c1", PatchResult("completed", "Created a"), caller={"type": "direct"})
    assert item["caller"] == {"type": "direct"}


@pytest.mark.parametrize("call_id", ["", None])
def test_output_item_without_call_id_is_an_adapter_error(call_id):
    with pytest.raises(ValueError, match="call_id"):
        to_output_item(call_id, PatchResult("completed", ""))


def test_dry_run_reports_canonical_paths_and_diffs_without_writing(editor, ws):
    (ws / "a.txt").write_text("one\ntwo\n")
    result = editor.apply_operations(
        [
            op("update_file", ".\\a.txt", "@@\n one\n-two\n+2"),
            op("create_file", "n/new.txt", "+x\n"),
        ],
        dry_run=True,
    )
    assert result == PatchResult(
        "completed",
        "Dry run: nothing was written.\nUpdated a.txt\nCreated n/new.txt\n"
        "--- a.txt\n+++ a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n"
        "--- n/new.txt\n+++ n/new.txt\n@@ -0,0 +1 @@\n+x",
    )
    assert tree(ws) == {"a.txt": b"one\ntwo\n"}


def test_notes_about_unmatched_anchors_and_fuzzy_matches_reach_the_model(editor, ws):
    (ws / "a.py").write_text("x = 1  \n")
    result = editor.apply(op("update_file", "a.py", "@@ def nowhere():\n-x = 1\n+x = 2"))
    assert result.status == "completed"
    assert result.output.splitlines() == [
        "Updated a.py",
        "Note: a.py: hunk 1 (first context line 'x = 1'): anchor '@@ def nowhere():' was not "
        "found; the hunk was placed by its context lines alone",
        "Note: a.py: hunk 1 (first context line 'x = 1') matched only after ignoring trailing "
        "whitespace",
    ]


# --- openai-agents sandbox capabilities ------------------------------------------------------


def test_move_to_the_same_path_does_not_remove_the_file(editor, ws):
    (ws / "same.txt").write_text("a\n")
    item = op("update_file", "same.txt", "@@\n-a\n+b", move_to="./same.txt")
    assert editor.apply(item) == PatchResult("completed", "Updated same.txt")
    assert tree(ws) == {"same.txt": b"b\n"}


def test_create_update_move_delete_in_both_dialects(editor, ws):
    assert editor.apply(op("create_file", "hello.txt", "+hello\n+world")).status == "completed"
    assert (ws / "hello.txt").read_text() == "hello\nworld"  # agents: no final newline
    patch = wrap(
        "*** Add File: env.txt",
        "+hello",
        "+world",
        "*** Update File: hello.txt",
        "*** Move to: moved.txt",
        "@@",
        "-world",
        "+there",
    )
    assert editor.apply_envelope(patch).output == (
        "Success. Updated the following files:\nA env.txt\nM moved.txt"
    )
    assert tree(ws) == {"env.txt": b"hello\nworld\n", "moved.txt": b"hello\nthere\n"}
    assert editor.apply_envelope(wrap("*** Delete File: env.txt")).status == "completed"
    assert tree(ws) == {"moved.txt": b"hello\nthere\n"}


def test_invalid_later_path_does_not_mutate_the_valid_prefix(editor, ws):
    (ws / "a.txt").write_text("a\n")
    result = editor.apply_operations(
        [op("update_file", "a.txt", "@@\n-a\n+A"), op("create_file", "../escape.txt", "+x")]
    )
    assert result.status == "failed"
    assert (
        "Operation 2 of 2 failed: create_file ../escape.txt: '../escape.txt': '..'" in result.output
    )
    assert tree(ws) == {"a.txt": b"a\n"}


def test_malformed_envelope_is_a_recoverable_failure(editor):
    result = editor.apply_envelope("*** Begin Patch\n*** Frobnicate File: x\n*** End Patch")
    assert result.status == "failed"
    assert result.output.startswith(
        "Invalid patch: line 2: '*** Frobnicate File: x' is not a valid"
    )


def test_update_without_a_hunk_in_an_envelope_fails(editor, ws):
    (ws / "a").write_text("x\n")
    result = editor.apply_envelope(wrap("*** Update File: a", "*** Move to: b"))
    assert result.output.startswith("Invalid patch: line 2: Update file hunk for path 'a' is empty")
    assert tree(ws) == {"a": b"x\n"}


# --- path safety ---------------------------------------------------------------------------

ESCAPES = {
    "dotdot": "../escape.txt",
    "nested_dotdot": "a/../../escape.txt",
    "dotdot_inside": "a/../b.txt",
    "only_dotdot": "..",
    "backslash_dotdot": "..\\escape.txt",
    "absolute_outside": "/etc/apply_patch_escape.txt",
    "drive_backslash": "C:\\Windows\\escape.txt",
    "drive_slash": "C:/escape.txt",
    "drive_relative": "c:escape.txt",
    "unc_backslash": "\\\\server\\share\\escape.txt",
    "unc_slash": "//server/share/escape.txt",
    "nul_byte": "ok.txt\x00.png",
    "root_itself": ".",
    "root_slash": "./",
}


@pytest.mark.parametrize("path", list(ESCAPES.values()), ids=list(ESCAPES))
@pytest.mark.parametrize("kind", ["create_file", "update_file", "delete_file"])
def test_every_escape_attempt_is_refused(editor, ws, tmp_path, path, kind):
    (ws / "b.txt").write_text("b\n")
    before = tree(tmp_path)
    diff = {"create_file": "+x", "update_file": "@@\n-b\n+B"}.get(kind)
    result = editor.apply(op(kind, path, diff))
    assert result.status == "failed"
    assert result.output.endswith(NOTHING)
    assert tree(tmp_path) == before


def test_symlinked_file_pointing_outside_is_refused(editor, ws, outside):
    (ws / "link.txt").symlink_to(outside / "secret.txt")
    for item in (
        op("update_file", "link.txt", "@@\n-secret\n+owned"),
        op("create_file", "link.txt", "+owned"),
        op("delete_file", "link.txt"),
    ):
        result = editor.apply(item)
        assert result.status == "failed"
        assert "leads outside the workspace through a symlink" in result.output
    assert (outside / "secret.txt").read_text() == "secret\n"
    assert (ws / "link.txt").is_symlink()


def test_symlinked_directory_pointing_outside_is_refused(editor, ws, outside):
    (ws / "dir").symlink_to(outside, target_is_directory=True)
    result = editor.apply_operations(
        [
            op("create_file", "dir/new.txt", "+x"),
            op("update_file", "dir/secret.txt", "@@\n-secret\n+x"),
        ]
    )
    assert result.status == "failed"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == "secret\n"


def test_dangling_symlink_to_outside_is_refused(editor, ws, outside):
    (ws / "dangling.txt").symlink_to(outside / "not-yet.txt")
    assert editor.apply(op("create_file", "dangling.txt", "+x")).status == "failed"
    assert not (outside / "not-yet.txt").exists()


def test_move_to_outside_is_refused_and_source_kept(editor, ws, outside):
    (ws / "a.txt").write_text("a\n")
    (ws / "out").symlink_to(outside, target_is_directory=True)
    for move_to in ("../a.txt", str(outside / "a.txt"), "out/a.txt"):
        item = op("update_file", "a.txt", "@@\n-a\n+b", move_to=move_to)
        assert editor.apply(item).status == "failed"
    assert (ws / "a.txt").read_text() == "a\n"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_symlink_loop_is_a_failure_not_a_crash(editor, ws):
    (ws / "loop").symlink_to(ws / "loop")
    assert editor.apply(op("update_file", "loop", "@@\n-a\n+b")).status == "failed"


def test_symlink_inside_the_root_is_followed_and_kept(editor, ws):
    (ws / "real.txt").write_text("a\n")
    (ws / "link.txt").symlink_to(ws / "real.txt")
    assert editor.apply(op("update_file", "link.txt", "@@\n-a\n+b")).status == "completed"
    assert (ws / "link.txt").is_symlink()
    assert (ws / "real.txt").read_text() == "b\n"


def test_delete_of_a_symlink_removes_the_link_only(editor, ws):
    (ws / "real.txt").write_text("a\n")
    (ws / "link.txt").symlink_to(ws / "real.txt")
    assert editor.apply(op("delete_file", "link.txt")).status == "completed"
    assert not (ws / "link.txt").is_symlink()
    assert (ws / "real.txt").read_text() == "a\n"


def test_envelope_workdir_outside_the_root_is_refused(editor, tmp_path):
    result = editor.apply_envelope(wrap("*** Add File: x.txt", "+x"), workdir="../")
    assert result.status == "failed"
    assert result.output.startswith("Invalid working directory:")
    assert not (tmp_path / "x.txt").exists()


# --- atomicity and the filesystem -----------------------------------------------------------


def test_second_operation_failing_leaves_the_first_unwritten(editor, ws):
    (ws / "a.txt").write_text("a\n")
    result = editor.apply_operations(
        [
            op("create_file", "new/first.txt", "+first"),
            op("update_file", "a.txt", "@@\n-a\n+A"),
            op("update_file", "a.txt", "@@\n-not there\n+x"),
        ]
    )
    assert result.status == "failed"
    assert result.output.startswith("Operation 3 of 3 failed: update_file a.txt: hunk 1")
    assert tree(ws) == {"a.txt": b"a\n"}
    assert not (ws / "new").exists()


def test_write_error_restores_earlier_files_and_removes_new_directories(editor, ws, monkeypatch):
    (ws / "a.txt").write_text("a\n")
    (ws / "b.txt").write_text("b\n")
    real_replace = os.replace

    def failing_replace(src, dst):
        if Path(dst).name == "b.txt":
            raise PermissionError(13, "Permission denied")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    result = editor.apply_operations(
        [
            op("update_file", "a.txt", "@@\n-a\n+A"),
            op("create_file", "d/e/new.txt", "+n"),
            op("update_file", "b.txt", "@@\n-b\n+B"),
        ]
    )
    monkeypatch.setattr(os, "replace", real_replace)
    assert result == PatchResult(
        "failed", f"Writing the files failed (Permission denied). {NOTHING}"
    )
    assert tree(ws) == {"a.txt": b"a\n", "b.txt": b"b\n"}
    assert not (ws / "d").exists()


def test_writes_leave_no_temporary_files_and_keep_the_mode(editor, ws):
    (ws / "script.sh").write_text("echo a\n")
    (ws / "script.sh").chmod(0o750)
    assert (
        editor.apply(op("update_file", "script.sh", "@@\n-echo a\n+echo b")).status == "completed"
    )
    assert os.listdir(ws) == ["script.sh"]
    assert (ws / "script.sh").stat().st_mode & 0o777 == 0o750


def test_create_makes_parent_directories(editor, ws):
    assert editor.apply(op("create_file", "a/b/c/new.txt", "+x")).status == "completed"
    assert (ws / "a" / "b" / "c" / "new.txt").read_text() == "x"


def test_create_over_an_existing_file_is_refused_for_operations(editor, ws):
    (ws / "dup.txt").write_text("old\n")
    result = editor.apply(op("create_file", "dup.txt", "+new"))
    assert result.status == "failed"
    assert "dup.txt already exists; use update_file to change it" in result.output
    assert (ws / "dup.txt").read_text() == "old\n"


def test_create_under_a_file_is_refused(editor, ws):
    (ws / "plain").write_text("x")
    result = editor.apply(op("create_file", "plain/child.txt", "+y"))
    assert result.status == "failed"
    assert "plain is a file" in result.output


def test_create_over_a_directory_is_refused(editor, ws):
    (ws / "dir").mkdir()
    assert "dir is a directory" in editor.apply(op("create_file", "dir", "+y")).output


def test_operations_in_one_call_see_each_others_results(editor, ws):
    result = editor.apply_operations(
        [op("create_file", "a.txt", "+one\n+two\n+"), op("update_file", "a.txt", "@@\n-two\n+2")]
    )
    assert result.status == "completed"
    assert (ws / "a.txt").read_text() == "one\n2\n"


def test_update_after_delete_in_the_same_call_fails(editor, ws):
    (ws / "a.txt").write_text("a\n")
    result = editor.apply_operations(
        [op("delete_file", "a.txt"), op("update_file", "a.txt", "@@\n-a\n+b")]
    )
    assert "a.txt was deleted earlier in this patch" in result.output
    assert (ws / "a.txt").exists()


def test_byte_order_mark_is_kept_and_ignored_for_matching(editor, ws):
    (ws / "bom.txt").write_bytes(b"\xef\xbb\xbffirst\nsecond\n")
    assert editor.apply(op("update_file", "bom.txt", "@@\n-first\n+1st")).status == "completed"
    assert (ws / "bom.txt").read_bytes() == b"\xef\xbb\xbf1st\nsecond\n"


def test_crlf_and_missing_final_newline_survive_an_update(editor, ws):
    (ws / "w.txt").write_bytes(b"a\r\nb\r\nc")
    assert editor.apply(op("update_file", "w.txt", "@@\n a\n-b\n+B\n+B2")).status == "completed"
    assert (ws / "w.txt").read_bytes() == b"a\r\nB\r\nB2\r\nc"


def test_utf8_content_is_written_as_utf8(editor, ws):
    assert editor.apply(op("create_file", "u.txt", "+naïve café ✅\n+")).status == "completed"
    assert (ws / "u.txt").read_bytes() == "naïve café ✅\n".encode()


def test_programmer_errors_raise(ws, editor):
    with pytest.raises(FileNotFoundError):
        ApplyPatchEditor(ws / "missing")
    (ws / "file").write_text("")
    with pytest.raises(NotADirectoryError):
        ApplyPatchEditor(ws / "file")
    with pytest.raises(TypeError):
        editor.apply("create_file a.txt")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        editor.apply_operations({"type": "create_file"})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        editor.apply_envelope(b"*** Begin Patch")  # type: ignore[arg-type]


def test_empty_operation_list_is_a_failure(editor):
    assert editor.apply_operations([]).status == "failed"


# --- codex lib.rs + tool.rs through the editor ------------------------------------------------


def test_add_file_reports_a_and_writes_final_newline(editor, ws):
    result = editor.apply_envelope(wrap("*** Add File: add.txt", "+ab", "+cd"))
    assert result == PatchResult("completed", "Success. Updated the following files:\nA add.txt")
    assert (ws / "add.txt").read_text() == "ab\ncd\n"


def test_delete_file_reports_d(editor, ws):
    (ws / "del.txt").write_text("x")
    result = editor.apply_envelope(wrap("*** Delete File: del.txt"))
    assert result.output == "Success. Updated the following files:\nD del.txt"
    assert not (ws / "del.txt").exists()


def test_update_reports_m(editor, ws):
    (ws / "update.txt").write_text("foo\nbar\n")
    result = editor.apply_envelope(
        wrap("*** Update File: update.txt", "@@", " foo", "-bar", "+baz")
    )
    assert result.output == "Success. Updated the following files:\nM update.txt"
    assert (ws / "update.txt").read_text() == "foo\nbaz\n"


def test_move_lists_the_destination(editor, ws):
    (ws / "src.txt").write_text("line\n")
    patch = wrap("*** Update File: src.txt", "*** Move to: dst.txt", "@@", "-line", "+line2")
    assert editor.apply_envelope(patch).output == "Success. Updated the following files:\nM dst.txt"
    assert tree(ws) == {"dst.txt": b"line2\n"}


def test_multiple_chunks_list_the_file_once(editor, ws):
    (ws / "multi.txt").write_text("foo\nbar\nbaz\nqux\n")
    patch = wrap(
        "*** Update File: multi.txt", "@@", " foo", "-bar", "+BAR", "@@", " baz", "-qux", "+QUX"
    )
    assert (
        editor.apply_envelope(patch).output == "Success. Updated the following files:\nM multi.txt"
    )
    assert (ws / "multi.txt").read_text() == "foo\nBAR\nbaz\nQUX\n"


def test_summary_groups_added_modified_deleted(editor, ws):
    (ws / "m.txt").write_text("m\n")
    (ws / "d.txt").write_text("d\n")
    patch = wrap(
        "*** Delete File: d.txt",
        "*** Update File: m.txt",
        "@@",
        "-m",
        "+M",
        "*** Add File: a.txt",
        "+a",
    )
    assert editor.apply_envelope(patch).output == (
        "Success. Updated the following files:\nA a.txt\nM m.txt\nD d.txt"
    )


def test_trailing_blank_line_in_a_hunk_adds_no_extra_line(editor, ws):
    (ws / "lf.txt").write_text("foo\nbar\n")
    patch = wrap("*** Update File: lf.txt", "@@", " foo", "-bar", "+BAR", "")
    assert editor.apply_envelope(patch).status == "completed"
    assert (ws / "lf.txt").read_text() == "foo\nBAR\n"


def test_preserves_crlf_from_the_target_file(editor, ws):
    (ws / "crlf.txt").write_bytes(b"a\r\nb\r\nc\r\n")
    patch = wrap(
        "*** Update File: crlf.txt", "@@", " a", "-b", "+B", "@@", " c", "+d", "*** End of File"
    )
    assert editor.apply_envelope(patch).status == "completed"
    assert (ws / "crlf.txt").read_bytes() == b"a\r\nB\r\nc\r\nd\r\n"


def test_crlf_file_gets_crlf_for_the_new_trailing_newline(editor, ws):
    (ws / "w.txt").write_bytes(b"one\r\ntwo")
    assert (
        editor.apply_envelope(wrap("*** Update File: w.txt", "@@", "-one", "+ONE")).status
        == "completed"
    )
    assert (ws / "w.txt").read_bytes() == b"ONE\r\ntwo\r\n"


def test_preserves_untouched_mixed_line_endings(editor, ws):
    (ws / "mixed.txt").write_bytes(b"a\r\nb\nc\r\n")
    assert (
        editor.apply_envelope(wrap("*** Update File: mixed.txt", "@@", " a", "-b", "+B")).status
        == "completed"
    )
    assert (ws / "mixed.txt").read_bytes() == b"a\r\nB\r\nc\r\n"


def test_relative_paths_resolve_against_the_cd_workdir(editor, ws):
    (ws / "alt").mkdir()
    (ws / "alt" / "old.txt").write_text("before\n")
    patch = wrap("*** Update File: old.txt", "*** Move to: renamed.txt", "@@", "-before", "+after")
    result = editor.apply_argv(["bash", "-lc", f"cd alt && apply_patch <<'PATCH'\n{patch}\nPATCH"])
    assert result == PatchResult(
        "completed", "Success. Updated the following files:\nM alt/renamed.txt"
    )
    assert tree(ws) == {"alt/renamed.txt": b"after\n"}


def test_literal_argv_applies_relative_to_the_root(editor, ws):
    (ws / "source.txt").write_text("session directory content\n")
    patch = wrap("*** Update File: source.txt", "@@", "-session directory content", "+updated")
    assert editor.apply_argv(["apply_patch", patch]).status == "completed"
    assert (ws / "source.txt").read_text() == "updated\n"


def test_argv_that_is_not_apply_patch_returns_none(editor):
    assert editor.apply_argv(["ls", "-la"]) is None


def test_raw_patch_argv_fails_with_the_rerun_hint(editor, ws):
    result = editor.apply_argv([wrap("*** Add File: foo", "+hi")])
    assert result is not None
    assert result.status == "failed"
    assert "patch detected without explicit call to apply_patch" in result.output
    assert tree(ws) == {}


def test_cd_outside_the_root_is_refused(editor, tmp_path):
    patch = wrap("*** Add File: x.txt", "+x")
    result = editor.apply_argv(["bash", "-lc", f"cd .. && apply_patch <<'EOF'\n{patch}\nEOF"])
    assert result is not None
    assert result.status == "failed"
    assert not (tmp_path / "x.txt").exists()


def test_envelope_absolute_paths_inside_the_root_are_accepted(editor, ws):
    (ws / "u.py").write_text("old\n")
    patch = wrap(
        f"*** Delete File: {ws / 'gone.py'}",
        f"*** Update File: {ws / 'u.py'}",
        "@@",
        "-old",
        "+new",
    )
    (ws / "gone.py").write_text("")
    assert editor.apply_envelope(patch).status == "completed"
    assert tree(ws) == {"u.py": b"new\n"}


# --- codex tests/fixtures/scenarios ---------------------------------------------------------

SCENARIOS = {
    "001_add_file": (
        {},
        wrap("*** Add File: bar.md", "+This is a new file"),
        {"bar.md": "This is a new file\n"},
    ),
    "002_multiple_operations": (
        {"delete.txt": "obsolete\n", "modify.txt": "line1\nline2\n"},
        wrap(
            "*** Add File: nested/new.txt",
            "+created",
            "*** Delete File: delete.txt",
            "*** Update File: modify.txt",
            "@@",
            "-line2",
            "+changed",
        ),
        {"modify.txt": "line1\nchanged\n", "nested/new.txt": "created\n"},
    ),
    "003_multiple_chunks": (
        {"multi.txt": "line1\nline2\nline3\nline4\n"},
        wrap(
            "*** Update File: multi.txt", "@@", "-line2", "+changed2", "@@", "-line4", "+changed4"
        ),
        {"multi.txt": "line1\nchanged2\nline3\nchanged4\n"},
    ),
    "004_move_to_new_directory": (
        {"old/name.txt": "old content\n", "old/other.txt": "unrelated\n"},
        wrap(
            "*** Update File: old/name.txt",
            "*** Move to: renamed/dir/name.txt",
            "@@",
            "-old content",
            "+new content",
        ),
        {"old/other.txt": "unrelated\n", "renamed/dir/name.txt": "new content\n"},
    ),
    "005_rejects_empty_patch": ({"foo.txt": "stable\n"}, wrap(), None),
    "006_rejects_missing_context": (
        {"modify.txt": "line1\nline2\n"},
        wrap("*** Update File: modify.txt", "@@", "-missing", "+changed"),
        None,
    ),
    "007_rejects_missing_file_delete": (
        {"foo.txt": "stable\n"},
        wrap("*** Delete File: missing.txt"),
        None,
    ),
    "008_rejects_empty_update_hunk": (
        {"foo.txt": "stable\n"},
        wrap("*** Update File: foo.txt"),
        None,
    ),
    "009_requires_existing_file_for_update": (
        {"foo.txt": "stable\n"},
        wrap("*** Update File: missing.txt", "@@", "-old", "+new"),
        None,
    ),
    "010_move_overwrites_existing_destination": (
        {
            "old/name.txt": "from\n",
            "old/other.txt": "other\n",
            "renamed/dir/name.txt": "existing\n",
        },
        wrap(
            "*** Update File: old/name.txt",
            "*** Move to: renamed/dir/name.txt",
            "@@",
            "-from",
            "+new",
        ),
        {"old/other.txt": "other\n", "renamed/dir/name.txt": "new\n"},
    ),
    "011_add_overwrites_existing_file": (
        {"duplicate.txt": "old content\n"},
        wrap("*** Add File: duplicate.txt", "+new content"),
        {"duplicate.txt": "new content\n"},
    ),
    "012_delete_directory_fails": ({"dir/foo.txt": "stable\n"}, wrap("*** Delete File: dir"), None),
    "013_rejects_invalid_hunk_header": (
        {"foo.txt": "stable\n"},
        wrap("*** Frobnicate File: foo.txt"),
        None,
    ),
    "014_update_file_appends_trailing_newline": (
        {"no_newline.txt": "no newline at end"},
        wrap(
            "*** Update File: no_newline.txt",
            "@@",
            "-no newline at end",
            "+first line",
            "+second line",
        ),
        {"no_newline.txt": "first line\nsecond line\n"},
    ),
    "015_failure_after_partial_success_writes_nothing": (
        {},
        wrap(
            "*** Add File: created.txt",
            "+hello",
            "*** Update File: missing.txt",
            "@@",
            "-old",
            "+new",
        ),
        None,  # codex leaves created.txt behind; we write nothing (§1.8)
    ),
    "016_pure_addition_update_chunk": (
        {"input.txt": "line1\nline2\n"},
        wrap("*** Update File: input.txt", "@@", "+added line 1", "+added line 2"),
        {"input.txt": "line1\nline2\nadded line 1\nadded line 2\n"},
    ),
    "017_whitespace_padded_hunk_header": (
        {"foo.txt": "old\n"},
        wrap("  *** Update File: foo.txt", "@@", "-old", "+new"),
        {"foo.txt": "new\n"},
    ),
    "018_whitespace_padded_patch_markers": (
        {"file.txt": "one\n"},
        " *** Begin Patch\n*** Update File: file.txt\n@@\n-one\n+two\n*** End Patch \n",
        {"file.txt": "two\n"},
    ),
    "019_unicode_simple": (
        {"foo.txt": "line1\nnaïve café\nline3\n"},
        wrap("*** Update File: foo.txt", "@@", " line1", "-naïve café", "+naïve café ✅"),
        {"foo.txt": "line1\nnaïve café ✅\nline3\n"},
    ),
    "020_delete_file_success": (
        {"keep.txt": "keep\n", "obsolete.txt": "bye\n"},
        wrap("*** Delete File: obsolete.txt"),
        {"keep.txt": "keep\n"},
    ),
    "020_whitespace_padded_patch_marker_lines": (
        {"file.txt": "one\n"},
        "*** Begin Patch \n*** Update File: file.txt\n@@\n-one\n+two\n *** End Patch\n",
        {"file.txt": "two\n"},
    ),
    "021_update_file_deletion_only": (
        {"lines.txt": "line1\nline2\nline3\n"},
        wrap("*** Update File: lines.txt", "@@", " line1", "-line2", " line3"),
        {"lines.txt": "line1\nline3\n"},
    ),
    "022_update_file_end_of_file_marker": (
        {"tail.txt": "first\nsecond\n"},
        wrap("*** Update File: tail.txt", "@@", " second", "+third", "*** End of File"),
        {"tail.txt": "first\nsecond\nthird\n"},
    ),
}


@pytest.mark.parametrize(
    ("files", "patch", "expected"), list(SCENARIOS.values()), ids=list(SCENARIOS)
)
def test_codex_scenario_final_tree(editor, ws, files, patch, expected):
    for name, content in files.items():
        (ws / name).parent.mkdir(parents=True, exist_ok=True)
        (ws / name).write_text(content)
    before = tree(ws)
    result = editor.apply_envelope(patch)
    if expected is None:
        assert result.status == "failed"
        assert tree(ws) == before
    else:
        assert result.status == "completed", result.output
        assert tree(ws) == {name: text.encode() for name, text in expected.items()}


def test_empty_envelope_says_no_files_were_modified(editor):
    assert editor.apply_envelope(wrap()) == PatchResult("failed", "No files were modified.")


def test_missing_context_names_the_hunk_and_keeps_the_file(editor, ws):
    (ws / "m.txt").write_text("line1\nline2\n")
    result = editor.apply_envelope(wrap("*** Update File: m.txt", "@@", " line1", "-missing", "+x"))
    assert result.output.startswith(
        "update_file m.txt: hunk 1 (first context line 'line1') did not match: these 2 line(s)"
    )
    assert (ws / "m.txt").read_text() == "line1\nline2\n"


def test_delete_of_a_directory_fails_with_a_clear_message(editor, ws):
    (ws / "dir").mkdir()
    result = editor.apply_envelope(wrap("*** Delete File: dir"))
    assert "dir is a directory; delete_file only removes files" in result.output


def test_rules_presets_differ_only_where_documented():
    assert DIFF_RULES.overwrite is False
    assert ENVELOPE_RULES.overwrite is True
    assert not DIFF_RULES.add_final_newline
    assert ENVELOPE_RULES.add_final_newline
    assert not DIFF_RULES.pure_insert_at_end
    assert ENVELOPE_RULES.pure_insert_at_end
