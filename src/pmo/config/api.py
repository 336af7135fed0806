"""The one ``NinjaAPI`` at ``/api/v1/``: authentication and the mapping of errors to HTTP."""

from __future__ import annotations

import logging
import re
from typing import Any

from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, RawPostDataException
from django.utils.translation import gettext, gettext_lazy, pgettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from pmo.accounts.api import router as accounts_router
from pmo.accounts.services import authenticate_token
from pmo.core.api import known_query_only
from pmo.core.busy import busy_response, is_database_busy
from pmo.core.errors import DomainError
from pmo.core.models import MAX_ID
from pmo.dependencies.api import router as dependencies_router
from pmo.governance.api import router as governance_router
from pmo.interop.api import router as interop_router
from pmo.portfolio.api import router as portfolio_router
from pmo.reports.api import router as reports_router
from pmo.resources.api import router as resources_router
from pmo.scheduling.api import router as scheduling_router

logger = logging.getLogger(__name__)


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``pmo token create``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """The web UI's session. Its CSRF check runs only for a signed-in session: a request with
    neither a valid token nor a session is told to sign in (401), not that CSRF failed (403),
    which misled API clients whose token had expired."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "one readable line"},
        "errors": {
            "type": "array",
            "description": "each field at fault with its message (empty when none is)",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "current_version": {"type": "integer", "description": "on a 409 version clash"},
    },
}


class PmoAPI(NinjaAPI):
    """The API whose OpenAPI document also describes its errors: every operation may answer
    a 4xx with :data:`ERROR_SCHEMA` (django-ninja documents only the success codes)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        answer = {
            "description": "bad input (400, 422), not signed in (401), not allowed (403), "
            "not found (404), a stale version or a state that forbids it (409), too large "
            "(413)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", answer)
        return schema


api = PmoAPI(
    title="PMO Hub API",
    version="1",
    description=(
        "Portfolio status center: projects, status reports, RAID log, org units, people; "
        "the one-page steering report; schedules: plans, tasks, links, baselines, MS Project "
        "and XLSX import/export; stage-gate governance: lifecycle templates, gate reviews, "
        "conditions, the gate calendar, steering meetings; dependencies between projects, "
        "impact analysis and change requests; capacity planning: resources, capacity, "
        "allocations, what-if scenarios, leveling runs, the demand-against-capacity heat map. "
        "Sign in with the web session or `Authorization: Bearer <token>` (`pmo token create "
        "USERNAME`). Lists are paged (`page`, `page_size` up to 500); updates carry the "
        "`version` read "
        '(409 on a stale one); errors are `{"detail", "errors": [{"field", '
        '"message"}]}` with a 4xx. [Back to PMO Hub](/)'
    ),
    auth=[BearerAuth(), SignedInSession()],
    urls_namespace="api",
)

NOT_JSON = gettext_lazy("the request body is not valid JSON")

_LOCATION_PREFIXES = {"body", "query", "path", "form", "payload", "filters", "data"}


def _field_of(loc: list[Any]) -> str:
    # pydantic names the member of a union it tried ("str-enum[PmoType]"): not a field
    parts = [str(p) for p in loc if not ("[" in str(p) and str(p).endswith("]"))]
    while parts and parts[0] in _LOCATION_PREFIXES:
        parts.pop(0)
    if len(parts) > 1 and parts[0] == "file":  # multipart files: ["file", <parameter>]
        parts.pop(0)
    return ".".join(parts) or "body"


def _choices(expected: str) -> str:
    """pydantic's "'green', 'amber' or 'red'" in the request's language."""
    names = [n.strip() for n in re.split(r", | or ", expected) if n.strip()]
    return pgettext("list separator", ", ").join(names)


#: pydantic's error types people meet, as sentences in the request's language (the others
#: keep pydantic's English text); ``ctx`` fills the placeholders.
_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("is required"),
    "literal_error": gettext_lazy("must be one of %(expected)s"),
    "enum": gettext_lazy("must be one of %(expected)s"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_type": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "float_parsing": gettext_lazy("must be a number"),
    "float_type": gettext_lazy("must be a number"),
    "decimal_parsing": gettext_lazy("must be a number"),
    "decimal_type": gettext_lazy("must be a number"),
    "decimal_max_places": gettext_lazy("may have at most %(decimal_places)s decimal places"),
    "decimal_max_digits": gettext_lazy("may have at most %(max_digits)s digits"),
    "decimal_whole_digits": gettext_lazy(
        "may have at most %(whole_digits)s digits before the decimal point"
    ),
    "finite_number": gettext_lazy("must be a finite number (not NaN or infinity)"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "bool_type": gettext_lazy("must be true or false"),
    "string_type": gettext_lazy("must be text"),
    "greater_than_equal": gettext_lazy("must be %(ge)s or more"),
    "greater_than": gettext_lazy("must be more than %(gt)s"),
    "less_than_equal": gettext_lazy("must be %(le)s or less"),
    "less_than": gettext_lazy("must be less than %(lt)s"),
    "string_too_short": gettext_lazy("must have at least %(min_length)s characters"),
    "string_too_long": gettext_lazy("may have at most %(max_length)s characters"),
    "too_short": gettext_lazy("must have at least %(min_length)s items"),
    "too_long": gettext_lazy("may have at most %(max_length)s items"),
    "date_parsing": gettext_lazy("must be a date such as 2026-03-02"),
    "date_from_datetime_parsing": gettext_lazy("must be a date such as 2026-03-02"),
    "date_type": gettext_lazy("must be a date such as 2026-03-02"),
    "datetime_parsing": gettext_lazy("must be a date and time such as 2026-03-02T08:00:00"),
    "datetime_from_date_parsing": gettext_lazy(
        "must be a date and time such as 2026-03-02T08:00:00"
    ),
    "datetime_type": gettext_lazy("must be a date and time such as 2026-03-02T08:00:00"),
    "list_type": gettext_lazy("must be a list"),
    "dict_type": gettext_lazy("must be an object"),
    "model_type": gettext_lazy("must be an object"),
    "model_attributes_type": gettext_lazy("must be an object"),
    "extra_forbidden": gettext_lazy("is not a field of this request (unknown or read-only)"),
}


def _message(error: dict[str, Any], field: str) -> str:
    """One pydantic error as a sentence in the request's language."""
    kind = error.get("type")
    if kind == "json_invalid" or (field == "body" and "JSON" in str(error.get("msg", ""))):
        return str(NOT_JSON)
    ctx = dict(error.get("ctx") or {})
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return gettext("must not be empty")
    if kind in _MESSAGES:
        if "expected" in ctx:
            ctx["expected"] = _choices(str(ctx["expected"]))
        try:
            return str(_MESSAGES[kind]) % ctx
        except (KeyError, TypeError, ValueError):
            pass  # a context this sentence does not fit: pydantic's own text
    # pydantic prefixes a validator's own sentence ("Value error, enter a date from ...")
    return str(error.get("msg", gettext("invalid value"))).removeprefix("Value error, ")


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: list[dict[str, str]] = []
    for error in exc.errors:
        field = _field_of(list(error.get("loc", [])))
        message = _message(error, field)
        same = next((e for e in errors if e["field"] == field), None)
        if same is None:
            errors.append({"field": field, "message": message})
        elif message not in same["message"]:  # another member of a union: one line per field
            same["message"] += pgettext("alternatives", " or ") + message
    separator = pgettext("list of problems", "; ")
    detail = separator.join(f"{e['field']}: {e['message']}" for e in errors) or gettext(
        "invalid input"
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = gettext("authentication required: sign in or send 'Authorization: Bearer <token>'")
    return api.create_response(request, {"detail": message, "errors": []}, status=401)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.payload(), status=exc.status_code)


def _not_json(request: HttpRequest) -> HttpResponse:
    """The 422 naming ``body`` for a body that is no JSON."""
    message = str(NOT_JSON)
    return api.create_response(
        request,
        {"detail": f"body: {message}", "errors": [{"field": "body", "message": message}]},
        status=422,
    )


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        # django-ninja's own answer to a body that is no JSON at all (cut off, not UTF-8,
        # form-encoded): the same 422 naming ``body`` as JSON that does not parse
        return _not_json(request)
    return api.create_response(request, {"detail": str(exc), "errors": []}, status=exc.status_code)


@api.exception_handler(RawPostDataException)
def _form_data(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A multipart form sent to an operation that reads JSON: the NUL check
    # (``RejectNulMiddleware``) has already read the form's fields from the stream, so the raw
    # body is gone; it was no JSON anyway.
    return _not_json(request)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(exc) or "not found", "errors": []}, status=404
    )


@api.exception_handler(OverflowError)
def _out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # A number too large for the database or for a date (``?resource_id=10**30`` fails in
    # SQLite's driver, ``?days=10**30`` in date arithmetic): the request's fault, not ours.
    logger.info("out-of-range number in %s %s: %s", request.method, request.path, exc)
    match = getattr(request, "resolver_match", None)
    for name, value in (match.kwargs if match else {}).items():
        if str(value).lstrip("-").isdigit() and not -MAX_ID <= int(value) <= MAX_ID:
            # an id in the address no database holds: nothing has it (PostgreSQL says so too)
            return api.create_response(
                request,
                {"detail": f"not found: no object has {name} {value}", "errors": []},
                status=404,
            )
    return api.create_response(
        request,
        {"detail": "a number in the request is out of range", "errors": []},
        status=422,
    )


@api.exception_handler(OperationalError)
def _database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    # SQLite's "database is locked" after the busy timeout (a long import holds the lock):
    # 503 with Retry-After, one log line (ADR 0008). Any other database error is a 500.
    if not is_database_busy(exc):
        raise exc
    return busy_response(request, exc)


# Every operation refuses a query parameter it does not read (ADR 0013): a misspelt filter
# must not return the whole list, nor a POST ignore "?dryrun=true" and do the real thing.
api.add_decorator(known_query_only)
api.add_router("/", accounts_router)
api.add_router("/", portfolio_router)
api.add_router("/", reports_router)
api.add_router("/", scheduling_router)
api.add_router("/", interop_router)
api.add_router("/", governance_router)
api.add_router("/", dependencies_router)
api.add_router("/", resources_router)
