"""Sync and async twins expose the same surface: same methods, same parameters."""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from langchain_responses.client import AsyncResponsesClient, ResponsesClient

TWIN_MODULES = [
    "langchain_responses.resources.responses",
    "langchain_responses.resources.conversations",
    "langchain_responses.resources.files",
    "langchain_responses.resources.vector_stores",
    "langchain_responses.resources.streaming",
    "langchain_responses.resources.pagination",
    "langchain_responses._http.transport",
]

# Async methods that are deliberately plain functions: they only build a stream object,
# which is then opened with ``async with`` / ``await``.
SYNC_IN_ASYNC = {("AsyncResponses", "stream")}


def twin_pairs() -> Iterator[tuple[type[Any], type[Any]]]:
    """(Sync, Async) class pairs: ``X``/``AsyncX`` or ``SyncX``/``AsyncX`` in one module."""
    for name in TWIN_MODULES:
        module: ModuleType = importlib.import_module(name)
        classes = {
            n: c
            for n, c in vars(module).items()
            if inspect.isclass(c) and c.__module__ == module.__name__
        }
        for class_name, async_cls in classes.items():
            if not class_name.startswith("Async"):
                continue
            base = class_name.removeprefix("Async")
            sync_cls = classes.get(f"Sync{base}") or classes.get(base)
            assert sync_cls is not None, f"{name}.{class_name} has no sync twin"
            yield sync_cls, async_cls


PAIRS = list(twin_pairs())


def sync_name(async_name: str) -> str:
    """Async twins may use an ``a`` prefix (``aclose``); map back to the sync name."""
    return {"aclose": "close", "__aenter__": "__enter__", "__aexit__": "__exit__"}.get(
        async_name, async_name
    )


def public_members(cls: type[Any]) -> dict[str, Any]:
    members = {}
    for klass in reversed(cls.__mro__[:-1]):
        for name, value in vars(klass).items():
            if not name.startswith("_") or name in {
                "__enter__",
                "__exit__",
                "__aenter__",
                "__aexit__",
                "__iter__",
                "__aiter__",
            }:
                members[name] = value
    return members


def normalise(annotation: Any) -> str:
    """An annotation with the twin prefixes removed (``AsyncItemPage`` -> ``ItemPage``)."""
    return re.sub(r"\b(?:Sync|Async)(?=[A-Z])", "", str(annotation))


def test_twin_pairs_were_found() -> None:
    names = {a.__name__ for _, a in PAIRS}
    assert names >= {
        "AsyncResponses",
        "AsyncInputItems",
        "AsyncInputTokens",
        "AsyncConversations",
        "AsyncConversationItems",
        "AsyncFiles",
        "AsyncVectorStores",
        "AsyncResponseStream",
        "AsyncItemPage",
        "AsyncTransport",
        "AsyncEventSource",
    }


@pytest.mark.parametrize(("sync_cls", "async_cls"), PAIRS, ids=lambda c: c.__name__)
def test_same_public_methods(sync_cls: type[Any], async_cls: type[Any]) -> None:
    sync_members = public_members(sync_cls)
    async_members = {sync_name(n): m for n, m in public_members(async_cls).items()}
    sync_members.pop("__iter__", None)
    async_members.pop("__aiter__", None)
    # `close = aclose` style aliases are fine on the async side.
    extra = set(async_members) - set(sync_members)
    assert not extra, f"{async_cls.__name__} has extra public members {sorted(extra)}"
    assert set(sync_members) == set(async_members), async_cls.__name__


@pytest.mark.parametrize(("sync_cls", "async_cls"), PAIRS, ids=lambda c: c.__name__)
def test_same_parameters(sync_cls: type[Any], async_cls: type[Any]) -> None:
    sync_members = public_members(sync_cls)
    for async_name, async_member in public_members(async_cls).items():
        name = sync_name(async_name)
        sync_member = sync_members.get(name)
        if not inspect.isfunction(async_member) or not inspect.isfunction(sync_member):
            continue
        sync_sig = inspect.signature(sync_member)
        async_sig = inspect.signature(async_member)
        sync_params = [
            (p.name, p.kind, p.default, normalise(p.annotation))
            for p in sync_sig.parameters.values()
        ]
        async_params = [
            (p.name, p.kind, p.default, normalise(p.annotation))
            for p in async_sig.parameters.values()
        ]
        assert sync_params == async_params, f"{async_cls.__name__}.{async_name}"
        assert normalise(sync_sig.return_annotation) == normalise(async_sig.return_annotation), (
            f"{async_cls.__name__}.{async_name}"
        )


RESOURCE_MODULE_PREFIX = "langchain_responses.resources."


@pytest.mark.parametrize(
    ("sync_cls", "async_cls"),
    [
        p
        for p in PAIRS
        if p[0].__module__.startswith(RESOURCE_MODULE_PREFIX)
        and p[0].__module__.rsplit(".", 1)[1] not in {"streaming", "pagination"}
    ],
    ids=lambda c: c.__name__,
)
def test_async_resource_methods_are_coroutines(sync_cls: type[Any], async_cls: type[Any]) -> None:
    for name, member in public_members(async_cls).items():
        if not inspect.isfunction(member) or name.startswith("_"):
            continue
        sync_member = public_members(sync_cls)[name]
        assert not inspect.iscoroutinefunction(sync_member), f"{sync_cls.__name__}.{name}"
        if (async_cls.__name__, name) in SYNC_IN_ASYNC:
            assert not inspect.iscoroutinefunction(member)
        else:
            assert inspect.iscoroutinefunction(member), f"{async_cls.__name__}.{name}"


def resource_tree(obj: object, path: str = "client") -> dict[str, str]:
    """Public attributes that are resources, recursively: dotted path -> class name."""
    tree: dict[str, str] = {}
    names = set(vars(obj)) | {  # plus resources loaded on first use (cached properties)
        n for n in dir(type(obj)) if isinstance(getattr(type(obj), n), functools.cached_property)
    }
    for name in sorted(names):
        value = getattr(obj, name)
        if name.startswith("_") or not type(value).__module__.startswith(RESOURCE_MODULE_PREFIX):
            continue
        dotted = f"{path}.{name}"
        tree[dotted] = type(value).__name__
        tree.update(resource_tree(value, dotted))
    return tree


def test_clients_expose_the_same_resources() -> None:
    sync_client = ResponsesClient(api_key="sk-x")
    async_client = AsyncResponsesClient(api_key="sk-x")
    try:
        sync_tree = resource_tree(sync_client)
        async_tree = resource_tree(async_client)
    finally:
        sync_client.close()

    assert set(sync_tree) == set(async_tree)
    assert {"client.responses", "client.conversations", "client.responses.input_items"} <= set(
        sync_tree
    )
    for dotted, class_name in sync_tree.items():
        assert async_tree[dotted] == f"Async{class_name}", dotted


def test_clients_share_settings_and_lifecycle() -> None:
    def public(cls: type[Any]) -> set[str]:
        lazy = functools.cached_property  # resources, compared by the test above
        return {
            n for n in dir(cls) if not n.startswith("_") and not isinstance(getattr(cls, n), lazy)
        }

    sync_methods = public(ResponsesClient)
    async_methods = public(AsyncResponsesClient)
    assert sync_methods == {"base_url", "close", "max_retries"}
    assert async_methods == sync_methods | {"aclose"}
    assert inspect.iscoroutinefunction(AsyncResponsesClient.aclose)
    assert AsyncResponsesClient.close is AsyncResponsesClient.aclose
    assert hasattr(ResponsesClient, "__enter__")
    assert hasattr(AsyncResponsesClient, "__aenter__")
    assert (
        inspect.signature(ResponsesClient.__init__).parameters.keys()
        == inspect.signature(AsyncResponsesClient.__init__).parameters.keys()
    )
