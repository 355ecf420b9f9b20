"""What each endpoint sends: pure builders of ``RequestSpec``, shared by both twins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from langchain_responses._http.request import RequestOptions, RequestSpec
from langchain_responses.convert.request import check_metadata, split_options, to_body, to_json
from langchain_responses.errors import InvalidRequestError


def _segment(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidRequestError(f"{name} must be a non-empty string, got {value!r}.")
    return quote(value, safe="")


def _options(options: Mapping[str, Any]) -> RequestOptions:
    return RequestOptions(**options)


def _query(params: Mapping[str, Any]) -> tuple[dict[str, object], RequestOptions]:
    query, options = split_options(params)
    return query, _options(options)


def create(params: Mapping[str, Any], *, stream: bool) -> RequestSpec:
    """``POST /responses``."""
    fields, options = split_options(params)
    body = to_body(fields)
    if stream:
        body["stream"] = True
    return RequestSpec("POST", "/responses", body=body, options=_options(options))


def retrieve(
    response_id: str,
    params: Mapping[str, Any],
    *,
    stream: bool = False,
    starting_after: int | None = None,
) -> RequestSpec:
    """``GET /responses/{id}`` (``stream=True`` replays or resumes a background stream)."""
    query, options = _query(params)
    if stream:
        query["stream"] = True
        if starting_after is not None:
            query["starting_after"] = starting_after
    path = f"/responses/{_segment('response_id', response_id)}"
    return RequestSpec("GET", path, query=query, options=options)


def delete(response_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``DELETE /responses/{id}``."""
    _, options = _query(params)
    return RequestSpec(
        "DELETE", f"/responses/{_segment('response_id', response_id)}", options=options
    )


def cancel(response_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``POST /responses/{id}/cancel`` (background responses only)."""
    _, options = _query(params)
    path = f"/responses/{_segment('response_id', response_id)}/cancel"
    return RequestSpec("POST", path, options=options)


def input_items(response_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``GET /responses/{id}/input_items`` (one page)."""
    query, options = _query(params)
    path = f"/responses/{_segment('response_id', response_id)}/input_items"
    return RequestSpec("GET", path, query=query, options=options)


def input_tokens(params: Mapping[str, Any]) -> RequestSpec:
    """``POST /responses/input_tokens``."""
    fields, options = split_options(params)
    return RequestSpec(
        "POST", "/responses/input_tokens", body=to_body(fields), options=_options(options)
    )


def compact(params: Mapping[str, Any]) -> RequestSpec:
    """``POST /responses/compact``."""
    fields, options = split_options(params)
    if not fields.get("model"):
        raise InvalidRequestError("compact needs model=... (the model that will continue).")
    return RequestSpec(
        "POST", "/responses/compact", body=to_body(fields), options=_options(options)
    )


def next_page(spec: RequestSpec, after: str) -> RequestSpec:
    """The same list request, starting after ``after``."""
    return RequestSpec(
        spec.method, spec.path, query={**spec.query, "after": after}, options=spec.options
    )


# --- conversations -------------------------------------------------------------------------


def conversation_create(
    items: Sequence[Any] | None, metadata: Mapping[str, str] | None, params: Mapping[str, Any]
) -> RequestSpec:
    """``POST /conversations``."""
    _, options = _query(params)
    body: dict[str, Any] = {}
    if items is not None:
        body["items"] = _items(items)
    if metadata is not None:
        check_metadata(metadata)
        body["metadata"] = dict(metadata)
    return RequestSpec("POST", "/conversations", body=body, options=options)


def _items(items: Sequence[Any]) -> list[Any]:
    converted = to_json(list(items))
    if len(converted) > 20:
        raise InvalidRequestError(f"At most 20 items per call, got {len(converted)}.")
    return to_body({"input": converted})["input"]  # type: ignore[no-any-return]


def conversation(
    method: str,
    conversation_id: str,
    params: Mapping[str, Any],
    body: Mapping[str, Any] | None = None,
) -> RequestSpec:
    """``GET`` / ``POST`` (update) / ``DELETE`` ``/conversations/{id}``."""
    _, options = _query(params)
    path = f"/conversations/{_segment('conversation_id', conversation_id)}"
    if body is not None:
        check_metadata(body.get("metadata"))
    return RequestSpec(method, path, body=body, options=options)


def conversation_items_create(
    conversation_id: str, items: Sequence[Any], params: Mapping[str, Any]
) -> RequestSpec:
    """``POST /conversations/{id}/items``."""
    query, options = _query(params)
    path = f"/conversations/{_segment('conversation_id', conversation_id)}/items"
    return RequestSpec("POST", path, body={"items": _items(items)}, query=query, options=options)


def conversation_items(conversation_id: str, params: Mapping[str, Any]) -> RequestSpec:
    """``GET /conversations/{id}/items`` (one page)."""
    query, options = _query(params)
    path = f"/conversations/{_segment('conversation_id', conversation_id)}/items"
    return RequestSpec("GET", path, query=query, options=options)


def conversation_item(
    method: str, conversation_id: str, item_id: str, params: Mapping[str, Any]
) -> RequestSpec:
    """``GET`` / ``DELETE`` ``/conversations/{id}/items/{item_id}``."""
    query, options = _query(params)
    path = (
        f"/conversations/{_segment('conversation_id', conversation_id)}"
        f"/items/{_segment('item_id', item_id)}"
    )
    return RequestSpec(method, path, query=query, options=options)
