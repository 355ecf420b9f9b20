"""A headless system Chromium driven by Playwright, as a computer for the computer-use tool.

Each computer method first becomes a list of Playwright calls (``_Op``, pure); the sync and
async classes only differ in whether they await those calls. Playwright is imported lazily: it
is the ``langchain-responses[computer]`` extra.
"""

from __future__ import annotations

import base64
import functools
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from playwright.async_api import Browser as AsyncBrowser
    from playwright.async_api import Page as AsyncPage
    from playwright.async_api import Playwright as AsyncPlaywright
    from playwright.sync_api import Browser, Page, Playwright

__all__ = [
    "CHROMIUM_ARGS",
    "AsyncPlaywrightComputer",
    "PlaywrightComputer",
    "to_playwright_keys",
]

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Launch flags: headless, no sandbox (containers, root) and no background traffic."""

_DEFAULT_CHROMIUM = "/usr/bin/chromium"
_MISSING_PLAYWRIGHT = (
    "PlaywrightComputer needs Playwright: pip install 'langchain-responses[computer]'"
)

# Model key names (any case) -> Playwright key names; unknown keys pass through unchanged.
_KEYS = {
    "alt": "Alt",
    "option": "Alt",
    "ctrl": "Control",
    "control": "Control",
    "cmd": "Meta",
    "command": "Meta",
    "meta": "Meta",
    "super": "Meta",
    "win": "Meta",
    "shift": "Shift",
    "enter": "Enter",
    "return": "Enter",
    "esc": "Escape",
    "escape": "Escape",
    "tab": "Tab",
    "space": " ",
    "backspace": "Backspace",
    "delete": "Delete",
    "del": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    "capslock": "CapsLock",
    "arrowup": "ArrowUp",
    "arrowdown": "ArrowDown",
    "arrowleft": "ArrowLeft",
    "arrowright": "ArrowRight",
    "up": "ArrowUp",
    "down": "ArrowDown",
    "left": "ArrowLeft",
    "right": "ArrowRight",
    **{f"f{number}": f"F{number}" for number in range(1, 13)},
}
_BUTTONS = {"left": "left", "right": "right", "middle": "middle", "wheel": "middle"}

# Scroll the innermost scrollable element under (x, y), else the window: the model points at
# what it wants scrolled, which may be a panel rather than the page.
_SCROLL_JS = """([x, y, dx, dy]) => {
  for (let el = document.elementFromPoint(x, y); el && el !== document.body &&
       el !== document.documentElement; el = el.parentElement) {
    const style = getComputedStyle(el);
    const canX = dx && /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth;
    const canY = dy && /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight;
    if (canX || canY) { el.scrollBy(dx, dy); return; }
  }
  window.scrollBy(dx, dy);
}"""


def to_playwright_keys(keys: Sequence[str]) -> list[str]:
    """Map model key names (``CTRL``, ``ENTER``, ``ARROWLEFT``, ``SPACE``, ...) to Playwright's.

    In a chord a single letter is lower-cased: ``["CTRL", "A"]`` means Control+a, not a capital.
    """
    mapped = [_KEYS.get(key.lower(), key) for key in keys]
    if len(mapped) > 1:
        mapped = [key.lower() if len(key) == 1 and key.isalpha() else key for key in mapped]
    return mapped


@dataclass(frozen=True)
class _Op:
    """One Playwright call: ``page.<target>.<method>(*args, **kwargs)``; no target: the page."""

    target: Literal["", "mouse", "keyboard"]
    method: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)

    def bind(self, page: Any) -> Callable[[], Any]:
        owner = getattr(page, self.target) if self.target else page
        return functools.partial(getattr(owner, self.method), *self.args, **self.kwargs)


def _holding(keys: Sequence[str] | None, ops: list[_Op]) -> list[_Op]:
    """``ops`` with ``keys`` held down around them (modifiers during a click, a chord)."""
    mapped = to_playwright_keys(keys or ())
    downs = [_Op("keyboard", "down", (key,)) for key in mapped]
    ups = [_Op("keyboard", "up", (key,)) for key in reversed(mapped)]
    return [*downs, *ops, *ups]


def _click(x: int, y: int, button: str, keys: Sequence[str] | None) -> list[_Op]:
    if button == "back":
        return [_Op("", "go_back")]
    if button == "forward":
        return [_Op("", "go_forward")]
    if button not in _BUTTONS:
        raise ValueError(f"unknown mouse button {button!r}; expected one of {[*_BUTTONS]}")
    return _holding(keys, [_Op("mouse", "click", (x, y), {"button": _BUTTONS[button]})])


def _scroll(x: int, y: int, dx: int, dy: int, keys: Sequence[str] | None) -> list[_Op]:
    return _holding(
        keys, [_Op("mouse", "move", (x, y)), _Op("", "evaluate", (_SCROLL_JS, [x, y, dx, dy]))]
    )


def _drag(path: Sequence[tuple[int, int]], keys: Sequence[str] | None) -> list[_Op]:
    if not path:
        return []
    moves = [_Op("mouse", "move", point) for point in path]
    return _holding(keys, [moves[0], _Op("mouse", "down"), *moves[1:], _Op("mouse", "up")])


def _png_base64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


_PageT = TypeVar("_PageT", "Page", "AsyncPage")


class _BrowserComputer(Generic[_PageT]):
    """Settings and page tracking shared by the sync and async computers."""

    def __init__(
        self,
        *,
        width: int = 1024,
        height: int = 768,
        start_url: str = "about:blank",
        executable_path: str | os.PathLike[str] | None = None,
        args: Sequence[str] = CHROMIUM_ARGS,
        wait_ms: int = 1000,
    ) -> None:
        self.width, self.height, self.start_url = width, height, start_url
        self.executable_path = executable_path
        self.args = tuple(args)
        self.wait_ms = wait_ms
        self._page: _PageT | None = None

    @property
    def environment(self) -> Literal["browser"]:
        """Always ``"browser"``."""
        return "browser"

    @property
    def dimensions(self) -> tuple[int, int]:
        """The viewport, which is also the screenshot size: ``(width, height)``."""
        return (self.width, self.height)

    @property
    def page(self) -> _PageT:
        """The current tab (a tab the page opens becomes current). Start the computer first."""
        if self._page is None:
            raise RuntimeError(f"{type(self).__name__} is not started: use it as a context manager")
        return self._page

    def _launch_options(self) -> dict[str, Any]:
        path = self.executable_path or os.environ.get("CHROMIUM_PATH") or _DEFAULT_CHROMIUM
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"Chromium not found at {os.fspath(path)!r}: install it (apt-get install chromium)"
                " or pass executable_path= / set CHROMIUM_PATH"
            )
        return {"executable_path": path, "args": list(self.args), "headless": True}

    def _context_options(self) -> dict[str, Any]:
        viewport = {"width": self.width, "height": self.height}
        return {"viewport": viewport, "screen": viewport, "device_scale_factor": 1}

    def _adopt(self, page: _PageT) -> None:
        """Make ``page`` current; when it closes, fall back to the last tab still open."""
        if page is not self._page:
            self._page = page
            page.on("close", self._forget)

    def _forget(self, closed: _PageT) -> None:
        if closed is self._page:
            still_open = [page for page in closed.context.pages if page is not closed]
            self._page = still_open[-1] if still_open else None


class PlaywrightComputer(_BrowserComputer["Page"]):
    """A ``langchain_responses.tools.computer.Computer`` backed by headless Chromium.

    Use as a context manager; ``executable_path`` defaults to ``$CHROMIUM_PATH`` or
    ``/usr/bin/chromium``. Screenshots are the viewport, exactly ``width`` x ``height``.
    """

    _playwright: Playwright | None = None
    _browser: Browser | None = None

    def __enter__(self) -> PlaywrightComputer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> PlaywrightComputer:
        """Launch the browser and open ``start_url``."""
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise ImportError(_MISSING_PLAYWRIGHT) from exc
        options = self._launch_options()
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(**options)
            context = self._browser.new_context(**self._context_options())
            context.on("page", self._adopt)
            self._adopt(context.new_page())
            self.page.goto(self.start_url)
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Close the browser and stop Playwright (safe to call twice)."""
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            if self._playwright is not None:
                self._playwright.stop()
            self._browser = self._playwright = self._page = None

    def _run(self, ops: list[_Op]) -> Any:
        result = None
        for op in ops:
            result = op.bind(self.page)()
        return result

    def goto(self, url: str) -> None:
        """Open ``url`` in the current tab."""
        self._run([_Op("", "goto", (url,))])

    def screenshot(self) -> str:
        """The viewport as a base64 PNG (no ``data:`` prefix)."""
        return _png_base64(self._run([_Op("", "screenshot", (), {"type": "png"})]))

    def click(
        self, x: int, y: int, button: str = "left", *, keys: Sequence[str] | None = None
    ) -> None:
        """Click; ``back``/``forward`` navigate, ``wheel`` is the middle button."""
        self._run(_click(x, y, button, keys))

    def double_click(self, x: int, y: int, *, keys: Sequence[str] | None = None) -> None:
        """Double-click at (x, y)."""
        self._run(_holding(keys, [_Op("mouse", "dblclick", (x, y))]))

    def scroll(
        self, x: int, y: int, scroll_x: int, scroll_y: int, *, keys: Sequence[str] | None = None
    ) -> None:
        """Scroll what is under (x, y) by (scroll_x, scroll_y) pixels."""
        self._run(_scroll(x, y, scroll_x, scroll_y, keys))

    def type(self, text: str) -> None:
        """Type ``text`` into the focused element."""
        self._run([_Op("keyboard", "type", (text,))])

    def keypress(self, keys: list[str]) -> None:
        """Press ``keys`` as a chord: down in order, up in reverse."""
        self._run(_holding(keys, []))

    def move(self, x: int, y: int, *, keys: Sequence[str] | None = None) -> None:
        """Move the mouse to (x, y)."""
        self._run(_holding(keys, [_Op("mouse", "move", (x, y))]))

    def drag(self, path: list[tuple[int, int]], *, keys: Sequence[str] | None = None) -> None:
        """Press at the first point, move through the rest, release at the last."""
        self._run(_drag(path, keys))

    def wait(self) -> None:
        """Wait ``wait_ms`` milliseconds (default 1 s)."""
        self._run([_Op("", "wait_for_timeout", (self.wait_ms,))])


class AsyncPlaywrightComputer(_BrowserComputer["AsyncPage"]):
    """Async twin of ``PlaywrightComputer`` (an ``AsyncComputer``)."""

    _playwright: AsyncPlaywright | None = None
    _browser: AsyncBrowser | None = None

    async def __aenter__(self) -> AsyncPlaywrightComputer:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> AsyncPlaywrightComputer:
        """Launch the browser and open ``start_url``."""
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:
            raise ImportError(_MISSING_PLAYWRIGHT) from exc
        options = self._launch_options()
        self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(**options)
            context = await self._browser.new_context(**self._context_options())
            context.on("page", self._adopt)
            self._adopt(await context.new_page())
            await self.page.goto(self.start_url)
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        """Close the browser and stop Playwright (safe to call twice)."""
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            if self._playwright is not None:
                await self._playwright.stop()
            self._browser = self._playwright = self._page = None

    async def _run(self, ops: list[_Op]) -> Any:
        result = None
        for op in ops:
            result = await op.bind(self.page)()
        return result

    async def goto(self, url: str) -> None:
        """Open ``url`` in the current tab."""
        await self._run([_Op("", "goto", (url,))])

    async def screenshot(self) -> str:
        """The viewport as a base64 PNG (no ``data:`` prefix)."""
        return _png_base64(await self._run([_Op("", "screenshot", (), {"type": "png"})]))

    async def click(
        self, x: int, y: int, button: str = "left", *, keys: Sequence[str] | None = None
    ) -> None:
        """Click; ``back``/``forward`` navigate, ``wheel`` is the middle button."""
        await self._run(_click(x, y, button, keys))

    async def double_click(self, x: int, y: int, *, keys: Sequence[str] | None = None) -> None:
        """Double-click at (x, y)."""
        await self._run(_holding(keys, [_Op("mouse", "dblclick", (x, y))]))

    async def scroll(
        self, x: int, y: int, scroll_x: int, scroll_y: int, *, keys: Sequence[str] | None = None
    ) -> None:
        """Scroll what is under (x, y) by (scroll_x, scroll_y) pixels."""
        await self._run(_scroll(x, y, scroll_x, scroll_y, keys))

    async def type(self, text: str) -> None:
        """Type ``text`` into the focused element."""
        await self._run([_Op("keyboard", "type", (text,))])

    async def keypress(self, keys: list[str]) -> None:
        """Press ``keys`` as a chord: down in order, up in reverse."""
        await self._run(_holding(keys, []))

    async def move(self, x: int, y: int, *, keys: Sequence[str] | None = None) -> None:
        """Move the mouse to (x, y)."""
        await self._run(_holding(keys, [_Op("mouse", "move", (x, y))]))

    async def drag(self, path: list[tuple[int, int]], *, keys: Sequence[str] | None = None) -> None:
        """Press at the first point, move through the rest, release at the last."""
        await self._run(_drag(path, keys))

    async def wait(self) -> None:
        """Wait ``wait_ms`` milliseconds (default 1 s)."""
        await self._run([_Op("", "wait_for_timeout", (self.wait_ms,))])
