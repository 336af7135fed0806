"""Templates (built-in, revisions, deletion) and starting a project's lifecycle."""

import datetime as dt

import pytest

from pmo.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from pmo.governance import services
from pmo.governance.builtin import GENERIC
from pmo.governance.models import LifecycleTemplate, PhaseEntry, ProjectGate, ProjectLifecycle
from pmo.governance.selectors import phase_rows, template_definition
from pmo.governance.tests.conftest import START, pass_gate


def test_builtin_templates_cover_every_pmo_type_and_a_generic_one(db):
    rows = LifecycleTemplate.objects.filter(builtin=True).order_by("code")
    assert [(t.code, t.pmo_type, t.revision) for t in rows] == [
        ("assistant", "assistant", 1),
        ("business", "business", 1),
        ("delivery", "delivery", 1),
        ("generic", "", 1),
        ("rnd", "rnd", 1),
        ("strategy", "strategy", 1),
    ]
    rnd = LifecycleTemplate.objects.get(code="rnd")
    assert [g.code for g in rnd.gates.order_by("order")] == ["G1", "G2", "G3", "G4", "G5"]
    assert rnd.phases.count() == 6


def test_admin_defines_a_template_and_a_second_definition_is_the_next_revision(users):
    definition = {**GENERIC, "code": "lean", "name": "Lean"}
    first = services.create_template(actor=users["admin"], definition=definition)
    second = services.create_template(
        actor=users["admin"], definition={**definition, "name": "Lean v2"}
    )
    assert (first.revision, second.revision) == (1, 2)
    assert template_definition(second)["phases"] == template_definition(first)["phases"]


def test_only_a_pmo_admin_defines_templates(users):
    with pytest.raises(PermissionDeniedError):
        services.create_template(actor=users["member"], definition={**GENERIC, "code": "x"})


def test_an_invalid_definition_names_each_bad_field(users):
    definition = {
        "code": "bad",
        "name": "",
        "phases": [
            {"key": "a", "name": "A", "category": "idea", "expected_days": 5},
            {"key": "a", "name": "B", "category": "nonsense", "expected_days": -1},
        ],
    }
    with pytest.raises(ValidationFailed) as caught:
        services.create_template(actor=users["admin"], definition=definition)
    assert [e["field"] for e in caught.value.errors] == [
        "name",
        "phases.1.key",
        "phases.1.category",
        "phases.1.expected_days",
        "phases.1.gate",
    ]


def test_a_template_in_use_cannot_be_deleted_an_unused_one_can(users, governed, generic):
    governed()
    with pytest.raises(ConflictError, match="in use by 1 project"):
        services.delete_template(actor=users["admin"], template=generic)
    spare = services.create_template(actor=users["admin"], definition={**GENERIC, "code": "s"})
    services.delete_template(actor=users["admin"], template=spare)
    assert not LifecycleTemplate.objects.filter(code="s").exists()


def test_starting_a_lifecycle_enters_the_first_phase_and_plans_the_gates(governed):
    project = governed()
    lifecycle = ProjectLifecycle.objects.get(project=project)
    assert (lifecycle.current_phase.key, project.phase, project.state) == ("idea", "idea", "active")
    gates = ProjectGate.objects.filter(lifecycle=lifecycle).order_by("gate__order")
    # Generic phases last 30, 45 and 180 days.
    assert [(g.gate.code, g.planned, g.actual) for g in gates] == [
        ("G1", dt.date(2026, 2, 4), None),
        ("G2", dt.date(2026, 3, 21), None),
        ("G3", dt.date(2026, 9, 17), None),
    ]
    assert (lifecycle.next_gate.code, lifecycle.next_gate_due) == ("G1", dt.date(2026, 2, 4))


def test_a_project_follows_one_lifecycle_only(users, governed, generic):
    project = governed()
    with pytest.raises(ConflictError):
        services.start_lifecycle(actor=users["admin"], project=project, template=generic)


def test_a_pm_cannot_assign_a_lifecycle(users, make_project, generic):
    with pytest.raises(PermissionDeniedError):
        services.start_lifecycle(actor=users["pm"], project=make_project(), template=generic)


def test_a_new_revision_does_not_change_projects_on_the_old_one(users, governed, generic):
    project = governed()
    changed = {**GENERIC, "phases": [*GENERIC["phases"][:1], *GENERIC["phases"][2:]]}
    new = services.create_template(actor=users["admin"], definition=changed)
    lifecycle = ProjectLifecycle.objects.get(project=project)
    assert (new.revision, lifecycle.template_id, lifecycle.template.phases.count()) == (
        2,
        generic.pk,
        4,
    )
    assert new.phases.count() == 3


def test_gate_dates_and_time_in_phase_follow_the_decisions(users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 2, 14))
    lifecycle = ProjectLifecycle.objects.get(project=project)
    rows = phase_rows(lifecycle, today=dt.date(2026, 3, 1))
    assert [(r.phase.key, r.days, r.current) for r in rows] == [
        ("idea", 40, False),
        ("planning", 15, True),
        ("execution", 0, False),
        ("closed", 0, False),
    ]
    g1, g2, g3 = (r.gate for r in rows[1:])
    assert (g1.planned, g1.forecast, g1.actual) == (
        dt.date(2026, 2, 4),
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 14),
    )
    # Forecasts move with the actual date: planning takes 45 days from 14 Feb.
    assert (g2.planned, g2.forecast, g2.actual) == (
        dt.date(2026, 3, 21),
        dt.date(2026, 3, 31),
        None,
    )
    # The closure gate stays on the project's forecast finish (not 14 Feb + 45 + 180 days).
    assert g3.forecast == project.forecast_finish == dt.date(2026, 12, 31)
    assert PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True).count() == 1
    assert dt.date(2026, 1, 5) == START
