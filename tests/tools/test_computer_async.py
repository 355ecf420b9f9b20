"""The async twins: the same dispatch with an async fake, and AsyncPlaywrightComputer."""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import pytest
import pytest_asyncio

from langchain_responses.tools.computer import (
    AsyncComputer,
    AsyncPlaywrightComputer,
    SafetyCheckError,
    arun_computer_actions,
    arun_computer_call,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

PAGES = Path(__file__).parent / "pages"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
requires_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)",
)
WIDTH, HEIGHT = 640, 480
CHECK = {"id": "cu_sc_2", "code": "irrelevant_domain", "message": "off-task site"}


def page_url(name: str) -> str:
    return (PAGES / name).as_uri()


def png_size(b64: str) -> tuple[int, int]:
    png = base64.b64decode(b64, validate=True)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


class AsyncFake:
    """Records calls; ``click`` takes held keys through ``**kwargs``."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    @property
    def environment(self) -> Literal["linux"]:
        return "linux"

    @property
    def dimensions(self) -> None:
        return None

    async def screenshot(self) -> str:
        self.calls.append(("screenshot",))
        return "c2hvdA=="

    async def click(self, x: int, y: int, button: str, **kwargs: Any) -> None:
        self.calls.append(("click", x, y, button, kwargs))

    async def double_click(self, x: int, y: int) -> None:
        self.calls.append(("double_click", x, y))

    async def scroll(self, x: int, y: int, scroll_x: int, scroll_y: int) -> None:
        self.calls.append(("scroll", x, y, scroll_x, scroll_y))

    async def type(self, text: str) -> None:
        self.calls.append(("type", text))

    async def keypress(self, keys: list[str]) -> None:
        self.calls.append(("keypress", keys))

    async def move(self, x: int, y: int) -> None:
        self.calls.append(("move", x, y))

    async def drag(self, path: list[tuple[int, int]]) -> None:
        self.calls.append(("drag", path))

    async def wait(self) -> None:
        self.calls.append(("wait",))


async def test_async_fake_runs_batched_actions_and_forwards_keys() -> None:
    fake: AsyncComputer = AsyncFake()
    call = {
        "type": "computer_call",
        "call_id": "c1",
        "actions": [
            {"type": "click", "x": 1, "y": 2, "button": "wheel", "keys": ["ALT"]},
            {"type": "type", "text": "hi"},
        ],
    }
    output = await arun_computer_call(fake, call)
    assert isinstance(fake, AsyncFake)
    assert fake.calls == [
        ("click", 1, 2, "wheel", {"keys": ["ALT"]}),
        ("type", "hi"),
        ("screenshot",),
    ]
    assert output["output"]["image_url"] == "data:image/png;base64,c2hvdA=="


async def test_async_safety_checks_need_an_acknowledgement() -> None:
    fake = AsyncFake()
    call = {"call_id": "c2", "pending_safety_checks": [CHECK], "action": {"type": "wait"}}
    with pytest.raises(SafetyCheckError, match="irrelevant_domain"):
        await arun_computer_actions(fake, call)
    assert fake.calls == []
    output = await arun_computer_call(fake, call, acknowledge=lambda checks: True)
    assert output["acknowledged_safety_checks"] == [CHECK]
    assert fake.calls == [("wait",), ("screenshot",)]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def computer() -> AsyncIterator[AsyncPlaywrightComputer]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    browser = AsyncPlaywrightComputer(
        width=WIDTH, height=HEIGHT, executable_path=CHROMIUM, wait_ms=10
    )
    async with browser as started:
        yield started


@requires_chromium
async def test_async_screenshot_size(computer: AsyncPlaywrightComputer) -> None:
    await computer.goto(page_url("buttons.html"))
    assert png_size(await arun_computer_actions(computer, {"type": "screenshot"})) == (
        WIDTH,
        HEIGHT,
    )


@requires_chromium
async def test_async_click_type_enter(computer: AsyncPlaywrightComputer) -> None:
    await computer.goto(page_url("form.html"))
    actions = [
        {"type": "click", "x": 250, "y": 115, "button": "left"},
        {"type": "type", "text": "async"},
        {"type": "keypress", "keys": ["RETURN"]},
    ]
    output = await arun_computer_call(
        computer, {"type": "computer_call", "call_id": "c3", "actions": actions}
    )
    assert await computer.page.inner_text("#result") == "submitted: async"
    image = output["output"]["image_url"].removeprefix("data:image/png;base64,")
    assert png_size(image) == (WIDTH, HEIGHT)


@requires_chromium
async def test_async_double_click_scroll_drag(computer: AsyncPlaywrightComputer) -> None:
    await computer.goto(page_url("buttons.html"))
    await arun_computer_actions(computer, {"type": "double_click", "x": 500, "y": 125})
    assert await computer.page.inner_text("#status") == "double-clicked"
    await computer.goto(page_url("scroll.html"))
    await arun_computer_actions(
        computer, {"type": "scroll", "x": 50, "y": 300, "scroll_x": 0, "scroll_y": 333}
    )
    assert await computer.page.evaluate("window.scrollY") == 333
    await computer.goto(page_url("drag.html"))
    path = [{"x": 10, "y": 10}, {"x": 60, "y": 40}]
    await arun_computer_actions(computer, [{"type": "drag", "path": path}, {"type": "wait"}])
    log = await computer.page.evaluate("window.log")
    assert (log["down"], log["up"]) == ([10, 10], [60, 40])


@requires_chromium
async def test_async_safety_check_blocks_the_click(computer: AsyncPlaywrightComputer) -> None:
    await computer.goto(page_url("buttons.html"))
    action = {"type": "click", "x": 200, "y": 125, "button": "left"}
    call = {"call_id": "c4", "pending_safety_checks": [CHECK], "action": action}
    with pytest.raises(SafetyCheckError):
        await arun_computer_call(computer, call, acknowledge=lambda checks: False)
    assert await computer.page.inner_text("#status") == "idle"
