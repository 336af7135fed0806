"""Load a seeded, repeatable demo portfolio (``pmo demo``).

The same seed and ``as_of`` date give the same portfolio. Rows are written
with ``bulk_create`` so that ``--projects 5000`` (130,000 status reports)
loads in well under two minutes; the derived fields the services would keep
(``latest_report``, ``trend``, ``is_current``) are set here in the same way.
Every project follows the built-in lifecycle of its PMO type along one dated story
(:mod:`pmo.demo.timeline`): its phase, % complete, reports, milestones, plan and gate
history (:mod:`pmo.demo.governance`) agree with each other and with today.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from pmo.accounts.models import OrgUnit, Person, Role, User
from pmo.audit.models import AuditEvent
from pmo.demo import data
from pmo.demo.dependencies import load_dependencies, raise_demo_change
from pmo.demo.governance import (
    lifecycle_phases,
    load_governance,
    reset_governance,
    stop_a_project,
)
from pmo.demo.history import add_audit, add_raid_and_milestones, add_reports
from pmo.demo.plans import PLANNED_PROJECTS, add_demo_plans, staff_demo_plans
from pmo.demo.resources import load_resources, reset_resources
from pmo.demo.timeline import PhaseSpec, Timeline, fit_plan, make_timeline
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
# projects whose place in the dependency story fixes their phase (category, share of it gone):
# the data lake still delivers; the channel projects that need the core upgrade's go-live
# have their UAT and go-live ahead; the new data centre has built already
STORY_PHASES = {
    "P0007": ("execution", (0.2, 0.5)),
    "P0010": ("execution", (0.1, 0.4)),
    "P0016": ("execution", (0.1, 0.4)),
    "P0017": ("planning", (0.2, 0.8)),
    "P0023": ("execution", (0.1, 0.4)),
    "P0026": ("planning", (0.2, 0.8)),
    "P0029": ("execution", (0.75, 0.85)),
    "P0030": ("execution", (0.1, 0.4)),
}
STRATEGIC = 60
"""Strategic projects in the demo: the one-page report's default scope (every sixth of the
first 72 projects is not strategic, so the default demo has 72 projects and the scopes differ;
a larger demo adds non-strategic ones)."""


def is_strategic(index: int) -> bool:
    """Whether the demo project number ``index`` (from 0) is one of the :data:`STRATEGIC`."""
    return index < STRATEGIC * 6 // 5 and index % 6 != 5


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
    usernames = [u[0] for u in DEMO_USERS] + list(pm_usernames().values())
    reset_governance(
        ids, list(User.objects.filter(username__in=usernames).values_list("pk", flat=True))
    )
    AuditEvent.objects.filter(scope__in=[f"project:{i}" for i in ids]).delete()
    for chunk in _chunks(ids, 500):
        # revisions protect the report they supersede: unlink them, then delete in any order
        StatusReport.objects.filter(project_id__in=chunk).update(supersedes=None)
        for model in (StatusReport, Milestone, Risk, Issue, Action, Decision, Assumption):
            model.objects.filter(project_id__in=chunk).delete()
        Project.objects.filter(pk__in=chunk).delete()
    Program.objects.filter(portfolio__code=PORTFOLIO_CODE).delete()
    Portfolio.objects.filter(code=PORTFOLIO_CODE).delete()
    User.objects.filter(username__in=usernames).delete()
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
    staff = Person.objects.bulk_create(
        Person(
            name=n,
            name_zh=z,
            org_unit=units[u],
            email=n.lower().replace(" ", ".") + "@example.com",
            title=data.TITLES.get(n, "Project manager"),
        )
        for n, z, u in data.PEOPLE
    )
    sponsors = Person.objects.bulk_create(
        Person(name=n, name_zh=z, org_unit=units[u], title="Executive sponsor")
        for n, z, u in data.SPONSORS
    )
    return staff, sponsors


def pm_usernames() -> dict[str, str]:
    """Person name → username of the project managers without a README sign-in."""
    named = {person for _u, _r, person, _s in DEMO_USERS if person}
    return {
        n: n.lower().replace(" ", ".")
        for n, _z, _u in data.PEOPLE
        if n not in data.TITLES and n not in named
    }


def _users(people: dict[str, Person]) -> dict[str, User]:
    """The README's users and an account for every other project manager (same password)."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    rows = [*DEMO_USERS, *((u, Role.PROJECT_MANAGER, n, False) for n, u in pm_usernames().items())]
    users = {}
    for username, role, person_name, staff in rows:
        user = User(
            username=username,
            role=role,
            is_staff=staff,
            is_superuser=role == Role.PMO_ADMIN,
            email=f"{username}@example.com",
            password=password,
        )
        user.save()
        users[username] = user
        if person_name:
            person = people[person_name]
            Person.objects.filter(pk=person.pk).update(user=user)
            person.user = user
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


def _timeline(
    rng: random.Random,
    index: int,
    phases: list[PhaseSpec],
    path: list[int],
    today: dt.date,
) -> Timeline:
    """Where project ``index`` stands: its story's fixed phase, else a random one."""
    code = f"P{index + 1:04d}"
    if index < PLANNED_PROJECTS:  # near go-live: the plan's last weeks, the hypercare spike
        return make_timeline(rng, phases, "execution", path, today, next_gate_in=16 + 2 * index)
    if code == "P0004":  # the payment hub goes live before the mobile app it serves
        return make_timeline(rng, phases, "execution", path, today, next_gate_in=10)
    if code in STORY_PHASES:
        wanted, into = STORY_PHASES[code]
        return make_timeline(rng, phases, wanted, path, today, into=into)
    return make_timeline(rng, phases, rng.choice(PHASES), path, today)


def load_demo(
    *,
    projects: int = 72,
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
        staff, sponsors = _people(units)
        people = {p.name: p for p in (*staff, *sponsors)}
        users = _users(people)
        managers = [p for p in staff if p.name not in data.TITLES]
        lifecycles = lifecycle_phases()
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
        timelines: list[Timeline] = []
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
            pattern = rng.choice(PATTERNS)
            path = _health_path(rng, pattern, HISTORY_WEEKS)
            timeline = _timeline(rng, index, lifecycles[pmo_type], path, today)
            project_rows.append(
                Project(
                    code=f"P{index + 1:04d}",
                    name=name,
                    name_zh=name_zh,
                    portfolio=portfolio,
                    program=programs[program_code],
                    pmo_type=pmo_type,
                    priority=1 + rng.randrange(5),
                    strategic=is_strategic(index),
                    phase=timeline.category,
                    state=ProjectState.ACTIVE,
                    sponsor=rng.choice(sponsors),
                    manager=manager,
                    org_unit=manager.org_unit,
                    description=f"{name} — {name_zh}",
                    start_date=timeline.start,
                    planned_finish=timeline.planned_finish,
                    baseline_finish=timeline.planned_finish,
                    forecast_finish=timeline.finish,
                    budget=Decimal(rng.randrange(5, 400) * 100_000),
                    currency=data.CURRENCIES[data.region(manager.org_unit.code)],
                    percent_complete=0,
                )
            )
            stories.append((pattern, path))
            timelines.append(timeline)
        created_projects: list[Project] = []
        for chunk in _chunks(project_rows, 500):
            created_projects.extend(Project.objects.bulk_create(chunk))
        _add_plans(created_projects, timelines, users["admin"], today)
        reports = add_reports(rng, created_projects, stories, timelines, periods, now, tick)
        add_raid_and_milestones(
            rng,
            created_projects,
            timelines,
            managers,
            today,
            {p.pk for p in created_projects[:PLANNED_PROJECTS]},
        )
        add_audit(created_projects, users["admin"])
        planned = created_projects[:PLANNED_PROJECTS]
        load_resources(created_projects, today, seed, frozenset(p.pk for p in planned))
        staff_demo_plans(planned)
        load_governance(
            projects=created_projects,
            stories=stories,
            timelines=timelines,
            periods=periods,
            today=today,
            users=users,
            people=managers,
            seed=seed,
        )
        load_dependencies(created_projects, users)
        raise_demo_change(created_projects, users)
        stop_a_project(created_projects, users, today)
        create_meeting(
            actor=users["admin"],
            data={
                "title": "Group steering committee",
                "date": today + dt.timedelta(days=7 - today.weekday()),
                "window_days": 21,
                "location": "HQ 12F",
            },
        )
    return DemoResult(created=True, projects=len(created_projects), reports=reports)


def _add_plans(
    projects: list[Project], timelines: list[Timeline], admin: User, today: dt.date
) -> None:
    """Plans for the first projects; their gates, dates and progress then follow the plan."""
    planned = list(zip(projects, timelines, strict=False))[:PLANNED_PROJECTS]
    dates = add_demo_plans(planned, admin, today)
    for index, (project, timeline) in enumerate(planned):
        plan = dates[project.pk]
        timelines[index] = fit_plan(
            timeline,
            start=plan.start,
            charter=plan.charter,
            signoff=plan.signoff,
            go_live=plan.go_live,
            progress=plan.percent,
            closed=plan.closed,
        )
        # the plan set the finish dates (its closure); the start and the plan are its too
        project.refresh_from_db(fields=["forecast_finish", "baseline_finish", "version"])
        project.start_date, project.planned_finish = plan.start, plan.closed[0]
        Project.objects.filter(pk=project.pk).update(
            start_date=project.start_date, planned_finish=project.planned_finish
        )
