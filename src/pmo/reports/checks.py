"""Checks of the one-page report's inputs shared by the web page, the API and ``pmo report``.

A week that has not started, or a portfolio code with a typo, would otherwise give a page
that looks real ("60 reports missing", "0 projects"): both are refused, naming the field.
Which file formats there are is decided once, by :func:`check_onepage_format`, for the
download's address and the command's ``--out`` file.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pmo.accounts.models import OrgUnit
from pmo.core.errors import FieldError
from pmo.core.sentences import quoted
from pmo.portfolio.models import PmoType, Portfolio, Program
from pmo.portfolio.periods import Period, parse_period, period_of
from pmo.reports.forms import FORMATS

__all__ = [
    "UnknownFormatError",
    "check_onepage_format",
    "check_onepage_period",
    "check_scope_codes",
]

_WEEK = re.compile(r"\d{4}-W\d{2}")
LISTED_CODES = 20
"""Up to this many valid codes are listed in the error message."""


class UnknownFormatError(ValueError):
    """An extension that is none of the one-page report's formats; its text says which are."""


def check_onepage_format(extension: str) -> str:
    """``extension`` (without its dot, as given: ``pdf``) when it is one of the report's
    :data:`~pmo.reports.forms.FORMATS`; :class:`UnknownFormatError` naming it and them
    otherwise ("unknown extension .doc; use .html, .pdf, .pptx or .xlsx"). The web download
    (``/reports/onepage.doc``: a 404) and ``pmo report onepage --out x.doc`` (one line, exit
    1) both ask it. The message is for the command line and the logs, which stay English."""
    if extension in FORMATS:
        return extension
    *first, last = (f".{fmt}" for fmt in FORMATS)
    raise UnknownFormatError(f"unknown extension .{extension}; use {', '.join(first)} or {last}")


def check_onepage_period(key: str, field: str = "period") -> Period:
    """The week ``key`` (``2026-W40``), refused if it is not a week or has not started yet."""
    if not _WEEK.fullmatch(key):  # a month is a period, but not one this report has
        raise FieldError(
            field,
            _("%(key)s is not a period of this report: use a week like 2026-W40")
            % {"key": quoted(key)},
        )
    per = parse_period(key, field)
    this_week = period_of(timezone.localdate(), "weekly")
    if per.start > this_week.start:
        raise FieldError(
            field,
            _("%(key)s has not started yet (this week is %(current)s)")
            % {"key": per.key, "current": this_week.key},
        )
    return per


def check_scope_codes(filters: dict[str, Any]) -> None:
    """Refuse a portfolio, program or org unit code that does not exist (codes are exact),
    and a PMO type that is not one."""
    pmo_type = filters.get("pmo_type") or ""
    if pmo_type and pmo_type not in PmoType.values:
        raise FieldError(
            "pmo_type",
            _("no PMO type %(value)s: one of %(types)s")
            % {"value": quoted(pmo_type), "types": ", ".join(PmoType.values)},
        )
    models: dict[str, type[Model]] = {
        "portfolio": Portfolio,
        "program": Program,
        "org_unit": OrgUnit,
    }
    for field, model in models.items():
        code = filters.get(field) or ""
        if not code or model._default_manager.filter(code=code).exists():
            continue
        codes = list(model._default_manager.order_by("code").values_list("code", flat=True))
        near = [c for c in codes if c.lower() == code.lower()]
        if near:
            hint = _("did you mean %(code)s? (codes are case-sensitive)") % {"code": near[0]}
        elif not codes:
            hint = _("there are none")
        elif len(codes) <= LISTED_CODES:
            hint = _("one of %(codes)s") % {"codes": ", ".join(codes)}
        else:
            hint = ngettext(
                "%(count)s code, e.g. %(codes)s", "%(count)s codes, e.g. %(codes)s", len(codes)
            ) % {"count": len(codes), "codes": ", ".join(codes[:5])}
        raise FieldError(
            field, _("no such code %(code)s: %(hint)s") % {"code": quoted(code), "hint": hint}
        )
