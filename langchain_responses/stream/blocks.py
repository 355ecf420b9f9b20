"""Book-keeping of streamed content blocks (sans-I/O).

Streamed chunks merge with LangChain's rules: blocks with the same ``index`` merge, strings
concatenate, lists of indexed dicts merge element by element. When an item is done we compare
what was streamed with the item's final blocks and send only what is missing, so the merged
stream always equals the non-streamed message, even when a server skips some deltas.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

JsonObject = dict[str, Any]
_KEEP_FIRST = frozenset({"type", "id", "index"})


def merge_blocks(blocks: list[JsonObject]) -> JsonObject:
    """Merge the pieces of one block as LangChain would (strings joined once, not per piece)."""
    merged: JsonObject = {}
    strings: dict[str, list[str]] = defaultdict(list)
    lists: dict[str, list[Any]] = defaultdict(list)
    for block in blocks:
        for key, value in block.items():
            if isinstance(value, str) and key not in _KEEP_FIRST:
                strings[key].append(value)
                merged.setdefault(key, "")
            elif isinstance(value, list):
                lists[key].extend(value)
                merged.setdefault(key, [])
            elif key not in merged or merged[key] is None:
                merged[key] = value
    for key, pieces in strings.items():
        merged[key] = "".join(pieces)
    for key, values in lists.items():
        merged[key] = merge_list(values)
    return merged


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
