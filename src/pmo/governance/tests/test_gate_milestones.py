"""Gates tied to the milestone they are decided on (ADR 0002, "Gates tied to milestones").

R&D (built-in, revision 1): concept (30 days) -(G1)-> feasibility (45) -(G2)-> development
plan (30) -(G3)-> development and test (180) -(G4, "Go-live")-> launch (30) -(G5)-> closed.
Started on 2026-01-05: planned G1 02-04, G2 03-21, G3 04-20, G4 10-17, G5 11-16.
"""

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from pmo.accounts.services import create_token
from pmo.governance import services
from pmo.governance.api.lifecycles import ProjectGateOut
from pmo.governance.builtin import GENERIC, RND
from pmo.governance.models import GateDefinition, LifecycleTemplate, ProjectGate, ProjectLifecycle
from pmo.governance.tests.conftest import START, pass_gate
from pmo.portfolio.models import Milestone
from pmo.portfolio.services import create_milestone, update_milestone
from pmo.scheduling import services as plan_services
from pmo.scheduling.planio import LinkData, PlanData, TaskData

DAY = 480  # working minutes


@pytest.fixture
def rnd(db):
    return LifecycleTemplate.objects.get(code="rnd", revision=1)


@pytest.fixture
def on_rnd(users, make_project, rnd):
    """A factory: a project on the R&D lifecycle from START (optionally with milestones)."""

    def make(milestones=(), **fields):
        project = make_project(**fields)
        for name, name_zh, forecast, actual in milestones:
            Milestone.objects.create(
                project=project,
                name=name,
                name_zh=name_zh,
                forecast_date=forecast,
                actual_date=actual,
            )
        services.start_lifecycle(
            actor=users["admin"], project=project, template=rnd, started_on=START
        )
        project.refresh_from_db()
        return project

    return make


def in_development(users, project):
    """Pass G1, G2 and G3: the project is in development and test, G4 is its next gate."""
    for day in (dt.date(2026, 1, 20), dt.date(2026, 2, 10), dt.date(2026, 3, 2)):
        pass_gate(users, project, on=day)
    project.refresh_from_db()
    return project


def forecasts(project):
    rows = ProjectGate.objects.filter(lifecycle__project=project).select_related("gate")
    return {row.gate.code: row.forecast for row in rows}


def next_gate(project):
    lifecycle = ProjectLifecycle.objects.select_related("next_gate").get(project=project)
    return lifecycle.next_gate.code, lifecycle.next_gate_due


def small_plan(uat_days=8):
    """UAT → Go-live → hypercare → Project closed, from Monday 2 November 2026."""
    return PlanData(
        name="Release",
        start=dt.datetime(2026, 11, 2, 9),
        tasks=[
            TaskData(uid=1, name="User acceptance test", duration=uat_days * DAY),
            TaskData(uid=2, name="Go-live", milestone=True, predecessors=[LinkData(pred_uid=1)]),
            TaskData(
                uid=3, name="Hypercare", duration=10 * DAY, predecessors=[LinkData(pred_uid=2)]
            ),
            TaskData(
                uid=4, name="Project closed", milestone=True, predecessors=[LinkData(pred_uid=3)]
            ),
        ],
    )


def go_live(project):
    return Milestone.objects.get(project=project, name="Go-live")


# --- the forecast follows the milestone ------------------------------------------------------


def test_a_plan_recompute_that_moves_go_live_moves_the_launch_gate_and_the_next_gate_date(
    users, on_rnd, client
):
    project = in_development(users, on_rnd())
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    first = go_live(project).forecast_date
    project.refresh_from_db()
    # the plan's Go-live dates G4; its finish dates the closure gate (as before)
    assert forecasts(project)["G4"] == first
    assert forecasts(project)["G5"] == project.forecast_finish
    assert next_gate(project) == ("G4", first)
    # when the PM lengthens the user acceptance test by ten working days
    uat = plan.tasks.get(uid=1)
    plan_services.update_task(
        actor=users["pm"], task=uat, data={"duration": 18 * DAY}, version=uat.version
    )
    # then Go-live moves two weeks, and G4 with it; the closure gate stays on the finish
    moved = go_live(project).forecast_date
    project.refresh_from_db()
    assert moved == first + dt.timedelta(days=14)
    assert forecasts(project)["G4"] == moved
    assert forecasts(project)["G5"] == project.forecast_finish > moved
    # and the status center's "next gate" reads the new date
    assert next_gate(project) == ("G4", moved)
    client.force_login(users["pm"])
    response = client.get("/?scope=mine")
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    # the cell reads "G4 → <the phase it leads into> <date>"
    assert re.search(rf"G4</a>( → [^<]+)?</span> {moved.isoformat()}", page)
    assert not re.search(rf"G4</a>( → [^<]+)?</span> {first.isoformat()}", page)
    # the lifecycle page says which milestone the gate follows
    page = client.get(f"/projects/{project.code}/lifecycle/").content.decode()
    assert f'{moved.isoformat()}</span> <span class="muted" data-testid="gate-milestone">' in page
    assert "follows milestone Go-live" in page


def test_a_requested_review_keeps_its_date(users, on_rnd):
    project = in_development(users, on_rnd())
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    services.request_review(actor=users["pm"], project=project, scheduled_for=dt.date(2026, 11, 20))
    assert forecasts(project)["G4"] == dt.date(2026, 11, 20)
    uat = plan.tasks.get(uid=1)
    plan_services.update_task(
        actor=users["pm"], task=uat, data={"duration": 18 * DAY}, version=uat.version
    )
    # the committee meets on the review's date, whatever the milestone does
    assert forecasts(project)["G4"] == dt.date(2026, 11, 20)
    assert next_gate(project) == ("G4", dt.date(2026, 11, 20))


def test_a_milestone_changed_by_hand_moves_its_gate_matched_by_either_name_in_any_case(
    users, on_rnd, client
):
    project = in_development(users, on_rnd())
    # a milestone named in Chinese only ("上线", as a Chinese plan names it)
    cut_over = create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Cut-over", "name_zh": "上线", "forecast_date": dt.date(2026, 9, 1)},
    )
    assert forecasts(project)["G4"] == dt.date(2026, 9, 1)
    # through the API, in another case and spacing
    token = create_token(username=users["pm"].username)
    response = client.post(
        f"/api/v1/projects/{project.code}/milestones",
        json.dumps({"name": " GO-LIVE ", "forecast_date": "2026-09-15"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.json()
    # two milestones match: the decision waits for the later one
    assert forecasts(project)["G4"] == dt.date(2026, 9, 15)
    update_milestone(
        actor=users["pm"],
        milestone=cut_over,
        data={"forecast_date": dt.date(2026, 10, 1)},
        version=cut_over.version,
    )
    assert forecasts(project)["G4"] == dt.date(2026, 10, 1)
    assert next_gate(project) == ("G4", dt.date(2026, 10, 1))


def test_a_reached_milestone_dates_the_gate_by_its_actual_date(users, on_rnd):
    project = in_development(users, on_rnd())
    milestone = create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Go-live", "forecast_date": dt.date(2026, 9, 1)},
        today=dt.date(2026, 9, 30),
    )
    update_milestone(
        actor=users["pm"],
        milestone=milestone,
        data={"actual_date": dt.date(2026, 8, 28)},
        version=milestone.version,
        today=dt.date(2026, 9, 30),
    )
    assert forecasts(project)["G4"] == dt.date(2026, 8, 28)


def test_no_gate_after_the_finish_and_the_closure_gate_stays_on_it(users, on_rnd):
    # a forecast finish the PM keeps (no plan) before the milestone's date
    project = in_development(users, on_rnd(forecast_finish=dt.date(2026, 12, 31)))
    create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Go-live", "forecast_date": dt.date(2027, 2, 1)},
    )
    assert forecasts(project)["G4"] == forecasts(project)["G5"] == dt.date(2026, 12, 31)


def test_a_milestone_date_before_the_current_phase_began_moves_nothing(users, on_rnd):
    project = in_development(users, on_rnd())  # development entered on 2 March
    before = forecasts(project)
    create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Go-live", "forecast_date": dt.date(2026, 2, 1)},
    )
    assert forecasts(project) == before


def test_starting_a_lifecycle_and_deciding_forecast_a_tied_gate_on_its_milestone(users, on_rnd):
    project = on_rnd(milestones=[("Go-live", "上线", dt.date(2026, 9, 1), None)])
    gate = ProjectGate.objects.get(lifecycle__project=project, gate__code="G4")
    # planned stays the template's (the baseline), the forecast is the milestone's
    assert (gate.planned, gate.forecast) == (dt.date(2026, 10, 17), dt.date(2026, 9, 1))
    # a decision re-forecasts from the template's days, except the tied gate
    in_development(users, project)  # G3 on 2 March: + 180 days would be 29 August
    assert forecasts(project)["G4"] == dt.date(2026, 9, 1)
    assert next_gate(project) == ("G4", dt.date(2026, 9, 1))


def test_gates_without_a_milestone_behave_as_before(users, governed, on_rnd):
    # the generic lifecycle ties no gate: a "Go-live" milestone moves none of its gates
    plain = governed()
    before = forecasts(plain)
    create_milestone(
        actor=users["pm"],
        project=plain,
        data={"name": "Go-live", "forecast_date": dt.date(2026, 3, 1)},
    )
    assert forecasts(plain) == before
    # on R&D only G4 moves; G2 (untied) keeps the template's days
    project = on_rnd()
    before = forecasts(project)
    create_milestone(
        actor=users["pm"],
        project=project,
        data={"name": "Go-live", "forecast_date": dt.date(2026, 9, 1)},
    )
    assert forecasts(project) == {**before, "G4": dt.date(2026, 9, 1)}
    # a tied gate whose milestone the project does not have keeps the template's days
    assert forecasts(on_rnd())["G3"] == dt.date(2026, 4, 20)


# --- templates: the link is configured -------------------------------------------------------


def test_the_built_in_templates_tie_their_launch_gates_to_go_live(db):
    links = {
        (g.template.code, g.code): (g.milestone, g.milestone_zh)
        for g in GateDefinition.objects.filter(template__builtin=True)
        .exclude(milestone="", milestone_zh="")
        .select_related("template")
    }
    assert links == {
        ("rnd", "G3"): ("Design approved", "设计评审通过"),
        ("rnd", "G4"): ("Go-live", "上线"),
        ("business", "G4"): ("Go-live", "上线"),
        ("delivery", "G4"): ("Customer acceptance", "客户验收"),
    }
    gate = GateDefinition.objects.get(template__code="rnd", code="G4")
    with translation.override("zh-hans"):
        assert gate.display_milestone == "上线"
    assert gate.display_milestone == "Go-live"


@pytest.fixture
def api(client, users):
    headers = {"Authorization": f"Bearer {create_token(username=users['admin'].username)}"}

    def send(method, url, body=None):
        if method == "get":
            return client.get(url, headers=headers)
        return getattr(client, method)(
            url, json.dumps(body), content_type="application/json", headers=headers
        )

    return send


def _with_gate(definition, index, **fields):
    phases = [dict(p) for p in definition["phases"]]
    phases[index]["gate"] = {**phases[index]["gate"], **fields}
    return {**definition, "phases": phases}


def test_the_api_reads_and_writes_the_milestone_of_a_gate(api, rnd):
    body = api("get", f"/api/v1/lifecycle-templates/{rnd.pk}").json()
    assert (body["phases"][4]["gate"]["milestone"], body["phases"][4]["gate"]["milestone_zh"]) == (
        "Go-live",
        "上线",
    )
    definition = _with_gate({**GENERIC, "code": "tied"}, 2, milestone="  Build   start ")
    response = api("post", "/api/v1/lifecycle-templates", definition)
    assert response.status_code == 201, response.json()
    # spaces inside and around are tidied, as the match ignores them
    assert response.json()["phases"][2]["gate"]["milestone"] == "Build start"


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"milestone": 5}, "phases.4.gate.milestone"),
        ({"milestone_zh": ["上线"]}, "phases.4.gate.milestone_zh"),
        ({"milestone": "x" * 201}, "phases.4.gate.milestone"),
        ({"milestone_name": "Go-live"}, "phases.4.gate.milestone_name"),
    ],
)
def test_a_bad_milestone_in_a_template_is_a_422_naming_the_field(api, fields, where):
    definition = _with_gate({**RND, "code": "bad"}, 4, **fields)
    response = api("post", "/api/v1/lifecycle-templates", definition)
    assert response.status_code == 422, response.json()
    assert where in [e["field"] for e in response.json()["errors"]], response.json()
    assert not LifecycleTemplate.objects.filter(code="bad").exists()


def test_the_closure_gate_cannot_be_tied_to_a_milestone(api):
    definition = _with_gate({**RND, "code": "bad"}, 5, milestone="Project closed")
    response = api("post", "/api/v1/lifecycle-templates", definition)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "phases.5.gate.milestone"
    assert "forecast finish" in error["message"]


def test_the_template_pages_show_and_edit_the_milestone(client, users, rnd):
    from pmo.governance.selectors import template_definition
    from pmo.governance.tests.test_views import structured_post

    client.force_login(users["admin"])
    detail = client.get(f"/lifecycle-templates/{rnd.pk}/").content.decode()
    assert "Decided on milestone: <strong>Go-live</strong>" in detail
    form = client.get(f"/lifecycle-templates/new/?from={rnd.pk}").content.decode()
    assert 'name="form-4-gate_milestone" value="Go-live"' in form
    assert 'name="form-4-gate_milestone_zh" value="上线"' in form
    # a new revision that ties G2 as well keeps every link
    data = structured_post(template_definition(rnd))
    data["form-2-gate_milestone"] = "Plan baselined"
    response = client.post("/lifecycle-templates/new/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    copy = LifecycleTemplate.objects.get(code="rnd", revision=2)
    assert dict(copy.gates.values_list("code", "milestone")) == {
        "G1": "",
        "G2": "Plan baselined",
        "G3": "Design approved",
        "G4": "Go-live",
        "G5": "",
    }
    # the closure gate's link is refused at its row, with what was typed kept
    data["form-5-gate_milestone"] = "Project closed"
    page = client.post("/lifecycle-templates/new/", data).content.decode()
    assert "Phase row 6, Decided on milestone: the closure gate is decided on" in page
    assert 'value="Project closed"' in page


# --- the migration -------------------------------------------------------------------------

BEFORE = [("governance", "0010_agenda_sections")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_ties_the_built_ins_and_moves_running_projects_gates(users, on_rnd):
    # a project in development whose Go-live is forecast on 1 September, G4 on the template's
    project = in_development(users, on_rnd())
    reviewed = in_development(users, on_rnd())
    Milestone.objects.bulk_create(
        Milestone(project=p, name="Go-live", forecast_date=dt.date(2026, 9, 1))
        for p in (project, reviewed)
    )
    services.request_review(actor=users["pm"], project=reviewed)
    GateDefinition.objects.filter(template__builtin=True).update(milestone="", milestone_zh="")
    ProjectGate.objects.filter(gate__code="G4").update(forecast=dt.date(2026, 8, 29))
    ProjectLifecycle.objects.update(next_gate_due=dt.date(2026, 8, 29))
    _migrate(BEFORE)
    try:
        _migrate()
        gate = GateDefinition.objects.get(template__code="rnd", template__revision=1, code="G4")
        assert (gate.milestone, gate.milestone_zh) == ("Go-live", "上线")
        assert forecasts(project)["G4"] == dt.date(2026, 9, 1)
        assert next_gate(project) == ("G4", dt.date(2026, 9, 1))
        # a gate whose review is requested keeps its date
        assert forecasts(reviewed)["G4"] == dt.date(2026, 8, 29)
    finally:
        _migrate()


# --- what the lifecycle page says beside a tied gate (eighteenth session's audit) ------------


def _notes(client: Any, project: Any) -> dict[str, str]:
    """Gate code → the note beside its forecast on the lifecycle page."""
    page = client.get(f"/projects/{project.code}/lifecycle/").content.decode()
    notes = {}
    for row in re.findall(r"<tr data-phase=.*?</tr>", page, re.S):
        gate = re.search(r"◆ (G\d)", row)
        note = re.search(r'data-testid="gate-milestone">(.*?)</span>', row, re.S)
        if gate and note:
            notes[gate.group(1)] = note.group(1)
    return notes


def test_a_gate_whose_milestone_the_project_lacks_says_so_instead_of_following_it(
    client, users, on_rnd
):
    # an R&D project with neither "Design approved" nor "Go-live" milestone
    project = on_rnd()
    client.force_login(users["admin"])
    notes = _notes(client, project)
    assert notes == {
        "G3": "no milestone named Design approved in this project",
        "G4": "no milestone named Go-live in this project",
    }
    # a milestone of that name without a date ties nothing either
    Milestone.objects.create(project=project, name="go-live")
    assert _notes(client, project)["G4"] == "milestone Go-live has no date"
    # once it has one, the gate follows it (the forecast's rule: any case, either name)
    Milestone.objects.create(
        project=project, name="x", name_zh="设计评审通过", forecast_date=dt.date(2026, 4, 1)
    )
    Milestone.objects.filter(project=project, name="go-live").update(
        forecast_date=dt.date(2026, 9, 1)
    )
    services.follow_forecast_finish(project)
    assert _notes(client, project) == {
        "G3": "follows milestone Design approved",
        "G4": "follows milestone Go-live",
    }


def test_a_requested_review_says_its_date_beside_the_milestone_s(client, users, on_rnd):
    project = in_development(users, on_rnd())
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    services.request_review(actor=users["pm"], project=project, scheduled_for=dt.date(2026, 11, 20))
    uat = plan.tasks.get(uid=1)
    plan_services.update_task(
        actor=users["pm"], task=uat, data={"duration": 18 * DAY}, version=uat.version
    )
    moved = go_live(project).forecast_date
    assert moved != dt.date(2026, 11, 20)
    client.force_login(users["pm"])
    note = _notes(client, project)["G4"]
    assert note == f"review requested for 2026-11-20; milestone Go-live: {moved.isoformat()}"


def test_a_gate_capped_by_the_finish_gives_the_milestone_s_date(client, users, on_rnd):
    project = in_development(users, on_rnd(forecast_finish=dt.date(2026, 12, 31)))
    Milestone.objects.create(project=project, name="Go-live", forecast_date=dt.date(2027, 2, 1))
    services.follow_forecast_finish(project)
    client.force_login(users["pm"])
    assert _notes(client, project)["G4"] == "milestone Go-live: 2027-02-01"


def test_the_api_lifecycle_gives_each_gate_its_milestone_date_and_the_page_s_note(
    client, users, api, on_rnd
):
    # G3 follows "Design approved" (by its Chinese name), G4's project has no "Go-live"
    project = on_rnd(milestones=[("x", "设计评审通过", dt.date(2026, 4, 1), None)], code="APIM")
    client.force_login(users["admin"])
    page_notes = _notes(client, project)
    body = api("get", f"/api/v1/projects/{project.code}/lifecycle").json()
    gates = {p["gate"]["gate"]: p["gate"] for p in body["phases"] if p["gate"]}
    assert {
        code: (g["milestone"], g["milestone_date"], g["milestone_note"])
        for code, g in gates.items()
    } == {
        "G1": (None, None, None),
        "G2": (None, None, None),
        "G3": ("Design approved", "2026-04-01", "follows milestone Design approved"),
        "G4": ("Go-live", None, "no milestone named Go-live in this project"),
        "G5": (None, None, None),
    }
    assert {c: g["milestone_note"] for c, g in gates.items() if g["milestone_note"]} == (page_notes)
    # in Chinese, as the page reads; a passed gate keeps its milestone but has no note
    pass_gate(users, project, on=dt.date(2026, 1, 20))
    pass_gate(users, project, on=dt.date(2026, 2, 10))
    pass_gate(users, project, on=dt.date(2026, 3, 2))
    zh = client.get(
        f"/api/v1/projects/{project.code}/lifecycle",
        headers={
            "Authorization": f"Bearer {create_token(username='admin')}",
            "Accept-Language": "zh-hans",
        },
    ).json()
    g3 = next(p["gate"] for p in zh["phases"] if p["gate"] and p["gate"]["gate"] == "G3")
    g4 = next(p["gate"] for p in zh["phases"] if p["gate"] and p["gate"]["gate"] == "G4")
    assert (g3["milestone"], g3["milestone_date"], g3["milestone_note"]) == (
        "设计评审通过",
        "2026-04-01",
        None,
    )
    assert g4["milestone"] == "上线" and g4["milestone_note"].startswith("本项目没有名为")
    documented = ProjectGateOut.model_json_schema()["properties"]  # as OpenAPI shows it
    assert all(
        documented[f]["description"] for f in ("milestone", "milestone_date", "milestone_note")
    )
