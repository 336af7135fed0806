"""A busy database: SQLite's "database is locked" after its busy timeout (ADR 0008, "Busy
database").

SQLite has one writer at a time. A long write (a capacity sheet of tens of thousands of rows)
holds the lock for seconds; other writers wait up to the busy timeout
(``settings.SQLITE_BUSY_TIMEOUT_SECONDS``) and then fail with ``OperationalError("database is
locked")``. That is no bug of the request: it answers **503** with ``Retry-After`` (JSON under
``/api/``, the site's error page elsewhere) and one log line, never a 500 with a traceback.
Every other ``OperationalError`` stays a 500.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

__all__ = [
    "BUSY_MESSAGE",
    "RETRIES",
    "RETRY_AFTER_SECONDS",
    "busy_response",
    "is_database_busy",
    "retry_while_busy",
]

logger = logging.getLogger("django.request")
background = logging.getLogger(__name__)
T = TypeVar("T")

# SQLite's SQLITE_BUSY ("database is locked"), SQLITE_LOCKED ("database table is locked", a
# shared cache) and the wording of other drivers for the same condition
_BUSY_TEXTS = ("database is locked", "database table is locked", "database is busy")

RETRY_AFTER_SECONDS = 10  # a long import holds the lock for seconds, not minutes

BUSY_MESSAGE = gettext_noop(
    "the database is busy with another long write (e.g. a capacity import); try again in a moment"
)


def is_database_busy(exc: BaseException | None) -> bool:
    """Whether ``exc`` is a write that found the database locked by another (and gave up
    after the busy timeout); other database errors are not."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(busy in text for busy in _BUSY_TEXTS)


def busy_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 of a request that found the database busy, logged as one line (Django does not
    log it again): the API's JSON error under ``/api/``, else the site's page, rendered
    without the request's context (no context processor queries the busy database)."""
    from pmo.core.views import API_PREFIX

    logger.warning(
        "Service Unavailable (%s): %s %s",
        str(exc).strip(),
        request.method,
        request.path,
        extra={"status_code": 503, "request": request},
    )
    message = _(BUSY_MESSAGE)
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": message, "errors": []}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    mark_logged(response)
    return response


def mark_logged(response: Any) -> None:
    """Tell Django's request logging that this response was logged already."""
    response._has_been_logged = True


RETRIES = 5  # tries of a background write (each waits the busy timeout), about 3 minutes


def retry_while_busy(work: Callable[[], T], *, what: str, tries: int = RETRIES) -> T:
    """``work()``, tried again (after 1, 2, 4 ... s) while it finds the database busy: for
    background work that has no user to ask to try again (a leveling run's claim, its end).
    Each try is short and writes all or nothing, so trying again is safe."""
    from pmo.core.worker import backoff

    for attempt in range(1, tries + 1):
        try:
            return work()
        except OperationalError as exc:
            if not is_database_busy(exc) or attempt == tries:
                raise
            pause = backoff(attempt)
            background.warning("%s: database busy, trying again in %.0f s", what, pause)
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover
