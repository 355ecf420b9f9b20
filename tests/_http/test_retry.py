"""The SDK retry policy (wire reference §7.3): the decision, the server delay and the backoff."""

from __future__ import annotations

import email.utils
import json
import random
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from tenacity import RetryCallState, Retrying, wait_none

from langchain_responses import errors
from langchain_responses._http import retry
from langchain_responses._http.retry import (
    backoff,
    retry_settings,
    retry_wait,
    server_delay,
    should_retry,
)
from langchain_responses._http.status import status_error


def status(
    code: int, headers: Mapping[str, str] | None = None, error_code: str | None = None
) -> errors.APIStatusError:
    """The error the transport raises: headers arrive as (case-insensitive) httpx headers."""
    body = {"error": {"message": "m", "type": "t", "param": None, "code": error_code}}
    return status_error(code, httpx.Headers(headers or {}), json.dumps(body).encode())


def http_date(seconds_from_now: float) -> str:
    when = datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now)
    return email.utils.format_datetime(when, usegmt=True)


def wait_after(exc: BaseException, attempt_number: int) -> float:
    state = RetryCallState(Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = attempt_number
    state.set_exception((type(exc), exc, None))
    return retry_wait(state)


# --------------------------------------------------------------------------- decision table


@pytest.mark.parametrize("code", [408, 409, 429, 500, 502, 503, 504, 520, 599])
def test_transient_statuses_are_retried(code: int) -> None:
    assert should_retry(status(code))


@pytest.mark.parametrize("code", [400, 401, 403, 404, 405, 413, 422, 451])
def test_client_errors_are_not_retried(code: int) -> None:
    assert not should_retry(status(code))


def test_x_should_retry_true_overrides_the_status() -> None:
    assert should_retry(status(400, {"x-should-retry": "true"}))
    assert should_retry(status(404, {"x-should-retry": "true"}))


def test_x_should_retry_false_overrides_the_status() -> None:
    for code in (408, 409, 429, 500, 503):
        assert not should_retry(status(code, {"x-should-retry": "false"})), code


def test_x_should_retry_other_values_fall_back_to_the_status() -> None:
    assert should_retry(status(503, {"x-should-retry": "maybe"}))
    assert not should_retry(status(400, {"x-should-retry": "yes"}))


def test_x_should_retry_header_name_is_case_insensitive() -> None:
    assert not should_retry(status(503, {"X-Should-Retry": "false"}))
    assert should_retry(status(400, {"X-Should-Retry": "true"}))


def test_insufficient_quota_is_not_retried() -> None:
    exc = status(429, error_code="insufficient_quota")

    assert isinstance(exc, errors.QuotaExceededError)
    assert isinstance(exc, errors.RateLimitError)
    assert not should_retry(exc)
    assert should_retry(status(429, error_code="rate_limit_exceeded"))


def test_connection_errors_and_timeouts_are_retried() -> None:
    assert should_retry(errors.APIConnectionError("refused"))
    assert should_retry(errors.APITimeoutError("timed out"))


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("x"),
        errors.MissingAPIKeyError("no key"),
        errors.InvalidRequestError("bad"),
        errors.APIError("not json"),
        errors.IncompleteStreamError("cut"),
        errors.StreamTimeoutError("stalled"),
        errors.StreamEventError("error event"),
        errors.ResponseFailedError("failed"),
    ],
)
def test_other_errors_are_not_retried(exc: BaseException) -> None:
    assert not should_retry(exc)


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "121"},
        {"retry-after": "3600"},
        {"retry-after-ms": "120001"},
        {"retry-after-ms": "121000", "retry-after": "1"},
    ],
)
def test_server_delay_over_120_s_is_not_retried(headers: dict[str, str]) -> None:
    assert not should_retry(status(429, headers))
    assert not should_retry(status(503, headers))
    # Not even when the server says to retry.
    assert not should_retry(status(503, {**headers, "x-should-retry": "true"}))


def test_http_date_over_120_s_is_not_retried() -> None:
    assert not should_retry(status(429, {"retry-after": http_date(600)}))
    assert should_retry(status(429, {"retry-after": http_date(60)}))


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "120"},
        {"retry-after-ms": "120000"},
        {"retry-after": "0"},
        {"retry-after": "-5"},
        {"retry-after": "soon"},
        {"retry-after": "inf"},
        {"retry-after": "nan"},
    ],
)
def test_short_missing_or_unusable_delays_keep_the_status_rule(headers: dict[str, str]) -> None:
    assert should_retry(status(429, headers))
    assert not should_retry(status(400, headers))


# --------------------------------------------------------------------------- server delay


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "0.3"}, 0.3),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "1500.5"}, 1.5005),
        ({"retry-after-ms": "250", "retry-after": "7"}, 0.25),
        ({"retry-after-ms": "later", "retry-after": "7"}, 7.0),
        ({"retry-after-ms": "later"}, None),
        ({"retry-after": "garbage"}, None),
        ({"retry-after": ""}, None),
    ],
)
def test_server_delay_parsing(headers: dict[str, str], expected: float | None) -> None:
    delay = server_delay(headers)
    if expected is None:
        assert delay is None
    else:
        assert delay == pytest.approx(expected)


def test_server_delay_from_http_date() -> None:
    delay = server_delay({"retry-after": http_date(30)})
    assert delay is not None
    assert 28 <= delay <= 31

    past = server_delay({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert past is not None
    assert past < 0


def test_server_delay_reads_httpx_style_case_insensitive_headers() -> None:
    exc = status(429, {"Retry-After-Ms": "40"})
    assert server_delay(exc.headers) == pytest.approx(0.04)


# --------------------------------------------------------------------------- backoff


@pytest.mark.parametrize(
    ("retries_taken", "low", "high"),
    [(0, 0.375, 0.5), (1, 0.75, 1.0), (2, 1.5, 2.0), (3, 3.0, 4.0), (4, 6.0, 8.0), (9, 6.0, 8.0)],
)
def test_backoff_ranges(retries_taken: int, low: float, high: float) -> None:
    samples = [backoff(retries_taken) for _ in range(400)]

    assert all(low <= s <= high for s in samples)
    # The jitter really spreads over the range (only shortens, by up to 25 %).
    assert min(samples) < low + (high - low) * 0.25
    assert max(samples) > high - (high - low) * 0.25


def test_backoff_bounds_at_extreme_random_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry.random, "random", lambda: 0.0)
    assert backoff(0) == 0.5
    assert backoff(5) == 8.0
    monkeypatch.setattr(retry.random, "random", lambda: 0.999999)
    assert backoff(0) == pytest.approx(0.375, abs=1e-5)
    assert backoff(5) == pytest.approx(6.0, abs=1e-4)


def test_wait_uses_the_server_delay_exactly() -> None:
    assert wait_after(status(429, {"retry-after": "0.3"}), 1) == pytest.approx(0.3)
    assert wait_after(status(429, {"retry-after-ms": "20"}), 3) == pytest.approx(0.02)
    assert wait_after(status(503, {"retry-after": "120"}), 1) == pytest.approx(120.0)
    assert wait_after(status(503, {"retry-after": http_date(30)}), 1) == pytest.approx(30, abs=2)


@pytest.mark.parametrize(
    "headers", [{}, {"retry-after": "0"}, {"retry-after": "-1"}, {"retry-after": "x"}]
)
def test_wait_falls_back_to_backoff_by_retries_taken(headers: dict[str, str]) -> None:
    exc = status(503, headers)
    random.seed(1)

    assert 0.375 <= wait_after(exc, 1) <= 0.5
    assert 0.75 <= wait_after(exc, 2) <= 1.0
    assert 1.5 <= wait_after(exc, 3) <= 2.0


def test_wait_after_a_connection_error_is_backoff() -> None:
    assert 0.375 <= wait_after(errors.APIConnectionError("x"), 1) <= 0.5
    assert 3.0 <= wait_after(errors.APITimeoutError("x"), 4) <= 4.0


# --------------------------------------------------------------------------- the loop


def run(max_retries: int, failures: list[BaseException]) -> tuple[int, object]:
    calls = 0

    def attempt() -> str:
        nonlocal calls
        calls += 1
        if failures:
            raise failures.pop(0)
        return "ok"

    settings = {**retry_settings(max_retries), "wait": wait_none()}
    try:
        result: object = Retrying(**settings)(attempt)
    except Exception as exc:  # the test inspects what escaped
        result = exc
    return calls, result


def test_loop_makes_max_retries_plus_one_attempts() -> None:
    calls, result = run(2, [status(500), status(500), status(500), status(500)])

    assert calls == 3
    assert isinstance(result, errors.InternalServerError)


def test_loop_succeeds_after_transient_failures() -> None:
    calls, result = run(2, [status(503), errors.APIConnectionError("x")])
    assert (calls, result) == (3, "ok")


def test_loop_with_zero_retries_tries_once() -> None:
    calls, result = run(0, [status(503)])
    assert calls == 1
    assert isinstance(result, errors.InternalServerError)


def test_loop_stops_at_the_first_non_retryable_error() -> None:
    calls, result = run(5, [status(503), status(400), status(503)])
    assert calls == 2
    assert isinstance(result, errors.BadRequestError)


def test_settings_reraise_the_original_error() -> None:
    assert retry_settings(3)["reraise"] is True
