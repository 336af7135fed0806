"""Project and RAID services: validation, versions, permissions and audit."""

import datetime as dt

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError, ValidationFailed
from pmo.portfolio import services


def new_project_data(**overrides):
    data = {
        "code": "NEW1",
        "name": "New project",
        "name_zh": "新项目",
        "portfolio": "STRAT",
        "program": "CORE",
        "pmo_type": "rnd",
        "org_unit": "sh",
        "planned_finish": dt.date(2027, 6, 30),
    }
    data.update(overrides)
    return data


def test_pmo_creates_a_project_with_baseline_from_plan(users, portfolio):
    project = services.create_project(actor=users["member"], data=new_project_data())
    assert project.baseline_finish == dt.date(2027, 6, 30)
    assert project.forecast_finish == dt.date(2027, 6, 30)
    event = AuditEvent.objects.get(scope=f"project:{project.pk}")
    assert (event.action, event.actor) == ("create", users["member"])
    assert event.changes["code"] == [None, "NEW1"]


def test_duplicate_code_names_the_field(users, portfolio):
    services.create_project(actor=users["admin"], data=new_project_data())
    with pytest.raises(FieldError) as info:
        services.create_project(actor=users["admin"], data=new_project_data())
    assert info.value.field == "code"


@pytest.mark.parametrize(
    ("field", "value"), [("program", "NOPE"), ("org_unit", "nowhere"), ("portfolio", "X")]
)
def test_unknown_reference_names_the_field(users, portfolio, field, value):
    with pytest.raises(FieldError) as info:
        services.create_project(actor=users["admin"], data=new_project_data(**{field: value}))
    assert info.value.field == field


def test_percent_over_100_is_refused(users, portfolio):
    with pytest.raises(ValidationFailed) as info:
        services.create_project(actor=users["admin"], data=new_project_data(percent_complete=101))
    assert info.value.errors[0]["field"] == "percent_complete"


@pytest.mark.parametrize("role", ["pm", "exec", "viewer"])
def test_non_pmo_cannot_create(role, users, portfolio):
    with pytest.raises(PermissionDeniedError):
        services.create_project(actor=users[role], data=new_project_data())


def test_update_checks_the_version_and_audits_before_after(users, make_project):
    project = make_project(name="Old")
    updated = services.update_project(
        actor=users["pm"], project=project, data={"name": "New"}, version=1
    )
    assert (updated.name, updated.version) == ("New", 2)
    with pytest.raises(ConflictError) as info:
        services.update_project(actor=users["pm"], project=project, data={"name": "X"}, version=1)
    assert info.value.current_version == 2
    event = AuditEvent.objects.get(scope=f"project:{project.pk}", action="update")
    assert event.changes == {"name": ["Old", "New"]}


def test_pm_cannot_change_governance_fields(users, make_project):
    project = make_project()
    with pytest.raises(PermissionDeniedError, match="baseline_finish"):
        services.update_project(
            actor=users["pm"],
            project=project,
            data={"baseline_finish": dt.date(2030, 1, 1)},
            version=1,
        )


def test_pm_cannot_edit_someone_elses_project(users, make_project):
    project = make_project(manager=users["other_pm"].person)
    with pytest.raises(PermissionDeniedError):
        services.update_project(actor=users["pm"], project=project, data={"name": "x"}, version=1)


def test_no_change_keeps_the_version(users, make_project):
    project = make_project(name="Same")
    updated = services.update_project(
        actor=users["pm"], project=project, data={"name": "Same"}, version=1
    )
    assert updated.version == 1
    assert not AuditEvent.objects.filter(action="update").exists()


def test_risk_score_is_probability_times_impact(users, make_project):
    project = make_project()
    risk = services.create_raid_item(
        actor=users["pm"],
        project=project,
        kind="risks",
        data={"title": "Vendor", "probability": 4, "impact": 5},
    )
    assert (risk.score, risk.is_high) == (20, True)
    risk = services.update_raid_item(
        actor=users["pm"], item=risk, kind="risks", data={"impact": 2}, version=1
    )
    assert (risk.score, risk.version) == (8, 2)


def test_risk_scale_out_of_range_is_refused(users, make_project):
    with pytest.raises(ValidationFailed) as info:
        services.create_raid_item(
            actor=users["pm"],
            project=make_project(),
            kind="risks",
            data={"title": "x", "probability": 6, "impact": 1},
        )
    assert info.value.errors[0]["field"] == "probability"


def test_raid_owner_must_exist(users, make_project):
    with pytest.raises(FieldError) as info:
        services.create_raid_item(
            actor=users["pm"],
            project=make_project(),
            kind="issues",
            data={"title": "x", "owner": 99999},
        )
    assert info.value.field == "owner"


def test_raid_changes_are_audited(users, make_project):
    project = make_project()
    issue = services.create_raid_item(
        actor=users["pm"], project=project, kind="issues", data={"title": "Env down"}
    )
    services.update_raid_item(
        actor=users["member"], item=issue, kind="issues", data={"status": "closed"}, version=1
    )
    event = AuditEvent.objects.get(object_type="portfolio.issue", action="update")
    assert (event.actor, event.changes) == (users["member"], {"status": ["open", "closed"]})


def test_milestone_forecast_defaults_to_baseline(users, make_project):
    milestone = services.create_milestone(
        actor=users["pm"],
        project=make_project(),
        data={"name": "Go-live", "baseline_date": dt.date(2026, 12, 1)},
    )
    assert milestone.forecast_date == dt.date(2026, 12, 1)
    moved = services.update_milestone(
        actor=users["pm"],
        milestone=milestone,
        data={"forecast_date": dt.date(2026, 12, 15)},
        version=1,
    )
    assert moved.slip_days == 14
