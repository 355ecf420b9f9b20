"""Reading response bodies into wire models, with a typed error for the unexpected."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from langchain_responses.errors import APIError

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: Any) -> M:
    """``body`` as a ``model``; a body of another shape is an ``APIError``, not a crash."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise APIError(
            f"The server's answer is not a valid {model.__name__} ({where}: {first['msg']}).",
            body=body,
        ) from exc
