"""Request-body validation against the OpenAPI spec (tests/support/spec.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.support import spec
from tests.support.openapi_schema import prepare_spec
from tests.support.recordings import load_recordings

# --------------------------------------------------------------------------- mistakes caught

MISTAKES: dict[str, tuple[dict[str, Any], str]] = {
    "computer_use_preview with _px sizes": (
        {
            "tools": [
                {
                    "type": "computer_use_preview",
                    "environment": "browser",
                    "display_width_px": 1024,
                    "display_height_px": 768,
                }
            ]
        },
        "$.tools[0]: 'display_width' is a required property",
    ),
    "computer tool with _px sizes": (
        {"tools": [{"type": "computer", "display_width_px": 1024}]},
        "$.tools[0]: unknown properties ['display_width_px']",
    ),
    "input as a single message object": (
        {"input": {"role": "user", "content": "hi"}},
        "$.input: is object, expected one of: array, string",
    ),
    "input_image without detail": (
        {
            "input": [
                {
                    "role": "user",
                    "content": [{"type": "input_image", "image_url": "https://x.test/a.png"}],
                }
            ]
        },
        "$.input[0].content[0]: 'detail' is a required property",
    ),
    "function tool nested under 'function'": (
        {
            "tools": [
                {
                    "type": "function",
                    "function": {"name": "f", "parameters": {"type": "object"}},
                }
            ]
        },
        "$.tools[0]: 'name' is a required property",
    ),
    "unknown tool type": (
        {"tools": [{"type": "computer_use"}]},
        "$.tools[0]: type 'computer_use' is not one of ['apply_patch'",
    ),
    "chat completions parameters": (
        {"messages": [], "max_tokens": 5},
        "$: unknown properties ['max_tokens', 'messages']",
    ),
    "function_call arguments as an object": (
        {"input": [{"type": "function_call", "call_id": "c", "name": "f", "arguments": {"a": 1}}]},
        "$.input[0].arguments: {'a': 1} is not of type 'string'",
    ),
    "role 'tool'": (
        {"input": [{"role": "tool", "content": "42"}]},
        "$.input[0].role: 'tool' is not one of ['user', 'assistant', 'system', 'developer']",
    ),
    "stream as a string": ({"stream": "true"}, "$.stream: is string, expected one of"),
    "max_output_tokens below the minimum": (
        {"max_output_tokens": 8},
        "$.max_output_tokens: 8 is less than the minimum of 16",
    ),
    "bad nested file-search filter": (
        {
            "tools": [
                {
                    "type": "file_search",
                    "vector_store_ids": ["vs_1"],
                    "filters": {
                        "type": "and",
                        "filters": [
                            {"type": "eq", "key": "a", "value": 1},
                            {"type": "or", "filters": [{"type": "near", "key": "b", "value": 2}]},
                        ],
                    },
                }
            ]
        },
        "$.tools[0].filters.filters[1].filters[0]: type 'near' is not one of",
    ),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_mistakes_are_caught(name: str) -> None:
    extra, expected = MISTAKES[name]
    body = {"model": "gpt-5", "input": "hi", **extra}

    with pytest.raises(AssertionError) as raised:
        spec.validate_request("/v1/responses", "POST", body)

    assert expected in str(raised.value)


def test_error_report_is_readable() -> None:
    body = {"model": "m", "input": "hi", "tools": [{"type": "function", "function": {}}]}

    errors = spec.request_errors("/v1/responses", "POST", body)

    assert errors == [
        "- $.tools[0]: 'name' is a required property",
        "- $.tools[0]: 'strict' is a required property",
        "- $.tools[0]: 'parameters' is a required property",
        "- $.tools[0]: unknown properties ['function']; the spec allows ['allowed_callers', "
        "'defer_loading', 'description', 'name', 'output_schema', 'parameters', 'strict', 'type']",
    ]
    with pytest.raises(AssertionError, match=r"^POST /v1/responses: request body does not match"):
        spec.validate_request("/v1/responses", "POST", body)


def test_open_reading_accepts_unknown_properties() -> None:
    body = {"model": "m", "input": "hi", "tools": [{"type": "computer", "display_width_px": 1}]}

    assert spec.request_errors("/v1/responses", "POST", body, closed=False) == []
    assert spec.request_errors("/v1/responses", "POST", body) != []


# --------------------------------------------------------------------------- valid bodies

VALID: dict[str, tuple[str, dict[str, Any]]] = {
    "minimal": ("/v1/responses", {"model": "gpt-5", "input": "hi"}),
    "full turn": (
        "/v1/responses",
        {
            "model": "gpt-5",
            "instructions": None,
            "stream": True,
            "store": False,
            "include": ["reasoning.encrypted_content"],
            "reasoning": {"effort": "low", "summary": "auto"},
            "text": {
                "format": {
                    "type": "json_schema",
                    "name": "answer",
                    "strict": True,
                    "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
                }
            },
            "tools": [
                {
                    "type": "function",
                    "name": "get_weather",
                    "description": "Weather",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                    "strict": None,
                },
                {"type": "computer"},
                {
                    "type": "computer_use_preview",
                    "environment": "browser",
                    "display_width": 1024,
                    "display_height": 768,
                },
                {"type": "web_search"},
            ],
            "tool_choice": "auto",
            "input": [
                {"role": "developer", "content": "Be terse."},
                {
                    "type": "message",
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": "Weather?"},
                        {
                            "type": "input_image",
                            "image_url": "https://x.test/a.png",
                            "detail": "auto",
                        },
                    ],
                },
                {"id": "msg_1"},
                {
                    "type": "function_call",
                    "call_id": "call_1",
                    "name": "get_weather",
                    "arguments": '{"city": "Paris"}',
                },
                {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
            ],
        },
    ),
    "input_tokens": ("/v1/responses/input_tokens", {"model": "gpt-5", "input": "hi"}),
    "compact": ("/v1/responses/compact", {"model": "gpt-5", "input": "hi"}),
    "create conversation": (
        "/v1/conversations",
        {"items": [{"role": "user", "content": "hi"}], "metadata": {"k": "v"}},
    ),
    "update conversation": ("/v1/conversations/conv_1", {"metadata": {"k": "v"}}),
    "conversation items": (
        "/v1/conversations/conv_1/items",
        {"items": [{"type": "message", "role": "assistant", "content": "hello"}]},
    ),
}


@pytest.mark.parametrize("name", VALID)
def test_valid_bodies_pass(name: str) -> None:
    path, body = VALID[name]

    spec.validate_request(path, "POST", body)


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        ("/v1/responses/compact", {"input": "hi"}, "$: 'model' is a required property"),
        ("/v1/conversations/conv_1", {}, "$: 'metadata' is a required property"),
        ("/v1/conversations/conv_1/items", {"items": []} | {"x": 1}, "unknown properties ['x']"),
        (
            "https://api.openai.com/v1/conversations/c/items?include[]=a",
            {"items": [{"role": "user", "content": "hi"}] * 21},
            "$.items: <array of 21 items> is too long",
        ),
    ],
)
def test_other_endpoints_are_checked(path: str, body: dict[str, Any], expected: str) -> None:
    assert any(expected in line for line in spec.request_errors(path, "POST", body))


# --------------------------------------------------------------------------- routes


@pytest.mark.parametrize(
    ("path", "route"),
    [
        ("/v1/responses", "/responses"),
        ("/responses", "/responses"),
        ("/v1/responses/compact", "/responses/compact"),
        ("/v1/responses/input_tokens?x=1", "/responses/input_tokens"),
        ("http://127.0.0.1:1/v1/conversations", "/conversations"),
        ("/v1/conversations/conv_9", "/conversations/{conversation_id}"),
        ("/v1/conversations/conv_9/items", "/conversations/{conversation_id}/items"),
    ],
)
def test_request_schema_pointer(path: str, route: str) -> None:
    escaped = route.replace("/", "~1")
    expected = f"/paths/{escaped}/post/requestBody/content/application~1json/schema"

    assert spec.request_schema_pointer(path, "POST") == expected


def test_create_response_schema_is_used() -> None:
    pointer = spec.request_schema_pointer("/v1/responses", "post")
    node: Any = spec.raw_spec()
    for token in pointer.strip("/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]

    assert node == {"$ref": "#/components/schemas/CreateResponse"}


@pytest.mark.parametrize(
    ("path", "method"),
    [("/v1/nowhere", "POST"), ("/v1/responses/resp_1", "POST"), ("/v1/responses", "GET")],
)
def test_routes_without_a_request_body(path: str, method: str) -> None:
    with pytest.raises(KeyError):
        spec.request_schema_pointer(path, method)


def test_component_schemas_validate_too() -> None:
    item = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": "hi", "annotations": [], "logprobs": []}],
    }

    spec.validate_schema("OutputMessage", item)
    assert spec.schema_errors("OutputMessage", {**item, "status": None}) != []
    with pytest.raises(KeyError):
        spec.schema_errors("NoSuchSchema", {})


# --------------------------------------------------------------------------- recorded bodies

# Recorded request bodies the real API accepted (every one got HTTP 200) but that break the
# spec; the validator is right to flag them. Keyed by (recording, interaction index).
# Assistant history sent back as `output_text` parts: `EasyInputMessage` takes only input_*
# parts, and the `OutputMessage` form needs `logprobs` on every output_text part.
_ASSISTANT_OUTPUT_TEXT = (
    "assistant output_text part without `logprobs` (spec: required)",
    "'logprobs' is a required property",
)
EXPECTED_FAILURES: dict[tuple[str, int], tuple[str, str]] = {
    ("dd-trace-py__openai__response_function_call", 0): (
        "old openai-python sent a function tool without `strict` (spec: required, nullable)",
        "$.tools[0]: 'strict' is a required property",
    ),
    (
        "pydantic-ai__test_openai_responses__test_openai_responses_requires_function_call_status_none",
        1,
    ): (
        "pydantic-ai sent a function_call item with `status: null` (spec: enum, not nullable)",
        ".status: None is not of type 'string'",
    ),
    ("pydantic-ai__test_openai_prompt_cache__test_openrouter_responses_prompt_cache_e2e", 0): (
        "OpenRouter request with its own top-level `provider` routing field",
        "$: unknown properties ['provider']",
    ),
    ("pydantic-ai__test_openai_prompt_cache__test_openrouter_responses_prompt_cache_e2e", 1): (
        "OpenRouter request with its own top-level `provider` routing field",
        "$: unknown properties ['provider']",
    ),
    **{
        (name, index): _ASSISTANT_OUTPUT_TEXT
        for name, index in [
            ("dd-trace-py__openai_agents__test_multiple_agent_handoffs", 2),
            ("pydantic-ai__test_bedrock_mantle__test_reused_tool_call_ids_request", 3),
            (
                "pydantic-ai__test_openai_responses__test_openai_responses_code_execution_return_image",
                1,
            ),
            ("pydantic-ai__test_openai_responses__test_openai_responses_model_mcp_server_tool", 1),
            ("pydantic-ai__test_openai_responses__test_openai_responses_model_thinking_part", 1),
            ("pydantic-ai__test_openai_responses__test_openai_responses_model_web_search_tool", 1),
            (
                "pydantic-ai__test_openai_responses__test_openai_responses_model_web_search_tool_stream",
                1,
            ),
            (
                "pydantic-ai__test_openai_responses__test_openai_responses_phase_streamed_on_part_start",
                1,
            ),
            (
                "pydantic-ai__test_openai_tool_availability_delta__test_openai_live_delta_preserves_the_warmed_cache_prefix",
                1,
            ),
            (
                "pydantic-ai__test_tool_search__test_cross_provider_capability_replay_anthropic-claude-sonnet-4-5-openai-responses-gpt-5.4",
                1,
            ),
            ("pydantic-ai__test_tool_search__test_live_tool_search_handoff_anthropic_to_openai", 1),
            (
                "pydantic-ai__test_tool_search__test_openai_hosted_tool_search_stateless_continuation",
                1,
            ),
            (
                "pydantic-ai__test_tool_search__test_openai_hosted_tool_search_stateless_continuation",
                2,
            ),
        ]
    },
}


def _recorded_posts() -> list[Any]:
    return [
        pytest.param(recording.name, index, interaction.request, id=f"{recording.name}#{index}")
        for recording in load_recordings()
        for index, interaction in enumerate(recording.interactions)
        if interaction.request.method == "POST"
    ]


@pytest.mark.parametrize(("name", "index", "request_spec"), _recorded_posts())
def test_recorded_request_body_matches_spec(name: str, index: int, request_spec: Any) -> None:
    errors = spec.request_errors(request_spec.path, "POST", request_spec.body)
    expected = EXPECTED_FAILURES.get((name, index))
    if expected is None:
        assert errors == [], "\n".join(errors)
        return
    why, evidence = expected
    assert any(evidence in line for line in errors), "\n".join(errors)
    pytest.xfail(why)


def test_expected_failures_name_real_recordings() -> None:
    known = {
        (recording.name, index)
        for recording in load_recordings()
        for index in range(len(recording.interactions))
    }

    assert set(EXPECTED_FAILURES) <= known


# --------------------------------------------------------------------------- OpenAPI rewriting


def test_prepare_rewrites_openapi_idioms() -> None:
    document = {
        "paths": {},
        "components": {
            "schemas": {
                "Nullable": {"type": "string", "nullable": True},
                "Exclusive": {"type": "number", "minimum": 0, "exclusiveMinimum": True},
                "Tree": {
                    "$recursiveAnchor": True,
                    "type": "object",
                    "properties": {"children": {"type": "array", "items": {"$recursiveRef": "#"}}},
                },
            }
        },
    }

    schemas = prepare_spec(document)["components"]["schemas"]

    assert schemas["Nullable"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert schemas["Exclusive"] == {"type": "number", "exclusiveMinimum": 0}
    assert schemas["Tree"]["properties"]["children"]["items"] == {
        "$ref": "#/components/schemas/Tree"
    }
    assert schemas["Tree"]["x-closed"] == ["children"]
    assert "nullable" in document["components"]["schemas"]["Nullable"]


def test_spec_is_cached_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(spec.CACHE_ENV_VAR, str(tmp_path))
    load_uncached = spec.raw_spec.__wrapped__

    started = time.monotonic()
    parsed = load_uncached()
    first = time.monotonic() - started
    (cached,) = tmp_path.glob("openapi-*.json")
    stat = spec.spec_path().stat()
    assert cached.name == f"openapi-{stat.st_mtime_ns}-{stat.st_size}.json"

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was parsed again")

    monkeypatch.setattr(spec.yaml, "load", no_yaml)
    started = time.monotonic()
    assert load_uncached() == parsed
    assert time.monotonic() - started < first
    assert parsed["openapi"].startswith("3.1")
