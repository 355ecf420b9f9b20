"""Accumulating a ``Response`` from stream events (sans-I/O, wire reference §6.4).

Start from ``response.created``, insert items at their ``output_index``, append deltas, replace
items on ``output_item.done`` and take the terminal event's response as final. Deltas for an
item or part that was never announced are ignored here: the ``*.done`` events and the terminal
response carry the full values, and the events themselves still reach the caller.
"""

from __future__ import annotations

from typing import Any

from langchain_responses._wire import events as ev
from langchain_responses._wire.content import OutputTextPart, RefusalPart
from langchain_responses._wire.items import MessageItem, ReasoningItem
from langchain_responses._wire.response import Response

_PART_DELTAS: dict[type[Any], tuple[type[Any], str]] = {
    ev.OutputTextDeltaEvent: (OutputTextPart, "text"),
    ev.RefusalDeltaEvent: (RefusalPart, "refusal"),
    ev.ReasoningSummaryTextDeltaEvent: (object, "text"),
    ev.ReasoningTextDeltaEvent: (object, "text"),
}
"""Delta events that append to a string field of one part."""

_TERMINAL = (ev.ResponseCompletedEvent, ev.ResponseIncompleteEvent, ev.ResponseFailedEvent)
_LIFECYCLE = (ev.ResponseCreatedEvent, ev.ResponseQueuedEvent, ev.ResponseInProgressEvent)

# Delta events that append to one string field of the item at `output_index`.
_ITEM_DELTAS: dict[type[Any], str] = {
    ev.FunctionCallArgumentsDeltaEvent: "arguments",
    ev.CustomToolCallInputDeltaEvent: "input",
    ev.CodeInterpreterCallCodeDeltaEvent: "code",
    ev.McpCallArgumentsDeltaEvent: "arguments",
}

_DELTA_PART: dict[type[Any], str | None] = {
    **dict.fromkeys(_ITEM_DELTAS),
    ev.OutputTextDeltaEvent: "content_index",
    ev.RefusalDeltaEvent: "content_index",
    ev.ReasoningTextDeltaEvent: "content_index",
    ev.ReasoningSummaryTextDeltaEvent: "summary_index",
}
"""Every delta event -> the field naming its part within the item (``None``: the item's own)."""

_UNRESOLVED: Any = object()


class ResponseAccumulator:
    """Builds the response snapshot event by event."""

    def __init__(self) -> None:
        self._snapshot: Response | None = None
        # Deltas wait here and are joined once when the snapshot is read or changes shape:
        # appending to the model's string on every delta would be quadratic.
        self._pending: dict[tuple[int, str], tuple[Any, str, list[str]]] = {}
        # Where each delta stream's pieces go (None: nowhere), by (event type, output index,
        # part). Only structural events and flushes move targets, and both forget this.
        self._sinks: dict[tuple[type[Any], int, int | None], list[str] | None] = {}

    @property
    def snapshot(self) -> Response | None:
        """The response so far (pending deltas joined in)."""
        if self._pending:
            self._flush()
        return self._snapshot

    def _pieces(self, target: Any, field: str) -> list[str]:
        entry = self._pending.get((id(target), field))
        if entry is None:
            entry = self._pending[(id(target), field)] = (target, field, [])
        return entry[2]

    def _flush(self) -> None:
        for target, field, pieces in self._pending.values():
            setattr(target, field, (getattr(target, field) or "") + "".join(pieces))
        self._pending.clear()
        self._sinks.clear()

    def apply(self, event: ev.ResponseStreamEvent) -> None:
        """Fold one event into the snapshot."""
        kind = type(event)
        if kind in _DELTA_PART:
            self._delta(event, _DELTA_PART[kind])
        else:
            self._flush()
            self._structural(event)

    def _delta(self, event: Any, part: str | None) -> None:
        """Append a delta to its target's pieces (the hot path: the target is found once)."""
        key = (type(event), event.output_index, getattr(event, part) if part else None)
        sink = self._sinks.get(key, _UNRESOLVED)
        if sink is _UNRESOLVED:
            sink = self._sinks[key] = self._sink(event)
        if sink is not None:
            sink.append(event.delta)

    def _sink(self, event: Any) -> list[str] | None:
        """The pieces a delta event appends to; None when it has nothing to append to."""
        field = _ITEM_DELTAS.get(type(event))
        if field is not None:
            return self._item_sink(event, field)
        return self._part_sink(event, *_PART_DELTAS[type(event)])

    def _structural(self, event: ev.ResponseStreamEvent) -> None:
        if isinstance(event, _TERMINAL):
            self._finish(event.response)
        elif isinstance(event, _LIFECYCLE):
            self._lifecycle(event.response)
        elif self._snapshot is not None:
            self._output(event)

    def _lifecycle(self, response: Response) -> None:
        if self._snapshot is None:
            self._snapshot = response.model_copy()
        else:
            self._snapshot.status = response.status

    def _finish(self, response: Response) -> None:
        # Some servers send a terminal response without its output: keep what was streamed.
        if not response.output and self._snapshot is not None and self._snapshot.output:
            response = response.model_copy(update={"output": self._snapshot.output})
        self._snapshot = response

    def _output(self, event: ev.ResponseStreamEvent) -> None:
        match event:
            case ev.OutputItemAddedEvent() | ev.OutputItemDoneEvent():
                self._put_item(event.output_index, event.item)
            case ev.ContentPartAddedEvent():
                self._add_part(event)
            case ev.OutputTextAnnotationAddedEvent():
                self._add_annotation(event)
            case ev.ReasoningSummaryPartAddedEvent():
                self._reasoning_summary(event)
            case _:
                pass

    def _item(self, index: int) -> Any:
        output = self._snapshot.output if self._snapshot is not None else []
        return output[index] if 0 <= index < len(output) else None

    def _put_item(self, index: int, item: Any) -> None:
        assert self._snapshot is not None
        output = self._snapshot.output
        if index < len(output):
            output[index] = item.model_copy(deep=True)
        else:
            output.append(item.model_copy(deep=True))

    def _item_sink(self, event: Any, field: str) -> list[str] | None:
        item = self._item(event.output_index)
        if item is not None and isinstance(getattr(item, field, None), (str, type(None))):
            return self._pieces(item, field)
        return None

    def _add_part(self, event: ev.ContentPartAddedEvent) -> None:
        item = self._item(event.output_index)
        if isinstance(item, (MessageItem, ReasoningItem)):
            content = item.content if isinstance(item.content, list) else []
            content.append(event.part.model_copy(deep=True))  # type: ignore[arg-type]
            item.content = content

    def _part(self, event: Any) -> Any:
        item = self._item(event.output_index)
        content = getattr(item, "content", None)
        if isinstance(content, list) and 0 <= event.content_index < len(content):
            return content[event.content_index]
        return None

    def _part_sink(self, event: Any, kind: type[Any], field: str) -> list[str] | None:
        if isinstance(event, ev.ReasoningSummaryTextDeltaEvent):
            part = self._summary_part(event)
        else:
            part = self._part(event)
        if isinstance(part, kind) and isinstance(getattr(part, field, None), str):
            return self._pieces(part, field)
        return None

    def _add_annotation(self, event: ev.OutputTextAnnotationAddedEvent) -> None:
        part = self._part(event)
        if isinstance(part, OutputTextPart) and event.annotation is not None:
            part.annotations.append(event.annotation)

    def _reasoning_summary(self, event: ev.ReasoningSummaryPartAddedEvent) -> None:
        item = self._item(event.output_index)
        if isinstance(item, ReasoningItem):
            item.summary.append(event.part.model_copy(deep=True))

    def _summary_part(self, event: ev.ReasoningSummaryTextDeltaEvent) -> Any:
        item = self._item(event.output_index)
        if isinstance(item, ReasoningItem) and 0 <= event.summary_index < len(item.summary):
            return item.summary[event.summary_index]
        return None
