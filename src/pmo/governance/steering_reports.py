"""Decisions asked in status reports, as steering agenda lines (ADR 0002, "Editing an agenda").

A PM asks the PMO or the steering committee for help or a decision in the status report
("Help / decision needed", the "a decision is needed" box). Each running project whose latest
report in the agenda's window asks for one gets a line *to decide*: the report's text, with a
link to the report.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.governance.meetings import REPORT_REF, AgendaItem, AgendaKind
from pmo.portfolio.models import ENDED_STATES, Project, ReportState, StatusReport

__all__ = ["report_decisions", "report_labels"]


def report_decisions(
    date: dt.date, window_days: int, today: dt.date | None = None
) -> list[AgendaItem]:
    """Lines for the decisions asked in status reports, for a meeting on ``date`` (unsaved,
    by project code).

    For each project that has not ended, its latest submitted report whose period ends on or
    before ``date`` and no more than ``window_days`` before ``date`` — or before today, for a
    meeting planned further ahead, whose window holds no report yet — is read; it asks when
    its "decision needed" box is ticked or its "help / decision needed" text is not empty. A
    later report that asks for nothing means the question was settled: no line.
    """
    today = today or timezone.localdate()
    start = min(date, today) - dt.timedelta(days=window_days)
    rows = (
        StatusReport.objects.filter(
            is_current=True,
            state=ReportState.SUBMITTED,
            period_end__gte=start,
            period_end__lte=date,
        )
        .exclude(project__state__in=ENDED_STATES)
        .order_by("project_id", "-period_end", "-revision")
        .values_list("project_id", "pk", "decision_needed", "help_needed")
    )
    latest: dict[int, tuple[int, bool, str]] = {}
    for project_id, pk, needed, text in rows:
        latest.setdefault(project_id, (pk, needed, text))
    asked = {pid: row for pid, row in latest.items() if row[1] or row[2].strip()}
    projects = Project.objects.in_bulk(list(asked))
    lines = [
        AgendaItem(
            kind=AgendaKind.REPORT_DECISION,
            project=projects[pid],
            title=text.strip()[:300],
            ref=f"{REPORT_REF}:{pk}",
        )
        for pid, (pk, _needed, text) in asked.items()
    ]
    return sorted(lines, key=lambda line: line.project.code if line.project else "")


def report_labels(keys: list[str]) -> dict[str, str]:
    """Lines asking a report's decision in the reader's language: the PM's text and the
    report's period ("Budget increase of 10 % (status report 2026-W48)"), one query for all;
    a report gone is left out (the line's stored text is shown)."""
    pks = [int(k) for k in keys if k.isascii() and k.isdigit()]
    found = StatusReport.objects.filter(pk__in=pks).values_list("pk", "period", "help_needed")
    return {
        str(pk): _("%(text)s (status report %(period)s)")
        % {"text": text.strip() or _("A decision is needed"), "period": period}
        for pk, period, text in found
    }
