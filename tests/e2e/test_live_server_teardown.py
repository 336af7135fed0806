"""The browser tests' teardown waits for the live server's running requests: one answered
while the test's database was flushed failed that test and the next."""

from __future__ import annotations

import threading
import time
import urllib.request
from typing import Any

import pytest
from django.core.signals import request_started

from tests.e2e import conftest

pytestmark = pytest.mark.e2e


def test_the_wait_lasts_until_a_running_request_has_been_answered(live_server: Any) -> None:
    answered: list[int] = []

    def slow(sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
        if (environ or {}).get("HTTP_X_TEST_SLOW"):
            time.sleep(1)

    def fetch() -> None:
        ask = urllib.request.Request(f"{live_server.url}/accounts/login/")
        ask.add_header("X-Test-Slow", "1")
        with urllib.request.urlopen(ask, timeout=60) as answer:
            answered.append(answer.status)

    request_started.connect(slow, weak=False, dispatch_uid="e2e-test-slow")
    try:
        client = threading.Thread(target=fetch)
        client.start()
        deadline = time.monotonic() + 30
        while not conftest._RUNNING and time.monotonic() < deadline:
            time.sleep(0.01)
        assert conftest._RUNNING, "the request never started"
        started = time.monotonic()
        conftest._wait_for_the_requests_running()
        assert not conftest._RUNNING
        assert time.monotonic() - started > 0.5  # it waited for the sleeping request
        client.join(timeout=30)
        assert answered == [200]
    finally:
        request_started.disconnect(dispatch_uid="e2e-test-slow")


def test_a_request_that_never_ends_fails_the_test_by_name(monkeypatch: Any) -> None:
    monkeypatch.setattr(conftest, "IDLE_WAIT_S", 0.3)
    conftest._RUNNING[-1] = "/stuck/"  # not monkeypatched: the teardown's own wait runs first
    try:
        with pytest.raises(pytest.fail.Exception, match="/stuck/"):
            conftest._wait_for_the_requests_running()
    finally:
        del conftest._RUNNING[-1]
