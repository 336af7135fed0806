"""Build the one-page steering report from stored history.

Everything on the page comes from project master data and *submitted* status
reports, taking for each period the latest revision submitted before the
period's cut-off (its deadline). Submitted reports are immutable, so the page
for a closed period is the same whenever it is produced again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import User
from pmo.core.errors import FieldError
from pmo.core.i18n import is_chinese
from pmo.dependencies.selectors import dependency_flags
from pmo.portfolio.access import visible_projects
from pmo.portfolio.currencies import base_currency, total_in_base
from pmo.portfolio.filters import filter_scope
from pmo.portfolio.models import (
    PHASE_ORDER,
    Phase,
    PmoType,
    Project,
    ProjectState,
    ReportState,
    StatusReport,
)
from pmo.portfolio.periods import Period, due_period, parse_period, previous_period
from pmo.reports.onepage.gates import gate_info, gate_stops
from pmo.reports.onepage.model import Cell, Change, Column, Escalation, Header, OnePage

__all__ = ["build_onepage", "default_period", "select_projects"]

HISTORY_WEEKS = 26
LAYOUTS = ((60, "normal"), (100, "compact"), (160, "dense"))
RAG_KEYS = {3: "red", 2: "amber", 1: "green", None: "none"}


def default_period(today: dt.date | None = None) -> Period:
    """The latest week whose reports are due: what the steering committee looks at."""
    return due_period(today or timezone.localdate(), "weekly", settings.PMO_REPORT_GRACE_DAYS)


def select_projects(user: User, filters: dict[str, Any]) -> QuerySet[Project]:
    """The projects on the page: visible to ``user``, filtered, strategic ones by default."""
    qs = visible_projects(user).select_related("program", "manager", "portfolio")
    if filters.get("scope", "strategic") == "strategic":
        qs = qs.filter(strategic=True)
    qs = filter_scope(qs, filters)
    return qs.order_by("priority", "code")


def _cutoff(period: Period) -> tuple[dt.datetime, bool]:
    """Reports count until the *next* period's deadline: late reports still make the page
    while it is the current one, and it is frozen (reproducible) from then on."""
    following = Period(
        key="",
        cadence="weekly",
        start=period.end + dt.timedelta(days=1),
        end=period.end + dt.timedelta(days=7),
    )
    deadline = following.deadline(settings.PMO_REPORT_GRACE_DAYS) + dt.timedelta(days=1)
    cutoff = timezone.make_aware(dt.datetime.combine(deadline, dt.time.min))
    now = timezone.now()
    return (now, True) if now < cutoff else (cutoff, False)


def _history(project_ids: list[int], period: Period, cutoff: dt.datetime) -> dict[int, list[Any]]:
    """Per project, one report per period (latest revision by the cut-off), oldest first."""
    since = period.start - dt.timedelta(weeks=HISTORY_WEEKS)
    rows = (
        StatusReport.objects.filter(
            project_id__in=project_ids,
            state=ReportState.SUBMITTED,
            period_end__lte=period.end,
            period_end__gte=since,
            submitted_at__lte=cutoff,
        )
        .order_by("project_id", "period_end", "revision")
        .values_list(
            "project_id",
            "period",
            "period_start",
            "period_end",
            "overall",
            "phase",
            "decision_needed",
            "help_needed",
            "overall_reason",
            "percent_complete",
        )
    )
    by_project: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in rows.iterator(chunk_size=5000):
        by_project[row[0]][row[1]] = row  # a later revision replaces an earlier one
    return {
        pid: sorted(periods.values(), key=lambda r: r[3]) for pid, periods in by_project.items()
    }


def _phase_label(value: str) -> str:
    return str(Phase(value).label) if value in Phase.values else value


def build_onepage(
    user: User,
    filters: dict[str, Any] | None = None,
    *,
    period: str | Period | None = None,
    language: str | None = None,
) -> OnePage:
    """Assemble the page for ``period`` (default: the latest due week)."""
    filters = filters or {}
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        if isinstance(period, str) and period:
            per = parse_period(period)
            if per.cadence != "weekly":
                raise FieldError(
                    "period", _("the one-page report is weekly: use a week like 2026-W40")
                )
        elif isinstance(period, Period):
            per = period
        else:
            per = default_period()
        return _build(user, filters, per, language)


def _build(user: User, filters: dict[str, Any], per: Period, language: str) -> OnePage:
    previous = previous_period(per)
    cutoff, provisional = _cutoff(per)
    projects = [
        p for p in select_projects(user, filters) if p.start_date is None or p.start_date <= per.end
    ]
    history = _history([p.pk for p in projects], per, cutoff)
    lifecycles = gate_info([p.pk for p in projects], per.start, per.end)
    stops = gate_stops([p.pk for p in projects], per.start, per.end)
    troubled, changed = dependency_flags([p.pk for p in projects])
    columns = {value: Column(phase=value, label=_phase_label(value)) for value in Phase.values}
    counts: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    escalations: list[Escalation] = []
    changes: list[Change] = []
    budget: dict[str, Decimal] = defaultdict(Decimal)
    phase_changes = 0
    gates_passed = 0
    for project in projects:
        reports = history.get(project.pk, [])
        current = reports[-1] if reports and reports[-1][3] >= per.start else None
        earlier = [r for r in reports if r[3] < per.start]
        prior = earlier[-1] if earlier and earlier[-1][3] >= previous.start else None
        latest_known = current or (earlier[-1] if earlier else None)
        phase = latest_known[5] if latest_known and latest_known[5] else project.phase
        life = lifecycles.get(project.pk)
        if life is not None:
            phase = life.phase
        if project.pk in stops:  # news of the week even when the project no longer reports
            changes.append(
                Change(
                    "cancelled",
                    project.code,
                    project.display_name,
                    _("stopped at gate %(gate)s") % {"gate": stops[project.pk]},
                )
            )
        # a project that no longer runs leaves the page once it stops reporting: a cancelled
        # one wherever it stood, a closed one unless it reached the "Closed" column
        ended = project.state == ProjectState.CANCELLED or (
            project.state == ProjectState.CLOSED and phase != Phase.CLOSED
        )
        if ended and current is None:
            continue
        missing = current is None and project.state == ProjectState.ACTIVE
        rag = latest_known[4] if latest_known else None
        weeks = 0
        for row in reversed(reports):
            if (row[5] or project.phase) != phase:
                break
            weeks += 1
        trend = None
        if current is not None and prior is not None:
            trend = 1 if current[4] < prior[4] else (-1 if current[4] > prior[4] else 0)
        decision = bool(current and current[6])
        cell = Cell(
            code=project.code,
            name=project.display_name,
            rag=rag,
            stale=current is None and rag is not None,
            trend=trend,
            weeks_in_phase=life.weeks_in_phase if life else (weeks or None),
            expected_weeks=life.expected_weeks if life else None,
            next_gate=life.next_gate if life else "",
            next_gate_date=life.next_gate_date if life else None,
            decision_needed=decision,
            missing=missing,
            gate_overdue=life.overdue if life else False,
            priority=project.priority,
            percent_complete=(latest_known[9] if latest_known else project.percent_complete),
            program=project.program.code if project.program else "",
            manager=project.manager.display_name if project.manager else "",
            dependency_broken=project.pk in troubled,
            change_affected=project.pk in changed,
        )
        columns.setdefault(phase, Column(phase=phase, label=_phase_label(phase))).cells.append(cell)
        counts[RAG_KEYS[rag if current else None]] += 1
        before[RAG_KEYS[prior[4] if prior else None]] += 1
        if project.budget:
            budget[project.currency] += project.budget
        if life is not None:
            gates_passed += len(life.passed)
            changes.extend(
                Change(
                    "gate", project.code, project.display_name, _("%(gate)s passed") % {"gate": g}
                )
                for g in life.passed
            )
        if current is not None:
            if current[6] or current[7]:
                escalations.append(
                    Escalation(
                        code=project.code,
                        name=project.display_name,
                        text=(current[7] or current[8] or _("Decision needed")).strip(),
                        rag=current[4],
                        priority=project.priority,
                        kind="decision" if current[6] else "help",
                    )
                )
            found = _changes(project, current, prior, reports)
            if life is not None:  # gate decisions say it better than the phase snapshots
                found = [c for c in found if c.kind not in ("phase", "closed")]
            changes.extend(found)
            if prior is not None and prior[5] and current[5] and prior[5] != current[5]:
                phase_changes += 1
    ordered = sorted(columns.values(), key=lambda c: PHASE_ORDER.get(c.phase, 99))
    ordered = [c for c in ordered if c.cells]
    for column in ordered:
        column.cells.sort(key=lambda c: (-(c.rag or 0), c.priority, c.code))
    escalations.sort(key=lambda e: (e.priority, -(e.rag or 0), e.kind != "decision", e.code))
    total = sum(len(c.cells) for c in ordered)
    header = Header(
        total=total,
        rag_counts={k: counts.get(k, 0) for k in ("red", "amber", "green", "none")},
        rag_delta={
            k: counts.get(k, 0) - before.get(k, 0) for k in ("red", "amber", "green", "none")
        },
        by_phase=[(c.label, len(c.cells)) for c in ordered],
        budget=sorted((cur, float(v)) for cur, v in budget.items()),
        phase_changes=phase_changes,
        missing=sum(1 for c in ordered for cell in c.cells if cell.missing),
        decisions=sum(1 for c in ordered for cell in c.cells if cell.decision_needed),
        gates_overdue=sum(1 for c in ordered for cell in c.cells if cell.gate_overdue),
        gates_passed=gates_passed,
    )
    if len(budget) > 1 or (budget and base_currency() not in budget):
        in_base = total_in_base(budget, per.end)
        header.budget_base = in_base.currency
        header.budget_total = None if in_base.total is None else float(in_base.total)
        header.budget_missing = list(in_base.missing)
        if in_base.missing:
            header.budget_note = _("no total in %(base)s: no exchange rate for %(codes)s") % {
                "base": in_base.currency,
                "codes": pgettext("list separator", ", ").join(in_base.missing),
            }
    layout = next((name for limit, name in LAYOUTS if total <= limit), "paged")
    return OnePage(
        period=per,
        previous=previous,
        cutoff=cutoff,
        provisional=provisional,
        title=_("Portfolio one-page report"),
        scope=_scope_text(filters),
        columns=ordered,
        header=header,
        escalations=escalations[:10],
        changes=sorted(changes, key=lambda c: (_CHANGE_ORDER[c.kind], c.code)),
        layout=layout,
        language=language,
    )


_CHANGE_ORDER = {
    "new_red": 0,
    "recovered": 1,
    "cancelled": 2,
    "gate": 3,
    "phase": 4,
    "started": 5,
    "closed": 6,
}


def _changes(project: Project, current: Any, prior: Any, reports: Iterable[Any]) -> list[Change]:
    name = project.display_name
    found: list[Change] = []
    if prior is None:
        if len(list(reports)) == 1:
            found.append(Change("started", project.code, name, _("first report")))
        return found
    if current[4] == 3 and prior[4] != 3:
        found.append(Change("new_red", project.code, name, (current[8] or "").strip()))
    if prior[4] == 3 and current[4] != 3:
        found.append(
            Change(
                "recovered",
                project.code,
                name,
                _("red → %(rag)s") % {"rag": _("amber") if current[4] == 2 else _("green")},
            )
        )
    if prior[5] and current[5] and prior[5] != current[5]:
        kind = "closed" if current[5] == Phase.CLOSED else "phase"
        found.append(
            Change(
                kind, project.code, name, f"{_phase_label(prior[5])} → {_phase_label(current[5])}"
            )
        )
    return found


def _scope_text(filters: dict[str, Any]) -> str:
    parts = [
        _("strategic projects")
        if filters.get("scope", "strategic") == "strategic"
        else _("all projects")
    ]
    labels = {
        "portfolio": _("portfolio"),
        "program": _("program"),
        "org_unit": _("org unit"),
        "pmo_type": _("PMO type"),
    }
    for key, label in labels.items():
        value = filters.get(key)
        if value:
            if key == "pmo_type":
                value = dict(PmoType.choices).get(value, value)
            parts.append(f"{label} {value}")
    return ("，" if is_chinese() else ", ").join(str(p) for p in parts)
