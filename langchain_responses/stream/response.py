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

_TERMINAL = (ev.ResponseCompletedEvent, ev.ResponseIncompleteEvent, ev.ResponseFailedEvent)
_LIFECYCLE = (ev.ResponseCreatedEvent, ev.ResponseQueuedEvent, ev.ResponseInProgressEvent)

# Delta events that append to one string field of the item at `output_index`.
_ITEM_DELTAS: dict[type[Any], str] = {
    ev.FunctionCallArgumentsDeltaEvent: "arguments",
    ev.CustomToolCallInputDeltaEvent: "input",
    ev.CodeInterpreterCallCodeDeltaEvent: "code",
    ev.McpCallArgumentsDeltaEvent: "arguments",
}


class ResponseAccumulator:
    """Builds the response snapshot event by event."""

    def __init__(self) -> None:
        self.snapshot: Response | None = None

    def apply(self, event: ev.ResponseStreamEvent) -> None:
        """Fold one event into the snapshot."""
        if isinstance(event, _TERMINAL):
            self._finish(event.response)
        elif isinstance(event, _LIFECYCLE):
            self._lifecycle(event.response)
        elif self.snapshot is not None:
            self._output(event)

    def _lifecycle(self, response: Response) -> None:
        if self.snapshot is None:
            self.snapshot = response.model_copy()
        else:
            self.snapshot.status = response.status

    def _finish(self, response: Response) -> None:
        # Some servers send a terminal response without its output: keep what was streamed.
        if not response.output and self.snapshot is not None and self.snapshot.output:
            response = response.model_copy(update={"output": self.snapshot.output})
        self.snapshot = response

    def _output(self, event: ev.ResponseStreamEvent) -> None:
        field = _ITEM_DELTAS.get(type(event))
        if field is not None:
            self._append_item(event, field)
            return
        match event:
            case ev.OutputItemAddedEvent() | ev.OutputItemDoneEvent():
                self._put_item(event.output_index, event.item)
            case ev.ContentPartAddedEvent():
                self._add_part(event)
            case ev.OutputTextDeltaEvent():
                self._append_part(event, OutputTextPart, "text")
            case ev.RefusalDeltaEvent():
                self._append_part(event, RefusalPart, "refusal")
            case ev.OutputTextAnnotationAddedEvent():
                self._add_annotation(event)
            case ev.ReasoningSummaryPartAddedEvent() | ev.ReasoningSummaryTextDeltaEvent():
                self._reasoning_summary(event)
            case ev.ReasoningTextDeltaEvent():
                self._reasoning_text(event)
            case _:
                pass

    def _item(self, index: int) -> Any:
        output = self.snapshot.output if self.snapshot is not None else []
        return output[index] if 0 <= index < len(output) else None

    def _put_item(self, index: int, item: Any) -> None:
        assert self.snapshot is not None
        output = self.snapshot.output
        if index < len(output):
            output[index] = item.model_copy(deep=True)
        else:
            output.append(item.model_copy(deep=True))

    def _append_item(self, event: Any, field: str) -> None:
        item = self._item(event.output_index)
        if item is not None and isinstance(getattr(item, field, None), (str, type(None))):
            setattr(item, field, (getattr(item, field) or "") + event.delta)

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

    def _append_part(self, event: Any, kind: type[Any], field: str) -> None:
        part = self._part(event)
        if isinstance(part, kind):
            setattr(part, field, getattr(part, field) + event.delta)

    def _add_annotation(self, event: ev.OutputTextAnnotationAddedEvent) -> None:
        part = self._part(event)
        if isinstance(part, OutputTextPart) and event.annotation is not None:
            part.annotations.append(event.annotation)

    def _reasoning_summary(
        self, event: ev.ReasoningSummaryPartAddedEvent | ev.ReasoningSummaryTextDeltaEvent
    ) -> None:
        item = self._item(event.output_index)
        if not isinstance(item, ReasoningItem):
            return
        if isinstance(event, ev.ReasoningSummaryPartAddedEvent):
            item.summary.append(event.part.model_copy(deep=True))
        elif 0 <= event.summary_index < len(item.summary):
            part = item.summary[event.summary_index]
            if hasattr(part, "text"):
                part.text += event.delta

    def _reasoning_text(self, event: ev.ReasoningTextDeltaEvent) -> None:
        part = self._part(event)
        if part is not None and isinstance(getattr(part, "text", None), str):
            part.text += event.delta
