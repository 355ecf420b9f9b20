"""Client-side ``stop`` sequences (the Responses API has none), sans-I/O.

Text is held back only as long as it could still be the start of a stop sequence, so tokens
flow with at most ``len(longest stop) - 1`` characters of delay.
"""

from __future__ import annotations

from collections.abc import Sequence


def cut_at_stop(text: str, stop: Sequence[str]) -> tuple[str, bool]:
    """``text`` up to the first stop sequence, and whether one was found."""
    positions = [pos for seq in stop if seq and (pos := text.find(seq)) >= 0]
    return (text[: min(positions)], True) if positions else (text, False)


class StopFilter:
    """Feed text deltas; get back what may be shown, until a stop sequence appears."""

    def __init__(self, stop: Sequence[str]) -> None:
        self.stop = [seq for seq in stop if seq]
        self._hold = ""
        self.stopped = False

    def feed(self, delta: str) -> str:
        """The part of ``delta`` (plus held text) that is safe to emit now."""
        if self.stopped:
            return ""
        text = self._hold + delta
        cut, found = cut_at_stop(text, self.stop)
        if found:
            self.stopped, self._hold = True, ""
            return cut
        keep = self._partial_suffix(text)
        self._hold = text[len(text) - keep :] if keep else ""
        return text[: len(text) - keep]

    def flush(self) -> str:
        """End of text: release what was held back."""
        held, self._hold = self._hold, ""
        return "" if self.stopped else held

    def _partial_suffix(self, text: str) -> int:
        """Length of the longest suffix of ``text`` that starts some stop sequence."""
        best = 0
        for seq in self.stop:
            for size in range(min(len(seq) - 1, len(text)), best, -1):
                if seq.startswith(text[-size:]):
                    best = size
                    break
        return best
