"""Client-side executor for the computer-use tool (``computer_call`` -> ``computer_call_output``).

A call is turned into steps (pure, shared); the sync and async runners only differ in awaiting
each step. Pending safety checks are never acknowledged silently: without an ``acknowledge``
callback that returns ``True``, ``SafetyCheckError`` is raised and nothing runs.
Semantics: tool-adapters §2 (shared docs).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from langchain_core.exceptions import LangChainException
from pydantic import BaseModel

from langchain_responses.tools._playwright import (
    AsyncPlaywrightComputer,
    PlaywrightComputer,
    to_playwright_keys,
)

__all__ = [
    "Acknowledge",
    "AsyncComputer",
    "AsyncPlaywrightComputer",
    "Computer",
    "ComputerCall",
    "Environment",
    "PlaywrightComputer",
    "SafetyCheckError",
    "arun_computer_actions",
    "arun_computer_call",
    "run_computer_actions",
    "run_computer_call",
    "to_computer_call_output",
    "to_playwright_keys",
]

logger = logging.getLogger(__name__)

Environment = Literal["mac", "windows", "ubuntu", "linux", "browser"]

ComputerCall = Mapping[str, Any] | Sequence[Mapping[str, Any]] | BaseModel
"""A ``computer_call`` item (dict or model), a list of actions, or one action."""

Acknowledge = Callable[[list[dict[str, Any]]], bool]
"""Gets the pending safety checks (``id``, ``code``, ``message``); ``True`` acknowledges."""

# Arguments of each action, in the order the computer methods take them (tool-adapters §2.2).
_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "click": ("x", "y", "button"),
    "double_click": ("x", "y"),
    "drag": ("path",),
    "keypress": ("keys",),
    "move": ("x", "y"),
    "screenshot": (),
    "scroll": ("x", "y", "scroll_x", "scroll_y"),
    "type": ("text",),
    "wait": (),
}
_HOLDS_KEYS = frozenset({"click", "double_click", "drag", "move", "scroll"})


class Computer(Protocol):
    """What the model drives (openai-agents' interface); coordinates are screenshot pixels.

    Mouse methods may also take a keyword-only ``keys`` list: modifiers held during the action.
    """

    @property
    def environment(self) -> Environment | None:
        """The preview tool's ``environment``; ``None`` when unknown."""

    @property
    def dimensions(self) -> tuple[int, int] | None:
        """``(width, height)`` of the screenshots, for the preview tool definition."""

    def screenshot(self) -> str:
        """The screen as a base64 PNG, without a ``data:`` prefix."""

    def click(self, x: int, y: int, button: str) -> None:
        """Click with ``left``, ``right``, ``wheel``, ``back`` or ``forward``."""

    def double_click(self, x: int, y: int) -> None:
        """Double-click."""

    def scroll(self, x: int, y: int, scroll_x: int, scroll_y: int) -> None:
        """Scroll by (scroll_x, scroll_y) pixels at (x, y)."""

    def type(self, text: str) -> None:
        """Type text."""

    def keypress(self, keys: list[str]) -> None:
        """Press a chord of model key names (``CTRL``, ``ENTER``, ...)."""

    def move(self, x: int, y: int) -> None:
        """Move the pointer."""

    def drag(self, path: list[tuple[int, int]]) -> None:
        """Press at the first point, move along the path, release at the last."""

    def wait(self) -> None:
        """Let the screen settle."""


class AsyncComputer(Protocol):
    """Async twin of ``Computer``."""

    @property
    def environment(self) -> Environment | None:
        """The preview tool's ``environment``; ``None`` when unknown."""

    @property
    def dimensions(self) -> tuple[int, int] | None:
        """``(width, height)`` of the screenshots, for the preview tool definition."""

    async def screenshot(self) -> str:
        """The screen as a base64 PNG, without a ``data:`` prefix."""

    async def click(self, x: int, y: int, button: str) -> None:
        """Click with ``left``, ``right``, ``wheel``, ``back`` or ``forward``."""

    async def double_click(self, x: int, y: int) -> None:
        """Double-click."""

    async def scroll(self, x: int, y: int, scroll_x: int, scroll_y: int) -> None:
        """Scroll by (scroll_x, scroll_y) pixels at (x, y)."""

    async def type(self, text: str) -> None:
        """Type text."""

    async def keypress(self, keys: list[str]) -> None:
        """Press a chord of model key names (``CTRL``, ``ENTER``, ...)."""

    async def move(self, x: int, y: int) -> None:
        """Move the pointer."""

    async def drag(self, path: list[tuple[int, int]]) -> None:
        """Press at the first point, move along the path, release at the last."""

    async def wait(self) -> None:
        """Let the screen settle."""


class SafetyCheckError(LangChainException):
    """A ``computer_call`` has pending safety checks nobody acknowledged; nothing was run."""

    def __init__(
        self, call_id: str | None, checks: list[dict[str, Any]], *, declined: bool
    ) -> None:
        self.call_id = call_id
        self.checks = checks
        self.declined = declined
        listed = "; ".join(
            f"{check.get('code') or 'check'} [{check.get('id')}]: {check.get('message') or '-'}"
            for check in checks
        )
        why = (
            "the acknowledge callback declined" if declined else "no acknowledge callback was given"
        )
        call = f"computer_call {call_id!r}" if call_id else "The computer call"
        super().__init__(
            f"{call} was not run: pending safety checks ({listed}) were not acknowledged "
            f"({why}). Review them, then pass acknowledge=... (a callback that asks a person, "
            "or lambda checks: True) to ComputerTool(...), run_computer_call or "
            "run_computer_actions."
        )


@dataclass(frozen=True)
class _Step:
    """One computer method call; ``keys`` are modifiers held during a mouse action."""

    method: str
    args: tuple[Any, ...] = ()
    keys: tuple[str, ...] = ()

    def bind(self, computer: object) -> Callable[[], Any]:
        method = getattr(computer, self.method, None)
        if not callable(method):
            raise TypeError(f"{type(computer).__name__} has no {self.method}() for this action")
        if self.keys and _accepts_keys(method):
            return functools.partial(method, *self.args, keys=list(self.keys))
        if self.keys:
            logger.warning(
                "%s.%s() takes no keys; dropped %s", type(computer).__name__, self.method, self.keys
            )
        return functools.partial(method, *self.args)


@dataclass(frozen=True)
class _Plan:
    """A parsed call: what to run and what the output item must carry."""

    steps: tuple[_Step, ...]
    call_id: str | None = None
    acknowledged: tuple[dict[str, Any], ...] = ()
    caller: Mapping[str, Any] | None = None

    def to_output(self, screenshot: str) -> dict[str, Any]:
        return to_computer_call_output(
            self.call_id or "",
            screenshot,
            acknowledged_safety_checks=self.acknowledged,
            caller=self.caller,
        )


def run_computer_actions(
    computer: Computer, call: ComputerCall, *, acknowledge: Acknowledge | None = None
) -> str:
    """Run a call's ``actions`` (or its single ``action``) in order; return the screenshot after.

    ``call`` may also be a list of actions or one action. The screenshot is base64 PNG; when the
    last action is itself ``screenshot`` its result is used. Raises ``SafetyCheckError``
    for pending safety checks unless ``acknowledge(checks)`` returns ``True``.
    """
    return _execute(computer, _plan(call, acknowledge).steps)


async def arun_computer_actions(
    computer: AsyncComputer, call: ComputerCall, *, acknowledge: Acknowledge | None = None
) -> str:
    """Async twin of ``run_computer_actions``."""
    return await _aexecute(computer, _plan(call, acknowledge).steps)


def run_computer_call(
    computer: Computer,
    call: Mapping[str, Any] | BaseModel,
    *,
    acknowledge: Acknowledge | None = None,
) -> dict[str, Any]:
    """Run a ``computer_call`` item and return its ``computer_call_output`` item."""
    plan = _plan(call, acknowledge, need_call_id=True)
    return plan.to_output(_execute(computer, plan.steps))


async def arun_computer_call(
    computer: AsyncComputer,
    call: Mapping[str, Any] | BaseModel,
    *,
    acknowledge: Acknowledge | None = None,
) -> dict[str, Any]:
    """Async twin of ``run_computer_call``."""
    plan = _plan(call, acknowledge, need_call_id=True)
    return plan.to_output(await _aexecute(computer, plan.steps))


def to_computer_call_output(
    call_id: str,
    screenshot: str,
    *,
    acknowledged_safety_checks: Sequence[Mapping[str, Any]] = (),
    caller: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``computer_call_output`` item: a base64 PNG as ``computer_screenshot`` data URL.

    Pass the safety checks the user acknowledged (echoed as they came); none: field omitted.
    """
    item: dict[str, Any] = {"type": "computer_call_output", "call_id": call_id}
    if acknowledged_safety_checks:
        item["acknowledged_safety_checks"] = [dict(check) for check in acknowledged_safety_checks]
    item["output"] = {
        "type": "computer_screenshot",
        "image_url": f"data:image/png;base64,{screenshot}",
    }
    if caller is not None:
        item["caller"] = dict(caller)
    return item


def _execute(computer: Computer, steps: Sequence[_Step]) -> str:
    result = None
    for step in steps:
        result = step.bind(computer)()
    return _screenshot(result)


async def _aexecute(computer: AsyncComputer, steps: Sequence[_Step]) -> str:
    result = None
    for step in steps:
        result = await step.bind(computer)()
    return _screenshot(result)


def _screenshot(result: object) -> str:
    if result is None:
        return ""
    if not isinstance(result, str):
        raise TypeError(f"screenshot() must return a base64 str, got {type(result).__name__}")
    return result


def _plan(
    call: ComputerCall, acknowledge: Acknowledge | None, *, need_call_id: bool = False
) -> _Plan:
    """Parse the call and settle its safety checks before anything runs."""
    item, actions = _split(call)
    call_id = item.get("call_id")
    if need_call_id and not call_id:
        raise ValueError("run_computer_call needs a computer_call item with a call_id")
    steps = _steps(actions)
    return _Plan(steps, call_id, _acknowledged(item, acknowledge), item.get("caller"))


def _split(call: ComputerCall) -> tuple[Mapping[str, Any], Sequence[Mapping[str, Any] | BaseModel]]:
    """The call item (empty for bare actions) and its actions; ``actions`` wins over ``action``."""
    if isinstance(call, BaseModel):
        call = call.model_dump(mode="json", by_alias=True, exclude_none=True)
    if not isinstance(call, Mapping):
        return {}, call
    if "actions" not in call and "action" not in call and call.get("type") != "computer_call":
        return {}, [call]
    actions = call.get("actions") or ([call["action"]] if call.get("action") else [])
    if not actions:
        raise ValueError(f"computer_call {call.get('call_id')!r} has no actions")
    return call, actions


def _acknowledged(
    call: Mapping[str, Any], acknowledge: Acknowledge | None
) -> tuple[dict[str, Any], ...]:
    checks = [dict(check) for check in call.get("pending_safety_checks") or ()]
    if not checks:
        return ()
    if acknowledge is None or not acknowledge(checks):
        raise SafetyCheckError(call.get("call_id"), checks, declined=acknowledge is not None)
    return tuple(checks)


def _steps(actions: Sequence[Mapping[str, Any] | BaseModel]) -> tuple[_Step, ...]:
    """The computer calls for ``actions``, ending with a screenshot (reused if it is the last)."""
    steps = [_step(_as_dict(action)) for action in actions]
    if not steps or steps[-1].method != "screenshot":
        steps.append(_Step("screenshot"))
    return tuple(steps)


def _step(action: Mapping[str, Any]) -> _Step:
    kind = action.get("type")
    names = _ARGUMENTS.get(kind) if isinstance(kind, str) else None
    if kind is None or names is None:
        raise ValueError(f"unknown computer action type {kind!r}; expected one of {[*_ARGUMENTS]}")
    args = tuple(_argument(kind, action, name) for name in names)
    held = tuple(action.get("keys") or ()) if kind in _HOLDS_KEYS else ()
    return _Step(kind, args, held)


def _argument(kind: str, action: Mapping[str, Any], name: str) -> Any:
    value = action.get(name, "left" if name == "button" else None)
    if value is None:
        raise ValueError(f"computer action {kind!r} needs {name!r}: {dict(action)!r}")
    if name == "path":
        return [(int(point["x"]), int(point["y"])) for point in value]
    if name == "keys":
        return [str(key) for key in value]
    return value


def _as_dict(action: Mapping[str, Any] | BaseModel) -> Mapping[str, Any]:
    if isinstance(action, BaseModel):
        return action.model_dump(mode="json", by_alias=True, exclude_none=True)
    return action


def _accepts_keys(method: Callable[..., Any]) -> bool:
    """Whether ``method`` takes a ``keys`` keyword (or ``**kwargs``), as openai-agents checks."""
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    keyword = (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return any(
        (parameter.name == "keys" and parameter.kind in keyword)
        or parameter.kind is inspect.Parameter.VAR_KEYWORD
        for parameter in parameters
    )
