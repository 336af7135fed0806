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


# --- who, what and which values (UX audit 3: usernames, ids and internal labels) -------------


@pytest.mark.django_db
def test_the_actor_is_named_as_people_know_them(org):
    from pmo.accounts.models import Person, User

    hale = User.objects.create_user(username="exec", password="pw-12345")
    Person.objects.create(name="Robert Hale", name_zh="罗伯特", org_unit=org["sh"], user=hale)
    bare = User.objects.create_user(username="bot", password="pw-12345")
    named = User.objects.create_user(
        username="ops", password="pw-12345", first_name="Olga", last_name="Ops"
    )
    events = [
        event(object_type="x.y", object_repr="a", actor=hale, actor_name="exec"),
        event(object_type="x.y", object_repr="b", actor=bare, actor_name="bot"),
        event(object_type="x.y", object_repr="c", actor=named, actor_name="ops"),
        event(object_type="x.y", object_repr="d", actor_name="gone"),  # user deleted since
        event(object_type="x.y", object_repr="e", actor_name="system"),
    ]
    shown = shown_events(events)
    assert [(s.actor, s.username) for s in shown] == [
        ("Robert Hale", "exec"),
        ("bot", "bot"),
        ("Olga Ops", "ops"),
        ("gone", "gone"),
        ("system", ""),
    ]
    from django.utils import translation

    with translation.override("zh-hans"):
        assert shown_events(events[:1])[0].actor == "罗伯特"
    assert display.actor_name(events[0]) == "Robert Hale"


@pytest.mark.django_db
def test_a_deleted_object_lists_its_values_without_its_id(org):
    from pmo.accounts.models import OrgUnit

    deleted = event(
        object_type="accounts.orgunit",
        object_repr="Gone unit",
        action="delete",
        changes={
            "id": [11, None],
            "code": ["gone", None],
            "kind": ["team", None],
            "parent": [org["sh"].pk, None],
            "path": ["/1/11/", None],  # not editable: bookkeeping
            "name_zh": ["", None],  # empty: nothing to say
            "version": [1, None],  # its default: nothing to say either
        },
    )
    (shown,) = shown_events([deleted])
    assert [(c.label, c.before, c.after) for c in shown.changes] == [
        ("code", None, "gone"),
        ("kind", None, "Team"),
        ("parent", None, str(OrgUnit.objects.get(pk=org["sh"].pk))),
    ]


@pytest.mark.django_db
def test_a_created_object_lists_its_values_and_lists_read_as_text():
    created = event(
        object_type="x.y",
        object_repr="Stop (2026-12-06)",
        action="create",
        changes={
            "gate": [None, "G2"],
            "waived": [None, []],
            "conditions": [None, ["sign-off", "budget"]],
        },
    )
    (shown,) = shown_events([created])
    assert [(c.label, c.before, c.after) for c in shown.changes] == [
        ("gate", None, "G2"),
        ("conditions", None, "sign-off, budget"),
    ]


@pytest.mark.django_db
def test_reports_lifecycles_and_reviews_are_named_in_words():
    def label(object_type, recorded):
        return shown_events([event(object_type=object_type, object_repr=recorded)])[0].label

    assert label("portfolio.statusreport", "P0006 2026-W48 r1") == "status report 2026-W48"
    assert label("portfolio.statusreport", "P0006 2026-11 r2") == (
        "status report 2026-11, revision 2"
    )
    # a lifecycle that is gone is named by its template's code
    assert label("governance.projectlifecycle", "25 business r1") == (
        "lifecycle business (revision 1)"
    )
    assert label("governance.gatereview", "G2 #17") == "review of gate G2"


@pytest.mark.django_db
def test_a_live_row_is_named_by_its_labeller(monkeypatch, org):
    from pmo.accounts.models import Person, User

    user = User.objects.create_user(username="u1", password="pw-12345")
    Person.objects.create(name="Li Na", org_unit=org["sh"], user=user)
    monkeypatch.setitem(
        display.LIVE_LABELS, "accounts.user", (("person",), lambda row: f"user {row.person.name}")
    )
    recorded = event(object_type="accounts.user", object_id=str(user.pk), object_repr="u1")
    gone = event(object_type="accounts.user", object_id="999999", object_repr="u0")
    assert [s.label for s in shown_events([recorded, gone])] == ["user Li Na", "u0"]


@pytest.mark.django_db
def test_a_deletion_that_records_a_reason_keeps_its_arrow():
    # scheduling records a hand-entered milestone giving way as [name, reason]
    gone = event(
        object_type="portfolio.milestone",
        object_repr="Go-live",
        action="delete",
        changes={"milestone": ["Go-live", "replaced by the schedule"]},
    )
    (change,) = shown_events([gone])[0].changes
    assert (change.before, change.after) == ("Go-live", "replaced by the schedule")


@pytest.mark.django_db
def test_a_person_in_a_value_is_named_not_signed_in(org):
    """A status report's author read "author: pm" (the username) in the project history."""
    from django.utils import translation

    from pmo.accounts.models import Person, User

    zhang = User.objects.create_user(username="pm", password="pw-12345")
    Person.objects.create(name="Zhang Wei", name_zh="张伟", org_unit=org["sh"], user=zhang)
    bare = User.objects.create_user(username="bot", password="pw-12345")
    recorded = event(
        object_type="portfolio.statusreport",
        object_repr="P0001 2026-W48",
        changes={"author": [bare.pk, zhang.pk]},
    )
    (change,) = shown_events([recorded])[0].changes
    assert (change.before, change.after) == ("bot", "Zhang Wei")
    with translation.override("zh-hans"):
        assert shown_events([recorded])[0].changes[0].after == "张伟"
