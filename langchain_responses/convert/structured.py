"""``with_structured_output``: the binding and the parser for each method (no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from langchain_core.output_parsers import (
    JsonOutputKeyToolsParser,
    JsonOutputParser,
    PydanticOutputParser,
    PydanticToolsParser,
)
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel
from pydantic.v1 import BaseModel as BaseModelV1

from langchain_responses.convert.schema import text_format
from langchain_responses.errors import InvalidRequestError

Method = Literal["json_schema", "function_calling", "json_mode"]


def _is_model(schema: Any) -> bool:
    return isinstance(schema, type) and issubclass(schema, (BaseModel, BaseModelV1))


def _json_parser(schema: Any) -> Runnable[Any, Any]:
    """Partial objects while streaming; a refusal raises ``ModelRefusalError``."""
    if _is_model(schema):
        return PydanticOutputParser(pydantic_object=schema)
    return JsonOutputParser()


def structured_runnable(
    bind: Callable[..., Runnable[Any, Any]],
    bind_tools: Callable[..., Runnable[Any, Any]],
    schema: Any,
    *,
    method: Method,
    strict: bool | None,
    include_raw: bool,
) -> Runnable[Any, Any]:
    """``llm | parser`` (or the include_raw map) for one structured-output method."""
    if schema is None and method != "json_mode":
        raise InvalidRequestError(f"with_structured_output(method={method!r}) needs a schema.")
    trace = {"kwargs": {"method": method, "strict": strict}, "schema": schema}
    if method == "json_schema":
        fmt = text_format(schema, strict=True if strict is None else strict)
        llm = bind(response_format=fmt, ls_structured_output_format=trace)
        parser = _json_parser(schema)
    elif method == "json_mode":
        llm = bind(response_format={"type": "json_object"}, ls_structured_output_format=trace)
        parser = _json_parser(schema)
    elif method == "function_calling":
        name = convert_to_openai_tool(schema)["function"]["name"]
        llm = bind_tools(
            [schema],
            tool_choice=name,
            strict=strict,
            parallel_tool_calls=False,
            ls_structured_output_format=trace,
        )
        parser = (
            PydanticToolsParser(tools=[schema], first_tool_only=True)
            if _is_model(schema)
            else JsonOutputKeyToolsParser(key_name=name, first_tool_only=True)
        )
    else:
        raise InvalidRequestError(
            f"Unknown method {method!r}: use 'json_schema', 'function_calling' or 'json_mode'."
        )
    return _with_raw(llm, parser) if include_raw else llm | parser


def _with_raw(llm: Runnable[Any, Any], parser: Runnable[Any, Any]) -> Runnable[Any, Any]:
    def parse(data: Mapping[str, Any]) -> Any:
        return parser.invoke(data["raw"])

    parsed = RunnablePassthrough.assign(parsed=parse, parsing_error=lambda _: None)
    fallback = RunnablePassthrough.assign(parsed=lambda _: None)
    return RunnableMap(raw=llm) | parsed.with_fallbacks([fallback], exception_key="parsing_error")
