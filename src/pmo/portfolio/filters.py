"""The status-center filter: one definition shared by the web list, the exports and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import OrgUnit
from pmo.core.models import MAX_ID
from pmo.portfolio.extensions import registry
from pmo.portfolio.models import (
    ENDED_STATES,
    PHASE_ORDER,
    Phase,
    PmoType,
    Project,
    ProjectState,
)
from pmo.portfolio.periods import due_period
from pmo.portfolio.raid import (
    HIGH_RISK_SCORE,
    Decision,
    DecisionStatus,
    Issue,
    RaidStatus,
    Risk,
    Severity,
)

__all__ = [
    "SORT_KEYS",
    "ProjectFilterForm",
    "annotate_status",
    "filter_projects",
    "filter_scope",
    "missing_q",
]

RAG_FILTERS = {"green": 1, "amber": 2, "red": 3}
SORT_KEYS = {
    "code": "code",
    "name": "name",
    "program": "program__code",
    "phase": "phase_order",
    "rag": "latest_report__overall",
    "trend": "trend",
    "percent": "percent_complete",
    "finish": "forecast_finish",
    "slip": "slip",
    "priority": "priority",
    "risks": "open_high_risks",
    "issues": "open_issues",
    "pm": "manager__name",
}


def _count(model: Any, **conditions: Any) -> Coalesce:
    sub = (
        model.objects.filter(project=OuterRef("pk"), **conditions)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def missing_q(today: dt.date) -> Q:
    """Active projects without a submitted report for the last period that is due."""
    grace = settings.PMO_REPORT_GRACE_DAYS
    condition = Q()
    for cadence in ("weekly", "monthly"):
        due = due_period(today, cadence, grace)
        condition |= (
            Q(cadence=cadence)
            & (Q(latest_report__isnull=True) | Q(latest_report__period_end__lt=due.end))
            & (Q(start_date__isnull=True) | Q(start_date__lte=due.end))
        )
    return Q(state=ProjectState.ACTIVE) & condition


def annotate_status(qs: QuerySet[Project], today: dt.date) -> QuerySet[Project]:
    """Add the computed columns of the status center (counts, flags, slip, phase order).

    Apps above portfolio add their own columns through :mod:`pmo.portfolio.extensions`.
    """
    qs = registry.annotate(qs, today)
    return qs.annotate(
        open_high_risks=_count(Risk, status=RaidStatus.OPEN, score__gte=HIGH_RISK_SCORE),
        open_issues=_count(Issue, status=RaidStatus.OPEN, severity__gte=Severity.HIGH),
        pending_decisions=_count(
            Decision, status=RaidStatus.OPEN, decision_status=DecisionStatus.PENDING
        ),
        missing=Case(
            When(missing_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        slip=ExpressionWrapper(
            F("forecast_finish") - F("baseline_finish"), output_field=DurationField()
        ),
        phase_order=Case(
            *(When(phase=value, then=Value(index)) for value, index in PHASE_ORDER.items()),
            default=Value(99),
            output_field=IntegerField(),
        ),
    )


def _flag_choices() -> list[tuple[str, Any]]:
    return [
        ("", "—"),
        ("missing", _("Report missing")),
        ("decision", _("Decision needed")),
        ("high_risk", _("Open high risks")),
        ("late", _("Late vs baseline")),
        ("worse", _("Worse than last period")),
        *registry.flag_choices(),
    ]


def _sort_keys() -> dict[str, str]:
    return {**SORT_KEYS, **registry.sort_keys}


def _sort_choices() -> list[tuple[str, str]]:
    keys = _sort_keys()
    return [(k, k) for k in keys] + [(f"-{k}", f"-{k}") for k in keys]


class ProjectFilterForm(forms.Form):
    """Validates the status-center query string; unknown codes are simply not matched."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    portfolio = forms.CharField(label=_("Portfolio"), required=False, max_length=40)
    program = forms.CharField(label=_("Program"), required=False, max_length=40)
    org_unit = forms.CharField(label=_("Org unit"), required=False, max_length=40)
    pmo_type = forms.ChoiceField(
        label=_("PMO type"), required=False, choices=[("", "—"), *PmoType.choices]
    )
    phase = forms.ChoiceField(label=_("Phase"), required=False, choices=[("", "—"), *Phase.choices])
    rag = forms.ChoiceField(
        label=_("RAG"),
        required=False,
        choices=[
            ("", "—"),
            ("red", _("Red")),
            ("amber", _("Amber")),
            ("green", _("Green")),
            ("none", _("No report")),
        ],
    )
    pm = forms.IntegerField(
        label=_("Project manager"), required=False, min_value=1, max_value=MAX_ID
    )
    # empty: the running projects (the web list's and exports' default; the API's empty
    # state is every project)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Running")),
            *ProjectState.choices,
            ("ended", _("Closed or cancelled")),
            ("all", _("All states")),
        ],
    )
    flag = forms.ChoiceField(label=_("Flag"), required=False, choices=_flag_choices)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=_sort_choices)
    scope = forms.ChoiceField(
        label=_("Projects"),
        required=False,
        choices=[("", "—"), ("mine", _("Mine")), ("all", _("All"))],
    )


def filter_scope(qs: QuerySet[Project], filters: dict[str, Any]) -> QuerySet[Project]:
    """The "which projects" part of the filters (text, portfolio, program, org unit subtree,
    PMO type); shared with reports that need the same selection without the status columns."""
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(name_zh__icontains=text)
        )
    if code := filters.get("portfolio"):
        qs = qs.filter(portfolio__code=code)
    if code := filters.get("program"):
        qs = qs.filter(program__code=code)
    if code := filters.get("org_unit"):
        unit = OrgUnit.objects.filter(code=code).only("path").first()
        qs = qs.filter(org_unit__path__startswith=unit.path) if unit else qs.none()
    if value := filters.get("pmo_type"):
        qs = qs.filter(pmo_type=value)
    return qs


def filter_projects(qs: QuerySet[Project], filters: dict[str, Any]) -> QuerySet[Project]:
    """Apply cleaned filter values (from :class:`ProjectFilterForm` or the API) and the sort.

    ``qs`` must come from :func:`annotate_status`. ``state`` may also be ``running`` (not
    closed or cancelled), ``ended`` or ``all``; ``scope`` ("mine") needs the reader and is
    applied by :func:`pmo.portfolio.selectors.status_center`.
    """
    qs = filter_scope(qs, filters)
    if value := filters.get("phase"):
        qs = qs.filter(phase=value)
    state = filters.get("state")
    if state == "running":
        qs = qs.exclude(state__in=ENDED_STATES)
    elif state == "ended":
        qs = qs.filter(state__in=ENDED_STATES)
    elif state and state != "all":
        qs = qs.filter(state=state)
    if value := filters.get("rag"):
        # running projects only, as the summary counts them: an ended project's last report
        # is history, not its status
        qs = qs.exclude(state__in=ENDED_STATES)
        qs = (
            qs.filter(latest_report__isnull=True)
            if value == "none"
            else qs.filter(latest_report__overall=RAG_FILTERS[value])
        )
    if value := filters.get("pm"):
        qs = qs.filter(manager_id=value)
    flag = filters.get("flag")
    if flag == "missing":
        qs = qs.filter(Q(missing=True))
    elif flag == "decision":
        qs = qs.filter(Q(pending_decisions__gt=0) | Q(latest_report__decision_needed=True))
    elif flag == "high_risk":
        qs = qs.filter(Q(open_high_risks__gt=0))
    elif flag == "late":
        qs = qs.filter(forecast_finish__gt=F("baseline_finish"))
    elif flag == "worse":  # as the summary counts it: running projects only
        qs = qs.exclude(state__in=ENDED_STATES).filter(trend=-1)
    elif flag in registry.flags:
        qs = qs.filter(registry.flags[flag].condition())
    sort = filters.get("sort") or "code"
    key = _sort_keys()[sort.lstrip("-")]
    expression = (
        F(key).desc(nulls_last=True) if sort.startswith("-") else F(key).asc(nulls_last=True)
    )
    return qs.order_by(expression, "code")
