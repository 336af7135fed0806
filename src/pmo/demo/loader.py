"""Load a seeded, repeatable demo portfolio (``pmo demo``).

The same seed and ``as_of`` date give the same portfolio. Rows are written
with ``bulk_create`` so that ``--projects 5000`` (130,000 status reports)
loads in well under two minutes; the derived fields the services would keep
(``latest_report``, ``trend``, ``is_current``) are set here in the same way.
Every project follows the built-in lifecycle of its PMO type with a gate history
consistent with its phase and status history (:mod:`pmo.demo.governance`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pmo.accounts.models import OrgUnit, Person, Role, User
from pmo.audit.models import AuditAction, AuditEvent
from pmo.demo import data
from pmo.demo.dependencies import load_dependencies, raise_demo_change
from pmo.demo.governance import load_governance, reset_governance
from pmo.demo.plans import add_demo_plans
from pmo.demo.resources import load_resources, reset_resources
from pmo.governance.steering import create_meeting
from pmo.portfolio.models import (
    Action,
    Assumption,
    Decision,
    Issue,
    Milestone,
    Phase,
    Portfolio,
    Program,
    Project,
    ProjectState,
    ReportState,
    Risk,
    StatusReport,
)
from pmo.portfolio.periods import due_period, previous_period

DEMO_PASSWORD = "pmo-demo"
DEMO_USERS = [
    # username, role, person name (or None), is_staff
    ("admin", Role.PMO_ADMIN, None, True),
    ("pmo", Role.PMO_MEMBER, "Li Na", False),
    ("pm", Role.PROJECT_MANAGER, "Zhang Wei", False),
    ("pm.uk", Role.PROJECT_MANAGER, "Emma Clarke", False),
    ("exec", Role.EXECUTIVE, "Robert Hale (COO)", False),
    ("viewer", Role.VIEWER, "Wang Fang", False),
    ("director", Role.RESOURCE_MANAGER, "Lin Xiaoyun (VP R&D)", False),
]
PORTFOLIO_CODE = "STRAT"
HISTORY_WEEKS = 26
PHASES = [
    Phase.INITIATION,
    Phase.PLANNING,
    Phase.EXECUTION,
    Phase.EXECUTION,
    Phase.EXECUTION,
    Phase.CLOSING,
]
PATTERNS = ["stable", "stable", "recovering", "sliding", "volatile", "late_start"]

Progress = Callable[[int], None]


@dataclass
class DemoResult:
    created: bool
    projects: int
    reports: int


def demo_loaded() -> bool:
    """True when the demo portfolio is in the database."""
    return Portfolio.objects.filter(code=PORTFOLIO_CODE).exists()


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def reset_demo() -> None:
    """Remove the demo portfolio and its people and users (nothing else)."""
    projects = Project.objects.filter(portfolio__code=PORTFOLIO_CODE)
    Project.objects.filter(pk__in=projects).update(latest_report=None)
    ids = list(projects.values_list("pk", flat=True))
    reset_governance(
        ids,
        list(
            User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list(
                "pk", flat=True
            )
        ),
    )
    AuditEvent.objects.filter(scope__in=[f"project:{i}" for i in ids]).delete()
    for chunk in _chunks(ids, 500):
        for model in (StatusReport, Milestone, Risk, Issue, Action, Decision, Assumption):
            model.objects.filter(project_id__in=chunk).delete()
        Project.objects.filter(pk__in=chunk).delete()
    Program.objects.filter(portfolio__code=PORTFOLIO_CODE).delete()
    Portfolio.objects.filter(code=PORTFOLIO_CODE).delete()
    User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).delete()
    reset_resources([o[0] for o in data.ORG])
    Person.objects.filter(org_unit__code__in=[o[0] for o in data.ORG]).delete()
    for code, *_rest in reversed(data.ORG):
        OrgUnit.objects.filter(code=code).delete()


def _org_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for code, kind, parent, name, name_zh in data.ORG:
        unit = OrgUnit(
            code=code,
            kind=kind,
            parent=units.get(parent) if parent else None,
            name=name,
            name_zh=name_zh,
        )
        unit.save()
        units[code] = unit
    return units


def _people(units: dict[str, OrgUnit]) -> tuple[list[Person], list[Person]]:
    managers = Person.objects.bulk_create(
        Person(
            name=n,
            name_zh=z,
            org_unit=units[u],
            email=n.lower().replace(" ", ".") + "@example.com",
            title="Project manager",
        )
        for n, z, u in data.PEOPLE
    )
    sponsors = Person.objects.bulk_create(
        Person(name=n, name_zh=z, org_unit=units[u], title="Executive sponsor")
        for n, z, u in data.SPONSORS
    )
    return managers, sponsors


def _users(people: dict[str, Person]) -> dict[str, User]:
    users = {}
    for username, role, person_name, staff in DEMO_USERS:
        user = User(
            username=username,
            role=role,
            is_staff=staff,
            is_superuser=role == Role.PMO_ADMIN,
            email=f"{username}@example.com",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user
        if person_name:
            Person.objects.filter(pk=people[person_name].pk).update(user=user)
    return users


def _health_path(rng: random.Random, pattern: str, weeks: int) -> list[int]:
    """Overall RAG per week (1 green .. 3 red) following a story."""
    path = []
    level = {"stable": 1.2, "recovering": 2.9, "sliding": 1.1, "volatile": 2.0, "late_start": 1.5}[
        pattern
    ]
    drift = {
        "stable": 0.0,
        "recovering": -0.09,
        "sliding": 0.09,
        "volatile": 0.0,
        "late_start": 0.02,
    }[pattern]
    noise = 0.55 if pattern == "volatile" else 0.22
    for _week in range(weeks):
        level = min(3.4, max(0.6, level + drift + rng.gauss(0, noise)))
        path.append(min(3, max(1, round(level))))
    return path


def _text(pair: tuple[str, str], chinese: bool) -> str:
    return pair[1] if chinese else pair[0]


def load_demo(
    *,
    projects: int = 60,
    as_of: dt.date | None = None,
    seed: int = 2026,
    progress: Progress | None = None,
) -> DemoResult:
    """Create the demo portfolio unless it exists (then nothing changes)."""
    if demo_loaded():
        return DemoResult(
            created=False,
            projects=Project.objects.filter(portfolio__code=PORTFOLIO_CODE).count(),
            reports=0,
        )
    tick = progress or (lambda _n: None)
    rng = random.Random(seed)
    today = as_of or timezone.localdate()
    last = due_period(today, "weekly", 0)
    periods = [last]
    for _index in range(HISTORY_WEEKS - 1):
        periods.append(previous_period(periods[-1]))
    periods.reverse()
    now = timezone.now()

    with transaction.atomic():
        units = _org_units()
        managers, sponsors = _people(units)
        people = {p.name: p for p in (*managers, *sponsors)}
        users = _users(people)
        portfolio = Portfolio.objects.create(
            code=PORTFOLIO_CODE,
            name="Strategic portfolio",
            name_zh="战略项目组合",
            description="Projects governed by the group steering committee.",
        )
        programs = {
            code: Program.objects.create(
                code=code,
                portfolio=portfolio,
                name=name,
                name_zh=name_zh,
                manager=rng.choice(managers),
            )
            for code, name, name_zh in data.PROGRAMS
        }
        pm_user_person = people["Zhang Wei"]
        pm_uk_person = people["Emma Clarke"]
        project_rows: list[Project] = []
        stories: list[tuple[str, list[int]]] = []
        for index in range(projects):
            program_code, pmo_type, name, name_zh = data.PROJECTS[index % len(data.PROJECTS)]
            if index >= len(data.PROJECTS):
                series = index // len(data.PROJECTS) + 1
                name, name_zh = f"{name} {series}", f"{name_zh}（{series}期）"
            manager = (
                pm_user_person
                if index % 12 == 0
                else pm_uk_person
                if index % 12 == 6
                else managers[rng.randrange(len(managers))]
            )
            start = periods[0].start - dt.timedelta(days=rng.randrange(20, 260))
            planned = start + dt.timedelta(days=rng.randrange(240, 720))
            pattern = rng.choice(PATTERNS)
            path = _health_path(rng, pattern, HISTORY_WEEKS)
            slip = sum(7 for rag in path[-8:] if rag == 3) + sum(2 for rag in path[-8:] if rag == 2)
            project_rows.append(
                Project(
                    code=f"P{index + 1:04d}",
                    name=name,
                    name_zh=name_zh,
                    portfolio=portfolio,
                    program=programs[program_code],
                    pmo_type=pmo_type,
                    priority=1 + rng.randrange(5),
                    strategic=index < 60,
                    phase=rng.choice(PHASES),
                    state=ProjectState.ACTIVE,
                    sponsor=rng.choice(sponsors),
                    manager=manager,
                    org_unit=manager.org_unit,
                    description=f"{name} — {name_zh}",
                    start_date=start,
                    planned_finish=planned,
                    baseline_finish=planned,
                    forecast_finish=planned + dt.timedelta(days=slip),
                    budget=Decimal(rng.randrange(5, 400) * 100_000),
                    currency="CNY" if manager.org_unit.code.startswith("cn") else "GBP",
                    percent_complete=0,
                )
            )
            stories.append((pattern, path))
        created_projects: list[Project] = []
        for chunk in _chunks(project_rows, 500):
            created_projects.extend(Project.objects.bulk_create(chunk))
        _reports(rng, created_projects, stories, periods, users, now, tick)
        _raid_and_milestones(rng, created_projects, managers, today)
        _audit(created_projects, users["admin"])
        add_demo_plans(created_projects, users["admin"], today)
        load_resources(created_projects, today, seed)
        load_governance(
            projects=created_projects,
            stories=stories,
            periods=periods,
            today=today,
            users=users,
            people=managers,
            seed=seed,
        )
        load_dependencies(created_projects, users)
        raise_demo_change(created_projects, users)
        create_meeting(
            actor=users["admin"],
            data={
                "title": "Group steering committee",
                "date": today + dt.timedelta(days=7 - today.weekday()),
                "window_days": 21,
                "location": "HQ 12F",
            },
        )
    return DemoResult(
        created=True, projects=len(created_projects), reports=len(created_projects) * HISTORY_WEEKS
    )


def _reports(
    rng: random.Random,
    projects: list[Project],
    stories: list[tuple[str, list[int]]],
    periods: list[Any],
    users: dict[str, User],
    now: dt.datetime,
    tick: Progress,
) -> None:
    dims = ("schedule", "cost", "scope", "resources", "quality")
    pm_users = {p.pk: p.manager.user for p in projects if p.manager and p.manager.user_id}
    latest: dict[int, StatusReport] = {}
    batch: list[StatusReport] = []

    def flush() -> None:
        for report in StatusReport.objects.bulk_create(batch):
            if report.is_current and (
                report.project_id not in latest
                or latest[report.project_id].period_end < report.period_end
            ):
                latest[report.project_id] = report
        batch.clear()

    for project, (_pattern, path) in zip(projects, stories, strict=True):
        chinese = project.org_unit.code.startswith("cn")
        skip_last = rng.random() < 0.08  # some PMs are late with this week's report
        percent = rng.randrange(0, 30)
        # The phase history: the current phase for the last few weeks, the one before earlier.
        order = list(Phase.values)
        earlier = order[max(1, order.index(project.phase) - 1)]
        entered = len(periods) - rng.randrange(2, 20)
        previous: int | None = None
        for week, (period, overall) in enumerate(zip(periods, path, strict=True)):
            if skip_last and week == len(periods) - 1:
                break
            percent = min(100, percent + rng.randrange(1, 5))
            ratings = {d: min(3, max(1, overall + rng.choice((-1, 0, 0, 0, 1)))) for d in dims}
            ratings[rng.choice(dims)] = overall  # the worst dimension explains the overall rating
            reasons = {
                f"{d}_reason": _text(rng.choice(data.REASONS[d]), chinese) if r > 1 else ""
                for d, r in ratings.items()
            }
            trend = (
                None
                if previous is None
                else (1 if overall < previous else -1 if overall > previous else 0)
            )
            decision = overall == 3 and rng.random() < 0.4
            batch.append(
                StatusReport(
                    project=project,
                    period=period.key,
                    period_start=period.start,
                    period_end=period.end,
                    revision=1,
                    state=ReportState.SUBMITTED,
                    is_current=True,
                    overall=overall,
                    overall_reason=_text(rng.choice(data.REASONS["overall"]), chinese)
                    if overall > 1
                    else "",
                    summary=("本周进展：" if chinese else "Progress this week: ")
                    + (
                        ("按计划推进。" if chinese else "on plan.")
                        if overall == 1
                        else (
                            "存在偏差，正在纠偏。"
                            if chinese
                            else "deviations, corrective actions running."
                        )
                    ),
                    achievements="完成阶段性交付。"
                    if chinese
                    else "Completed planned deliverables.",
                    next_steps="推进下一阶段工作。"
                    if chinese
                    else "Continue with the next work package.",
                    help_needed=("需要指导委员会决策。" if chinese else "Steering decision needed.")
                    if decision
                    else "",
                    decision_needed=decision,
                    percent_complete=percent,
                    forecast_finish=project.forecast_finish,
                    trend=trend,
                    author=pm_users.get(project.pk),
                    submitted_at=min(
                        now,
                        dt.datetime.combine(
                            period.end + dt.timedelta(days=1), dt.time(2), tzinfo=dt.UTC
                        ),
                    ),
                    phase=project.phase if week >= entered else earlier,
                    version=2,
                    **ratings,
                    **reasons,
                )
            )
            previous = overall
        if len(batch) > 5000:
            flush()
        tick(1)
    flush()
    for project in projects:
        report = latest.get(project.pk)
        project.latest_report = report
        project.trend = report.trend if report else None
        project.percent_complete = report.percent_complete if report else 0
    for chunk in _chunks(projects, 500):
        Project.objects.bulk_update(chunk, ["latest_report", "trend", "percent_complete"])


def _raid_and_milestones(
    rng: random.Random, projects: list[Project], people: list[Person], today: dt.date
) -> None:
    rows: dict[Any, list[Any]] = {
        m: [] for m in (Risk, Issue, Action, Decision, Assumption, Milestone)
    }
    for project in projects:
        chinese = project.org_unit.code.startswith("cn")
        health = project.latest_report.overall if project.latest_report else 2
        for pair in rng.sample(data.RISKS, rng.randrange(2, 6)):
            p, i = rng.randrange(1, 6), rng.randrange(1, 6)
            if health == 3 and rng.random() < 0.5:
                p, i = max(p, 4), max(i, 4)
            rows[Risk].append(
                Risk(
                    project=project,
                    title=_text(pair, chinese),
                    probability=p,
                    impact=i,
                    score=p * i,
                    owner=rng.choice(people),
                    due_date=today + dt.timedelta(days=rng.randrange(-10, 60)),
                    status="closed" if rng.random() < 0.2 else "open",
                )
            )
        for pair in rng.sample(data.ISSUES, rng.randrange(0, 3 + (health > 1))):
            rows[Issue].append(
                Issue(
                    project=project,
                    title=_text(pair, chinese),
                    severity=min(4, health + rng.randrange(0, 2)),
                    owner=rng.choice(people),
                    escalation=min(3, max(0, health - 1 + rng.choice((-1, 0, 0)))),
                    due_date=today + dt.timedelta(days=rng.randrange(-5, 30)),
                    status="closed" if rng.random() < 0.25 else "open",
                )
            )
        for pair in rng.sample(data.ACTIONS, rng.randrange(1, 4)):
            rows[Action].append(
                Action(
                    project=project,
                    title=_text(pair, chinese),
                    owner=rng.choice(people),
                    due_date=today + dt.timedelta(days=rng.randrange(-7, 28)),
                    status="closed" if rng.random() < 0.3 else "open",
                )
            )
        for pair in rng.sample(data.DECISIONS, rng.randrange(0, 2 + (health == 3))):
            pending = rng.random() < 0.5
            rows[Decision].append(
                Decision(
                    project=project,
                    title=_text(pair, chinese),
                    decision_status="pending" if pending else "decided",
                    decided_by="" if pending else "Steering committee",
                    decided_on=None if pending else today - dt.timedelta(days=rng.randrange(5, 90)),
                    due_date=today + dt.timedelta(days=rng.randrange(3, 30)),
                )
            )
        for pair in rng.sample(data.ASSUMPTIONS, rng.randrange(1, 3)):
            rows[Assumption].append(
                Assumption(
                    project=project, title=_text(pair, chinese), validated=rng.choice((None, True))
                )
            )
        assert project.start_date and project.baseline_finish and project.forecast_finish
        span = (project.baseline_finish - project.start_date).days
        shift = (project.forecast_finish - project.baseline_finish).days
        for step, (name, name_zh) in enumerate(data.MILESTONES):
            baseline = project.start_date + dt.timedelta(
                days=span * (step + 1) // len(data.MILESTONES)
            )
            forecast = baseline + dt.timedelta(days=shift * (step + 1) // len(data.MILESTONES))
            rows[Milestone].append(
                Milestone(
                    project=project,
                    name=name,
                    name_zh=name_zh,
                    baseline_date=baseline,
                    forecast_date=forecast,
                    actual_date=forecast if forecast < today else None,
                    is_key=name in ("Go-live", "Design approved"),
                )
            )
    for model, items in rows.items():
        for chunk in _chunks(items, 2000):
            model.objects.bulk_create(chunk)


def _audit(projects: list[Project], admin: User) -> None:
    events = [
        AuditEvent(
            actor=admin,
            actor_name=admin.username,
            action=AuditAction.CREATE,
            object_type="portfolio.project",
            object_id=str(p.pk),
            object_repr=str(p)[:255],
            scope=f"project:{p.pk}",
            changes={
                "code": [None, p.code],
                "name": [None, p.name],
                "source": [None, "demo loader"],
            },
        )
        for p in projects
    ]
    for chunk in _chunks(events, 2000):
        AuditEvent.objects.bulk_create(chunk)
