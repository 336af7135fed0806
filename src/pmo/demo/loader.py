"""Load a seeded, repeatable demo portfolio (``pmo demo``).

The same seed and ``as_of`` date give the same portfolio. Rows are written
with ``bulk_create`` so that ``--projects 5000`` (130,000 status reports)
loads in well under two minutes; the derived fields the services would keep
(``latest_report``, ``trend``, ``is_current``) are set here in the same way.
Every project follows the built-in lifecycle of its PMO type along one dated story
(:mod:`pmo.demo.timeline`): its phase, % complete, reports, milestones, plan and gate
history (:mod:`pmo.demo.governance`) agree with each other and with today. The
organisation and sign-ins are in :mod:`pmo.demo.people`, each project's story
(health pattern, phase) in :mod:`pmo.demo.stories`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pmo.accounts.models import OrgUnit, Person, User
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
from pmo.demo.language import LANGUAGES, Text, default_language, text
from pmo.demo.people import (
    DEMO_PASSWORD,
    DEMO_USERS,
    create_org_units,
    create_people,
    create_users,
    pm_usernames,
)
from pmo.demo.plans import PLANNED_PROJECTS, add_demo_plans, staff_demo_plans
from pmo.demo.resources import load_resources, reset_resources
from pmo.demo.stories import PATTERNS, PHASES, STORY_PHASES, health_path, project_timeline
from pmo.demo.timeline import Timeline, fit_plan
from pmo.governance.steering import create_meeting
from pmo.portfolio.models import (
    Action,
    Assumption,
    Decision,
    Issue,
    Milestone,
    Portfolio,
    Program,
    Project,
    ProjectState,
    Risk,
    StatusReport,
)
from pmo.portfolio.periods import due_period, previous_period
from pmo.portfolio.rates import ExchangeRate

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "HISTORY_WEEKS",
    "PATTERNS",
    "PHASES",
    "PORTFOLIO_CODE",
    "STORY_PHASES",
    "STRATEGIC",
    "DemoResult",
    "Progress",
    "demo_loaded",
    "is_strategic",
    "load_demo",
    "pm_usernames",
    "reset_demo",
]

PORTFOLIO_CODE = "STRAT"
HISTORY_WEEKS = 26
# the loader's own single-language texts (English, Chinese): the portfolio's description, a
# project's (its names), the steering meeting's title and place
PORTFOLIO_DESCRIPTION: Text = (
    "Projects governed by the group steering committee.",
    "由集团指导委员会治理的项目。",
)
MEETING: Text = ("Group steering committee", "集团指导委员会")
MEETING_PLACE: Text = ("HQ 12F", "总部12楼")
STRATEGIC = 60
"""Strategic projects in the demo: the one-page report's default scope (every sixth of the
first 72 projects is not strategic, so the default demo has 72 projects and the scopes differ;
a larger demo adds non-strategic ones)."""


def is_strategic(index: int) -> bool:
    """Whether the demo project number ``index`` (from 0) is one of the :data:`STRATEGIC`."""
    return index < STRATEGIC * 6 // 5 and index % 6 != 5


Progress = Callable[[int], None]


@dataclass
class DemoResult:
    """What :func:`load_demo` did: whether it created the portfolio, and how much."""

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


def load_demo(
    *,
    projects: int = 72,
    as_of: dt.date | None = None,
    seed: int = 2026,
    progress: Progress | None = None,
    language: str | None = None,
) -> DemoResult:
    """Create the demo portfolio unless it exists (then nothing changes).

    ``language`` (``en`` or ``zh-hans``; default the site's) is the language of the texts
    that have one (plans, reports, RAID logs, notes, ...); bilingual names get both. The
    rest (codes, dates, numbers) is the same in either language.
    """
    language = language or default_language()
    if language not in LANGUAGES:
        raise ValueError(f"the demo's language is one of {', '.join(LANGUAGES)}, not {language!r}")
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
        units = create_org_units()
        staff, sponsors = create_people(units, language)
        people = {p.name: p for p in (*staff, *sponsors)}
        users = create_users(people)
        managers = [p for p in staff if p.name not in data.TITLES]
        lifecycles = lifecycle_phases()
        portfolio = Portfolio.objects.create(
            code=PORTFOLIO_CODE,
            name="Strategic portfolio",
            name_zh="战略项目组合",
            description=text(PORTFOLIO_DESCRIPTION, language),
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
            path = health_path(rng, pattern, HISTORY_WEEKS)
            timeline = project_timeline(rng, index, lifecycles[pmo_type], path, today)
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
                    description=text((f"{name} — {name_zh}", name_zh), language),
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
        _add_plans(created_projects, timelines, users["admin"], today, language)
        reports = add_reports(
            rng, created_projects, stories, timelines, periods, now, tick, language
        )
        add_raid_and_milestones(
            rng,
            created_projects,
            timelines,
            managers,
            today,
            {p.pk for p in created_projects[:PLANNED_PROJECTS]},
            language,
        )
        add_audit(created_projects, users["admin"], language)
        if settings.PMO_BASE_CURRENCY == "CNY":  # the demo's rates are CNY per unit
            ExchangeRate.objects.bulk_create(
                (
                    ExchangeRate(
                        currency=code,
                        rate=Decimal(rate),
                        valid_from=dt.date(today.year - 1, 1, 1),
                        set_by=users["admin"],
                    )
                    for code, rate in data.EXCHANGE_RATES.items()
                ),
                ignore_conflicts=True,
            )
        planned = created_projects[:PLANNED_PROJECTS]
        load_resources(created_projects, today, seed, frozenset(p.pk for p in planned), language)
        staff_demo_plans(planned, language)
        load_governance(
            projects=created_projects,
            stories=stories,
            timelines=timelines,
            periods=periods,
            today=today,
            users=users,
            people=managers,
            seed=seed,
            language=language,
        )
        load_dependencies(created_projects, users, language)
        raise_demo_change(created_projects, users, language)
        stop_a_project(created_projects, users, today, language)
        create_meeting(
            actor=users["admin"],
            data={
                "title": text(MEETING, language),
                "date": today + dt.timedelta(days=7 - today.weekday()),
                "window_days": 21,
                "location": text(MEETING_PLACE, language),
            },
        )
    return DemoResult(created=True, projects=len(created_projects), reports=reports)


def _add_plans(
    projects: list[Project],
    timelines: list[Timeline],
    admin: User,
    today: dt.date,
    language: str,
) -> None:
    """Plans for the first projects; their gates, dates and progress then follow the plan."""
    planned = list(zip(projects, timelines, strict=False))[:PLANNED_PROJECTS]
    dates = add_demo_plans(planned, admin, today, language)
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
