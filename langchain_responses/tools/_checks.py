"""Value checks for the tool factories: each error names the field and what it accepts."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from langchain_responses.errors import InvalidRequestError


def choice(name: str, value: object, allowed: Collection[str]) -> str:
    if value not in allowed:
        raise InvalidRequestError(f"{name} must be one of {', '.join(allowed)}; got {value!r}.")
    return str(value)


def int_in(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequestError(f"{name} must be an integer from {low} to {high}, got {value!r}.")
    return value


def number_in(name: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InvalidRequestError(f"{name} must be a number from {low} to {high}, got {value!r}.")


def text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError(f"{name} must be a non-empty string, got {value!r}.")
    return value


def strings(name: str, value: object, *, low: int = 0, high: int = 10_000) -> list[str]:
    """A list of non-empty strings (a lone string is not taken as a list of characters)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidRequestError(f"{name} must be a list of strings, got {value!r:.80}.")
    if not low <= len(value) <= high:
        raise InvalidRequestError(f"{name} takes {low} to {high} entries, got {len(value)}.")
    return [text(f"{name}[{index}]", item) for index, item in enumerate(value)]


def as_dict(name: str, value: object) -> dict[str, Any]:
    """A plain dict from a dict or a wire model (only its set fields)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True, by_alias=True)
    if not isinstance(value, Mapping):
        raise InvalidRequestError(f"{name} must be an object (a dict), got {value!r:.80}.")
    return dict(value)


def given(**values: Any) -> dict[str, Any]:
    """The keyword arguments that were given (None means "leave to the server default")."""
    return {key: value for key, value in values.items() if value is not None}
