"""Every editing page of governance, dependencies, resources and scheduling answers someone
who may not use it alike (:func:`pmo.core.http.refuse_unless`, as the project pages'
``refuse_reader``): a visit of a form page goes back to the page of what it would change
with a message saying why; a post is a 403 page saying why, whatever was posted (never a
500, never the form again, never a redirect as if it had been merely wrong), and nothing is
stored.

Who is refused where: the ``viewer`` reads the project (Shanghai R&D) but changes nothing;
the ``exec`` reads everything, capacity included, and manages none of it; the ``member``
(PMO) may not define lifecycle templates (PMO admins only). Reports, the audit trail and the
accounts pages have no page that changes something someone may be refused.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pmo.dependencies import changes
from pmo.dependencies.services import create_dependency
from pmo.governance import services as governance
from pmo.governance.models import GateCondition, LifecycleTemplate
from pmo.governance.steering import create_meeting
from pmo.portfolio.models import Milestone
from pmo.resources import services as capacity
from pmo.resources.models import Allocation, Resource
from pmo.scheduling import services as scheduling
from pmo.scheduling.tests.factories import small_plan

START = dt.date(2026, 1, 5)
READ_ONLY = "You may read this project but not change it."
MANAGERS = "Only the PMO and resource managers may change resources, capacity and scenarios."
STAFFING = "Only resource managers and the project's manager may change its staffing."
DRAFT = "Only resource managers may change a draft scenario."
TEMPLATES = "Only a PMO admin may define lifecycle templates."
STEERING = "only the PMO prepares steering committee meetings"

#: Form pages: (who, page, where the visit goes back to, the message it shows there).
VISITS = [
    ("member", "/lifecycle-templates/new/", "/lifecycle-templates/", TEMPLATES),
    ("exec", "/resources/new/", "/resources/", MANAGERS),
    ("exec", "/resources/{resource}/edit/", "/resources/{resource}/", MANAGERS),
    ("exec", "/resources/{resource}/capacity/", "/resources/{resource}/", MANAGERS),
    ("exec", "/resources/import/", "/resources/", MANAGERS),
    ("exec", "/resources/allocations/{allocation}/", "/projects/{code}/staffing/", STAFFING),
    (
        "exec",
        "/resources/scenarios/{scenario}/allocations/{scenario_allocation}/",
        "/resources/scenarios/{scenario}/staffing/?project={code}",
        DRAFT,
    ),
]

#: Posts: (who, endpoint, what is posted, why the 403 page says it is refused).
POSTS: list[tuple[str, str, dict[str, Any], str]] = [
    # governance
    (
        "viewer",
        "/projects/{code}/lifecycle/start/",
        {"template": "{template}"},
        "only the PMO assigns",
    ),
    ("viewer", "/projects/{code}/gate-reviews/new/", {"scheduled_for": "2026-03-02"}, READ_ONLY),
    (
        "viewer",
        "/projects/{code}/gate-reviews/{review}/",
        {"action": "prepare", "version": "{review_version}", "scheduled_for": "2026-03-02"},
        READ_ONLY,
    ),
    (
        "viewer",
        "/projects/{code}/gate-reviews/{review}/",
        {"action": "decide", "outcome": "go", "decided_on": "2026-03-02"},
        "You may read this gate review but not decide it.",
    ),
    ("viewer", "/projects/{code}/gate-reviews/{review}/withdraw/", {}, READ_ONLY),
    (
        "viewer",
        "/projects/{code}/gate-reviews/{review}/deliverables/{deliverable}/file/",
        {"file": "upload"},
        READ_ONLY,
    ),
    (
        "viewer",
        "/projects/{code}/gate-conditions/{condition}/close/",
        {"note": "done"},
        "only the PMO, the project manager or the owner close it",
    ),
    ("member", "/lifecycle-templates/new/", {"mode": "json", "definition": "[]"}, TEMPLATES),
    (
        "member",
        "/lifecycle-templates/{template}/delete/",
        {},
        "only a PMO admin may delete lifecycle templates",
    ),
    ("exec", "/steering-meetings/", {"title": "SC", "date": "2026-03-09"}, STEERING),
    ("exec", "/steering-meetings/{meeting}/", {"action": "minutes", "minutes": "x"}, STEERING),
    ("exec", "/steering-meetings/{meeting}/", {"action": "agenda"}, STEERING),
    # dependencies and change requests
    (
        "exec",
        "/dependencies/new/",
        {"supplier_project": "{code}", "consumer_project": "{other}", "supplier_item": "m:1"},
        "only the PMO or the manager of one of the two projects may register a dependency",
    ),
    (
        "exec",
        "/dependencies/{dependency}/status/",
        {"status": "agreed"},
        "only the PMO or the manager of one of the two projects may change",
    ),
    (
        "exec",
        "/dependencies/{dependency}/delete/",
        {},
        "only the PMO or the manager of one of the two projects may delete",
    ),
    (
        "exec",
        "/change-requests/new/",
        {"project": "{code}", "type": "schedule", "title": "Late", "slip_days": "3"},
        # refused before the project posted is looked at: the executive may raise none
        "Only the PMO and project or program managers may raise change requests.",
    ),
    (
        "exec",
        "/change-requests/{change}/transition/",
        {"action": "withdraw"},
        "you may not withdraw change request",
    ),
    (
        "exec",
        "/change-requests/{change}/responses/",
        {"project": "{other}", "answer": "agree"},
        # refused before the project posted is looked at: the executive answers for none
        "Only the PMO and the managers of the projects it affects may answer this request.",
    ),
    # resources
    ("exec", "/resources/new/", {"code": "new", "name": "New", "kind": "pool"}, MANAGERS),
    ("exec", "/resources/{resource}/edit/", {"name": "Renamed"}, MANAGERS),
    (
        "exec",
        "/resources/{resource}/capacity/",
        {"first": "2026-03-02", "last": "2026-03-06", "fte": "0"},
        MANAGERS,
    ),
    ("exec", "/resources/{resource}/capacity/delete/", {"change": "{capacity_change}"}, MANAGERS),
    ("exec", "/resources/import/", {}, MANAGERS),
    ("exec", "/resources/calendar-days/", {"calendar": "CN", "days": "2026-03-02 off"}, MANAGERS),
    ("exec", "/resources/scenarios/", {"name": "Mine"}, MANAGERS),
    (
        "exec",
        "/resources/scenarios/{scenario}/shift/",
        {"project": "{code}", "days": "5"},
        MANAGERS,
    ),
    (
        "exec",
        "/resources/scenarios/{scenario}/capacity/",
        {"resource": "{resource}", "first": "2026-03-02", "last": "2026-03-06", "fte": "1"},
        MANAGERS,
    ),
    ("exec", "/resources/scenarios/{scenario}/level/", {}, MANAGERS),
    ("exec", "/resources/scenarios/{scenario}/refresh/", {}, MANAGERS),
    ("exec", "/resources/scenarios/{scenario}/projects/{code}/reset/", {}, MANAGERS),
    ("exec", "/resources/scenarios/{scenario}/commit/", {}, MANAGERS),
    ("exec", "/resources/scenarios/{scenario}/discard/", {}, MANAGERS),
    ("exec", "/resources/allocations/{allocation}/", {"fte": "0.5"}, STAFFING),
    ("exec", "/resources/allocations/{allocation}/", {"delete": "1"}, STAFFING),
    ("exec", "/projects/{code}/staffing/", {"resource": "{resource}", "fte": "1"}, STAFFING),
    (
        "exec",
        "/resources/scenarios/{scenario}/allocations/{scenario_allocation}/",
        {"fte": "0.5"},
        DRAFT,
    ),
    (
        "exec",
        "/resources/scenarios/{scenario}/staffing/",
        {"project": "{code}", "resource": "{resource}", "fte": "1"},
        DRAFT,
    ),
    # scheduling
    ("viewer", "/projects/{code}/plan/tasks/2/", {"duration": "9"}, READ_ONLY),
    ("viewer", "/projects/{code}/plan/status-date/", {"status_date": "2026-03-02"}, READ_ONLY),
    ("viewer", "/projects/{code}/plan/status-date/", {}, READ_ONLY),  # nothing typed: still 403
    ("viewer", "/projects/{code}/plan/links/", {"pred": "2", "succ": "3"}, READ_ONLY),
    ("viewer", "/projects/{code}/plan/baselines/", {"number": "1"}, READ_ONLY),
    ("viewer", "/projects/{code}/plan/scenario/{scenario}/", {}, READ_ONLY),
]


def _stored() -> int:
    """Rows of every model of the apps (their audit trail included)."""
    labels = {"accounts", "audit", "dependencies", "governance", "portfolio", "resources"}
    labels |= {"scheduling"}
    return sum(m.objects.count() for m in apps.get_models() if m._meta.app_label in labels)


@pytest.fixture
def world(users: dict[str, Any], make_project: Any, org: dict[str, Any]) -> dict[str, Any]:
    """One of everything those pages change: a project of ``pm`` on the generic lifecycle
    with a condition of a passed gate and an open review, its plan and staffing, a scenario,
    a dependency of another PM's project on it and a change request that affects that one,
    a steering meeting."""
    admin, pm = users["admin"], users["pm"]
    project = make_project(code="P1", start_date=START)
    other = make_project(code="P2", manager=users["other_pm"].person)
    generic = LifecycleTemplate.objects.get(code="generic", revision=1)
    governance.start_lifecycle(actor=admin, project=project, template=generic, started_on=START)
    first = _ticked(admin, governance.request_review(actor=pm, project=project))
    governance.decide_gate(
        actor=users["exec"],
        review=first,
        outcome="go_conditions",
        conditions=[{"text": "Quote", "owner_id": pm.person.pk, "due_date": dt.date(2027, 3, 1)}],
        decided_on=START,
    )
    review = governance.request_review(actor=pm, project=project)
    deliverable = review.deliverables.first()
    scheduling.replace_plan(actor=pm, project=project, data=small_plan())
    resource = Resource.objects.create(
        code="java", name="Java", kind="pool", role="Java", org_unit=org["sh"], fte=Decimal(2)
    )
    allocation = Allocation.objects.create(
        resource=resource,
        project=project,
        first=dt.date(2026, 3, 2),
        last=dt.date(2026, 3, 27),
        fte=Decimal(1),
    )
    change = capacity.add_capacity_change(
        actor=admin,
        resource=resource,
        first=dt.date(2026, 4, 6),
        last=dt.date(2026, 4, 10),
        fte=Decimal(0),
        reason="leave",
    )
    scenario = capacity.create_scenario(actor=admin, name="What if")
    supplied = Milestone.objects.create(project=project, name="Build", forecast_date=START)
    needs = Milestone.objects.create(
        project=other, name="Launch", forecast_date=dt.date(2026, 6, 1)
    )
    dependency = create_dependency(
        actor=admin,
        data={
            "supplier_project": project.code,
            "supplier_milestone": supplied.pk,
            "consumer_project": other.code,
            "consumer_milestone": needs.pk,
        },
    )
    raised = changes.create_change_request(
        actor=pm,
        data={
            "project": project.code,
            "type": "schedule",
            "title": "Vendor late",
            "slip_milestone": supplied.pk,
            "slip_days": 200,
        },
    )
    raised = changes.transition(actor=pm, cr=raised, action="submit")
    assert raised.affected_projects.filter(pk=other.pk).exists()
    meeting = create_meeting(
        actor=admin, data={"title": "SC", "date": dt.date(2026, 3, 2), "window_days": 7}
    )
    return {
        "code": project.code,
        "other": other.code,
        "template": generic.pk,
        "review": review.pk,
        "review_version": review.version,
        "deliverable": deliverable.deliverable_id if deliverable else 0,
        "condition": GateCondition.objects.get(project=project).pk,
        "meeting": meeting.pk,
        "resource": resource.pk,
        "allocation": allocation.pk,
        "capacity_change": change.pk,
        "scenario": scenario.pk,
        "scenario_allocation": Allocation.objects.get(scenario=scenario, project=project).pk,
        "dependency": dependency.pk,
        "change": raised.pk,
    }


def _ticked(actor: Any, review: Any) -> Any:
    """Every criterion met and every deliverable linked (so the gate may pass)."""
    return governance.prepare_review(
        actor=actor,
        review=review,
        version=review.version,
        checks=[
            {"criterion_id": c.criterion_id, "met": True, "evidence_url": "https://docs/x"}
            for c in review.checks.all()
        ],
        deliverables=[
            {"deliverable_id": d.deliverable_id, "url": "https://docs/d"}
            for d in review.deliverables.all()
        ],
    )


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a failed answer, not an error
    client.force_login(user)
    return client


@pytest.mark.parametrize(("who", "page", "back", "message"), VISITS)
def test_a_refused_visit_goes_back_with_the_reason(
    users: dict[str, Any], world: dict[str, Any], who: str, page: str, back: str, message: str
) -> None:
    before = _stored()
    visit = _client(users[who]).get(page.format(**world), follow=True)
    assert visit.redirect_chain[:1] == [(back.format(**world), 302)]
    assert visit.status_code == 200
    assert message in html.unescape(visit.content.decode())
    assert _stored() == before


@pytest.mark.parametrize(("who", "endpoint", "body", "reason"), POSTS)
def test_a_refused_post_is_a_403_saying_why_and_stores_nothing(
    users: dict[str, Any],
    world: dict[str, Any],
    who: str,
    endpoint: str,
    body: dict[str, Any],
    reason: str,
) -> None:
    data: dict[str, Any] = {key: value.format(**world) for key, value in body.items()}
    if "file" in data:
        data["file"] = SimpleUploadedFile("minutes.txt", b"signed", content_type="text/plain")
    before = _stored()
    answer = _client(users[who]).post(endpoint.format(**world), data)
    assert answer.status_code == 403
    assert reason.format(**world) in html.unescape(answer.content.decode())
    assert _stored() == before
    if answer.templates:  # the site's 403 page, or the plan page (htmx shows it in place)
        assert answer.templates[0].name in ("403.html", "scheduling/plan_detail.html")
