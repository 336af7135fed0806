"""A refused request is one line in the log; a server error keeps its traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client


def test_a_refusal_is_logged_without_its_traceback(
    client: Client, users: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(users["viewer"])  # a viewer reads no capacity: 403
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/resources/requests/").status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /resources/requests/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback() -> None:
    from pmo.core.logs import RefusalsInOneLine

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        failed = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: /x/",
            (),
            sys.exc_info(),
        )
    failed.status_code = 500
    assert RefusalsInOneLine().filter(failed) is True
    assert failed.exc_info is not None and failed.exc_info[0] is RuntimeError
