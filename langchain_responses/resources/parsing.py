"""``responses.parse``: structured output into a pydantic model (pure helpers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, PrivateAttr, ValidationError

from langchain_responses._wire.content import RefusalPart
from langchain_responses._wire.items import MessageItem
from langchain_responses._wire.response import Response
from langchain_responses.convert.schema import text_format
from langchain_responses.errors import APIError, InvalidRequestError
from langchain_responses.resources._parse import parse

T = TypeVar("T", bound=BaseModel)


class ParsedResponse(Response, Generic[T]):
    """A ``Response`` whose JSON output was parsed into ``text_format``."""

    _parsed: Any = PrivateAttr(default=None)

    @property
    def output_parsed(self) -> T | None:
        """The parsed object; ``None`` when the model refused (see ``refusal``)."""
        parsed: T | None = self._parsed
        return parsed

    @property
    def refusal(self) -> str | None:
        """The model's refusal text, if it refused instead of answering."""
        for item in self.output:
            if isinstance(item, MessageItem) and isinstance(item.content, list):
                for part in item.content:
                    if isinstance(part, RefusalPart):
                        return part.refusal
        return None


def with_text_format(params: Mapping[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """``params`` with ``text.format`` set to the strict JSON Schema of ``model``."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise InvalidRequestError(f"text_format must be a pydantic model class, got {model!r}.")
    text = dict(params.get("text") or {})
    text["format"] = text_format(model)
    return {**params, "text": text}


def parse_response(body: Any, model: type[T]) -> ParsedResponse[T]:
    """Validate the response and parse its output text into ``model``."""
    parsed: ParsedResponse[T] = parse(ParsedResponse[model], body)  # type: ignore[valid-type]
    if parsed.refusal is None and parsed.output_text:
        try:
            parsed._parsed = model.model_validate_json(parsed.output_text)
        except ValidationError as exc:
            raise APIError(
                f"The output does not match {model.__name__}: {exc.errors()[0]['msg']}",
                body=parsed.output_text,
            ) from exc
    return parsed
