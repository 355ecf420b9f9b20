"""Shell executor: approval, processes, timeouts and output shaping, in sync and async modes."""

from __future__ import annotations

import asyncio
import getpass
import inspect
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from langchain_responses.tools.shell import (
    ExitOutcome,
    ShellExecutor,
    ShellOutput,
    allow_all,
    allow_commands,
    deny_all,
    to_local_shell_call_output,
    to_shell_call_output,
)

Run = Callable[[ShellExecutor, Mapping[str, Any]], list[ShellOutput]]
RunLocal = Callable[[ShellExecutor, Mapping[str, Any]], dict[str, Any]]


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Run:
    """``executor.run`` or ``executor.arun``: every behaviour test runs in both modes."""
    if request.param == "sync":
        return lambda executor, action: executor.run(action)
    return lambda executor, action: asyncio.run(executor.arun(action))


@pytest.fixture(params=["sync", "async"])
def run_local(request: pytest.FixtureRequest) -> RunLocal:
    if request.param == "sync":
        return lambda executor, action: json.loads(executor.run_local_shell(action))
    return lambda executor, action: json.loads(asyncio.run(executor.arun_local_shell(action)))


def exited(code: int) -> ExitOutcome:
    return {"type": "exit", "exit_code": code}


# --- approval ----------------------------------------------------------------------------


def test_default_denies_and_runs_nothing(run: Run, tmp_path: Path) -> None:
    executor = ShellExecutor(cwd=tmp_path)
    outputs = run(executor, {"commands": ["touch created", "echo hi"]})
    assert not (tmp_path / "created").exists()
    assert len(outputs) == 1
    assert outputs[0]["stdout"] == ""
    assert outputs[0]["outcome"] == exited(1)
    message = outputs[0]["stderr"]
    assert "no approval policy" in message
    assert "ShellExecutor(approve=allow_all())" in message
    assert "allow_commands(" in message
    assert "-> bool | str" in message


def test_deny_all_gives_its_reason(run: Run, tmp_path: Path) -> None:
    executor = ShellExecutor(approve=deny_all("read-only session"), cwd=tmp_path)
    [output] = run(executor, {"commands": ["touch created"]})
    assert "read-only session" in output["stderr"]
    assert output["outcome"] == exited(1)
    assert not (tmp_path / "created").exists()


def test_allow_list_runs_listed_commands(run: Run, tmp_path: Path) -> None:
    executor = ShellExecutor(approve=allow_commands(["echo", "printf"]), cwd=tmp_path)
    outputs = run(executor, {"commands": ["echo one", "printf 'two;three'"]})
    assert [output["stdout"] for output in outputs] == ["one\n", "two;three"]


def test_one_unlisted_command_refuses_the_whole_call(run: Run, tmp_path: Path) -> None:
    executor = ShellExecutor(approve=allow_commands(["echo"]), cwd=tmp_path)
    [output] = run(executor, {"commands": ["echo first", "touch created"]})
    assert output["stdout"] == ""
    assert "'touch created'" in output["stderr"]
    assert "not in the allow-list ('echo')" in output["stderr"]
    assert not (tmp_path / "created").exists()


@pytest.mark.parametrize(
    "command",
    [
        "echo hi; touch created",
        "echo hi && touch created",
        "echo hi | tee created",
        "echo hi > created",
        "echo $(touch created)",
        "echo `touch created`",
        'echo "$(touch created)"',
        "echo hi\ntouch created",
        "echo \\'; touch created",
        "echo 'unterminated",
        "echo trailing\\",
    ],
)
def test_allow_list_refuses_shell_syntax(command: str, tmp_path: Path) -> None:
    policy = allow_commands(["echo"])
    assert isinstance(policy(command), str)
    [output] = ShellExecutor(approve=policy, cwd=tmp_path).run({"commands": [command]})
    assert output["outcome"] == exited(1)
    assert not (tmp_path / "created").exists()


@pytest.mark.parametrize(
    ("command", "allowed"),
    [
        ("git status", True),
        ("git status --short", True),
        ("git  status", True),
        ("git push", False),
        ("git statusx", False),
        ("git", False),
        ("ls -la 'a;b'", True),
        ('ls "a b"', True),
        ("lsblk", False),
        ("FOO=1 ls", False),
    ],
)
def test_allow_list_matches_whole_words(command: str, allowed: bool) -> None:
    policy = allow_commands(["git status", "ls"])
    assert (policy(command) is True) is allowed


def test_allow_list_needs_prefixes() -> None:
    with pytest.raises(ValueError, match="at least one"):
        allow_commands([])
    with pytest.raises(ValueError, match="at least one"):
        allow_commands([" "])


def test_callable_policy_sees_each_command_and_can_give_a_reason(run: Run, tmp_path: Path) -> None:
    seen: list[str] = []

    def policy(command: str) -> bool | str:
        seen.append(command)
        return True if command.startswith("echo") else "only echo today"

    executor = ShellExecutor(approve=policy, cwd=tmp_path)
    assert run(executor, {"commands": ["echo ok"]})[0]["stdout"] == "ok\n"
    [refused] = run(executor, {"commands": ["rm -rf x"]})
    assert "only echo today" in refused["stderr"]
    assert seen == ["echo ok", "rm -rf x"]


def test_a_false_verdict_refuses(run: Run) -> None:
    [output] = run(ShellExecutor(approve=lambda command: False), {"commands": ["true"]})
    assert "not approved" in output["stderr"]
    assert output["outcome"] == exited(1)


# --- processes ---------------------------------------------------------------------------


def test_exit_codes_stdout_and_stderr(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all())
    outputs = run(executor, {"commands": ["echo out; echo err >&2; exit 3", "echo next"]})
    assert outputs == [
        {"stdout": "out\n", "stderr": "err\n", "outcome": exited(3)},
        {"stdout": "next\n", "stderr": "", "outcome": exited(0)},
    ]


def test_a_signal_death_is_128_plus_the_signal(run: Run) -> None:
    [output] = run(ShellExecutor(approve=allow_all()), {"commands": ["kill -9 $$"]})
    assert output["outcome"] == exited(137)


def test_commands_run_with_bash_and_no_stdin(run: Run) -> None:
    [output] = run(ShellExecutor(approve=allow_all()), {"commands": ["echo {1..3}; cat"]})
    assert output["stdout"] == "1 2 3\n"


def process_is_gone(pid: int) -> bool:
    """Dead or a zombie (a container's init may never reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in {"Z", "X"}


def test_timeout_kills_the_process_group_and_stops(run: Run, tmp_path: Path) -> None:
    executor = ShellExecutor(approve=allow_all(), cwd=tmp_path)
    script = "sleep 30 & echo $! > child.pid; echo started; wait"
    started = time.monotonic()
    outputs = run(executor, {"commands": [script, "touch after"], "timeout_ms": 500})
    assert time.monotonic() - started < 5
    assert outputs == [{"stdout": "started\n", "stderr": "", "outcome": {"type": "timeout"}}]
    assert not (tmp_path / "after").exists()
    child = int((tmp_path / "child.pid").read_text())
    deadline = time.monotonic() + 2
    while not process_is_gone(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process_is_gone(child)


def test_executor_caps_the_model_timeout(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all(), max_timeout_ms=300)
    started = time.monotonic()
    [output] = run(executor, {"commands": ["sleep 20"], "timeout_ms": 60_000})
    assert output["outcome"] == {"type": "timeout"}
    assert time.monotonic() - started < 5


def test_default_timeout_applies_when_the_model_sets_none_or_zero(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all(), timeout_ms=300)
    for action in ({"commands": ["sleep 20"]}, {"commands": ["sleep 20"], "timeout_ms": 0}):
        assert run(executor, action)[0]["outcome"] == {"type": "timeout"}


def test_cwd_and_env(run: Run, tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "GREETING": "hello"}
    executor = ShellExecutor(approve=allow_all(), cwd=tmp_path, env=env)
    [output] = run(executor, {"commands": ['pwd; echo "$GREETING"']})
    assert output["stdout"] == f"{tmp_path.resolve()}\nhello\n"


def test_default_env_keeps_path_but_not_secrets(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    [output] = run(
        ShellExecutor(approve=allow_all()), {"commands": ['echo "[$OPENAI_API_KEY]"; ls /']}
    )
    assert output["stdout"].startswith("[]\n")
    assert output["outcome"] == exited(0)


def test_missing_cwd_is_an_output_not_an_exception(run: Run, tmp_path: Path) -> None:
    executor = ShellExecutor(approve=allow_all(), cwd=tmp_path / "missing")
    [output] = run(executor, {"commands": ["true"]})
    assert output["outcome"] == exited(127)
    assert "failed to start" in output["stderr"]


# --- output size -------------------------------------------------------------------------


def test_output_is_truncated_to_the_requested_length_with_a_marker(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all())
    action = {"commands": ["printf 'a%.0s' {1..1000}"], "max_output_length": 200}
    [output] = run(executor, action)
    assert len(output["stdout"]) <= 200
    kept = output["stdout"].split("\n")[0]
    assert set(kept) == {"a"}
    assert output["stdout"].endswith(f"[... {1000 - len(kept)} characters truncated ...]")


def test_the_budget_is_shared_stdout_before_stderr_in_command_order(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all())
    commands = ["printf 'o%.0s' {1..60}; printf 'e%.0s' {1..60} >&2", "printf 'n%.0s' {1..60}"]
    first, second = run(executor, {"commands": commands, "max_output_length": 100})
    assert first["stdout"] == "o" * 60
    assert first["stderr"].startswith("e")
    assert first["stderr"].endswith(" characters truncated ...]")
    dropped = int(first["stderr"].split("[... ")[1].split()[0])
    kept = len(first["stderr"].split("\n")[0])
    assert dropped == 60 - kept + 60
    assert second["stdout"] == ""
    assert len(first["stdout"] + first["stderr"]) <= 100


def test_the_executor_limit_caps_the_requested_length(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all(), max_output_length=80)
    [output] = run(executor, {"commands": ["seq 1 1000"], "max_output_length": 100_000})
    assert len(output["stdout"]) <= 80
    assert "characters truncated" in output["stdout"]


def test_a_zero_length_request_gives_empty_streams(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all())
    [output] = run(executor, {"commands": ["echo hi; exit 2"], "max_output_length": 0})
    assert output == {"stdout": "", "stderr": "", "outcome": exited(2)}


def test_captured_bytes_are_capped(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all(), capture_limit_bytes=1000)
    [output] = run(executor, {"commands": ["head -c 5000 /dev/zero | tr '\\0' a"]})
    assert output["stdout"] == "a" * 1000 + "\n[... 4000 more bytes were not captured ...]"


def test_camel_case_aliases(run: Run) -> None:
    executor = ShellExecutor(approve=allow_all())
    action = {"commands": ["seq 1 500"], "maxOutputLength": 50, "timeoutMs": 5000}
    assert len(run(executor, action)[0]["stdout"]) <= 50


@pytest.mark.parametrize(
    "action",
    [
        {"commands": "ls"},
        {"commands": []},
        {"commands": [1]},
        {"commands": ["ls"], "timeout_ms": -1},
        {"commands": ["ls"], "timeout_ms": True},
        {"commands": ["ls"], "timeout_ms": "10"},
        {"commands": ["ls"], "max_output_length": 1.5},
    ],
)
def test_malformed_actions_raise_before_running(action: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        ShellExecutor(approve=allow_all()).run(action)


# --- reply items -------------------------------------------------------------------------


def test_to_shell_call_output_echoes_the_limit_and_applies_it() -> None:
    outputs: list[ShellOutput] = [
        {"stdout": "x" * 300, "stderr": "", "outcome": {"type": "exit", "exit_code": 0}},
        {"stdout": "", "stderr": "", "outcome": {"type": "timeout"}},
    ]
    item = to_shell_call_output("call_1", outputs, 100, caller={"type": "direct"})
    assert item["type"] == "shell_call_output"
    assert item["call_id"] == "call_1"
    assert item["max_output_length"] == 100
    assert item["caller"] == {"type": "direct"}
    assert "status" not in item
    assert len(item["output"][0]["stdout"]) <= 100
    assert item["output"][1]["outcome"] == {"type": "timeout"}
    again = to_shell_call_output("call_1", item["output"], 100)
    assert again["output"] == item["output"]
    assert outputs[0]["stdout"] == "x" * 300


def test_to_shell_call_output_without_limit_keeps_everything() -> None:
    outputs: list[ShellOutput] = [{"stdout": "a" * 50_000, "stderr": "", "outcome": exited(0)}]
    item = to_shell_call_output("call_2", outputs)
    assert item == {"type": "shell_call_output", "call_id": "call_2", "output": outputs}


def test_reply_items_need_a_call_id() -> None:
    with pytest.raises(ValueError, match="call_id"):
        to_shell_call_output("", [])
    with pytest.raises(ValueError, match="call_id"):
        to_local_shell_call_output("", "{}")


def test_to_local_shell_call_output_uses_call_id() -> None:
    assert to_local_shell_call_output("call_3", '{"output": ""}') == {
        "type": "local_shell_call_output",
        "call_id": "call_3",
        "output": '{"output": ""}',
    }


# --- legacy local_shell --------------------------------------------------------------------


def exec_action(*argv: str, **fields: Any) -> dict[str, Any]:
    return {"type": "exec", "command": list(argv), "env": {}, **fields}


def test_local_shell_runs_argv_without_a_shell(run_local: RunLocal) -> None:
    result = run_local(ShellExecutor(approve=allow_all()), exec_action("echo", "a;b", "$HOME"))
    assert result["output"] == "a;b $HOME\n"
    assert result["metadata"]["exit_code"] == 0
    assert isinstance(result["metadata"]["duration_seconds"], float)


def test_local_shell_default_denies(run_local: RunLocal, tmp_path: Path) -> None:
    result = run_local(ShellExecutor(cwd=tmp_path), exec_action("touch", "created"))
    assert result["metadata"]["exit_code"] == 1
    assert "allow_all()" in result["output"]
    assert not (tmp_path / "created").exists()


def test_local_shell_policy_sees_argv_and_model_env(run_local: RunLocal) -> None:
    seen: list[str] = []

    def policy(command: str) -> bool:
        seen.append(command)
        return True

    executor = ShellExecutor(approve=policy)
    action = exec_action("sh", "-c", 'echo "$FOO"', env={"FOO": "from model"})
    assert run_local(executor, action)["output"] == "from model\n"
    assert seen == ["FOO='from model' sh -c 'echo \"$FOO\"'"]
    assert allow_commands(["sh"])(seen[0]) is not True


def test_local_shell_exit_code_and_both_streams(run_local: RunLocal) -> None:
    action = exec_action("sh", "-c", "echo out; echo err >&2; exit 4")
    result = run_local(ShellExecutor(approve=allow_all()), action)
    assert result["output"] == "out\nerr\n"
    assert result["metadata"]["exit_code"] == 4


def test_local_shell_working_directory_stays_inside_cwd(
    run_local: RunLocal, tmp_path: Path
) -> None:
    (tmp_path / "sub").mkdir()
    executor = ShellExecutor(approve=allow_all(), cwd=tmp_path)
    inside = run_local(executor, exec_action("pwd", working_directory="sub"))
    assert inside["output"] == f"{(tmp_path / 'sub').resolve()}\n"
    absolute = run_local(executor, exec_action("pwd", working_directory=str(tmp_path / "sub")))
    assert absolute["output"] == inside["output"]
    escaped = run_local(executor, exec_action("pwd", working_directory=".."))
    assert escaped["metadata"]["exit_code"] == 1
    assert "outside" in escaped["output"]


def test_local_shell_timeout_is_exit_124(run_local: RunLocal) -> None:
    executor = ShellExecutor(approve=allow_all())
    result = run_local(executor, exec_action("sleep", "20", timeout_ms=300))
    assert result["metadata"]["exit_code"] == 124
    assert result["output"].startswith("command timed out after 300 milliseconds")


def test_local_shell_refuses_another_user(run_local: RunLocal) -> None:
    executor = ShellExecutor(approve=allow_all())
    other = run_local(executor, exec_action("true", user="somebody-else"))
    assert other["metadata"]["exit_code"] == 1
    assert "somebody-else" in other["output"]
    same = run_local(executor, exec_action("true", user=getpass.getuser()))
    assert same["metadata"]["exit_code"] == 0


def test_local_shell_missing_program_is_127(run_local: RunLocal) -> None:
    result = run_local(ShellExecutor(approve=allow_all()), exec_action("no-such-program-xyz"))
    assert result["metadata"]["exit_code"] == 127


def test_local_shell_output_is_truncated(run_local: RunLocal) -> None:
    executor = ShellExecutor(approve=allow_all(), max_output_length=100)
    result = run_local(executor, exec_action("seq", "1", "1000"))
    assert len(result["output"]) <= 100
    assert "characters truncated" in result["output"]


@pytest.mark.parametrize(
    "action",
    [
        {"type": "exec", "command": "ls"},
        {"type": "exec", "command": []},
        {"type": "spawn", "command": ["ls"]},
        {"type": "exec", "command": ["ls"], "env": {"A": 1}},
    ],
)
def test_local_shell_malformed_actions_raise(action: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        ShellExecutor(approve=allow_all()).run_local_shell(action)


# --- twins -------------------------------------------------------------------------------


def test_every_sync_method_has_an_async_twin() -> None:
    public = {name for name in dir(ShellExecutor) if not name.startswith("_")}
    runners = {name for name in public if name.startswith(("run", "arun"))}
    assert runners == {"run", "arun", "run_local_shell", "arun_local_shell"}
    for name in ("run", "run_local_shell"):
        assert not inspect.iscoroutinefunction(getattr(ShellExecutor, name))
        assert inspect.iscoroutinefunction(getattr(ShellExecutor, "a" + name))


async def test_arun_cancellation_kills_the_command(tmp_path: Path) -> None:
    executor = ShellExecutor(approve=allow_all(), cwd=tmp_path, timeout_ms=30_000)
    task = asyncio.ensure_future(executor.arun({"commands": ["echo $$ > pid; exec sleep 30"]}))
    pid_file = tmp_path / "pid"
    while not pid_file.exists() or not pid_file.read_text().strip():
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert process_is_gone(int(pid_file.read_text()))
