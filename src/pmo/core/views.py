"""The error pages: 400, 403, 404 and 500 in the site's layout, and JSON under ``/api/``.

Django's own error pages are bare English text ("403 Forbidden") without the top bar, so a
viewer who follows a link to a page for the PMO lands on a dead end. These handlers
(``handler400`` ... ``handler500`` in :mod:`pmo.config.urls`) render the site's templates in
the user's language; for ``/api/`` paths they answer in the API's error format
(``{"detail": ..., "errors": []}``) so clients never have to parse HTML.
"""

from __future__ import annotations

import sys

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from pmo.core.sentences import join_sentences

__all__ = [
    "API_PREFIX",
    "bad_request",
    "bad_request_page",
    "form_errors",
    "page_not_found",
    "permission_denied",
    "server_error",
]

API_PREFIX = "/api/"


def _api_error(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request_page(request: HttpRequest, message: str = "", *, status: int = 400) -> HttpResponse:
    """The 400 page naming what is wrong with the request (``message``, already translated)."""
    return render(request, "400.html", {"message": message}, status=status)


def form_errors(form: BaseForm) -> str:
    """A bound form's errors on one line: ``period: Enter a valid value.; year: ...``."""
    lines = []
    for field, messages in form.errors.items():
        text = join_sentences(messages)
        lines.append(text if field == NON_FIELD_ERRORS else f"{field}: {text}")
    return "; ".join(lines)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a request Django refused (a suspicious header, a malformed upload)."""
    if _is_api(request):
        return _api_error("bad request", 400)
    return bad_request_page(request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: the page exists, the signed-in user's role may not use it."""
    reason = str(exception)
    if _is_api(request):
        return _api_error(reason or "permission denied", 403)
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: no such page or object (the exception's text is for logs, not users)."""
    if _is_api(request):
        return _api_error("not found", 404)
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: rendered without the request's context, so it cannot fail the same way.

    No context processors run (no user, no database query); the language is the one the
    request had already switched to. A write that found the database busy (raised outside a
    view, e.g. by a middleware) is the 503 of :func:`pmo.core.busy.busy_response` instead.
    """
    from pmo.core.busy import busy_response, is_database_busy

    exc = sys.exc_info()[1]  # Django calls this handler while handling the exception
    if exc is not None and is_database_busy(exc):
        return busy_response(request, exc)
    if _is_api(request):
        return _api_error("internal server error: the error was logged", 500)
    return HttpResponse(loader.get_template("500.html").render(), status=500)
