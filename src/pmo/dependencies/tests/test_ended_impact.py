"""The impact analysis and Apply leave closed and cancelled projects where they are (ADR 0005,
"Ended projects and change requests").

CORE1 (no plan: Build Fri 03-06, Go-live Fri 03-20, finish 03-31) supplies two ways:

- through PLAN1: CORE1 Build -(FS, 2 days of room)-> PLAN1 Release (Wed 03-11, its plan's
  milestone task) -(FS, no room)-> CONS1 "Via PLAN1" (Thu 03-12);
- directly: CORE1 Go-live -(FS, 7 days of room)-> CONS1 "Direct" (Wed 04-01).

CONS1 has no plan: "Via PLAN1", "Direct" and its finish follow each other with no slack. A
10-day slip of CORE1's build moves PLAN1 8 days and, through it, all of CONS1 8 days; the
direct link alone moves CONS1's "Direct" (and its finish) 3 days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import FieldError
from pmo.dependencies import changes
from pmo.dependencies.services import create_dependency
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Milestone, Project, ProjectState
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Task
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db


@pytest.fixture
def chain(make_project: Any, users: Any, web: Any) -> dict[str, Any]:
    plan1 = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=plan1, data=small_plan())
    cons = make_project(code="CONS1", forecast_finish=dt.date(2026, 4, 30))
    via = Milestone.objects.create(
        project=cons, name="Via PLAN1", forecast_date=dt.date(2026, 3, 12)
    )
    direct = Milestone.objects.create(
        project=cons, name="Direct", forecast_date=dt.date(2026, 4, 1)
    )
    release = Milestone.objects.get(project=plan1, name="Release")
    for sup, sup_m, con, con_m, agreed in [
        ("CORE1", web["build"], "PLAN1", release, "2026-03-09"),
        ("PLAN1", release, "CONS1", via, None),
        ("CORE1", web["golive"], "CONS1", direct, None),
    ]:
        create_dependency(
            actor=users["admin"],
            data={
                "supplier_project": sup,
                "supplier_milestone": sup_m.pk,
                "consumer_project": con,
                "consumer_milestone": con_m.pk,
                "agreed_date": agreed,
            },
        )
    return {**web, "plan1": plan1, "cons": cons, "via": via, "direct": direct, "release": release}


def _end(users: Any, project: Project, state: str | None) -> None:
    if state is None:
        return
    project.refresh_from_db()
    portfolio_services.update_project(
        actor=users["admin"], project=project, data={"state": state}, version=project.version
    )


#: Running, closed, cancelled. Cancelling PLAN1 also resolves CORE1 -> PLAN1 (no longer
#: needed) and breaks PLAN1 -> CONS1, so no open link leads into it any more; closing it
#: leaves its links open, and only the analysis keeps the slip out of it.
ENDINGS = [None, ProjectState.CLOSED, ProjectState.CANCELLED]


@pytest.mark.parametrize("state", ENDINGS, ids=["running", "closed", "cancelled"])
def test_the_impact_neither_moves_an_ended_project_nor_passes_through_it(
    users: Any, chain: Any, state: str | None
) -> None:
    # given PLAN1 running, closed or cancelled
    _end(users, chain["plan1"], state)
    # when CORE1's build slips 10 working days
    impact = changes.compute_impact(milestone=chain["build"], days=10)
    delays = {p["project"]: p["max_delay"] for p in impact["projects"]}
    moved = {(i["project"], i["name"]): i["delay"] for i in impact["items"]}
    if state is None:
        # then (running) PLAN1 moves 8 days, and all of CONS1 with it
        assert delays == {"CORE1": 10, "PLAN1": 8, "CONS1": 8}
        assert moved[("CONS1", "Via PLAN1")] == moved[("CONS1", "Direct")] == 8
        assert [d["consumer"] for d in impact["dependencies"]] == ["PLAN1"]
        return
    # then (ended) nothing of PLAN1 moves, and CONS1 moves only as far as the direct link says
    assert delays == {"CORE1": 10, "CONS1": 3}
    assert not [i for i in impact["items"] if i["project"] == "PLAN1"]
    assert {k: v for k, v in moved.items() if k[0] == "CONS1"} == {
        ("CONS1", "Direct"): 3,
        ("CONS1", "CONS1"): 3,  # its finish
    }
    # and a closed PLAN1 misses no agreed date any more (a cancelled one's link is resolved)
    assert impact["dependencies"] == []


@pytest.mark.parametrize("state", ENDINGS[1:], ids=["closed", "cancelled"])
def test_apply_writes_no_date_into_an_ended_project(users: Any, chain: Any, state: str) -> None:
    plan1 = chain["plan1"]
    release_task = Task.objects.get(plan__project=plan1, uid=5)
    before = {
        "task": (release_task.constraint, from_db(release_task.finish), release_task.version),
        "milestone": chain["release"].forecast_date,
        "finish": Project.objects.get(pk=plan1.pk).forecast_finish,
        "via": chain["via"].forecast_date,
    }
    _end(users, plan1, state)
    # when CORE1's build slips 10 working days through an approved change that is applied
    cr = changes.create_change_request(
        actor=users["pm"],
        data={"project": "CORE1", "type": "schedule", "title": "Late"}
        | {"slip_milestone": chain["build"].pk, "slip_days": 10},
    )
    for actor, action in [("pm", "submit"), ("member", "approve"), ("pm", "apply")]:
        cr = changes.transition(actor=users[actor], cr=cr, action=action)
    assert cr.state == "applied"
    # then PLAN1's plan, milestone and finish are as they were, with no apply in its history
    release_task.refresh_from_db()
    assert (
        release_task.constraint,
        from_db(release_task.finish),
        release_task.version,
    ) == before["task"]
    assert Milestone.objects.get(pk=chain["release"].pk).forecast_date == before["milestone"]
    assert Project.objects.get(pk=plan1.pk).forecast_finish == before["finish"]
    assert not AuditEvent.objects.filter(scope=f"project:{plan1.pk}", action="apply").exists()
    assert not [a for a in cr.impact["applied"] if a["kind"] == "task"]
    # CONS1's milestone behind PLAN1 stays; the one CORE1 drives directly moves 3 days
    assert Milestone.objects.get(pk=chain["via"].pk).forecast_date == before["via"]
    [direct] = [i for i in cr.impact["items"] if i["name"] == "Direct"]
    assert direct["delay"] == 3
    moved = Milestone.objects.get(pk=chain["direct"].pk).forecast_date
    assert moved is not None and moved > dt.date(2026, 4, 1)
    assert moved == dt.date.fromisoformat(direct["new_date"])
    assert {i["project"] for i in cr.impact["items"]} == {"CORE1", "CONS1"}


def test_apply_moves_the_plan_of_a_running_project_on_the_same_chain(
    users: Any, chain: Any
) -> None:
    # the same change with PLAN1 running writes its Release (the test above can fail)
    cr = changes.create_change_request(
        actor=users["pm"],
        data={"project": "CORE1", "type": "schedule", "title": "Late"}
        | {"slip_milestone": chain["build"].pk, "slip_days": 10},
    )
    for actor, action in [("pm", "submit"), ("member", "approve"), ("pm", "apply")]:
        cr = changes.transition(actor=users[actor], cr=cr, action=action)
    release_task = Task.objects.get(plan__project=chain["plan1"], uid=5)
    assert release_task.constraint == "SNET"
    via = Milestone.objects.get(pk=chain["via"].pk).forecast_date
    assert via is not None and via > dt.date(2026, 3, 12)


@pytest.mark.parametrize(
    ("state", "word"), [(ProjectState.CLOSED, "closed"), (ProjectState.CANCELLED, "cancelled")]
)
def test_a_slip_of_an_ended_project_s_item_is_refused(
    users: Any, chain: Any, state: str, word: str
) -> None:
    from django.utils import timezone

    _end(users, chain["plan1"], state)
    with pytest.raises(FieldError) as refused:
        changes.compute_impact(milestone=chain["release"], days=5)
    assert refused.value.field == "milestone"
    assert refused.value.errors[0]["message"] == (
        f"PLAN1 was {word} on {timezone.localdate().isoformat()}: its milestones, tasks and "
        "gates no longer move"
    )


def test_an_approved_request_of_a_project_loaded_ended_is_withdrawn_not_applied(
    client: Any, users: Any, chain: Any
) -> None:
    from django.utils import timezone

    from pmo.dependencies.tests.conftest import auth

    # given an approved change of PLAN1's release, then PLAN1 set closed without the ending
    # signal (so its requests were not withdrawn)
    cr = changes.create_change_request(
        actor=users["pm"],
        data={"project": "PLAN1", "type": "schedule", "title": "Late"}
        | {"slip_milestone": chain["release"].pk, "slip_days": 2},
    )
    for actor, action in [("pm", "submit"), ("member", "approve")]:
        cr = changes.transition(actor=users[actor], cr=cr, action=action)
    Project.objects.filter(pk=chain["plan1"].pk).update(state=ProjectState.CLOSED)
    cr.refresh_from_db()
    # then it is offered for withdrawal, not for application
    assert changes.allowed_actions(users["pm"], cr) == ["withdraw"]
    answer = client.post(
        f"/api/v1/change-requests/{cr.pk}/transitions",
        {"action": "apply", "version": cr.version},
        content_type="application/json",
        headers=auth(users["pm"]),
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        f"PLAN1 was closed on {timezone.localdate().isoformat()}: {cr.code} can no longer be "
        "applied; withdraw it"
    )
    assert Task.objects.get(plan__project=chain["plan1"], uid=5).constraint != "SNET"
    # and withdrawing it works
    cr = changes.transition(actor=users["pm"], cr=cr, action="withdraw")
    assert cr.state == "withdrawn"
