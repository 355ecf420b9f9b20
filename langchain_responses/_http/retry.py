"""The retry policy of the official SDK, expressed as tenacity settings.

See docs/guides/errors.md. One decision (`should_retry`) and one wait (`retry_wait`) serve both the
sync and the async loop.
"""

from __future__ import annotations

import email.utils
import logging
import math
import random
import time
from collections.abc import Mapping
from typing import Any

from tenacity import RetryCallState, retry_if_exception, stop_after_attempt

from langchain_responses import errors

logger = logging.getLogger("langchain_responses")

MAX_SERVER_DELAY = 120.0
"""A server asking for a longer pause than this is not retried at all (SDK rule)."""

INITIAL_DELAY = 0.5
MAX_DELAY = 8.0
_RETRIED_STATUSES = frozenset({408, 409, 429})


def server_delay(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, then ``retry-after``."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return float(raw) * scale
        except ValueError:
            if name == "retry-after":
                return _http_date_delay(raw)
    return None


def _http_date_delay(raw: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return parsed.timestamp() - time.time()


def should_retry(exc: BaseException) -> bool:
    """Whether a failed attempt may be tried again."""
    if isinstance(exc, errors.APIConnectionError):
        return True
    if not isinstance(exc, errors.APIStatusError):
        return False
    delay = server_delay(exc.headers)
    if delay is not None and math.isfinite(delay) and delay > MAX_SERVER_DELAY:
        return False
    verdict = exc.headers.get("x-should-retry")
    if verdict == "true":
        return True
    if verdict == "false" or isinstance(exc, errors.QuotaExceededError):
        return False
    return exc.status in _RETRIED_STATUSES or exc.status >= 500


def backoff(retries_taken: int) -> float:
    """Exponential backoff with up to 25 % jitter: 0.5 s, 1 s, 2 s, 4 s, then 8 s."""
    delay = min(INITIAL_DELAY * 2.0**retries_taken, MAX_DELAY)
    return delay * (1.0 - 0.25 * random.random())


def retry_wait(state: RetryCallState) -> float:
    """Seconds to sleep before the next attempt."""
    exc = state.outcome.exception() if state.outcome is not None else None
    delay = server_delay(exc.headers) if isinstance(exc, errors.APIStatusError) else None
    if delay is None or not 0 < delay <= MAX_SERVER_DELAY:
        delay = backoff(state.attempt_number - 1)
    return delay


def log_retry(state: RetryCallState) -> None:
    """Log each retry that really happens (tenacity computes waits before its stop check)."""
    exc = state.outcome.exception() if state.outcome is not None else None
    sleep = state.next_action.sleep if state.next_action is not None else 0.0
    logger.info("Retrying in %.2f s (attempt %d failed: %s)", sleep, state.attempt_number, exc)


def retry_settings(max_retries: int) -> dict[str, Any]:
    """Keyword arguments for ``tenacity.Retrying`` / ``AsyncRetrying``."""
    return {
        "stop": stop_after_attempt(max_retries + 1),
        "wait": retry_wait,
        "retry": retry_if_exception(should_retry),
        "reraise": True,
        "before_sleep": log_retry,
    }
