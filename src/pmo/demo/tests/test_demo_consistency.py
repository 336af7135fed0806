"""The demo portfolio tells one story per project: phase, gates, milestones, plan, reports,
money and language agree with each other and with today (what a newcomer sees first)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from pmo.accounts.models import User
from pmo.demo.loader import load_demo
from pmo.governance.models import LifecycleState, PhaseEntry, ProjectGate, ProjectLifecycle
from pmo.portfolio.models import Milestone, Project, StatusReport
from pmo.resources.heatmap.requests import pending_requests

AS_OF = dt.date(2026, 11, 20)
CJK = re.compile("[\u4e00-\u9fff]")
REGION_CURRENCY = {"cn": "CNY", "uk": "GBP", "sg": "SGD"}
BEFORE_EXECUTION = {"idea", "initiation", "planning"}


def _lifecycles() -> list[Any]:
    """The running lifecycles (the demo's one stopped project is checked on its own)."""
    return list(
        ProjectLifecycle.objects.filter(state=LifecycleState.ACTIVE)
        .select_related("project", "current_phase")
        .order_by("project__code")
    )


@pytest.mark.django_db
def test_phase_gates_and_days_in_phase_agree_with_today() -> None:
    # given the demo portfolio
    load_demo(projects=60, as_of=AS_OF)
    # then each project is in the phase its passed gates lead to, passed them in order before
    # today, entered each phase on the day it left the one before, and spends plausible time in it
    for lc in _lifecycles():
        project, current = lc.project, lc.current_phase
        assert project.phase == current.category, project.code
        gates = list(ProjectGate.objects.filter(lifecycle=lc).order_by("gate__order"))
        passed = [g.actual for g in gates if g.actual is not None]
        assert [g.gate.order for g in gates if g.actual] == list(range(1, current.order + 1))
        assert passed == sorted(passed) and all(day < AS_OF for day in passed), project.code
        assert all(project.start_date <= day for day in passed), project.code
        assert all(g.forecast >= g.actual for g in gates if g.actual), project.code
        entries = list(PhaseEntry.objects.filter(lifecycle=lc).order_by("phase__order"))
        assert entries[0].entered_on == project.start_date == lc.started_on
        assert [e.left_on for e in entries[:-1]] == [e.entered_on for e in entries[1:]]
        assert [e.entered_on for e in entries[1:]] == passed
        days_in = (AS_OF - entries[-1].entered_on).days
        assert 0 < days_in <= 2 * current.expected_days + 30, (project.code, days_in)
        for entry in entries[:-1]:
            assert entry.left_on is not None
            spent = (entry.left_on - entry.entered_on).days
            assert 0.5 * entry.phase.expected_days <= spent <= 2 * entry.phase.expected_days
        next_gate = gates[current.order] if current.order < len(gates) else None
        assert next_gate is not None and next_gate.actual is None
        assert lc.next_gate_due == next_gate.forecast
        # the plan's date of a gate is the template's expectation, give or take
        planned = [project.start_date] + [g.planned for g in gates]
        assert planned == sorted(planned), project.code


@pytest.mark.django_db
def test_progress_milestones_and_reports_follow_the_phase() -> None:
    # given the demo portfolio
    load_demo(projects=60, as_of=AS_OF)
    for lc in _lifecycles():
        project = Project.objects.get(pk=lc.project_id)
        category = project.phase
        # then % complete grows with the phase: little before execution, most in closing
        if category in BEFORE_EXECUTION:
            assert project.percent_complete < 50, project.code
        if category == "closing":
            assert project.percent_complete >= 60, project.code
        # reports exist only since the start; their phase follows the gates week by week and
        # their % complete never falls
        entries = list(
            PhaseEntry.objects.filter(lifecycle=lc).select_related("phase").order_by("phase__order")
        )
        reports = list(StatusReport.objects.filter(project=project).order_by("period_end"))
        percents = [r.percent_complete for r in reports]
        assert percents == sorted(percents), project.code
        assert project.start_date is not None
        for report in reports:
            assert report.period_start >= project.start_date, project.code
            phase = [e for e in entries if e.entered_on <= report.period_end][-1].phase
            assert report.phase == phase.category, (project.code, report.period)
        # milestones: the go-live is reached exactly when the project is past execution
        go_live = Milestone.objects.filter(project=project, name="Go-live").get()
        assert (go_live.actual_date is not None) == (category in {"closing", "closed"}) or (
            lc.template.code == "assistant"
        ), project.code
        for milestone in Milestone.objects.filter(project=project):
            assert milestone.actual_date is None or milestone.actual_date < AS_OF
            if milestone.actual_date is None:
                assert category not in {"closing"} or milestone.name == "Project closed"


@pytest.mark.django_db
def test_planned_projects_are_near_go_live_with_gates_on_their_plan() -> None:
    # given the demo portfolio: the first projects have a plan
    from pmo.scheduling.models import Plan

    load_demo(projects=12, as_of=AS_OF)
    for plan in Plan.objects.select_related("project"):
        project = plan.project
        lc = ProjectLifecycle.objects.select_related("current_phase").get(project=project)
        gates = {
            g.gate.code: g for g in ProjectGate.objects.filter(lifecycle=lc).select_related("gate")
        }
        milestones = {m.name: m for m in Milestone.objects.filter(project=project)}
        # then the project is in execution, the plan's charter and design sign-off are the
        # gates into planning and into execution, and its go-live is the next gate, weeks ahead
        assert project.phase == "execution"
        assert milestones["Charter approved"].actual_date == gates["G2"].actual
        assert milestones["Design approved"].actual_date == gates["G3"].actual
        go_live = milestones["Go-live"]
        assert go_live.actual_date is None
        assert go_live.forecast_date == gates["G4"].forecast == lc.next_gate_due
        assert go_live.forecast_date is not None
        assert AS_OF < go_live.forecast_date <= AS_OF + dt.timedelta(days=45)
        assert project.start_date == plan.start.date()
        assert 70 <= project.percent_complete < 100
        leaves = list(plan.tasks.filter(summary=False))
        weighted = sum(t.duration * t.percent_complete for t in leaves) / sum(
            t.duration for t in leaves
        )
        # as of the last weekly report, a few days before the plan's status date
        assert round(weighted) - 5 <= project.percent_complete <= round(weighted)


@pytest.mark.django_db
def test_every_gate_tied_to_a_milestone_finds_it_and_follows_its_date() -> None:
    # given the demo portfolio (R&D G3 "Design approved", R&D and business G4 "Go-live",
    # delivery G4 "Customer acceptance": ADR 0002)
    from pmo.governance.forecasts import milestone_ties

    load_demo(projects=24, as_of=AS_OF)
    tied = set()
    for lc in _lifecycles():
        ties = milestone_ties(lc.template_id, lc.project_id)
        gates = {g.gate.order: g for g in ProjectGate.objects.filter(lifecycle=lc)}
        for order, tie in ties.items():
            # then every project has the milestone its gates are decided on, dated, and a gate
            # ahead is forecast on it (a passed gate was decided on it)
            assert tie.found and tie.date is not None, (lc.project.code, order)
            gate = gates[order]
            assert (gate.actual or gate.forecast) == tie.date, (lc.project.code, order)
            tied.add((lc.template.code, gate.gate.code, gate.actual is None))
    assert {("delivery", "G4", True), ("rnd", "G4", True), ("rnd", "G3", False)} <= tied
    assert ("business", "G4", True) in tied
    # a delivery project's customer acceptance is a key milestone in both languages, reached
    # with the gate into acceptance; other projects have none
    acceptance = Milestone.objects.filter(name="Customer acceptance").select_related("project")
    assert {m.project.pmo_type for m in acceptance} == {"delivery"}
    assert acceptance.count() == Project.objects.filter(pmo_type="delivery").count()
    assert all(m.name_zh == "客户验收" and m.is_key for m in acceptance)
    # the plans' milestones have Chinese names too
    planned = Milestone.objects.filter(project__plan__isnull=False)
    assert planned.exists() and not planned.filter(name_zh="").exists()


@pytest.mark.django_db
def test_reports_have_their_managers_as_authors_in_their_language() -> None:
    # given the demo portfolio
    load_demo(projects=24, as_of=AS_OF)
    reports = StatusReport.objects.select_related("project__manager", "project__org_unit")
    assert reports.count() > 24 * 10
    for report in reports:
        # then every report was submitted by its project's manager
        assert report.author is not None and report.author == report.project.manager.user
        assert report.submitted_at is not None
        # and China-based managers write Chinese
        if report.project.org_unit.code.startswith("cn"):
            texts = [report.summary, report.overall_reason, report.help_needed]
            assert all(CJK.search(t) for t in texts if t), report.pk
    # the README's sign-ins are there; the other managers have their own accounts
    names = set(User.objects.values_list("username", flat=True))
    assert {"admin", "pmo", "pm", "pm.uk", "exec", "viewer", "director"} <= names
    managers = set(Project.objects.values_list("manager__user__username", flat=True))
    assert None not in managers and {"pm", "pm.uk"} <= managers
    assert not managers & {"pmo", "viewer", "exec", "director", "admin"}


@pytest.mark.django_db
def test_requests_to_commit_were_asked_by_their_project_managers() -> None:
    # given the demo portfolio
    load_demo(projects=24, as_of=AS_OF)
    found = pending_requests(today=AS_OF)
    # then there are requests, each asked by its project's manager (in the audit trail)
    assert found.total >= 3
    for row in found.rows:
        assert row.asked_by == row.allocation.project.manager.display_name, row.allocation.pk
        assert row.asked_at is not None


@pytest.mark.django_db
def test_money_is_in_the_currency_of_the_region(client: Client) -> None:
    # given the demo portfolio
    from pmo.resources.models import Resource

    load_demo(projects=24, as_of=AS_OF)
    # then people, pools and projects outside China are not in CNY, and cost their region's
    # currency
    for resource in Resource.objects.select_related("org_unit"):
        region = resource.org_unit.code.split("-")[0]
        assert resource.currency == REGION_CURRENCY[region], resource.code
        assert resource.calendar == ("CN" if region == "cn" else "")
        assert Decimal(0) < resource.cost_rate < Decimal(1000)
    for project in Project.objects.select_related("org_unit"):
        assert project.currency == REGION_CURRENCY[project.org_unit.code.split("-")[0]]
    assert {"CNY", "GBP", "SGD"} <= set(Resource.objects.values_list("currency", flat=True))
    # and the staffing pages total per currency
    client.force_login(User.objects.get(username="director"))
    for project in Project.objects.filter(allocations__isnull=False).distinct()[:6]:
        page = client.get(f"/projects/{project.code}/staffing/")
        assert page.status_code == 200
    person = Resource.objects.get(name="Harry Patel")
    page = client.get(f"/resources/{person.pk}/")
    assert page.status_code == 200 and b"GBP" in page.content
