"""Book-keeping of streamed content blocks (sans-I/O).

Streamed chunks merge with LangChain's rules: blocks with the same ``index`` merge, strings
concatenate, lists of indexed dicts merge element by element. When an item is done we compare
what was streamed with the item's final blocks and send only what is missing, so the merged
stream always equals the non-streamed message, even when a server skips some deltas.
"""

from __future__ import annotations

from typing import Any

JsonObject = dict[str, Any]
_KEEP_FIRST = frozenset({"type", "id", "index"})


class SentBlock:
    """What was streamed of one block so far, merged as LangChain merges its pieces.

    String fields grow as lists of pieces, joined once by ``merged``: a block streamed in
    100k deltas costs one list append per delta, not one dict kept per delta until the end.
    """

    __slots__ = ("_lists", "_merged", "_strings")

    def __init__(self) -> None:
        self._merged: JsonObject = {}
        self._strings: dict[str, list[str]] = {}
        self._lists: dict[str, list[Any]] = {}

    def add(self, block: JsonObject) -> None:
        """Merge one more piece of the block."""
        merged = self._merged
        for key, value in block.items():
            if isinstance(value, str) and key not in _KEEP_FIRST:
                self.pieces(key).append(value)
            elif isinstance(value, list):
                self._lists.setdefault(key, []).extend(value)
                merged.setdefault(key, [])
            elif key not in merged or merged[key] is None:
                merged[key] = value

    def pieces(self, key: str) -> list[str]:
        """The string pieces of ``key`` so far (to append a delta to: the hot path).

        Appending is the same as ``add`` of a piece with only that delta, once the block's
        ``type`` and ``index`` were added.
        """
        pieces = self._strings.get(key)
        if pieces is None:
            pieces = self._strings[key] = []
            self._merged.setdefault(key, "")
        return pieces

    def merged(self) -> JsonObject:
        """The block as the merged pieces show it."""
        merged = dict(self._merged)
        for key, pieces in self._strings.items():
            merged[key] = "".join(pieces)
        for key, values in self._lists.items():
            merged[key] = merge_list(values)
        return merged


def merge_blocks(blocks: list[JsonObject]) -> JsonObject:
    """Merge the pieces of one block as LangChain would (strings joined once, not per piece)."""
    sent = SentBlock()
    for block in blocks:
        sent.add(block)
    return sent.merged()


def merge_list(values: list[Any]) -> list[Any]:
    """Elements with an int ``index`` merge with their earlier namesake; others are appended."""
    out: list[Any] = []
    groups: dict[int, list[JsonObject]] = {}
    for value in values:
        if isinstance(value, dict) and isinstance(value.get("index"), int):
            group = groups.get(value["index"])
            if group is None:
                groups[value["index"]] = group = []
                out.append(group)
            group.append(value)
        else:
            out.append(value)
    return [merge_blocks(item) if isinstance(item, list) else item for item in out]


def missing(emitted: JsonObject, final: JsonObject) -> JsonObject:
    """What must still be sent so ``emitted`` merges into ``final``."""
    out: JsonObject = {}
    for key, value in final.items():
        if key not in emitted or (emitted[key] is None and value is not None):
            out[key] = value
            continue
        sent = emitted[key]
        if isinstance(value, str) and isinstance(sent, str):
            if value != sent and value.startswith(sent):
                out[key] = value[len(sent) :]
        elif isinstance(value, list) and isinstance(sent, list):
            rest = _missing_list(sent, value)
            if rest:
                out[key] = rest
    return out


def _missing_list(sent: list[Any], final: list[Any]) -> list[Any]:
    by_index = {
        item["index"]: item
        for item in sent
        if isinstance(item, dict) and isinstance(item.get("index"), int)
    }
    plain = [item for item in sent if not (isinstance(item, dict) and "index" in item)]
    out: list[Any] = []
    unindexed = 0
    for item in final:
        if isinstance(item, dict) and isinstance(item.get("index"), int):
            before = by_index.get(item["index"])
            if before is None:
                out.append(item)
            elif rest := missing(before, item):
                out.append({**rest, "index": item["index"]})
        else:
            if unindexed >= len(plain):
                out.append(item)
            unindexed += 1
    return out
