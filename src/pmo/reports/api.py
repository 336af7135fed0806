"""``GET /api/v1/reports/onepage?format=pdf``: the one-page report as a file or as JSON."""

import dataclasses
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Field, Query, Router, Schema

from pmo.accounts.models import user_of
from pmo.reports.checks import check_onepage_period, check_scope_codes
from pmo.reports.onepage.build import build_onepage
from pmo.reports.onepage.render import CONTENT_TYPES, render

router = Router(tags=["reports"])


class OnePageQuery(Schema):
    format: Literal["json", "html", "pdf", "pptx", "xlsx"] = "json"
    period: str = Field("", pattern=r"^$|^\d{4}-W\d{2}$", description="ISO week, e.g. 2026-W40")
    scope: Literal["strategic", "all"] = "strategic"
    portfolio: str = ""
    program: str = ""
    org_unit: str = ""
    pmo_type: str = ""
    language: Literal["", "en", "zh-hans"] = ""


@router.get("/reports/onepage", summary="The one-page steering report", response={200: Any})
def onepage(request: HttpRequest, query: Query[OnePageQuery]) -> Any:
    filters = query.dict()
    period = filters.pop("period")
    language = filters.pop("language") or None
    with translation.override(language or translation.get_language()):
        # A week not begun or a mistyped code would give a page that looks real: 422 instead.
        checked = check_onepage_period(period) if period else None
        check_scope_codes(filters)
    page = build_onepage(user_of(request), filters, period=checked, language=language)
    fmt = filters.pop("format")
    if fmt == "json":
        data = dataclasses.asdict(page)
        data["period"] = page.period.key
        data["previous"] = page.previous.key
        return data
    response = HttpResponse(
        render(page, fmt, link_prefix=request.build_absolute_uri("/").rstrip("/")),
        content_type=CONTENT_TYPES[fmt],
    )
    response["Content-Disposition"] = f'attachment; filename="onepage-{page.period.key}.{fmt}"'
    return response
