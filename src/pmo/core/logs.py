"""Logging of the web requests: a refusal is one line, an error keeps its traceback."""

from __future__ import annotations

import logging

__all__ = ["RefusalsInOneLine"]


class RefusalsInOneLine(logging.Filter):
    """On ``django.request``: a request answered with a 4xx (a page the user may not see, one
    that does not exist, a bad request) is logged as its one line ("Forbidden (Permission
    denied): /resources/requests/"), without the traceback of the exception that answered
    it. Those are the users' mistakes and refusals by design, many a day; a traceback there
    buries the 5xx ones, which keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
