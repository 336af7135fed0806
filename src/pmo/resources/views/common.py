"""What the capacity-planning pages share: the viewer and manager checks, the heat-map
options read from the query, the scenario named in it, workbook downloads, allocation
costs, who saved an object last."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pmo.accounts.models import OrgUnit, user_of
from pmo.audit.last import last_change
from pmo.core.dates import FIRST_DATE, LAST_DATE
from pmo.core.errors import NotFoundError, PermissionDeniedError
from pmo.core.http import query_date, refuse_unless
from pmo.core.models import as_id
from pmo.core.sentences import quoted
from pmo.portfolio.templatetags.pmo_tags import plain
from pmo.resources import calendars, costs, selectors
from pmo.resources.access import can_manage_resources, require_view
from pmo.resources.filters import ResourceFilter, role_names
from pmo.resources.heatmap import GROUPINGS, SCALES, UNITS
from pmo.resources.lookup import resource_label
from pmo.resources.models import Allocation, Resource


def _viewer(request: HttpRequest) -> None:
    try:
        require_view(user_of(request))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from None


def refuse_non_manager(request: HttpRequest, back: str) -> HttpResponse | None:
    """The answer of every capacity edit page to someone who reads capacity but does not
    manage it (an executive, a project manager): a visit goes back to ``back`` with a
    message, a post is a 403 (:func:`pmo.core.http.refuse_unless`). A viewer, who may not
    read capacity at all, gets the capacity pages' own 403 first."""
    _viewer(request)
    return refuse_unless(
        request,
        can_manage_resources(user_of(request)),
        _("Only the PMO and resource managers may change resources, capacity and scenarios."),
        back,
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    """A workbook download."""
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text or default), low), high)
    except ValueError:
        return default


def _known_role(request: HttpRequest) -> str:
    """The role the query names, in the catalogue's spelling (the role select shows it chosen)
    when it names one; a role no one has (a stale link, a role merged or renamed since) is
    dropped: the page shows every role and says why, rather than an empty map that reads as
    "no overload". As typed when it names several (a Chinese name two roles share)."""
    role = request.GET.get("role", "")[:100].strip()
    if not role:
        return ""
    names = role_names(role)
    if not names and not getattr(request, "htmx", False) and request.GET.get("format") != "xlsx":
        messages.warning(
            request, _("No role %(role)s: all roles are shown.") % {"role": quoted(role)}
        )
    if len(names) == 1:
        return names[0]
    return role if names else ""


def _options(request: HttpRequest) -> dict[str, Any]:
    by = request.GET.get("by", "role")
    scale = request.GET.get("scale", "week")
    unit = request.GET.get("unit", "fte")
    org_unit = request.GET.get("org_unit", "")
    only = ResourceFilter(
        org_unit=as_id(org_unit),
        role=_known_role(request),
        skill=request.GET.get("skill", "")[:100].strip(),
    )
    return {
        "only": only,
        "filter_query": urlencode(only.query()),
        "by": by if by in GROUPINGS else "role",
        "scale": scale if scale in SCALES else "week",
        "unit": unit if unit in UNITS else "fte",
        "start": query_date(request.GET.get("start"), timezone.localdate()),
        "count": _int(request.GET.get("periods"), 12, 1, 52),
        "committed_only": request.GET.get("committed") == "1",
        # the date pickers offer only the dates the product accepts
        "date_min": FIRST_DATE.isoformat(),
        "date_max": LAST_DATE.isoformat(),
    }


def _view_choices() -> dict[str, Any]:
    """The choices of the heat-map and comparison fields (``_view_fields.html``)."""
    return {
        "groupings": [
            ("role", _("Role")),
            ("org_unit", _("Org unit")),
            ("resource", _("Person / pool")),
        ],
        "scales": [("week", _("Week")), ("month", _("Month"))],
        "units": [("fte", _("FTE")), ("hours", _("Hours"))],
        "org_units": OrgUnit.objects.order_by("path"),
        "roles": selectors.list_roles(),
    }


def _scenario(request: HttpRequest, value: str | None) -> Any:
    if (pk := as_id(value)) is None:
        return None
    try:
        return selectors.get_scenario(pk)
    except NotFoundError:
        raise Http404("no such scenario") from None


def mark_counted_twice(allocations: list[Any]) -> int:
    """Set ``counted_twice`` on each allocation that a plan row and a hand-entered row of
    its project give the same resource on the same days (both count); how many (no
    queries)."""
    twice = selectors.counted_twice(
        (a.pk, a.project_id, a.resource_id, a.source, a.first, a.last) for a in allocations
    )
    for a in allocations:
        a.counted_twice = a.pk in twice
    return len(twice)


def _with_costs(allocations: Any, overrides: calendars.Overrides | None = None) -> list[Any]:
    """The allocations, each with ``planned`` (hours, cost and currency) for the table."""
    rows = list(allocations)
    if overrides is None:
        overrides = calendars.load_overrides()
    for a, planned in zip(rows, costs.row_costs(rows, overrides), strict=True):
        a.planned = planned
    return rows


def assumed_in(allocations: list[Any], overrides: calendars.Overrides) -> tuple[int, ...]:
    """The years of the allocations' dates whose holidays are assumed on their resources'
    calendars (counted Monday to Friday: their hours and cost too), as the heat map says."""
    if not allocations:
        return ()
    return calendars.assumed_years(
        {a.resource.calendar for a in allocations},
        min(a.first for a in allocations),
        max(a.last for a in allocations),
        overrides,
    )


_PLACEHOLDER = "PMOCODE"


def _escaped(value: Any) -> str:
    """``conditional_escape`` without its per-call wrappers: safe HTML as it is, anything
    else as text, escaped (what ``format_html`` does to each argument)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _html_rows(template: str, rows: Iterable[Iterable[Any]]) -> SafeString:
    """``format_html_join("", template, rows)``, the same text, for thousands of rows (a big
    scenario lists its 5,000 projects three times: 15,000 ``format_html`` calls took half a
    second)."""
    return mark_safe("".join(template.format(*map(_escaped, row)) for row in rows))


def _staffing_urls(codes: Iterable[str]) -> dict[str, str]:
    """Each project code's staffing page URL, as ``{% url 'resources:project_staffing' %}``
    makes it: reversed once and the (quoted) code put in, not reversed per row (a heat-map
    cell of a big portfolio lists thousands of projects)."""
    prefix, _sep, suffix = reverse("resources:project_staffing", args=[_PLACEHOLDER]).partition(
        _PLACEHOLDER
    )
    return {
        code: prefix + quote(code, safe=RFC3986_SUBDELIMS + "/~:@") + suffix
        if code and "/" not in code
        else reverse("resources:project_staffing", args=[code])
        for code in codes
    }


def _cause_rows(causes: list[Any]) -> SafeString:
    """The rows of a heat-map cell's projects table, as ``partials/_cell.html`` wrote them
    with a template loop (which took two seconds for the 3,600 projects of a busy role)."""
    urls = _staffing_urls(c.code for c in causes)
    twice = format_html(
        ' <span class="badge warn" data-testid="cause-counted-twice" title="{}">{}</span>',
        _(
            "The project's plan and an allocation by hand give this work on the same days: "
            "both are counted."
        ),
        _("counted twice?"),
    )
    return _html_rows(
        '<tr><td><a href="{}">{}</a> {}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n',
        (
            (
                urls[c.code],
                c.code,
                c.name,
                twice if c.counted_twice else "",
                localize(c.priority),
                localize(c.demand),
                localize(c.committed),
                localize(c.proposed),
            )
            for c in causes
        ),
    )


def _allocation_rows(allocations: list[Any]) -> SafeString:
    """The rows of ``partials/_allocations.html`` for a resource's page (a project column, no
    edit links), as its template loop wrote them: a pool's page lists thousands of
    allocations, which took the loop three seconds. ``allocations`` come from
    :func:`_with_costs` (and :func:`mark_counted_twice`, for the marks)."""
    urls = _staffing_urls({a.project.code for a in allocations})
    status = {k: force_str(v) for k, v in Allocation._meta.get_field("status").flatchoices}
    source = {k: force_str(v) for k, v in Allocation._meta.get_field("source").flatchoices}
    # as the template marks a row a plan row and a row by hand both count (mark_counted_twice)
    twice = format_html(
        ' <span class="badge warn" data-testid="counted-twice-row" title="{}">{}</span>',
        _(
            "The project’s plan gives this resource work on some of the same days: "
            "both are counted."
        ),
        _("counted twice?"),
    )
    return _html_rows(
        '<tr><td><a href="{}">{}</a> {}</td><td>{}</td><td>{}</td><td>{}</td>'
        '<td class="num">{}</td><td class="num">{} {}</td><td>{}</td><td>{}{}</td><td>{}</td>\n'
        "</tr>\n",
        (
            (
                urls[a.project.code],
                a.project.code,
                a.project.display_name,
                date_filter(a.first, "Y-m-d"),
                date_filter(a.last, "Y-m-d"),
                plain(a.fte),  # as the staffing page and the requests write it
                floatformat(a.planned.hours, "-1g"),
                floatformat(a.planned.cost, "2g"),
                a.planned.currency,
                status.get(a.status, a.status),
                source.get(a.source, a.source),
                twice if getattr(a, "counted_twice", False) else "",
                a.note,
            )
            for a in allocations
        ),
    )


def last_saved(instance: Any) -> str:
    """Who saved ``instance`` last and when, from the audit trail ("" when it has no
    event of it): said beside a stale form's message."""
    change = last_change(type(instance), instance.pk)
    if change is None:
        return ""
    return _("Last saved by %(who)s at %(when)s.") % change.named()


def theirs_and_yours(form: Any, meanwhile: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """The fields a stale save found changed by both people (``meanwhile``: label, the value
    saved now), each with what the form's user typed, as (label, theirs, yours)."""
    names = {str(field.label): name for name, field in form.fields.items()}
    cleaned = getattr(form, "cleaned_data", {})
    said = []
    for label, theirs in meanwhile:
        name = names.get(label)
        value = cleaned.get(name) if name else None
        field = form.fields.get(name) if name else None
        choices = dict(getattr(field, "choices", None) or []) if field is not None else {}
        if value is None or value == "":
            yours = "—"
        elif isinstance(value, Resource):
            yours = resource_label(value)
        elif isinstance(value, dt.date):
            yours = value.isoformat()
        elif isinstance(value, Decimal):
            yours = f"{value.normalize():f}"
        elif value in choices:
            yours = str(choices[value])
        else:
            yours = str(value)
        said.append((label, theirs, yours))
    return said
