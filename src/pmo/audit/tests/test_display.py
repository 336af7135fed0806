"""The audit trail in the reader's language: object names, recorded English words (finding 18)."""

import pytest

from pmo.audit import display
from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent


def event(**fields):
    values = {"action": "update", "object_id": "0", "scope": "test", "changes": {}}
    values.update(fields)
    return AuditEvent.objects.create(**values)


@pytest.mark.django_db
def test_a_deleted_project_keeps_its_recorded_name():
    recorded = event(object_type="portfolio.project", object_id="999999", object_repr="P0 Gone")
    assert shown_events([recorded])[0].label == "P0 Gone"


@pytest.mark.django_db
def test_english_object_names_and_values_read_through_the_catalogue(monkeypatch):
    monkeypatch.setattr(display, "_", lambda text: f"«{text}»")
    plan = event(
        object_type="scheduling.plan",
        object_repr="plan of P0001",
        changes={"plan": [None, "17 tasks"], "source": [None, "demo loader"]},
    )
    (shown,) = shown_events([plan])
    assert shown.label == "«plan of %(project)s»".replace("%(project)s", "P0001")
    changes = {c.label: c.after for c in shown.changes}
    assert changes["«plan»"] == "17 tasks"  # a count, through ngettext
    assert changes["«source»"] == "«demo loader»"


@pytest.mark.django_db
def test_task_counts_are_plural_aware():
    one = event(object_type="scheduling.plan", object_repr="x", changes={"plan": [None, "1 tasks"]})
    assert shown_events([one])[0].changes[0].after == "1 task"


@pytest.mark.django_db
def test_an_allocation_reads_as_its_dates_and_fte():
    recorded = event(
        object_type="resources.allocation", object_repr="999999 on 1 2027-03-26..2027-05-14 0.20"
    )
    # a resource that is gone is named by its id, as foreign keys are
    assert shown_events([recorded])[0].label == (
        "allocation of #999999, 2027-03-26 – 2027-05-14, 0.20 FTE"
    )
