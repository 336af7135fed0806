"""Demo history: weekly status reports, RAID logs and milestones that follow each timeline.

A report exists for each week since the project started, written by its project manager
in the manager's language (Chinese in the China region); its phase and % complete are the
timeline's on the week's last day. Milestones (for projects without a plan) fall on the
timeline's gates. Written with ``bulk_create``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from typing import Any

from pmo.accounts.models import Person, User
from pmo.audit.models import AuditAction, AuditEvent
from pmo.demo import data
from pmo.demo.language import ENGLISH, Text, in_chinese, text
from pmo.demo.timeline import MILESTONE_POINTS, Timeline
from pmo.portfolio.models import (
    Action,
    Assumption,
    Decision,
    Issue,
    Milestone,
    Project,
    ReportState,
    Risk,
    StatusReport,
)

__all__ = ["add_audit", "add_raid_and_milestones", "add_reports"]

Progress = Callable[[int], None]
# the hour (UTC) a region's managers submit on Monday morning, local time
SUBMIT_HOUR_UTC = {"cn": 2, "sg": 1, "uk": 9}
STEERING = ("Steering committee", "指导委员会")
# a weekly report's texts: its summary (an opening and how the week went), achievements,
# next steps and the help a red project asks for
PROGRESS: Text = ("Progress this week: ", "本周进展：")
ON_PLAN: Text = ("on plan.", "按计划推进。")
OFF_PLAN: Text = ("deviations, corrective actions running.", "存在偏差，正在纠偏。")
ACHIEVED: Text = ("Completed planned deliverables.", "完成阶段性交付。")
NEXT_STEPS: Text = ("Continue with the next work package.", "推进下一阶段工作。")
HELP: Text = ("Steering decision needed.", "需要指导委员会决策。")
SOURCE: Text = ("demo loader", "演示数据加载")


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def add_reports(
    rng: random.Random,
    projects: list[Project],
    stories: list[tuple[str, list[int]]],
    timelines: list[Timeline],
    periods: list[Any],
    now: dt.datetime,
    tick: Progress,
    language: str = ENGLISH,
) -> int:
    """Weekly reports since each project's start, in ``language`` (English: the China
    region's in Chinese); returns how many."""
    dims = ("schedule", "cost", "scope", "resources", "quality")
    latest: dict[int, StatusReport] = {}
    batch: list[StatusReport] = []
    count = 0

    def flush() -> None:
        for report in StatusReport.objects.bulk_create(batch):
            if report.is_current and (
                report.project_id not in latest
                or latest[report.project_id].period_end < report.period_end
            ):
                latest[report.project_id] = report
        batch.clear()

    for project, (_pattern, path), timeline in zip(projects, stories, timelines, strict=True):
        chinese = in_chinese(language, project.org_unit.code)
        author = project.manager.user if project.manager else None
        hour = SUBMIT_HOUR_UTC.get(data.region(project.org_unit.code), 2)
        skip_last = rng.random() < 0.08  # some PMs are late with this week's report
        previous: int | None = None
        for week, (period, overall) in enumerate(zip(periods, path, strict=True)):
            if skip_last and week == len(periods) - 1:
                break
            phase = timeline.phase_on(period.start)
            if phase is None:  # the project had not started yet
                continue
            ratings = {d: min(3, max(1, overall + rng.choice((-1, 0, 0, 0, 1)))) for d in dims}
            ratings[rng.choice(dims)] = overall  # the worst dimension explains the overall rating
            reasons = {
                f"{d}_reason": text(rng.choice(data.REASONS[d]), chinese) if r > 1 else ""
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
                    overall_reason=text(rng.choice(data.REASONS["overall"]), chinese)
                    if overall > 1
                    else "",
                    summary=text(PROGRESS, chinese)
                    + text(ON_PLAN if overall == 1 else OFF_PLAN, chinese),
                    achievements=text(ACHIEVED, chinese),
                    next_steps=text(NEXT_STEPS, chinese),
                    help_needed=text(HELP, chinese) if decision else "",
                    decision_needed=decision,
                    percent_complete=timeline.percent_on(period.end),
                    forecast_finish=project.forecast_finish,
                    trend=trend,
                    author=author,
                    submitted_at=min(
                        now,
                        dt.datetime.combine(
                            period.end + dt.timedelta(days=1), dt.time(hour), tzinfo=dt.UTC
                        ),
                    ),
                    phase=timeline.phase_on(period.end) or phase,
                    version=2,
                    **ratings,
                    **reasons,
                )
            )
            count += 1
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
    return count


def add_raid_and_milestones(
    rng: random.Random,
    projects: list[Project],
    timelines: list[Timeline],
    people: list[Person],
    today: dt.date,
    planned: set[int],
    language: str = ENGLISH,
) -> None:
    """RAID logs (worse for red projects; in ``language``, English: the China region's in
    Chinese) and, for projects without a plan, milestones."""
    rows: dict[Any, list[Any]] = {
        m: [] for m in (Risk, Issue, Action, Decision, Assumption, Milestone)
    }
    assert set(MILESTONE_POINTS) == {name for name, _zh in data.MILESTONES}
    for project, timeline in zip(projects, timelines, strict=True):
        chinese = in_chinese(language, project.org_unit.code)
        health = project.latest_report.overall if project.latest_report else 2
        for pair in rng.sample(data.RISKS, rng.randrange(2, 6)):
            p, i = rng.randrange(1, 6), rng.randrange(1, 6)
            if health == 3 and rng.random() < 0.5:
                p, i = max(p, 4), max(i, 4)
            rows[Risk].append(
                Risk(
                    project=project,
                    title=text(pair, chinese),
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
                    title=text(pair, chinese),
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
                    title=text(pair, chinese),
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
                    title=text(pair, chinese),
                    decision_status="pending" if pending else "decided",
                    decided_by="" if pending else text(STEERING, chinese),
                    decided_on=None if pending else today - dt.timedelta(days=rng.randrange(5, 90)),
                    due_date=today + dt.timedelta(days=rng.randrange(3, 30)),
                )
            )
        for pair in rng.sample(data.ASSUMPTIONS, rng.randrange(1, 3)):
            rows[Assumption].append(
                Assumption(
                    project=project, title=text(pair, chinese), validated=rng.choice((None, True))
                )
            )
        if project.pk in planned:
            continue  # the plan's milestones
        for name, name_zh in data.MILESTONES:
            if project.pmo_type not in data.MILESTONE_TYPES.get(name, {project.pmo_type}):
                continue
            dates = timeline.milestone(name)
            if dates is None:
                continue
            baseline, forecast, actual = dates
            rows[Milestone].append(
                Milestone(
                    project=project,
                    name=name,
                    name_zh=name_zh,
                    baseline_date=baseline,
                    forecast_date=forecast,
                    actual_date=actual,
                    is_key=name in ("Go-live", "Design approved", "Customer acceptance"),
                )
            )
    for model, items in rows.items():
        for chunk in _chunks(items, 2000):
            model.objects.bulk_create(chunk)


def add_audit(projects: list[Project], admin: User, language: str = ENGLISH) -> None:
    """The demo projects' creation in their change history (by the demo loader)."""
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
                "source": [None, text(SOURCE, language)],
            },
        )
        for p in projects
    ]
    for chunk in _chunks(events, 2000):
        AuditEvent.objects.bulk_create(chunk)
