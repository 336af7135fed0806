"""The one-page report in the web UI and as downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError
from pmo.core.views import bad_request_page, form_errors
from pmo.portfolio.selectors import filter_choices, pending_decision_projects
from pmo.reports.checks import (
    UnknownFormatError,
    check_onepage_format,
    check_onepage_period,
    check_scope_codes,
)
from pmo.reports.forms import FORMATS, OnePageFilterForm
from pmo.reports.onepage import render as documents
from pmo.reports.onepage.build import build_onepage

# Cells per sub-column on the web page at least: its cells grow with their text (pmo.css), so
# fewer, wider sub-columns keep names whole where the PDF's fixed cells would cut them.
WEB_ROWS = 16


def _checked(filters: dict[str, Any]) -> dict[str, Any]:
    """``filters`` once the week has begun and the codes exist, as the API and ``pmo report``
    require (a typo would otherwise give a real-looking empty page); else a DomainError."""
    if filters.get("period"):
        check_onepage_period(filters["period"])
    check_scope_codes(filters)
    return filters


@login_required
def onepage(request: HttpRequest) -> HttpResponse:
    """``/reports/onepage/``: every strategic project on one page, with filters and downloads."""
    form = OnePageFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    error = ""
    try:
        page = build_onepage(
            user_of(request), _checked(filters), period=filters.get("period") or None
        )
    except DomainError as exc:
        error, page = exc.message, build_onepage(user_of(request), {})
    query = request.GET.urlencode()
    ctx = documents.context(page, rows=WEB_ROWS)
    ctx.update(
        form=form,
        error=error,
        query=query,
        formats=FORMATS,
        choices=filter_choices(user_of(request)),
        pending_decisions=pending_decision_projects([cell.code for cell in page.cells]),
    )
    return render(request, "reports/onepage.html", ctx)


@login_required
def onepage_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same page as HTML, PDF, PPTX or XLSX; another extension is a 404 (the address
    names no page), before anything is built."""
    try:
        fmt = check_onepage_format(fmt)
    except UnknownFormatError as exc:
        raise Http404(str(exc)) from None
    form = OnePageFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return bad_request_page(request, form_errors(form))
    filters = form.cleaned_data if form.is_bound else {}
    try:
        page = build_onepage(
            user_of(request),
            _checked(filters),
            period=filters.get("period") or None,
            language=translation.get_language(),
        )
    except DomainError as exc:
        return bad_request_page(request, exc.message)
    body = documents.render(page, fmt, link_prefix=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="onepage-{page.period.key}.{fmt}"'
    return response
