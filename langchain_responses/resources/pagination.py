"""Cursor pages that iterate across every page (``has_more`` / ``after``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from langchain_responses._http.request import RequestSpec
from langchain_responses._wire.items import InputItem
from langchain_responses._wire.response import ItemList
from langchain_responses.resources import _specs
from langchain_responses.resources._parse import parse


class _PageCore:
    def __init__(self, spec: RequestSpec, body: Any) -> None:
        self.spec = spec
        self.page = parse(ItemList, body)

    @property
    def data(self) -> list[InputItem]:
        """The items of this page only."""
        return self.page.data

    @property
    def has_more(self) -> bool:
        """Whether another page follows."""
        return self.page.has_more

    def _next_spec(self) -> RequestSpec | None:
        if not self.page.has_more or not self.page.data:
            return None
        last = self.page.last_id or getattr(self.page.data[-1], "id", None)
        return _specs.next_page(self.spec, last) if last else None


class ItemPage(_PageCore):
    """One page of items; iterating it walks every following page too."""

    def __init__(self, spec: RequestSpec, body: Any, fetch: Callable[[RequestSpec], Any]) -> None:
        super().__init__(spec, body)
        self._fetch = fetch

    def __iter__(self) -> Iterator[InputItem]:
        page: ItemPage | None = self
        while page is not None:
            yield from page.data
            page = page.next_page()

    def next_page(self) -> ItemPage | None:
        """The following page, or None on the last one."""
        spec = self._next_spec()
        return ItemPage(spec, self._fetch(spec), self._fetch) if spec else None


class AsyncItemPage(_PageCore):
    """Async twin of ``ItemPage``."""

    def __init__(
        self, spec: RequestSpec, body: Any, fetch: Callable[[RequestSpec], Awaitable[Any]]
    ) -> None:
        super().__init__(spec, body)
        self._fetch = fetch

    async def __aiter__(self) -> AsyncIterator[InputItem]:
        page: AsyncItemPage | None = self
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()

    async def next_page(self) -> AsyncItemPage | None:
        """The following page, or None on the last one."""
        spec = self._next_spec()
        return AsyncItemPage(spec, await self._fetch(spec), self._fetch) if spec else None
