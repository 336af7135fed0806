"""Bad input the views cannot see coming: NUL characters, numbers and dates out of range, and
a page opened that only takes a form's submission."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.core.busy import busy_response, is_database_busy
from pmo.core.errors import FieldError
from pmo.core.views import API_PREFIX, bad_request_page

logger = logging.getLogger(__name__)

NUL = "\x00"
MESSAGE = gettext_noop("text must not contain NUL (0x00) characters")


def _nul_fields(value: Any) -> Iterator[str]:
    """Where a parsed JSON value holds a NUL character (``items.2.name``), keys included.

    Iterative: a JSON document nested as deep as the parser allows must not exhaust the stack.
    """
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                yield path or "body"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                here = f"{path}.{key}" if path else str(key)
                if NUL in str(key):
                    yield here
                stack.append((here, child))
        elif isinstance(item, list):
            for index in range(len(item) - 1, -1, -1):
                stack.append((f"{path}.{index}" if path else str(index), item[index]))


class RejectNulMiddleware:
    """A NUL character in a query parameter, a form field or a JSON body is a 422 (API) or a
    400 (pages) naming the field.

    PostgreSQL cannot store or even compare text with NUL characters, so ``?q=a%00b`` or a
    ``PATCH`` with ``"skills": "a\\u0000b"`` failed there with a 500 (SQLite stores them).
    Django's form fields already refuse NUL; the API's schemas and the views that read
    ``request.POST`` directly do not. Uploaded files (binary, NUL bytes and all) are not looked
    at, only a multipart body's text fields.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            field = self._first_nul_field(request)
        except MultiPartParserError as exc:  # e.g. a multipart body without a boundary
            reason = gettext_noop("the form data cannot be read")
            return self._refuse(request, "body", reason, 400, detail=str(exc))
        if field is None:
            return self.get_response(request)
        return self._refuse(request, field, MESSAGE, 422)

    @staticmethod
    def _refuse(
        request: HttpRequest, field: str, message: str, status: int, *, detail: str = ""
    ) -> HttpResponse:
        """The API's error body (``DomainError.payload``) or the 400 page, in the user's language.

        This middleware runs before the language is chosen (it must see the raw request first),
        so it picks it here the way ``LocaleMiddleware`` would (an API client by its
        ``Accept-Language``). The parser's ``detail`` stays as it is.
        """
        suffix = f" ({detail})" if detail else ""
        with translation.override(translation.get_language_from_request(request)):
            if request.path.startswith(API_PREFIX):
                body = FieldError(field, _(message) + suffix).payload()
                return JsonResponse(body, status=status)
            return bad_request_page(request, f"{field}: {_(message)}{suffix}")

    @staticmethod
    def _first_nul_field(request: HttpRequest) -> str | None:
        if NUL in request.path:
            return "path"
        for key, values in request.GET.lists():
            if NUL in key or any(NUL in v for v in values):
                return key
        content_type = request.content_type or ""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key, values in request.POST.lists():  # the text fields, not the files
                if NUL in key or any(NUL in v for v in values):
                    return key
        elif content_type == "application/json" and b"\\u0000" in request.body:
            try:
                parsed = json.loads(request.body)
            except (ValueError, RecursionError):
                return None  # not JSON, or nested too deep to read: the view says so
            return next(_nul_fields(parsed), None)
        return None


class OutOfRangeMiddleware:
    """A page whose input overflows (a date in year 9999 plus a month, an id of 10**25 that
    SQLite cannot bind) answers 400 naming the problem instead of a 500.

    The counterpart of the API's ``OverflowError`` handler (``config.api``); views still bound
    what they can (``pmo.core.models.as_id``), this catches what slips through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OverflowError):
            return None
        logger.warning("out-of-range input on %s", request.get_full_path(), exc_info=exception)
        return bad_request_page(request, _("A number or date in the request is out of range."))


class DatabaseBusyMiddleware:
    """A page whose write found the database busy (SQLite's "database is locked" after the
    busy timeout, e.g. during a big capacity import) answers 503 with ``Retry-After`` and
    the site's page saying so, logged as one line, instead of a 500 (ADR 0008, "Busy
    database"). Other database errors stay 500s."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        return busy_response(request, exception)


class MethodNotAllowedPageMiddleware:
    """A page address that only takes a form's POST, opened in the browser (a bookmark, a
    typed URL), answers with the site's error page in the user's language instead of the
    browser's bare "HTTP ERROR 405"; the status and the ``Allow`` header stay. Under ``/api/``
    the answer is the API's JSON error, as for 400-500 (ADR 0010)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405:
            return response
        if request.path.startswith(API_PREFIX):
            if response.get("Content-Type", "").startswith("application/json"):
                return response
            answer: HttpResponse = JsonResponse(
                {
                    "detail": _("method %(method)s not allowed") % {"method": request.method},
                    "errors": [],
                },
                status=405,
            )
        elif isinstance(response, HttpResponseNotAllowed) and not response.content:
            answer = render(request, "405.html", {"request_path": request.path}, status=405)
        else:
            return response
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
