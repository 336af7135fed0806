"""Re-importing a plan keeps the dependencies and change requests that point into it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError
from pmo.dependencies.models import ChangeRequest, Dependency
from pmo.dependencies.services import create_dependency
from pmo.dependencies.tests.conftest import auth
from pmo.portfolio.models import Milestone
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.planio import PlanData
from pmo.scheduling.tests.factories import small_plan


def _dep(users: Any, **ends: Any) -> Dependency:
    return create_dependency(actor=users["admin"], data=ends)


@pytest.fixture
def linked(make_project: Any, users: Any) -> dict[str, Any]:
    """PLAN1 has the small plan (Design 2, Code 3, Docs 4, Release 5, a schedule milestone).
    Code -> APP1 Integration (agreed, with notes), Release -> WEB1 Pilot, APP2 Specs -> Design."""
    plan1 = make_project(code="PLAN1")
    scheduling.replace_plan(actor=users["pm"], project=plan1, data=small_plan())
    app = make_project(code="APP1", manager=users["other_pm"].person)
    web = make_project(code="WEB1")
    app2 = make_project(code="APP2")
    integration = Milestone.objects.create(
        project=app, name="Integration", forecast_date=dt.date(2026, 6, 1)
    )
    pilot = Milestone.objects.create(project=web, name="Pilot", forecast_date=dt.date(2026, 7, 1))
    specs = Milestone.objects.create(project=app2, name="Specs", forecast_date=dt.date(2026, 2, 2))
    task = {t.uid: t for t in Task.objects.filter(plan__project=plan1)}
    release = Milestone.objects.get(project=plan1, name="Release")
    deps = {
        "code": _dep(
            users,
            supplier_project="PLAN1",
            supplier_task=task[3].pk,
            consumer_project="APP1",
            consumer_milestone=integration.pk,
            status="agreed",
            agreed_date=dt.date(2026, 5, 29),
            description="Core interfaces frozen",
            criticality="critical",
            lag=2,
        ),
        "release": _dep(
            users,
            supplier_project="PLAN1",
            supplier_milestone=release.pk,
            consumer_project="WEB1",
            consumer_milestone=pilot.pk,
        ),
        "design": _dep(
            users,
            supplier_project="APP2",
            supplier_milestone=specs.pk,
            consumer_project="PLAN1",
            consumer_task=task[2].pk,
        ),
    }
    return {"plan1": plan1, "task": task, "release": release, "deps": deps}


def _fields(dep: Dependency) -> tuple[Any, ...]:
    return (dep.type, dep.lag, dep.status, dep.agreed_date, dep.description, dep.criticality)


def test_reimporting_the_exported_plan_keeps_every_dependency(
    client: Any, users: Any, linked: dict[str, Any]
) -> None:
    # given three dependencies on PLAN1's tasks and schedule milestone
    before = {d.pk: _fields(d) for d in Dependency.objects.all()}
    old_tasks = set(Task.objects.filter(plan__project=linked["plan1"]).values_list("pk", flat=True))
    exported = client.get(
        "/api/v1/projects/PLAN1/plan/export/msproject", headers=auth(users["pm"])
    ).content
    # when the PM imports the exported file back (the README's round trip)
    response = client.post(
        "/api/v1/projects/PLAN1/plan/import/msproject",
        {"file": SimpleUploadedFile("p1.xml", exported, "application/xml")},
        headers=auth(users["pm"]),
    )
    assert response.status_code == 201, response.content
    # then every dependency is still there with its id and fields, on the new plan's items
    assert {d.pk: _fields(d) for d in Dependency.objects.all()} == before
    code, release, design = (Dependency.objects.get(pk=d.pk) for d in linked["deps"].values())
    new_plan = Plan.objects.get(project=linked["plan1"])
    assert (code.supplier_task.uid, code.supplier_task.plan_id) == (3, new_plan.pk)
    assert (design.consumer_task.uid, design.consumer_task.plan_id) == (2, new_plan.pk)
    assert code.supplier_task_id not in old_tasks and design.consumer_task_id not in old_tasks
    assert release.supplier_milestone.schedule_task.uid == 5
    assert release.supplier_milestone_id == linked["release"].pk  # the same milestone row
    assert code.consumer_milestone.name == "Integration"
    assert (code.status, code.agreed_date) == ("agreed", dt.date(2026, 5, 29))
    # and the re-attachment is audited in both projects' scopes
    events = AuditEvent.objects.filter(
        object_type="dependencies.dependency", object_id=str(code.pk), action="update"
    )
    assert {e.scope for e in events} == {
        f"project:{code.supplier_project_id}",
        f"project:{code.consumer_project_id}",
    }
    assert all(
        e.changes["supplier_task"] == [linked["task"][3].pk, code.supplier_task_id]
        and e.changes["plan"] == [None, "re-attached to the new plan"]
        and "consumer_milestone" not in e.changes  # the milestone kept its row: no change
        for e in events
    )
    # and a dependency between two kept milestones did not change at all
    assert release.version == linked["deps"]["release"].version
    assert not AuditEvent.objects.filter(
        object_type="dependencies.dependency", object_id=str(release.pk), action="update"
    ).exists()


def _without_code(data: PlanData) -> PlanData:
    """The small plan without task UID 3 (Code); Release follows Docs only."""
    tasks = []
    for task in data.tasks:
        if task.uid == 3:
            continue
        if task.uid == 5:
            task = dataclasses.replace(
                task, predecessors=[p for p in task.predecessors if p.pred_uid != 3]
            )
        tasks.append(task)
    return dataclasses.replace(data, tasks=tasks)


def test_an_import_without_a_needed_task_is_refused_and_changes_nothing(
    users: Any, linked: dict[str, Any]
) -> None:
    # given the dependency on Code (UID 3)
    plan1 = linked["plan1"]
    old_plan = Plan.objects.get(project=plan1)
    old_tasks = sorted(Task.objects.filter(plan=old_plan).values_list("pk", flat=True))
    ends = sorted(
        Dependency.objects.values_list(
            "pk", "supplier_task", "supplier_milestone", "consumer_task", "consumer_milestone"
        )
    )
    # when a plan without Code is imported
    with pytest.raises(ConflictError) as refused:
        scheduling.replace_plan(actor=users["pm"], project=plan1, data=_without_code(small_plan()))
    # then the import is refused naming the dependency and the missing task
    dep = linked["deps"]["code"].pk
    assert refused.value.message == (
        f"dependency #{dep} (PLAN1 Code → APP1 Integration) needs task UID 3, which the new "
        "plan does not have: keep it or remove the dependency first"
    )
    # and nothing changed: the old plan, its tasks and milestone, every dependency's ends
    assert Plan.objects.get(project=plan1).pk == old_plan.pk
    assert sorted(Task.objects.filter(plan=old_plan).values_list("pk", flat=True)) == old_tasks
    assert Milestone.objects.get(project=plan1).pk == linked["release"].pk
    assert (
        sorted(
            Dependency.objects.values_list(
                "pk", "supplier_task", "supplier_milestone", "consumer_task", "consumer_milestone"
            )
        )
        == ends
    )


def test_a_change_requests_slipping_task_survives_a_reimport(
    users: Any, linked: dict[str, Any]
) -> None:
    # given a submitted change request slipping Design (UID 2) and an applied one slipping Docs
    plan1 = linked["plan1"]
    live = ChangeRequest.objects.create(
        code="CR-00001",
        project=plan1,
        type="schedule",
        title="Design slips",
        slip_task=linked["task"][2],
        slip_days=3,
        state="pm_review",
    )
    # when the same plan is imported again
    scheduling.replace_plan(actor=users["pm"], project=plan1, data=small_plan())
    # then the request slips the new plan's Design task
    live.refresh_from_db()
    assert live.slip_task is not None
    assert (live.slip_task.uid, live.slip_task.plan.project_id) == (2, plan1.pk)
    assert live.slip_task_id != linked["task"][2].pk
    assert live.version == 2


def test_an_open_change_request_on_a_missing_task_refuses_the_import(
    users: Any, linked: dict[str, Any]
) -> None:
    # given a draft change request slipping Code (UID 3), and no dependency on Code any more
    plan1 = linked["plan1"]
    Dependency.objects.filter(pk=linked["deps"]["code"].pk).delete()
    ChangeRequest.objects.create(
        code="CR-00007", project=plan1, type="schedule", title="x", slip_task=linked["task"][3]
    )
    # when a plan without Code is imported, then it is refused
    with pytest.raises(ConflictError) as refused:
        scheduling.replace_plan(actor=users["pm"], project=plan1, data=_without_code(small_plan()))
    assert refused.value.message == (
        "change request CR-00007 slips task UID 3, which the new plan does not have: "
        "keep it or withdraw the change request first"
    )
    # when the request is withdrawn, the import goes through and the request keeps no task
    ChangeRequest.objects.filter(code="CR-00007").update(state="withdrawn")
    scheduling.replace_plan(actor=users["pm"], project=plan1, data=_without_code(small_plan()))
    assert ChangeRequest.objects.get(code="CR-00007").slip_task_id is None


def test_a_first_import_makes_a_hand_milestone_the_schedule_one_of_that_name(
    make_project: Any, users: Any
) -> None:
    # given a project without a plan whose hand-entered milestone "Release" feeds WEB1
    project = make_project(code="PLAN2")
    web = make_project(code="WEB2")
    hand = Milestone.objects.create(
        project=project, name="Release", forecast_date=dt.date(2026, 3, 20)
    )
    pilot = Milestone.objects.create(project=web, name="Pilot", forecast_date=dt.date(2026, 6, 1))
    dep = _dep(
        users,
        supplier_project="PLAN2",
        supplier_milestone=hand.pk,
        consumer_project="WEB2",
        consumer_milestone=pilot.pk,
    )
    # when the project's first plan is imported (its milestone task UID 5 is "Release")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    # then the dependency now starts at the schedule's Release milestone
    dep.refresh_from_db()
    assert dep.supplier_milestone is not None
    assert (dep.supplier_milestone.name, dep.supplier_milestone.schedule_task.uid) == ("Release", 5)
    assert dep.supplier_milestone_id == hand.pk  # the plan took over the row of that name


def test_many_dependencies_on_missing_tasks_are_summed_up_in_one_short_line(
    users: Any, linked: dict[str, Any]
) -> None:
    # given five more dependencies on Code (UID 3), six in all
    plan1 = linked["plan1"]
    code = linked["task"][3]
    pilot = Milestone.objects.get(name="Pilot")
    for _ in range(5):
        _dep(
            users,
            supplier_project="PLAN1",
            supplier_task=code.pk,
            consumer_project="WEB1",
            consumer_milestone=pilot.pk,
        )
    ids = sorted(Dependency.objects.filter(supplier_task=code).values_list("pk", flat=True))
    # when a plan without Code is imported
    with pytest.raises(ConflictError) as refused:
        scheduling.replace_plan(actor=users["pm"], project=plan1, data=_without_code(small_plan()))
    # then three are named and the rest counted, in one sentence
    first, second, third = ids[:3]
    assert refused.value.message == (
        f"6 dependencies need what the new plan does not have: #{first} (PLAN1 Code → APP1 "
        f"Integration) needs task UID 3, #{second} (PLAN1 Code → WEB1 Pilot) needs task UID 3, "
        f"#{third} (PLAN1 Code → WEB1 Pilot) needs task UID 3 and 3 more; keep them or remove "
        "the dependencies first"
    )
    assert Plan.objects.get(project=plan1).tasks.filter(uid=3).exists()
