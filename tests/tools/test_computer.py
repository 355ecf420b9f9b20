"""Computer-use executor: dispatch logic with a recording fake, then a real headless Chromium."""

from __future__ import annotations

import base64
import logging
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, cast

import pytest
from pydantic import BaseModel, ConfigDict

from langchain_responses.tools.computer import (
    AsyncComputer,
    AsyncPlaywrightComputer,
    Computer,
    PlaywrightComputer,
    SafetyCheckError,
    run_computer_actions,
    run_computer_call,
    to_computer_call_output,
    to_playwright_keys,
)

PAGES = Path(__file__).parent / "pages"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
requires_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)",
)
WIDTH, HEIGHT = 800, 600
CHECK = {"id": "cu_sc_1", "code": "malicious_instructions", "message": "the page says to pay"}


def page_url(name: str) -> str:
    return (PAGES / name).as_uri()


def png_size(b64: str) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking the PNG signature."""
    png = base64.b64decode(b64, validate=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


class FakeComputer:
    """Records calls; ``click`` takes held keys, ``move`` does not."""

    @property
    def environment(self) -> Literal["browser"]:
        return "browser"

    @property
    def dimensions(self) -> tuple[int, int]:
        return (10, 10)

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def screenshot(self) -> str:
        self.calls.append(("screenshot",))
        return f"shot{len(self.calls)}"

    def click(self, x: int, y: int, button: str = "left", *, keys: list[str] | None = None) -> None:
        self.calls.append(("click", x, y, button, keys))

    def double_click(self, x: int, y: int) -> None:
        self.calls.append(("double_click", x, y))

    def scroll(self, x: int, y: int, scroll_x: int, scroll_y: int) -> None:
        self.calls.append(("scroll", x, y, scroll_x, scroll_y))

    def type(self, text: str) -> None:
        self.calls.append(("type", text))

    def keypress(self, keys: list[str]) -> None:
        self.calls.append(("keypress", keys))

    def move(self, x: int, y: int) -> None:
        self.calls.append(("move", x, y))

    def drag(self, path: list[tuple[int, int]]) -> None:
        self.calls.append(("drag", path))

    def wait(self) -> None:
        self.calls.append(("wait",))


# --- dispatch (no browser) ---------------------------------------------------------------


def test_fake_satisfies_protocol() -> None:
    computer: Computer = FakeComputer()
    assert computer.environment == "browser"


def test_single_action_preview_shape_runs_then_screenshots() -> None:
    fake = FakeComputer()
    call = {"type": "computer_call", "call_id": "c1", "action": {"type": "type", "text": "hi"}}
    assert run_computer_actions(fake, call) == "shot2"
    assert fake.calls == [("type", "hi"), ("screenshot",)]


def test_batched_actions_run_in_order_and_win_over_action() -> None:
    fake = FakeComputer()
    call = {
        "type": "computer_call",
        "call_id": "c1",
        "action": {"type": "wait"},
        "actions": [
            {"type": "click", "x": 1, "y": 2, "button": "right"},
            {"type": "double_click", "x": 3, "y": 4},
            {"type": "scroll", "x": 5, "y": 6, "scroll_x": 0, "scroll_y": 120},
            {"type": "keypress", "keys": ["CTRL", "A"]},
            {"type": "move", "x": 7, "y": 8},
            {"type": "drag", "path": [{"x": 1, "y": 1}, {"x": 9, "y": 9}]},
            {"type": "wait"},
        ],
    }
    run_computer_actions(fake, call)
    assert fake.calls == [
        ("click", 1, 2, "right", None),
        ("double_click", 3, 4),
        ("scroll", 5, 6, 0, 120),
        ("keypress", ["CTRL", "A"]),
        ("move", 7, 8),
        ("drag", [(1, 1), (9, 9)]),
        ("wait",),
        ("screenshot",),
    ]


def test_a_list_of_actions_or_one_action_is_accepted() -> None:
    fake = FakeComputer()
    run_computer_actions(fake, [{"type": "move", "x": 1, "y": 1}])
    run_computer_actions(fake, {"type": "wait"})
    assert fake.calls == [("move", 1, 1), ("screenshot",), ("wait",), ("screenshot",)]


def test_trailing_screenshot_action_is_reused() -> None:
    fake = FakeComputer()
    result = run_computer_actions(fake, [{"type": "wait"}, {"type": "screenshot"}])
    assert result == "shot2"
    assert fake.calls == [("wait",), ("screenshot",)]


def test_click_defaults_to_left_button() -> None:
    fake = FakeComputer()
    run_computer_actions(fake, {"type": "click", "x": 1, "y": 2})
    assert fake.calls[0] == ("click", 1, 2, "left", None)


def test_held_keys_are_forwarded_only_to_methods_that_take_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeComputer()
    with caplog.at_level(logging.WARNING):
        run_computer_actions(
            fake,
            [
                {"type": "click", "x": 1, "y": 2, "button": "left", "keys": ["SHIFT"]},
                {"type": "move", "x": 3, "y": 4, "keys": ["CTRL"]},
            ],
        )
    assert fake.calls[:2] == [("click", 1, 2, "left", ["SHIFT"]), ("move", 3, 4)]
    assert "move() takes no keys" in caplog.text


def test_pydantic_items_are_accepted() -> None:
    class Item(BaseModel):
        model_config = ConfigDict(extra="allow")

    item = Item.model_validate(
        {"type": "computer_call", "call_id": "c9", "action": {"type": "wait"}}
    )
    output = run_computer_call(FakeComputer(), item)
    assert output["call_id"] == "c9"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"type": "teleport"}, "unknown computer action type 'teleport'"),
        ({"type": "click", "y": 1}, "needs 'x'"),
        ({"type": "computer_call", "call_id": "c1", "actions": []}, "has no actions"),
        ({"type": "computer_call", "call_id": "c1"}, "has no actions"),
    ],
)
def test_malformed_actions_raise(call: dict[str, Any], message: str) -> None:
    fake = FakeComputer()
    with pytest.raises(ValueError, match=message):
        run_computer_actions(fake, call)
    assert fake.calls == []


def test_missing_driver_method_raises() -> None:
    class ScreenOnly:
        def screenshot(self) -> str:
            return ""

    with pytest.raises(TypeError, match=r"ScreenOnly has no drag\(\)"):
        run_computer_actions(cast(Computer, ScreenOnly()), {"type": "drag", "path": []})


def test_run_computer_call_builds_the_output_item() -> None:
    call = {
        "type": "computer_call",
        "id": "cu_1",
        "call_id": "call_1",
        "status": "completed",
        "pending_safety_checks": [],
        "caller": {"type": "direct"},
        "actions": [{"type": "wait"}],
    }
    assert run_computer_call(FakeComputer(), call) == {
        "type": "computer_call_output",
        "call_id": "call_1",
        "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,shot2"},
        "caller": {"type": "direct"},
    }


def test_run_computer_call_needs_a_call_id_before_running() -> None:
    fake = FakeComputer()
    with pytest.raises(ValueError, match="call_id"):
        run_computer_call(fake, {"type": "computer_call", "action": {"type": "wait"}})
    with pytest.raises(ValueError, match="call_id"):
        run_computer_call(fake, [{"type": "wait"}])  # type: ignore[arg-type]
    assert fake.calls == []


def test_to_computer_call_output_echoes_acknowledged_checks() -> None:
    assert to_computer_call_output("c1", "AAAA", acknowledged_safety_checks=[CHECK]) == {
        "type": "computer_call_output",
        "call_id": "c1",
        "acknowledged_safety_checks": [CHECK],
        "output": {"type": "computer_screenshot", "image_url": "data:image/png;base64,AAAA"},
    }


def safety_call(action: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "computer_call",
        "call_id": "call_s",
        "pending_safety_checks": [CHECK],
        "action": action,
    }


def test_pending_safety_checks_without_callback_raise_and_run_nothing() -> None:
    fake = FakeComputer()
    with pytest.raises(SafetyCheckError) as raised:
        run_computer_call(fake, safety_call({"type": "wait"}))
    assert fake.calls == []
    error = raised.value
    assert error.call_id == "call_s"
    assert error.checks == [CHECK]
    assert not error.declined
    assert "malicious_instructions" in str(error)
    assert "cu_sc_1" in str(error)
    assert "acknowledge=" in str(error)


def test_declined_safety_checks_raise_and_run_nothing() -> None:
    fake = FakeComputer()
    seen: list[list[dict[str, Any]]] = []

    def decline(checks: list[dict[str, Any]]) -> bool:
        seen.append(checks)
        return False

    with pytest.raises(SafetyCheckError, match="declined") as raised:
        run_computer_actions(fake, safety_call({"type": "wait"}), acknowledge=decline)
    assert raised.value.declined
    assert seen == [[CHECK]]
    assert fake.calls == []


def test_acknowledged_safety_checks_run_and_are_echoed() -> None:
    fake = FakeComputer()
    output = run_computer_call(fake, safety_call({"type": "wait"}), acknowledge=lambda checks: True)
    assert fake.calls == [("wait",), ("screenshot",)]
    assert output["acknowledged_safety_checks"] == [CHECK]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["CTRL"], ["Control"]),
        (["ENTER"], ["Enter"]),
        (["ARROWLEFT"], ["ArrowLeft"]),
        (["SPACE"], [" "]),
        (["ESC"], ["Escape"]),
        (["CMD"], ["Meta"]),
        (["option"], ["Alt"]),
        (["PageDown"], ["PageDown"]),
        (["F5"], ["F5"]),
        (["a"], ["a"]),
        (["CTRL", "SHIFT", "T"], ["Control", "Shift", "t"]),
        (["Unidentified"], ["Unidentified"]),
    ],
)
def test_model_key_names_map_to_playwright(keys: list[str], expected: list[str]) -> None:
    assert to_playwright_keys(keys) == expected


def test_playwright_computer_defaults_without_launching() -> None:
    computer = PlaywrightComputer()
    assert computer.dimensions == (1024, 768)
    assert computer.environment == "browser"
    with pytest.raises(RuntimeError, match="not started"):
        computer.screenshot()


def test_playwright_computers_satisfy_the_protocols() -> None:
    sync_computer: Computer = PlaywrightComputer()
    async_computer: AsyncComputer = AsyncPlaywrightComputer()
    assert sync_computer.dimensions == async_computer.dimensions


def test_sync_and_async_computers_are_twins() -> None:
    def public(cls: type) -> set[str]:
        return {name for name in dir(cls) if not name.startswith("_")}

    assert public(PlaywrightComputer) == public(AsyncPlaywrightComputer)
    assert public(Computer) == public(AsyncComputer)


def test_missing_chromium_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match="CHROMIUM_PATH"):
        PlaywrightComputer(executable_path="/nonexistent/chromium").start()


def test_missing_playwright_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(ImportError, match=r"langchain-responses\[computer\]"):
        PlaywrightComputer(executable_path=sys.executable).start()


# --- a real headless Chromium --------------------------------------------------------------


@pytest.fixture(scope="module")
def computer() -> Iterator[PlaywrightComputer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with PlaywrightComputer(width=WIDTH, height=HEIGHT, executable_path=CHROMIUM, wait_ms=10) as pc:
        yield pc


def status(computer: PlaywrightComputer) -> str:
    return computer.page.inner_text("#status")


@requires_chromium
def test_screenshot_is_a_png_of_the_configured_size(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    shot = run_computer_actions(computer, [{"type": "screenshot"}])
    assert png_size(shot) == (WIDTH, HEIGHT)
    assert computer.dimensions == (WIDTH, HEIGHT)


@requires_chromium
def test_click_changes_the_page_and_returns_a_screenshot(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    call = {
        "type": "computer_call",
        "call_id": "call_click",
        "pending_safety_checks": [],
        "action": {"type": "click", "x": 200, "y": 125, "button": "left"},
    }
    output = run_computer_call(computer, call)
    assert status(computer) == "clicked"
    assert output["call_id"] == "call_click"
    prefix = "data:image/png;base64,"
    assert output["output"]["image_url"].startswith(prefix)
    assert png_size(output["output"]["image_url"].removeprefix(prefix)) == (WIDTH, HEIGHT)


@requires_chromium
def test_click_holds_the_model_modifier_keys(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    action = {"type": "click", "x": 200, "y": 125, "button": "left", "keys": ["SHIFT", "CTRL"]}
    run_computer_actions(computer, action)
    assert status(computer) == "clicked with shift+ctrl"


@requires_chromium
def test_right_click_and_double_click(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    run_computer_actions(computer, {"type": "click", "x": 200, "y": 125, "button": "right"})
    assert status(computer) == "right-clicked"
    run_computer_actions(computer, {"type": "double_click", "x": 500, "y": 125})
    assert status(computer) == "double-clicked"


@requires_chromium
def test_typing_fills_an_input_and_enter_submits(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("form.html"))
    actions = [
        {"type": "click", "x": 250, "y": 115, "button": "left"},
        {"type": "type", "text": "hello world"},
        {"type": "keypress", "keys": ["ENTER"]},
    ]
    run_computer_call(computer, {"type": "computer_call", "call_id": "c", "actions": actions})
    assert computer.page.input_value("#query") == "hello world"
    assert computer.page.inner_text("#result") == "submitted: hello world"


@requires_chromium
def test_keypress_chord_and_arrow_keys(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("form.html"))
    actions: list[dict[str, Any]] = [
        {"type": "click", "x": 250, "y": 115, "button": "left"},
        {"type": "type", "text": "abc"},
        {"type": "keypress", "keys": ["CTRL", "A"]},
        {"type": "type", "text": "xz"},
        {"type": "keypress", "keys": ["ARROWLEFT"]},
        {"type": "keypress", "keys": ["SPACE"]},
    ]
    run_computer_actions(computer, actions)
    assert computer.page.input_value("#query") == "x z"


@requires_chromium
def test_scroll_moves_the_page_or_the_panel_under_the_pointer(
    computer: PlaywrightComputer,
) -> None:
    computer.goto(page_url("scroll.html"))
    run_computer_actions(
        computer, {"type": "scroll", "x": 100, "y": 400, "scroll_x": 0, "scroll_y": 700}
    )
    assert computer.page.evaluate("window.scrollY") == 700
    run_computer_actions(
        computer, {"type": "scroll", "x": 100, "y": 400, "scroll_x": 0, "scroll_y": -300}
    )
    assert computer.page.evaluate("window.scrollY") == 400
    computer.goto(page_url("scroll.html"))
    run_computer_actions(
        computer, {"type": "scroll", "x": 600, "y": 150, "scroll_x": 0, "scroll_y": 250}
    )
    assert computer.page.evaluate("document.getElementById('panel').scrollTop") == 250
    assert computer.page.evaluate("window.scrollY") == 0


@requires_chromium
def test_drag_presses_moves_and_releases_along_the_path(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("drag.html"))
    path = [{"x": 100, "y": 100}, {"x": 200, "y": 150}, {"x": 300, "y": 200}]
    run_computer_actions(computer, {"type": "drag", "path": path})
    log = computer.page.evaluate("window.log")
    assert log["down"] == [100, 100]
    assert log["up"] == [300, 200]
    assert log["movesWhilePressed"] >= 2


@requires_chromium
def test_move_and_wait(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("drag.html"))
    run_computer_actions(computer, [{"type": "move", "x": 321, "y": 123}, {"type": "wait"}])
    assert computer.page.evaluate("window.log.last") == [321, 123]


@requires_chromium
def test_back_and_forward_buttons_navigate(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    computer.goto(page_url("form.html"))
    run_computer_actions(computer, {"type": "click", "x": 0, "y": 0, "button": "back"})
    assert computer.page.url.endswith("/buttons.html")
    run_computer_actions(computer, {"type": "click", "x": 0, "y": 0, "button": "forward"})
    assert computer.page.url.endswith("/form.html")


@requires_chromium
def test_a_new_tab_becomes_the_current_page(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    first = computer.page
    with first.context.expect_page():
        first.evaluate(f"window.open({page_url('form.html')!r})")
    assert computer.page is not first
    computer.page.wait_for_load_state()
    assert computer.page.url.endswith("/form.html")
    computer.page.close()
    assert computer.page is first


@requires_chromium
def test_safety_checks_block_the_browser_until_acknowledged(computer: PlaywrightComputer) -> None:
    computer.goto(page_url("buttons.html"))
    call = safety_call({"type": "click", "x": 200, "y": 125, "button": "left"})
    with pytest.raises(SafetyCheckError):
        run_computer_call(computer, call)
    assert status(computer) == "idle"
    output = run_computer_call(computer, call, acknowledge=lambda checks: True)
    assert status(computer) == "clicked"
    assert output["acknowledged_safety_checks"] == [CHECK]
