"""Audit entries read as what happened: the name an object had then, fields in the form's order,
amounts as the pages show them, a lifecycle started rather than "created"."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.audit.display import shown_events
from pmo.audit.models import AuditAction, AuditEvent
from pmo.portfolio.models import Project


def _event(project: Project, action: str, repr_: str, changes: dict[str, Any]) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        object_type="portfolio.project",
        object_id=str(project.pk),
        object_repr=repr_,
        scope=f"project:{project.pk}",
        changes=changes,
    )


@pytest.mark.django_db
def test_an_old_entry_names_the_project_as_it_was_named_then(make_project: Any) -> None:
    project = make_project(code="AUD1", name="Audit test")
    created = _event(
        project,
        "create",
        "AUD1 Audit test",
        {"code": [None, "AUD1"], "name": [None, "Audit test"], "name_zh": [None, "审计测试"]},
    )
    renamed = _event(
        project, "update", "AUD1 Audit test renamed", {"name": ["Audit test", "Audit test renamed"]}
    )
    Project.objects.filter(pk=project.pk).update(code="Z-NEW", name="Audit test renamed")
    budget = _event(project, "update", "Z-NEW Audit test renamed", {"priority": [3, 1]})
    shown = shown_events([created, renamed, budget])
    assert [s.label for s in shown] == [
        "AUD1 Audit test",
        "AUD1 Audit test renamed",  # the code it bore then, from the name recorded
        "Z-NEW Audit test renamed",  # carries no name: the project as it is
    ]
    with translation.override("zh-hans"):
        assert shown_events([created])[0].label == "AUD1 审计测试"


@pytest.mark.django_db
def test_changes_follow_the_models_field_order_and_amounts_read_as_money(
    make_project: Any,
) -> None:
    project = make_project(code="AUD2", currency="EUR")
    changed = _event(
        project,
        "update",
        "AUD2 x",
        {
            "baseline_finish": ["2027-01-01", "2027-02-01"],
            "budget": ["1000", "1200000.00"],
            "code": ["AUD0", "AUD2"],
            "forecast_finish": ["2027-01-01", "2027-03-01"],
        },
    )
    (shown,) = shown_events([changed])
    fields = [f.name for f in Project._meta.concrete_fields]
    order = sorted(changed.changes, key=fields.index)
    assert [c.label for c in shown.changes] == [
        str(Project._meta.get_field(name).verbose_name) for name in order
    ]
    assert order[0] == "code"
    budget = next(c for c in shown.changes if c.label == "budget")
    assert (budget.before, budget.after) == ("1,000\u00a0EUR", "1,200,000\u00a0EUR")
    # a currency the event recorded wins over the project's current one
    created = _event(
        project, "create", "AUD2 x", {"budget": [None, "2500.50"], "currency": [None, "CNY"]}
    )
    values = {c.label: c.after for c in shown_events([created])[0].changes}
    assert values["budget"] == "2,500.50\u00a0CNY"


@pytest.mark.django_db
def test_a_lifecycle_recorded_as_created_reads_as_started() -> None:
    legacy = AuditEvent.objects.create(
        action="create",
        object_type="governance.projectlifecycle",
        object_id="999999",
        object_repr="999999 generic r1",
        scope="project:0",
        changes={"template": [None, "generic r1"], "phase": [None, "idea"]},
    )
    (shown,) = shown_events([legacy])
    assert shown.event.get_action_display() == "started"
    assert [(c.before, c.after) for c in shown.changes] == [
        (None, "Generic lifecycle (revision 1)"),
        (None, "Idea"),
    ]
    legacy.refresh_from_db()
    assert legacy.action == AuditAction.CREATE  # the record itself is left as it was
