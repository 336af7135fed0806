"""Portfolio reads for the status center, the project page, exports and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from pmo.accounts.models import OrgUnit, OrgUnitKind, Person, User
from pmo.audit.display import actor_name
from pmo.audit.models import AuditEvent
from pmo.audit.selectors import list_events
from pmo.portfolio.access import visible_projects
from pmo.portfolio.filters import annotate_status, filter_projects, missing_q
from pmo.portfolio.models import (
    ENDED_STATES,
    Milestone,
    Program,
    Project,
    ProjectState,
    ReportReminder,
    ReportState,
    StatusReport,
)
from pmo.portfolio.periods import due_period
from pmo.portfolio.raid import (
    RAID_MODELS,
    Action,
    Assumption,
    Decision,
    Issue,
    RaidItem,
    RaidStatus,
    Risk,
)

__all__ = [
    "Ending",
    "get_ending",
    "get_project_page",
    "list_raid_items",
    "list_status_reports",
    "manages_projects",
    "pending_decision_projects",
    "region_names",
    "remindable_count",
    "reminders_shown",
    "status_center",
    "status_summary",
]


def status_center(
    user: User, filters: dict[str, Any], today: dt.date | None = None
) -> QuerySet[Project]:
    """The projects ``user`` may see, with status columns, filtered and sorted."""
    qs = visible_projects(user).select_related(
        "portfolio", "program", "sponsor", "manager", "org_unit", "latest_report"
    )
    if filters.get("scope") == "mine":
        qs = qs.filter(manager__user=user) if user.is_authenticated else qs.none()
    qs = annotate_status(qs, today or timezone.localdate())
    return filter_projects(qs, filters)


def manages_projects(user: User) -> bool:
    """Whether ``user`` manages a project they can see (the status center offers "Mine")."""
    if not user.is_authenticated:
        return False
    return visible_projects(user).filter(manager__user=user).exists()


def reminders_shown(
    projects: Iterable[Project], today: dt.date | None = None
) -> dict[int, ReportReminder]:
    """For each of ``projects`` (by id), its latest reminder to report for the period now due,
    with who sent it (one query); a reminder for an earlier period is history."""
    today = today or timezone.localdate()
    due = {
        cadence: due_period(today, cadence, settings.PMO_REPORT_GRACE_DAYS).key
        for cadence in ("weekly", "monthly")
    }
    wanted = {p.pk: due.get(p.cadence) for p in projects}
    shown: dict[int, ReportReminder] = {}
    rows = (
        ReportReminder.objects.filter(project_id__in=wanted, period__in=set(due.values()))
        .select_related("sent_by__person")
        .order_by("project_id", "-created_at", "-id")
    )
    for reminder in rows:
        if reminder.project_id not in shown and reminder.period == wanted[reminder.project_id]:
            shown[reminder.project_id] = reminder
    return shown


def remindable_count(qs: QuerySet[Project], today: dt.date | None = None) -> int:
    """How many projects of the status center's ``qs`` the list's "Remind" button would
    remind: missing their report, with a manager who signs in, not reminded today."""
    today = today or timezone.localdate()
    reminded = ReportReminder.objects.filter(project=OuterRef("pk"), day=today)
    return (
        qs.filter(Q(missing=True), manager__user__is_active=True)
        .exclude(Exists(reminded))
        .order_by()
        .count()
    )


def status_summary(qs: QuerySet[Project], today: dt.date | None = None) -> dict[str, int]:
    """Counts for the summary strip: projects by overall RAG and by flag, in one query.

    RAG is each project's latest submitted report, whatever its period (the one-page report
    counts only the reports of its week). "Decision needed" is a decision asked in that
    report or one pending in the RAID log; ``decision_report`` and ``decision_raid`` count
    each source on its own (a project may be in both). ``closed`` (completed) and
    ``cancelled`` count the projects that no longer run, apart: the RAG, trend and decision
    counts (and ``running``, the RAG bar's whole) are of running projects only, since an
    ended project's last report no longer says how it is doing.

    The flags are recomputed from their conditions rather than read from the
    annotations of ``qs``: Django drops CASE annotations when it wraps an annotated
    queryset for ``aggregate()``.
    """
    pending = Decision.objects.filter(
        project=OuterRef("pk"), status="open", decision_status="pending"
    )
    base = Project.objects.filter(pk__in=qs.order_by().values("pk"))
    running = ~Q(state__in=ENDED_STATES)
    return base.aggregate(
        total=Count("pk"),
        running=Count("pk", filter=running),
        red=Count("pk", filter=running & Q(latest_report__overall=3)),
        amber=Count("pk", filter=running & Q(latest_report__overall=2)),
        green=Count("pk", filter=running & Q(latest_report__overall=1)),
        unrated=Count("pk", filter=running & Q(latest_report__isnull=True)),
        missing=Count("pk", filter=missing_q(today or timezone.localdate())),
        worse=Count("pk", filter=running & Q(trend=-1)),
        decision=Count(
            "pk",
            filter=running & (Q(Exists(pending)) | Q(latest_report__decision_needed=True)),
        ),
        # the two sources of "decision needed", counted apart: the one-page report only
        # knows the first (what the reports of its week ask for)
        decision_report=Count("pk", filter=running & Q(latest_report__decision_needed=True)),
        decision_raid=Count("pk", filter=running & Q(Exists(pending))),
        # completed and cancelled projects counted apart (a PMO's delivery measures)
        closed=Count("pk", filter=Q(state=ProjectState.CLOSED)),
        cancelled=Count("pk", filter=Q(state=ProjectState.CANCELLED)),
    )


def pending_decision_projects(codes: list[str]) -> int:
    """How many of the projects ``codes`` have a decision pending in their RAID log today."""
    return (
        Decision.objects.filter(project__code__in=codes, status="open", decision_status="pending")
        .values("project")
        .distinct()
        .count()
    )


def region_names() -> dict[int, str]:
    """For each org unit id, the display name of the region above (or at) it."""
    units = list(OrgUnit.objects.only("id", "path", "kind", "name", "name_zh"))
    by_id = {u.pk: u for u in units}
    result: dict[int, str] = {}
    for unit in units:
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        region = next(
            (by_id[i] for i in reversed(ids) if i in by_id and by_id[i].kind == OrgUnitKind.REGION),
            None,
        )
        result[unit.pk] = region.display_name if region else ""
    return result


def filter_choices(user: User) -> dict[str, list[Any]]:
    """Options for the filter bar: programs, org units and project managers."""
    return {
        "programs": list(Program.objects.order_by("code").only("code", "name", "name_zh")),
        "org_units": list(OrgUnit.objects.order_by("path").only("code", "name", "name_zh", "path")),
        "managers": list(
            Person.objects.filter(pk__in=visible_projects(user).values("manager_id")).order_by(
                "name"
            )
        ),
    }


def list_status_reports(project: Project, *, include_drafts: bool = True) -> QuerySet[StatusReport]:
    """A project's reports, newest period first, every revision."""
    qs = StatusReport.objects.filter(project=project).select_related("author__person")
    if not include_drafts:
        qs = qs.filter(state=ReportState.SUBMITTED)
    return qs.order_by("-period_end", "-revision")


def list_raid_items(project: Project, kind: str) -> QuerySet[RaidItem]:
    """Risks, issues, actions, decisions or assumptions of a project: the open ones first, by
    severity (risks, issues) or due date, then the closed ones in the same order, so that an
    entry closed and reopened comes back where it was."""
    model = RAID_MODELS[kind]
    closed = Case(When(status=RaidStatus.OPEN, then=Value(0)), default=Value(1))
    qs = model._default_manager.filter(project=project).select_related("owner")
    if model is Risk:
        return qs.order_by(closed, "-score", "id")
    if model is Issue:
        return qs.order_by(closed, "-severity", "-escalation", "id")
    return qs.order_by(closed, F("due_date").asc(nulls_last=True), "id")


@dataclass(frozen=True)
class Ending:
    """When (and by whom) a closed or cancelled project ended, as its audit trail says."""

    state: str
    day: dt.date | None  # None: no recorded change of state (e.g. loaded as closed)
    actor: str


def get_ending(project: Project) -> Ending | None:
    """The ending of an ended project (``None`` for a running one): the newest audit event of
    the project that moved its state into the one it is in now.

    The audit trail is the one record of every way a project ends (a Stop or closure gate
    decision in governance, the PMO by hand); the gate and rationale of a stop are
    governance's and shown by its panel.
    """
    if not project.is_ended:
        return None
    events = AuditEvent.objects.filter(
        object_type=Project._meta.label_lower,
        object_id=str(project.pk),
        changes__has_key="state",
    ).order_by("-timestamp", "-id")
    event = events.select_related("actor__person").first()
    recorded = event.changes.get("state") if event else None
    # a state set without a record (a migration) leaves the newest record saying another state
    if event is None or not isinstance(recorded, list) or recorded[-1] != project.state:
        return Ending(project.state, None, "")
    return Ending(project.state, timezone.localdate(event.timestamp), actor_name(event))


@dataclass
class ProjectPage:
    """Everything the project page shows."""

    project: Project
    history: list[StatusReport]
    drafts: list[StatusReport]
    milestones: list[Milestone]
    risks: list[Risk]
    issues: list[Issue]
    actions: list[Action]
    decisions: list[Decision]
    assumptions: list[Assumption]
    audit: list[AuditEvent]
    heat: list[list[int]]
    ending: Ending | None


def get_project_page(project: Project, *, audit_limit: int = 50) -> ProjectPage:
    """Load the project page in a fixed number of queries."""
    reports = list(list_status_reports(project))
    history = sorted((r for r in reports if r.is_current), key=lambda r: r.period_end)
    risks: list[Any] = list(list_raid_items(project, "risks"))
    heat = [[0] * 5 for _ in range(5)]  # heat[impact-1][probability-1], open risks only
    for risk in risks:
        if risk.status == "open":
            heat[risk.impact - 1][risk.probability - 1] += 1
    return ProjectPage(
        project=project,
        history=history,
        drafts=[r for r in reports if r.state == ReportState.DRAFT],
        milestones=list(project.milestones.order_by("baseline_date", "id")),
        risks=risks,
        issues=list(list_raid_items(project, "issues")),  # type: ignore[arg-type]
        actions=list(list_raid_items(project, "actions")),  # type: ignore[arg-type]
        decisions=list(list_raid_items(project, "decisions")),  # type: ignore[arg-type]
        assumptions=list(list_raid_items(project, "assumptions")),  # type: ignore[arg-type]
        audit=list(
            list_events(scope=f"project:{project.pk}").select_related("actor__person")[:audit_limit]
        ),
        heat=heat,
        ending=get_ending(project),
    )
