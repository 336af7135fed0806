"""The demo loader: realistic, repeatable, idempotent."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pmo.accounts.models import User
from pmo.demo.loader import load_demo
from pmo.portfolio.models import Issue, Project, Risk, StatusReport
from pmo.portfolio.selectors import status_center

AS_OF = dt.date(2026, 11, 20)


@pytest.mark.django_db
def test_demo_loads_a_consistent_portfolio():
    result = load_demo(projects=12, as_of=AS_OF)
    assert (result.created, result.projects) == (True, 12)
    assert StatusReport.objects.filter(project__code="P0001").count() in (25, 26)
    for project in Project.objects.select_related("latest_report"):
        latest = StatusReport.objects.filter(project=project).order_by("-period_end").first()
        assert project.latest_report == latest
        assert project.trend == latest.trend
    assert Risk.objects.exists()
    assert Issue.objects.exists()
    # the README's sign-ins, and an account for every other project manager
    assert {u.username for u in User.objects.exclude(person__title="Project manager")} == {
        "admin",
        "pmo",
        "exec",
        "viewer",
        "director",
    }
    assert {"pm", "pm.uk", "chen.jing"} <= {u.username for u in User.objects.all()}
    assert Project.objects.filter(name_zh="核心银行系统升级").exists()


@pytest.mark.django_db
def test_demo_is_idempotent_and_repeatable():
    load_demo(projects=5, as_of=AS_OF)
    first = list(StatusReport.objects.order_by("project__code", "period").values_list("overall"))
    again = load_demo(projects=5, as_of=AS_OF)
    assert again.created is False
    assert Project.objects.count() == 5
    # a user corrects a report before the reset: its revision protects the report it supersedes
    latest = StatusReport.objects.filter(state="submitted").order_by("-period_end").first()
    revise = {f.name: getattr(latest, f.name) for f in latest._meta.concrete_fields}
    revise.pop("id")
    StatusReport.objects.filter(pk=latest.pk).update(is_current=False)
    revision = StatusReport.objects.create(**{**revise, "revision": 2, "supersedes": latest})
    call_command("demo", "--projects", "5", "--no-serve", "--reset", "--as-of", "2026-11-20")
    assert not StatusReport.objects.filter(pk=revision.pk).exists()
    second = list(StatusReport.objects.order_by("project__code", "period").values_list("overall"))
    assert first == second


@pytest.mark.django_db
def test_demo_users_see_according_to_their_role():
    load_demo(projects=24, as_of=AS_OF)
    viewer = User.objects.get(username="viewer")
    executive = User.objects.get(username="exec")
    assert status_center(executive, {}).count() == 24
    visible = status_center(viewer, {})
    assert 0 < visible.count() < 24
    assert all(p.org_unit.code == "cn-sh-rd" for p in visible)


def test_demo_command_refuses_bad_arguments():
    with pytest.raises(CommandError, match="--projects"):
        call_command("demo", "--projects", "0", "--no-serve")
    with pytest.raises(CommandError, match="is not a date"):
        call_command("demo", "--as-of", "2026-13-01", "--no-serve")


@pytest.mark.django_db
def test_demo_gives_a_few_projects_a_plan_with_a_slip():
    from pmo.portfolio.models import Milestone
    from pmo.scheduling.models import Plan

    load_demo(projects=6, as_of=AS_OF)
    plans = Plan.objects.select_related("project").order_by("project__code")
    assert [p.project.code for p in plans] == ["P0001", "P0002", "P0003"]
    slips = [p.project.slip_days or 0 for p in plans]
    assert all(s > 0 for s in slips) and slips == sorted(slips)
    go_live = Milestone.objects.get(project__code="P0001", name="Go-live")
    assert go_live.slip_days == slips[0] and go_live.is_key
    charter = Milestone.objects.get(project__code="P0001", name="Charter approved")
    assert charter.actual_date is not None and charter.actual_date < AS_OF
    plan = plans[0]
    assert plan.status_date is not None and plan.state == "current"
    started = plan.tasks.filter(actual_start__isnull=False, summary=False).count()
    assert 0 < started < plan.tasks.filter(summary=False).count()
    # tasks under way are recorded with the % worked up to the status date (their progress
    # bars end there): the recompute keeps a % as stored, it no longer derives one
    for each in plans:
        under_way = each.tasks.filter(
            summary=False, actual_start__isnull=False, actual_finish__isnull=True
        )
        assert under_way, each.project.code
        for task in under_way:
            assert 0 < task.percent_complete < 100, (each.project.code, task.name)


@pytest.mark.django_db
def test_demo_projects_follow_lifecycles_consistent_with_their_phase():
    from pmo.governance.models import (
        GateDecision,
        LifecycleState,
        PhaseEntry,
        ProjectGate,
        ProjectLifecycle,
        SteeringMeeting,
    )
    from pmo.portfolio.models import ProjectState
    from pmo.resources.models import Allocation

    load_demo(projects=24, as_of=AS_OF)
    lifecycles = ProjectLifecycle.objects.select_related("project", "current_phase", "template")
    assert lifecycles.count() == 24
    # one non-strategic project was stopped at its next gate today: cancelled, its phase kept
    stopped = lifecycles.get(state=LifecycleState.STOPPED)
    assert (stopped.project.state, stopped.project.strategic) == (ProjectState.CANCELLED, False)
    assert stopped.project.phase == stopped.current_phase.category
    decision = GateDecision.objects.get(review__lifecycle=stopped, outcome="stop")
    assert decision.decided_on == AS_OF and decision.rationale
    assert not Allocation.objects.filter(
        project=stopped.project, scenario=None, last__gte=AS_OF
    ).exists()
    for lc in lifecycles.filter(state=LifecycleState.ACTIVE):
        assert lc.project.phase == lc.current_phase.category
        assert lc.template.code in {"rnd", "business", "delivery", "strategy", "assistant"}
        entries = list(PhaseEntry.objects.filter(lifecycle=lc).order_by("id"))
        assert [e.phase.order for e in entries] == list(range(lc.current_phase.order + 1))
        assert [e.left_on is None for e in entries][-1] is True
        passed = ProjectGate.objects.filter(lifecycle=lc, actual__isnull=False).count()
        assert passed == lc.current_phase.order
        assert lc.next_gate.order == lc.current_phase.order + 1
        assert lc.next_gate_due is not None
    outcomes = set(GateDecision.objects.values_list("outcome", flat=True))
    assert {"go", "go_conditions", "hold"} <= outcomes
    meeting = SteeringMeeting.objects.get()
    assert meeting.agenda.filter(kind="gate").exists()
    call_command("demo", "--projects", "5", "--no-serve", "--reset", "--as-of", "2026-11-20")
    assert ProjectLifecycle.objects.count() == 5


@pytest.mark.django_db
def test_demo_capacity_shows_some_overload_and_its_causes():
    from pmo.resources.heatmap import build_heatmap
    from pmo.resources.models import Resource
    from pmo.resources.selectors import list_cell_causes

    load_demo(projects=60, as_of=AS_OF)
    assert Resource.objects.filter(kind="pool").count() == 6
    assert Resource.objects.filter(kind="person").count() == 4
    result = build_heatmap(by="role", start=AS_OF, count=12)
    cells = sum(len(r.cells) for r in result.rows)
    assert 0 < result.overloaded_cells < cells / 2
    java = next(r for r in result.rows if r.key == "Java developer")
    hot = next(c for c in java.cells if c.overloaded)
    causes = list_cell_causes(by="role", key="Java developer", first=hot.first, last=hot.last)
    assert round(sum(c.demand for c in causes), 1) == round(hot.demand, 1)
    call_command("demo", "--projects", "5", "--no-serve", "--reset", "--as-of", "2026-11-20")
    assert Resource.objects.count() == 10


@pytest.mark.django_db
def test_demo_plans_are_staffed_from_the_pools_and_leveling_moves_a_plan_task(settings):
    from pmo.resources import leveling
    from pmo.resources.models import Allocation, AllocationSource
    from pmo.resources.selectors import plans_to_change
    from pmo.resources.services import commit_scenario, create_scenario
    from pmo.scheduling.models import Constraint, Plan
    from pmo.scheduling.scenario import apply_scenario_dates

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    load_demo(projects=60, as_of=AS_OF)
    planned = {"P0001", "P0002", "P0003"}
    # a planned project draws on the pools through its plan's task assignments only
    demand = Allocation.objects.filter(scenario=None, project__code__in=planned)
    pools = demand.filter(resource__kind="pool")
    for code in planned:
        assert pools.filter(project__code=code, source=AllocationSource.SCHEDULE).exists(), code
    # the first project's go-live hypercare stays an allocation of its own
    manual = pools.filter(source=AllocationSource.MANUAL)
    assert list(manual.values_list("project__code", "note")) == [("P0001", "Go-live hypercare")]
    tasks = demand.filter(source=AllocationSource.SCHEDULE)
    assert tasks.filter(task_uid__isnull=True).count() == 0
    assert set(tasks.values_list("task_uid", flat=True)) == {5, 6, 9, 10, 11, 12, 14, 15, 19}
    # the first project's architect is booked for its go-live support and, in its plan, for
    # its hypercare, a task not started: more than he has
    support = demand.get(project__code="P0001", note="Go-live support")
    hypercare = demand.get(project__code="P0001", task_uid=19, resource=support.resource)
    assert AS_OF < support.first < hypercare.first <= support.last
    assert support.fte + hypercare.fte > support.resource.fte
    # leveling the demo portfolio delays that task: committing lists P0001's plan to change,
    # and every plan listed had a task moved (a project shift alone lists none)
    pmo = User.objects.get(username="pmo")
    scenario = create_scenario(actor=pmo, name="Levelled")
    run = leveling.start_leveling(actor=pmo, scenario=scenario, time_limit=5)
    run = leveling.run_leveling(run.pk, today=AS_OF)
    assert run.state == "done"
    moved_tasks = {m["project"] for m in run.result["moved"] if m["kind"] == "task"}
    assert "P0001" in moved_tasks
    assert set(plans_to_change(scenario.pk)) == moved_tasks
    scenario.refresh_from_db()
    result = commit_scenario(actor=pmo, scenario=scenario)
    assert "P0001" in result.plans_to_change
    # and its manager moves the plan's tasks to the scenario's dates: hypercare starts later
    plan = Plan.objects.get(project__code="P0001")
    closed = plan.finish
    applied = apply_scenario_dates(
        actor=User.objects.get(username="pm"), plan=plan, scenario=scenario, today=AS_OF
    )
    assert "Hypercare and handover" in applied.moved and not applied.under_way
    task = plan.tasks.get(uid=19)
    assert task.constraint == Constraint.SNET
    plan.refresh_from_db()
    assert closed is not None and plan.finish is not None and plan.finish > closed


@pytest.mark.django_db
def test_every_strategic_demo_project_is_on_the_one_page_report_on_any_weekday():
    """The report shows the week last due (up to 9 days back, on a Tuesday): a project that
    started after it is not on the board, so the demo starts every project earlier."""
    from pmo.reports.onepage.build import default_period

    tuesday = dt.date(2026, 12, 1)
    load_demo(projects=60, as_of=tuesday)
    week_end = default_period(tuesday).end
    assert (tuesday - week_end).days == 9
    strategic = Project.objects.filter(strategic=True)
    assert strategic.count() == 50
    assert not strategic.filter(start_date__gt=week_end).exists()


@pytest.mark.django_db
def test_the_demo_keeps_exchange_rates_so_budgets_total_in_the_base_currency():
    """The demo runs projects in CNY, GBP and SGD: with the PMO's rates the one-page report
    totals them in CNY (ADR 0016) instead of naming missing rates."""
    from pmo.reports.onepage.build import build_onepage

    load_demo(projects=12, as_of=AS_OF)
    used = set(Project.objects.values_list("currency", flat=True))
    assert {"CNY", "GBP"} <= used <= {"CNY", "GBP", "SGD"}
    header = build_onepage(User.objects.get(username="exec"), {"scope": "all"}).header
    assert header.budget_missing == [] and header.budget_base == "CNY"
    by_currency = dict(header.budget)
    assert header.budget_total == pytest.approx(
        by_currency.get("CNY", 0) + 9.10 * by_currency["GBP"] + 5.40 * by_currency.get("SGD", 0)
    )


@pytest.mark.django_db
def test_the_demo_has_gate_reviews_ready_for_decision_with_complete_checklists():
    from pmo.governance.models import GateReview, ReviewState
    from pmo.governance.submission import missing_for_submission

    load_demo(projects=60, as_of=AS_OF)
    requested = GateReview.objects.filter(state=ReviewState.REQUESTED)
    ready = [r for r in requested if r.ready_for_decision]
    assert ready and len(ready) < requested.count()  # some are still being prepared
    for review in ready:
        assert review.scheduled_for is not None
        assert review.scheduled_for <= AS_OF + dt.timedelta(days=7)
        assert missing_for_submission(review) == []
        assert review.submitted_by == review.requested_by
