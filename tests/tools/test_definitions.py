"""The typed tool-definition factories: documented shapes, spec validity, clear errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import TypeAdapter

from langchain_responses._wire.base import WireModel
from langchain_responses._wire.tools import FileSearchFilter, McpToolFilter, Tool, UserLocation
from langchain_responses.client import ResponsesClient
from langchain_responses.errors import InvalidRequestError
from langchain_responses.tools import definitions as d
from tests.support.server import Reply, ScriptedServer
from tests.support.spec import schema_errors, validate_request

TUNNEL = "tunnel_" + "0123456789abcdef" * 2

CASES: list[tuple[str, Callable[[], WireModel], dict[str, Any]]] = [
    (
        "file_search",
        lambda: d.file_search_tool("vs_abc"),
        {"type": "file_search", "vector_store_ids": ["vs_abc"]},
    ),
    (
        "file_search_full",
        lambda: d.file_search_tool(
            ["vs_abc", "vs_def"],
            max_num_results=8,
            filters={
                "type": "and",
                "filters": [
                    {"type": "eq", "key": "team", "value": "infra"},
                    {"type": "or", "filters": [{"type": "in", "key": "y", "value": [2024, 2025]}]},
                ],
            },
            ranking_options={
                "ranker": "default-2024-11-15",
                "score_threshold": 0.4,
                "hybrid_search": {"embedding_weight": 0.7, "text_weight": 0.3},
            },
        ),
        {
            "type": "file_search",
            "vector_store_ids": ["vs_abc", "vs_def"],
            "max_num_results": 8,
            "filters": {
                "type": "and",
                "filters": [
                    {"type": "eq", "key": "team", "value": "infra"},
                    {"type": "or", "filters": [{"type": "in", "key": "y", "value": [2024, 2025]}]},
                ],
            },
            "ranking_options": {
                "ranker": "default-2024-11-15",
                "score_threshold": 0.4,
                "hybrid_search": {"embedding_weight": 0.7, "text_weight": 0.3},
            },
        },
    ),
    (
        "file_search_models",
        lambda: d.file_search_tool(
            ["vs_1"], filters=FileSearchFilter(type="gte", key="year", value=2024)
        ),
        {
            "type": "file_search",
            "vector_store_ids": ["vs_1"],
            "filters": {"type": "gte", "key": "year", "value": 2024},
        },
    ),
    ("web_search", d.web_search_tool, {"type": "web_search"}),
    (
        "web_search_full",
        lambda: d.web_search_tool(
            allowed_domains=["pubmed.ncbi.nlm.nih.gov"],
            user_location={"country": "GB", "city": "London", "timezone": "Europe/London"},
            search_context_size="high",
            external_web_access=False,
        ),
        {
            "type": "web_search",
            "filters": {"allowed_domains": ["pubmed.ncbi.nlm.nih.gov"]},
            "user_location": {
                "type": "approximate",
                "country": "GB",
                "city": "London",
                "timezone": "Europe/London",
            },
            "search_context_size": "high",
            "external_web_access": False,
        },
    ),
    (
        "web_search_preview",
        lambda: d.web_search_tool(preview=True, user_location=UserLocation(city="Paris")),
        {
            "type": "web_search_preview",
            "user_location": {"type": "approximate", "city": "Paris"},
        },
    ),
    ("computer", d.computer_tool, {"type": "computer"}),
    (
        "computer_use_preview",
        lambda: d.computer_use_preview_tool(1280, 800, "browser"),
        {
            "type": "computer_use_preview",
            "display_width": 1280,
            "display_height": 800,
            "environment": "browser",
        },
    ),
    ("apply_patch", d.apply_patch_tool, {"type": "apply_patch"}),
    ("local_shell", d.local_shell_tool, {"type": "local_shell"}),
    ("shell", d.shell_tool, {"type": "shell"}),
    (
        "shell_local",
        lambda: d.shell_tool("local"),
        {"type": "shell", "environment": {"type": "local"}},
    ),
    (
        "shell_container_auto",
        lambda: d.shell_tool(
            {"type": "container_auto", "file_ids": ["file-1"], "memory_limit": "4g"}
        ),
        {
            "type": "shell",
            "environment": {"type": "container_auto", "file_ids": ["file-1"], "memory_limit": "4g"},
        },
    ),
    (
        "shell_container_reference",
        lambda: d.shell_tool({"type": "container_reference", "container_id": "cntr_1"}),
        {"type": "shell", "environment": {"type": "container_reference", "container_id": "cntr_1"}},
    ),
    (
        "code_interpreter",
        d.code_interpreter_tool,
        {"type": "code_interpreter", "container": {"type": "auto"}},
    ),
    (
        "code_interpreter_options",
        lambda: d.code_interpreter_tool(file_ids=["file-1"], memory_limit="16g"),
        {
            "type": "code_interpreter",
            "container": {"type": "auto", "file_ids": ["file-1"], "memory_limit": "16g"},
        },
    ),
    (
        "code_interpreter_dict",
        lambda: d.code_interpreter_tool(
            {"type": "auto", "network_policy": {"type": "disabled"}}, memory_limit="1g"
        ),
        {
            "type": "code_interpreter",
            "container": {
                "type": "auto",
                "network_policy": {"type": "disabled"},
                "memory_limit": "1g",
            },
        },
    ),
    (
        "code_interpreter_id",
        lambda: d.code_interpreter_tool("cntr_abc"),
        {"type": "code_interpreter", "container": "cntr_abc"},
    ),
    ("image_generation", d.image_generation_tool, {"type": "image_generation"}),
    (
        "image_generation_full",
        lambda: d.image_generation_tool(
            model="gpt-image-1",
            action="edit",
            quality="high",
            size="1536x1024",
            output_format="webp",
            output_compression=80,
            background="transparent",
            moderation="low",
            input_fidelity="high",
            input_image_mask={"file_id": "file-mask"},
            partial_images=3,
        ),
        {
            "type": "image_generation",
            "model": "gpt-image-1",
            "action": "edit",
            "quality": "high",
            "size": "1536x1024",
            "output_format": "webp",
            "output_compression": 80,
            "background": "transparent",
            "moderation": "low",
            "input_fidelity": "high",
            "input_image_mask": {"file_id": "file-mask"},
            "partial_images": 3,
        },
    ),
    (
        "mcp_url",
        lambda: d.mcp_tool(
            "deepwiki",
            server_url="https://mcp.deepwiki.com/mcp",
            require_approval="never",
            allowed_tools=["ask_question"],
            headers={"X-Team": "docs"},
            server_description="Docs for public repositories",
        ),
        {
            "type": "mcp",
            "server_label": "deepwiki",
            "server_url": "https://mcp.deepwiki.com/mcp",
            "headers": {"X-Team": "docs"},
            "server_description": "Docs for public repositories",
            "allowed_tools": ["ask_question"],
            "require_approval": "never",
        },
    ),
    (
        "mcp_connector",
        lambda: d.mcp_tool(
            "gmail",
            connector_id="connector_gmail",
            authorization="ya29.token",
            require_approval={"never": {"read_only": True}, "always": {"tool_names": ["send"]}},
            allowed_tools=McpToolFilter(read_only=True),
        ),
        {
            "type": "mcp",
            "server_label": "gmail",
            "connector_id": "connector_gmail",
            "authorization": "ya29.token",
            "allowed_tools": {"read_only": True},
            "require_approval": {"always": {"tool_names": ["send"]}, "never": {"read_only": True}},
        },
    ),
    (
        "mcp_tunnel",
        lambda: d.mcp_tool("intranet", tunnel_id=TUNNEL, require_approval="always"),
        {
            "type": "mcp",
            "server_label": "intranet",
            "tunnel_id": TUNNEL,
            "require_approval": "always",
        },
    ),
    (
        "custom_text",
        lambda: d.custom_tool("notes", description="Free text"),
        {"type": "custom", "name": "notes", "description": "Free text", "format": {"type": "text"}},
    ),
    (
        "custom_lark",
        lambda: d.custom_tool("math", grammar='start: NUMBER "+" NUMBER\n%import common.NUMBER'),
        {
            "type": "custom",
            "name": "math",
            "format": {
                "type": "grammar",
                "syntax": "lark",
                "definition": 'start: NUMBER "+" NUMBER\n%import common.NUMBER',
            },
        },
    ),
    (
        "custom_regex",
        lambda: d.custom_tool("date", grammar=r"^\d{4}-\d{2}-\d{2}$", syntax="regex"),
        {
            "type": "custom",
            "name": "date",
            "format": {"type": "grammar", "syntax": "regex", "definition": r"^\d{4}-\d{2}-\d{2}$"},
        },
    ),
]

_TOOL: TypeAdapter[Tool] = TypeAdapter(Tool)


@pytest.mark.parametrize(("make", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_dumps_to_the_documented_shape(
    make: Callable[[], dict[str, Any]], expected: dict[str, Any]
) -> None:
    tool = make()
    assert isinstance(tool, dict)  # agents (create_agent) and the client take plain dicts
    assert tool == expected
    assert tool.to_dict() == expected
    assert next(iter(tool)) == "type"
    # What the server echoes back parses into a known tool model, not the unknown fallback.
    echoed = _TOOL.validate_python(expected)
    assert type(echoed).__name__ != "UnknownTool"
    assert echoed.to_dict() == expected


@pytest.mark.parametrize(("make", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validates_against_the_spec(
    make: Callable[[], WireModel], expected: dict[str, Any]
) -> None:
    dumped = make().to_dict()
    assert schema_errors("Tool", dumped) == []
    validate_request("/v1/responses", "POST", {"model": "m", "input": "x", "tools": [dumped]})


def test_every_factory_is_covered() -> None:
    bases = [name.removesuffix("_tool") for name in d.__all__ if name.endswith("_tool")]
    case_ids = [case_id for case_id, *_ in CASES]
    missing = [
        base for base in bases if not any(c == base or c.startswith(f"{base}_") for c in case_ids)
    ]
    assert missing == []


BAD: list[tuple[Callable[[], object], str]] = [
    (lambda: d.file_search_tool([]), "vector_store_ids takes 1"),
    (lambda: d.file_search_tool(["vs_1", ""]), r"vector_store_ids\[1\]"),
    (lambda: d.file_search_tool(["vs_1"], max_num_results=0), "max_num_results .* 1 to 50"),
    (lambda: d.file_search_tool(["vs_1"], max_num_results=51), "max_num_results"),
    (lambda: d.file_search_tool(["vs_1"], filters={"type": "like", "key": "a"}), "filters.type"),
    (lambda: d.file_search_tool(["vs_1"], filters={"type": "eq", "value": 1}), "filters.key"),
    (
        lambda: d.file_search_tool(["vs_1"], filters={"type": "in", "key": "k", "value": "x"}),
        "filters.value must be a list",
    ),
    (
        lambda: d.file_search_tool(["vs_1"], filters={"type": "and", "filters": []}),
        "filters.filters must be a non-empty list",
    ),
    (
        lambda: d.file_search_tool(
            ["vs_1"], filters={"type": "or", "filters": [{"type": "eq", "key": "k"}]}
        ),
        r"filters.filters\[0\].value",
    ),
    (
        lambda: d.file_search_tool(["vs_1"], ranking_options={"score_threshold": 1.5}),
        "ranking_options.score_threshold",
    ),
    (
        lambda: d.file_search_tool(["vs_1"], ranking_options={"ranker": "best"}),
        "ranking_options.ranker",
    ),
    (
        lambda: d.file_search_tool(
            ["vs_1"], ranking_options={"hybrid_search": {"embedding_weight": 1}}
        ),
        "hybrid_search.text_weight",
    ),
    (lambda: d.web_search_tool(allowed_domains=["https://a.com"]), "bare domains"),
    (lambda: d.web_search_tool(allowed_domains="a.com"), "allowed_domains must be a list"),  # type: ignore[arg-type]
    (lambda: d.web_search_tool(search_context_size="max"), "search_context_size"),  # type: ignore[arg-type]
    (lambda: d.web_search_tool(user_location={"country": "USA"}), "user_location.country"),
    (lambda: d.web_search_tool(user_location={"type": "exact"}), "user_location.type"),
    (
        lambda: d.web_search_tool(preview=True, allowed_domains=["a.com"]),
        "drop preview=True",
    ),
    (lambda: d.computer_use_preview_tool(0, 800, "browser"), "display_width"),
    (lambda: d.computer_use_preview_tool(1024, 768, "android"), "environment"),  # type: ignore[arg-type]
    (lambda: d.shell_tool("docker"), "environment.type"),  # type: ignore[arg-type]
    (lambda: d.shell_tool({"type": "container_reference"}), "environment.container_id"),
    (
        lambda: d.shell_tool({"type": "container_auto", "memory_limit": "2g"}),
        "environment.memory_limit",
    ),
    (lambda: d.code_interpreter_tool(memory_limit="2g"), "container.memory_limit"),  # type: ignore[arg-type]
    (
        lambda: d.code_interpreter_tool(file_ids=[f"file-{n}" for n in range(51)]),
        "container.file_ids takes 0 to 50",
    ),
    (lambda: d.code_interpreter_tool("cntr_1", file_ids=["f"]), "container='auto'"),
    (lambda: d.code_interpreter_tool(""), "container must be a non-empty string"),
    (lambda: d.code_interpreter_tool({"type": "manual"}), "container.type"),
    (lambda: d.image_generation_tool(partial_images=4), "partial_images .* 0 to 3"),
    (lambda: d.image_generation_tool(output_compression=101), "output_compression"),
    (lambda: d.image_generation_tool(quality="ultra"), "quality"),  # type: ignore[typeddict-item]
    (lambda: d.image_generation_tool(size="big"), "size must be"),
    (lambda: d.image_generation_tool(action="remix"), "action"),  # type: ignore[typeddict-item]
    (lambda: d.image_generation_tool(colour="red"), "Unknown image_generation option"),  # type: ignore[call-arg]
    (
        lambda: d.image_generation_tool(background="transparent", output_format="jpeg"),
        "output_format 'png' or 'webp'",
    ),
    (lambda: d.image_generation_tool(input_image_mask={}), "input_image_mask needs"),
    (lambda: d.mcp_tool("x"), "exactly one of server_url, connector_id or tunnel_id"),
    (
        lambda: d.mcp_tool("x", server_url="https://a.b", connector_id="connector_gmail"),
        r"exactly one .*\['connector_id', 'server_url'\]",
    ),
    (lambda: d.mcp_tool("x", server_url="ftp://a.b"), "server_url must be an http"),
    (lambda: d.mcp_tool("x", connector_id="connector_slack"), "connector_id must be one of"),
    (lambda: d.mcp_tool("x", tunnel_id="tunnel_ABC"), "tunnel_id must be 'tunnel_'"),
    (lambda: d.mcp_tool("", server_url="https://a.b"), "server_label"),
    (
        lambda: d.mcp_tool("x", server_url="https://a.b", require_approval="sometimes"),  # type: ignore[arg-type]
        "require_approval must be one of always, never",
    ),
    (
        lambda: d.mcp_tool("x", server_url="https://a.b", require_approval={"maybe": {}}),
        "require_approval takes",
    ),
    (
        lambda: d.mcp_tool("x", server_url="https://a.b", allowed_tools={"names": ["a"]}),
        "allowed_tools takes tool_names and read_only",
    ),
    (
        lambda: d.mcp_tool("x", server_url="https://a.b", headers={"X": 1}),  # type: ignore[dict-item]
        "headers must be",
    ),
    (lambda: d.custom_tool("has space"), "name must be"),
    (lambda: d.custom_tool("x", grammar=""), "grammar must be a non-empty string"),
    (lambda: d.custom_tool("x", grammar="a", syntax="ebnf"), "syntax must be one of lark, regex"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("make", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_values_name_the_field(make: Callable[[], object], message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        make()


def test_tools_go_into_responses_create_as_built() -> None:
    tools = [make() for _, make, _ in CASES[:3]] + [d.mcp_tool("t", tunnel_id=TUNNEL)]
    reply = Reply(json={"id": "resp_1", "object": "response", "status": "completed", "output": []})
    with ScriptedServer(default=reply) as server:
        with ResponsesClient(api_key="k", base_url=server.base_url, max_retries=0) as client:
            client.responses.create(model="gpt-5", input="hi", tools=tools)
        (request,) = server.requests
    server.check()
    assert request.json["tools"] == [tool.to_dict() for tool in tools]
    validate_request(request.path, "POST", request.json)
