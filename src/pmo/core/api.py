"""Pieces every app's API shares: bounded ids and dates, and the page-number pagination of
every list."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, ConfigDict, WithJsonSchema, create_model

from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError, ValidationFailed
from pmo.core.models import MAX_ID

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "Body",
    "Converted",
    "Date",
    "DateTime",
    "Id",
    "Pages",
    "PlanTime",
    "Version",
    "VersionParam",
    "known_query_only",
    "refuse_body",
]

Row = TypeVar("Row")

Id = Annotated[int, Field(ge=0, le=MAX_ID)]
"""A key in a query parameter or body: a larger number is a 422 naming the parameter (SQLite's
driver cannot bind it and would fail with a 500 when the query runs)."""


def _in_range(value: Any) -> Any:
    problem = date_out_of_range(value)
    if problem:
        raise ValueError(problem)
    return value


class Body(Schema):
    """A request body: a key it does not know is a 422 naming the key, because a misspelt
    field ("priorty") or a read-only one sent back must not look as if it was saved."""

    model_config = ConfigDict(extra="forbid")


Version = Annotated[
    int,
    Field(ge=1, le=MAX_ID, strict=True, description="the version you read; a stale one gets 409"),
]
"""A row version in a body: a whole number from 1 (``true``, ``"3"`` or ``-3`` is a 422
naming ``version``, not a 409 about a version nobody had)."""

VersionParam = Annotated[
    int, Field(ge=1, le=MAX_ID, description="the version you read; a stale one gets 409")
]
"""A row version in a query string (``DELETE ...?version=3``): a whole number from 1."""

Date = Annotated[dt.date, AfterValidator(_in_range)]
"""A date in a body or query parameter: outside :mod:`pmo.core.dates`' range it is a 422
naming the field."""

_PLAN_TIME_SCHEMA = {
    "type": "string",
    "format": "date-time-local",
    "description": "a wall-clock time of the plan's calendar, without a zone",
    "example": "2026-03-02T08:00:00",
}


def _wall_clock(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        raise ValueError(
            _(
                "a plan time is the wall-clock time of the plan's calendar: give it without "
                "a zone, as 2026-03-02T08:00:00"
            )
        )
    return value


PlanTime = Annotated[dt.datetime, WithJsonSchema(_PLAN_TIME_SCHEMA)]
"""A time of a plan in a response: the wall-clock time of the plan's own calendar, with no
zone (a plan's 08:00 is 08:00 wherever it is read). Documented as OpenAPI's
``date-time-local`` (RFC 3339 without the offset), not ``date-time``, which requires one."""

DateTime = Annotated[
    dt.datetime,
    AfterValidator(_wall_clock),
    AfterValidator(_in_range),
    WithJsonSchema(_PLAN_TIME_SCHEMA),
]
"""A plan time in a body, bounded by its date as :data:`Date`; one with a zone is a 422 (it
was converted to UTC before, which moved a constraint of 08:00+08:00 to midnight)."""

MAX_PAGE = 1_000_000
"""The highest page number accepted. Larger numbers would make offsets the databases cannot
hold (SQLite fails on offsets above 2**63 with a 500); no list here has that many pages."""

MAX_PAGE_SIZE: int = ninja_settings.PAGINATION_MAX_PER_PAGE_SIZE
"""The most rows a page of any list gives (``NINJA_MAX_PER_PAGE_SIZE`` of the settings, 500):
a larger ``page_size`` is a 422 naming it and this number, never a shorter page than asked."""

DEFAULT_PAGE_SIZE: int = ninja_settings.PAGINATION_PER_PAGE
"""The rows a page gives without ``page_size`` (``NINJA_PAGINATION_PER_PAGE``, 50), unless
the list says another (``@paginate(Pages, page_size=200)``)."""


class Pages(PageNumberPagination):
    """``?page=N&page_size=S``: as django-ninja's, but ``page`` above :data:`MAX_PAGE` and
    ``page_size`` above :data:`MAX_PAGE_SIZE` are a 422 naming the parameter (django-ninja
    lowers a larger ``page_size`` to its cap silently: a client asking for 200 rows got 100
    while ``count`` said there were more, and stopped there).

    ``page_size`` is the list's default without the parameter (:data:`DEFAULT_PAGE_SIZE`
    unless given); each list's OpenAPI parameter says its default and the maximum.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, page_size: int = DEFAULT_PAGE_SIZE, **kwargs: Any) -> None:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ImproperlyConfigured(
                f"a list's default page_size must be 1 to {MAX_PAGE_SIZE}, the maximum page "
                f"size (a page_size above it is refused); got {page_size}"
            )
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
        self.Input = _paging_input(page_size)  # type: ignore[misc]  # this list's default


@functools.cache
def _paging_input(default: int) -> type[Pages.Input]:
    """:class:`Pages.Input` whose ``page_size`` says the list's ``default`` (its OpenAPI
    description; one class per default, as django-ninja reads the paginator's ``Input``)."""
    description = (
        f"rows a page: {default} unless given, at most {MAX_PAGE_SIZE} (a larger one is a "
        "422); follow page until you have count rows"
    )
    return create_model(
        f"Pages{default}Input",
        __base__=Pages.Input,
        page_size=(int | None, Field(None, ge=1, le=MAX_PAGE_SIZE, description=description)),
    )


class Converted(Generic[Row]):
    """A query that :class:`Pages` slices and counts as usual, whose page is then converted
    by ``convert`` (e.g. into rows that read more than the model: one query for the page,
    never for the whole list)."""

    def __init__(self, query: QuerySet[Any], convert: Callable[[list[Any]], Sequence[Row]]):
        self._query = query
        self._convert = convert

    def all(self) -> QuerySet[Any]:
        """The query, for the page count (``Pages`` counts ``.all().count()``)."""
        return self._query

    def __getitem__(self, window: slice) -> Sequence[Row]:
        return self._convert(list(self._query[window]))


def refuse_body(request: HttpRequest) -> None:
    """A delete takes no body: one sent is a 422 naming ``body`` (blank space and JSON that says
    nothing, ``null``, ``{}`` or ``[]``, are none: some clients always send one).

    Every delete of the API reads the version from ``?version=``; a ``{"version": 9}`` in a
    body would otherwise be ignored silently and look as if it had been checked.
    """
    try:
        raw = request.body.strip()
    except (RawPostDataException, RequestDataTooBig):  # read already as a form, or too big
        raw = b"?"
    try:
        sent = bool(raw) and json.loads(raw) not in (None, {}, [])  # JSON that says nothing
    except (ValueError, RecursionError):
        sent = True
    if sent:
        raise FieldError("body", _("a delete takes no body; give the version as ?version="))


View = TypeVar("View", bound=Callable[..., Any])


def _query_names(view: Callable[..., Any]) -> frozenset[str]:
    """The query parameters django-ninja reads for ``view`` (its own, those of a ``Query``
    schema, flattened, and those a decorator such as ``paginate`` contributes)."""
    from ninja.signature import ViewSignature

    names: set[str] = set()
    for model in ViewSignature("", view).models:
        if model.__ninja_param_source__ == "query":
            names.update(getattr(model, "__ninja_flatten_map__", {}))
    return frozenset(names)


def known_query_only(view: View) -> View:
    """Refuse a query parameter the operation does not read (422, one error per unknown
    parameter naming it, with the ones it reads): ``GET /resources?org_unti=hr`` returning
    the whole list looks as if the filter had been applied (ADR 0013, query parameters).

    Put it between the route and ``paginate``::

        @router.get("/resources", response=list[ResourceOut])
        @known_query_only
        @paginate(Pages)
        def list_resources(request, filters: Query[ResourceFilters]): ...
    """
    known: frozenset[str] | None = None

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        nonlocal known
        if known is None:
            known = _query_names(view)
        # the address's own parameters ({pk}) are read from the path, never from the query
        path = set(getattr(request.resolver_match, "kwargs", None) or {})
        unknown = sorted(name for name in request.GET if name not in known or name in path)
        if unknown:
            allowed = pgettext("list separator", ", ").join(sorted(known - path))
            if allowed:
                message = _("unknown query parameter; this operation takes %(names)s") % {
                    "names": allowed
                }
            else:
                message = _("unknown query parameter; this operation takes none")
            errors = [{"field": name, "message": message} for name in unknown]
            separator = pgettext("list of problems", "; ")
            raise ValidationFailed(
                separator.join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
            )
        return view(request, *args, **kwargs)

    return checked  # type: ignore[return-value]
