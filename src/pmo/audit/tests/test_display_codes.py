"""A code a service recorded in place of a related row's id reads as it is ("G3", not "#G3")."""

import pytest

from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent


@pytest.mark.django_db
def test_a_recorded_gate_code_reads_without_a_hash():
    # given a gate review's creation, which records the gate by its code
    recorded = AuditEvent.objects.create(
        action="create",
        object_type="governance.gatereview",
        object_id="999999",
        object_repr="G3 #999999",
        scope="test",
        changes={"gate": [None, "G3"]},
    )
    # then the gate reads "G3"
    (shown,) = shown_events([recorded])
    assert [(c.before, c.after) for c in shown.changes] == [(None, "G3")]


@pytest.mark.django_db
def test_a_row_that_is_gone_is_still_named_by_its_id():
    recorded = AuditEvent.objects.create(
        action="update",
        object_type="governance.gatereview",
        object_id="999999",
        object_repr="G3 #999999",
        scope="test",
        changes={"gate": ["999998", "999997"]},
    )
    (shown,) = shown_events([recorded])
    assert [(c.before, c.after) for c in shown.changes] == [("#999998", "#999997")]
