"""``client.conversations``: durable conversation state, sync and async twins."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import TypeAdapter
from typing_extensions import Unpack

from langchain_responses._http.transport import AsyncTransport, SyncTransport
from langchain_responses._wire.items import InputItem
from langchain_responses._wire.params import ListParams, RequestOptions, RetrieveParams
from langchain_responses._wire.response import Conversation, ConversationDeleted, ItemList
from langchain_responses.resources import _specs
from langchain_responses.resources._parse import parse
from langchain_responses.resources.pagination import AsyncItemPage, ItemPage


@functools.cache
def _item() -> TypeAdapter[InputItem]:
    return TypeAdapter(InputItem)


class ConversationItems:
    """``client.conversations.items``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport

    def create(
        self, conversation_id: str, *, items: Sequence[Any], **params: Unpack[RetrieveParams]
    ) -> ItemList:
        """Append up to 20 items to a conversation."""
        spec = _specs.conversation_items_create(conversation_id, items, params)
        return parse(ItemList, self._t.request(spec))

    def list(self, conversation_id: str, **params: Unpack[ListParams]) -> ItemPage:
        """The conversation's items; iterating the page walks all pages."""
        spec = _specs.conversation_items(conversation_id, params)
        return ItemPage(spec, self._t.request(spec), self._t.request)

    def retrieve(
        self, conversation_id: str, item_id: str, **params: Unpack[RetrieveParams]
    ) -> InputItem:
        """One item of a conversation."""
        spec = _specs.conversation_item("GET", conversation_id, item_id, params)
        return _item().validate_python(self._t.request(spec))

    def delete(
        self, conversation_id: str, item_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Delete one item; the API answers with the parent conversation."""
        spec = _specs.conversation_item("DELETE", conversation_id, item_id, options)
        return parse(Conversation, self._t.request(spec))


class AsyncConversationItems:
    """Async ``client.conversations.items``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport

    async def create(
        self, conversation_id: str, *, items: Sequence[Any], **params: Unpack[RetrieveParams]
    ) -> ItemList:
        """Append up to 20 items to a conversation."""
        spec = _specs.conversation_items_create(conversation_id, items, params)
        return parse(ItemList, await self._t.request(spec))

    async def list(self, conversation_id: str, **params: Unpack[ListParams]) -> AsyncItemPage:
        """The conversation's items; iterating the page walks all pages."""
        spec = _specs.conversation_items(conversation_id, params)
        return AsyncItemPage(spec, await self._t.request(spec), self._t.request)

    async def retrieve(
        self, conversation_id: str, item_id: str, **params: Unpack[RetrieveParams]
    ) -> InputItem:
        """One item of a conversation."""
        spec = _specs.conversation_item("GET", conversation_id, item_id, params)
        return _item().validate_python(await self._t.request(spec))

    async def delete(
        self, conversation_id: str, item_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """Delete one item; the API answers with the parent conversation."""
        spec = _specs.conversation_item("DELETE", conversation_id, item_id, options)
        return parse(Conversation, await self._t.request(spec))


class Conversations:
    """``client.conversations``."""

    def __init__(self, transport: SyncTransport) -> None:
        self._t = transport
        self.items = ConversationItems(transport)

    def create(
        self,
        *,
        items: Sequence[Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Start a conversation, optionally with up to 20 initial items."""
        spec = _specs.conversation_create(items, metadata, options)
        return parse(Conversation, self._t.request(spec))

    def retrieve(self, conversation_id: str, **options: Unpack[RequestOptions]) -> Conversation:
        """A conversation by id."""
        spec = _specs.conversation("GET", conversation_id, options)
        return parse(Conversation, self._t.request(spec))

    def update(
        self,
        conversation_id: str,
        *,
        metadata: Mapping[str, str],
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Replace a conversation's metadata."""
        spec = _specs.conversation("POST", conversation_id, options, {"metadata": dict(metadata)})
        return parse(Conversation, self._t.request(spec))

    def delete(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> ConversationDeleted:
        """Delete a conversation (its items go with it)."""
        spec = _specs.conversation("DELETE", conversation_id, options)
        return parse(ConversationDeleted, self._t.request(spec))


class AsyncConversations:
    """Async ``client.conversations``."""

    def __init__(self, transport: AsyncTransport) -> None:
        self._t = transport
        self.items = AsyncConversationItems(transport)

    async def create(
        self,
        *,
        items: Sequence[Any] | None = None,
        metadata: Mapping[str, str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Start a conversation, optionally with up to 20 initial items."""
        spec = _specs.conversation_create(items, metadata, options)
        return parse(Conversation, await self._t.request(spec))

    async def retrieve(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> Conversation:
        """A conversation by id."""
        spec = _specs.conversation("GET", conversation_id, options)
        return parse(Conversation, await self._t.request(spec))

    async def update(
        self,
        conversation_id: str,
        *,
        metadata: Mapping[str, str],
        **options: Unpack[RequestOptions],
    ) -> Conversation:
        """Replace a conversation's metadata."""
        spec = _specs.conversation("POST", conversation_id, options, {"metadata": dict(metadata)})
        return parse(Conversation, await self._t.request(spec))

    async def delete(
        self, conversation_id: str, **options: Unpack[RequestOptions]
    ) -> ConversationDeleted:
        """Delete a conversation (its items go with it)."""
        spec = _specs.conversation("DELETE", conversation_id, options)
        return parse(ConversationDeleted, await self._t.request(spec))
