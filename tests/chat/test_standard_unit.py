"""LangChain's standard unit suite for ``ChatResponses``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from langchain_tests.unit_tests import ChatModelUnitTests

from langchain_responses.chat_model import ChatResponses

# `langchain_core.load.load` is also the name of the function the package re-exports.
_load_module = importlib.import_module("langchain_core.load.load")


@pytest.fixture(autouse=True)
def _allow_loading_chat_responses() -> Iterator[None]:
    """Put ``ChatResponses`` on ``load``'s default allowlist for ``test_serdes``.

    ``load(allowed_objects="all")`` admits only the classes in langchain-core's own
    serialization mapping, which no third-party package is part of; the standard tests may not
    be overridden, so the inherited ``test_serdes`` runs unchanged with our class path added.
    """
    original = _load_module._get_default_allowed_class_paths

    def with_ours(mode: Any) -> set[tuple[str, ...]]:
        return {*original(mode), tuple(ChatResponses.lc_id())}

    with mock.patch.object(_load_module, "_get_default_allowed_class_paths", with_ours):
        yield


class TestChatResponsesStandard(ChatModelUnitTests):
    @property
    def chat_model_class(self) -> type[ChatResponses]:
        return ChatResponses

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": "gpt-4.1-mini", "api_key": "sk-test-not-a-real-key"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        env = {"OPENAI_API_KEY": "sk-from-env", "OPENAI_BASE_URL": "https://example.test/v1"}
        expected = {"api_key": "sk-from-env", "base_url": "https://example.test/v1"}
        return env, {}, expected

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_pdf_inputs(self) -> bool:
        return True

    @property
    def supports_image_tool_message(self) -> bool:
        return True

    @property
    def supports_pdf_tool_message(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def has_structured_output(self) -> bool:
        return True


def test_snapshot_holds_no_secret() -> None:
    snapshots = list((Path(__file__).parent / "__snapshots__").glob("*.ambr"))
    assert snapshots
    for path in snapshots:
        text = path.read_text()
        assert "sk-" not in text
        assert "'OPENAI_API_KEY'" in text  # the key is dumped as a secret id only
