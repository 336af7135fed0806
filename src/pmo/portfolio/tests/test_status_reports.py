"""Submitting, revising and deriving status from periodic reports."""

import datetime as dt

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError, ValidationFailed
from pmo.portfolio import services
from pmo.portfolio.models import Project, ReportState, StatusReport, Trend

TODAY = dt.date(2026, 11, 20)


def submit(actor, project, period, data, **kwargs):
    return services.create_status_report(
        actor=actor, project=project, period=period, data=data, today=TODAY, **kwargs
    )


def test_pm_submits_a_report_and_the_project_shows_it(users, make_project, green):
    project = make_project()
    report = submit(users["pm"], project, "2026-W46", green(percent_complete=55))
    project.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.is_current is True
    assert report.submitted_at is not None
    assert project.latest_report_id == report.pk
    assert project.percent_complete == 55


def test_amber_and_red_need_a_reason_for_each_dimension(users, make_project, green):
    project = make_project()
    with pytest.raises(ValidationFailed) as info:
        submit(users["pm"], project, "2026-W46", green(overall=2, cost=3, cost_reason=""))
    fields = [e["field"] for e in info.value.errors]
    assert fields == ["overall_reason", "cost_reason"]
    assert StatusReport.objects.count() == 0


def test_reason_given_for_amber_is_accepted(users, make_project, green):
    project = make_project()
    report = submit(
        users["pm"], project, "2026-W46", green(overall=2, overall_reason="Vendor late")
    )
    assert report.overall == 2


def test_summary_is_required(users, make_project, green):
    with pytest.raises(ValidationFailed, match="summary"):
        submit(users["pm"], make_project(), "2026-W46", green(summary="  "))


def test_period_must_match_the_cadence(users, make_project, green):
    with pytest.raises(FieldError) as info:
        submit(users["pm"], make_project(), "2026-10", green())
    assert info.value.field == "period"
    assert "weekly" in info.value.message


def test_future_period_is_refused(users, make_project, green):
    with pytest.raises(FieldError, match="has not started yet"):
        submit(users["pm"], make_project(), "2026-W49", green())


def test_submitted_report_is_immutable(users, make_project, green):
    report = submit(users["pm"], make_project(), "2026-W46", green())
    with pytest.raises(ConflictError, match="cannot change"):
        services.update_status_report(
            actor=users["pm"], report=report, data={"summary": "x"}, version=report.version
        )
    with pytest.raises(ConflictError, match="submitted already"):
        services.submit_status_report(actor=users["pm"], report=report, version=report.version)


def test_correction_is_a_new_revision_and_the_original_stays(users, make_project, green):
    project = make_project()
    first = submit(users["pm"], project, "2026-W46", green(summary="first"))
    second = submit(users["pm"], project, "2026-W46", {"summary": "corrected"})
    first.refresh_from_db()
    assert (first.revision, first.is_current, first.summary) == (1, False, "first")
    assert (second.revision, second.is_current, second.supersedes_id) == (2, True, first.pk)
    assert second.percent_complete == first.percent_complete  # copied from the corrected one
    project.refresh_from_db()
    assert project.latest_report_id == second.pk
    # the history says what the revision corrected, not its bookkeeping
    from pmo.audit.models import AuditEvent

    revised = AuditEvent.objects.get(action="revise", object_id=str(second.pk))
    assert revised.changes == {"summary": ["first", "corrected"]}


def test_draft_then_submit(users, make_project, green):
    project = make_project()
    draft = submit(users["pm"], project, "2026-W46", green(), submit=False)
    project.refresh_from_db()
    assert draft.state == ReportState.DRAFT
    assert project.latest_report_id is None
    draft = services.update_status_report(
        actor=users["pm"], report=draft, data={"summary": "better"}, version=draft.version
    )
    with pytest.raises(ConflictError) as info:
        services.update_status_report(
            actor=users["pm"], report=draft, data={"summary": "stale"}, version=1
        )
    assert info.value.current_version == draft.version
    services.submit_status_report(actor=users["pm"], report=draft, version=draft.version)
    project.refresh_from_db()
    assert project.latest_report.summary == "better"


def test_second_draft_for_a_period_is_refused(users, make_project, green):
    project = make_project()
    submit(users["pm"], project, "2026-W46", green(), submit=False)
    with pytest.raises(ConflictError, match="draft"):
        submit(users["pm"], project, "2026-W46", green(), submit=False)


def test_trend_compares_with_the_previous_period(users, make_project, green):
    project = make_project()
    a = submit(users["pm"], project, "2026-W44", green())
    b = submit(users["pm"], project, "2026-W45", green(overall=3, overall_reason="late"))
    c = submit(users["pm"], project, "2026-W46", green(overall=2, overall_reason="recovering"))
    assert [a.trend, b.trend, c.trend] == [None, Trend.WORSE, Trend.BETTER]
    project.refresh_from_db()
    assert project.trend == Trend.BETTER


def test_revising_an_old_period_updates_the_next_trend(users, make_project, green):
    project = make_project()
    submit(users["pm"], project, "2026-W45", green())
    later = submit(users["pm"], project, "2026-W46", green(overall=2, overall_reason="r"))
    assert later.trend == Trend.WORSE
    submit(users["pm"], project, "2026-W45", green(overall=3, overall_reason="was red"))
    later.refresh_from_db()
    assert later.trend == Trend.BETTER


def test_latest_report_is_the_newest_period_not_the_newest_write(users, make_project, green):
    project = make_project()
    newest = submit(users["pm"], project, "2026-W46", green())
    submit(users["pm"], project, "2026-W44", green(summary="late entry"))
    project.refresh_from_db()
    assert project.latest_report_id == newest.pk


@pytest.mark.parametrize("role", ["exec", "viewer", "other_pm"])
def test_only_pmo_and_own_pm_may_report(role, users, make_project, green):
    with pytest.raises(PermissionDeniedError):
        submit(users[role], make_project(), "2026-W46", green())


def test_pmo_member_may_report_for_any_project(users, make_project, green):
    report = submit(users["member"], make_project(), "2026-W46", green())
    assert report.author == users["member"]


def test_every_step_is_audited(users, make_project, green):
    project = make_project()
    report = submit(users["pm"], project, "2026-W46", green(percent_complete=70))
    events = list(AuditEvent.objects.filter(scope=f"project:{project.pk}").order_by("id"))
    assert [(e.action, e.object_type) for e in events] == [
        ("create", "portfolio.statusreport"),
        ("submit", "portfolio.statusreport"),
        ("update", "portfolio.project"),
    ]
    assert events[0].actor == users["pm"]
    assert events[0].changes["summary"] == [None, "On plan."]
    assert events[2].changes["percent_complete"] == [0, 70]
    assert events[1].object_id == str(report.pk)


def test_forecast_finish_from_report_moves_the_project(users, make_project, green):
    project = make_project()
    submit(users["pm"], project, "2026-W46", green(forecast_finish=dt.date(2027, 2, 1)))
    project = Project.objects.get(pk=project.pk)
    assert project.forecast_finish == dt.date(2027, 2, 1)
    assert project.slip_days == 32
