"""A project manager's request (a proposal of the current plan, or a change of its figures)
reaches the resource managers responsible for the resource, once, in their language, with a
link to the project's requests; a resource manager who changes a request while committing
it tells the project manager what changed (ADR 0020, follow-up)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from pmo.accounts.models import Person, Role, User
from pmo.dependencies.models import Notification
from pmo.resources import services
from pmo.resources.models import Allocation, Scenario
from pmo.resources.services.request_news import tell_proposed
from pmo.resources.tests.factories import MON, allocate, bearer, pool, two_requests

FRI = MON + dt.timedelta(days=4)


@pytest.fixture
def managers(org: dict[str, Any]) -> dict[str, User]:
    """Resource managers of Shanghai R&D, of the China region above it, of London IT."""
    made = {}
    for name, unit in (("rm_sh", "sh"), ("rm_cn", "cn"), ("rm_it", "it")):
        user = User.objects.create_user(
            username=name, password="pw-12345", role=Role.RESOURCE_MANAGER
        )
        Person.objects.create(name=name.upper(), org_unit=org[unit], user=user)
        made[name] = user
    return made


def _told() -> dict[str, list[Notification]]:
    found: dict[str, list[Notification]] = {}
    for note in Notification.objects.select_related("user").order_by("id"):
        found.setdefault(note.user.username, []).append(note)
    return found


def _propose(user: Any, resource: Any, project: Any, **data: Any) -> Allocation:
    values = {
        "resource_id": resource.pk,
        "project_id": project.pk,
        "first": MON,
        "last": FRI,
        "fte": "0.5",
        "status": "proposed",
        **data,
    }
    return services.create_allocation(actor=user, data=values)


def test_a_proposal_tells_the_resource_managers_of_its_unit_and_above_once(
    org: dict[str, Any], users: dict[str, Any], managers: dict[str, User], make_project: Any
) -> None:
    java = pool(org)  # Shanghai R&D, under China
    project = make_project()
    managers["rm_cn"].language = "zh-hans"
    managers["rm_cn"].save()
    _propose(users["pm"], java, project)
    told = _told()
    # not London IT's manager, not the PMO (they see the count), not the asker
    assert sorted(told) == ["rm_cn", "rm_sh"]
    (note,) = told["rm_sh"]
    assert note.url == f"/resources/requests/?project={project.code}"
    with translation.override("en"):
        assert note.text == (
            f"Zhang Wei asks for Java developer, Shanghai on {project.code} "
            "(2026-03-02 to 2026-03-06, 0.5 FTE): commit or decline the request"
        )
    # the Chinese reader reads the asker by their Chinese name
    assert "张伟" in told["rm_cn"][0].message
    assert "Zhang Wei" not in told["rm_cn"][0].message


def test_with_no_manager_of_its_unit_or_above_every_resource_manager_is_told(
    org: dict[str, Any], users: dict[str, Any], managers: dict[str, User], make_project: Any
) -> None:
    # London HQ: London IT's manager is below it, not above; no one is of the unit or above
    london = pool(org, code="ldn", name="London pool", org_unit=org["uk"])
    managers["rm_sh"].is_active = False
    managers["rm_sh"].save()
    _propose(users["pm"], london, make_project())
    assert sorted(_told()) == ["rm_cn", "rm_it"]


def test_a_change_of_a_proposal_names_what_changed(
    org: dict[str, Any], users: dict[str, Any], managers: dict[str, User], make_project: Any
) -> None:
    keep, _other, project = two_requests(org, make_project)
    services.update_allocation(
        actor=users["pm"],
        allocation=keep,
        data={"first": MON + dt.timedelta(days=7), "last": FRI + dt.timedelta(days=7), "fte": 1},
        version=1,
    )
    # a note changed asks for nothing new
    services.update_allocation(actor=users["pm"], allocation=keep, data={"note": "x"}, version=2)
    (note,) = _told()["rm_sh"]
    with translation.override("en"):
        assert note.text == (
            f"Zhang Wei changed the request of {project.code} for Java developer, Shanghai: "
            "2026-03-02–2026-03-06 → 2026-03-09–2026-03-13, 0.5 → 1 FTE; commit or decline it"
        )
    assert note.url == f"/resources/requests/?project={project.code}"


def test_resource_managers_scenarios_and_committed_rows_tell_nobody(
    org: dict[str, Any], users: dict[str, Any], managers: dict[str, User], make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    # a resource manager (and the PMO) proposing or changing: nobody asks them
    mine = _propose(managers["rm_it"], java, project)
    _propose(users["member"], java, project)
    services.update_allocation(actor=managers["rm_it"], allocation=mine, data={"fte": 1}, version=1)
    # a what-if of a scenario, a committed row: no request (the services let no project
    # manager write them; the rule holds on its own)
    draft = Scenario.objects.create(name="What if")
    for row in (
        allocate(java, project, MON, FRI, "1", scenario=draft),
        allocate(java, project, MON, FRI, "1", status="committed"),
    ):
        tell_proposed(users["pm"], row, None)
    # a page or client that says not to tell (an import of its own)
    services.create_allocation(
        actor=users["pm"],
        data={
            "resource_id": java.pk,
            "project_id": project.pk,
            "first": MON,
            "last": FRI,
            "fte": "0.25",
            "status": "proposed",
        },
        tell=False,
    )
    assert _told() == {}


def test_a_proposal_posted_to_the_api_and_the_staffing_page_tells_them(
    client: Any, org: dict[str, Any], users: dict[str, Any], managers: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project()
    answer = client.post(
        "/api/v1/allocations",
        {
            "resource_id": java.pk,
            "project": project.code,
            "first": MON.isoformat(),
            "last": FRI.isoformat(),
            "fte": 0.5,
            "status": "proposed",
        },
        content_type="application/json",
        headers=bearer(users["pm"]),
    )
    assert answer.status_code == 201, answer.content
    client.force_login(users["pm"])
    page = client.post(
        f"/projects/{project.code}/staffing/",
        {
            "resource": java.pk,
            "first": MON.isoformat(),
            "last": FRI.isoformat(),
            "fte": "1",
            "status": "proposed",
        },
    )
    assert page.status_code == 302
    assert [len(n) for n in _told().values()] == [2, 2]


# --- a request changed, then committed --------------------------------------------------


def test_a_request_changed_while_committed_tells_what_changed(
    org: dict[str, Any], users: dict[str, Any], make_project: Any
) -> None:
    keep, _other, project = two_requests(org, make_project)
    # the edit page's Save with the status set to committed, or a PATCH of both
    services.update_allocation(
        actor=users["member"],
        allocation=keep,
        data={
            "status": "committed",
            "first": MON + dt.timedelta(days=7),
            "last": FRI + dt.timedelta(days=7),
            "fte": "1",
        },
        version=1,
    )
    (note,) = _told()["pm"]
    with translation.override("en"):
        assert note.text == (
            f"member committed the request of {project.code} for Java developer, Shanghai "
            "with changes: 2026-03-02–2026-03-06 → 2026-03-09–2026-03-13, 0.5 → 1 FTE"
        )


def test_a_request_changed_then_committed_among_others_is_listed_with_its_changes(
    org: dict[str, Any], users: dict[str, Any], make_project: Any
) -> None:
    keep, other, project = two_requests(org, make_project)
    london = pool(org, code="ldn", name="London pool", org_unit=org["uk"])
    # the requests page's Change (another resource, fewer FTE), then Commit selected
    services.update_allocation(
        actor=users["member"],
        allocation=keep,
        data={"resource_id": london.pk, "fte": "0.25"},
        version=1,
    )
    services.decide_requests(actor=users["member"], commit=[(keep.pk, 2), (other.pk, 1)])
    (note,) = _told()["pm"]
    with translation.override("en"):
        assert note.text == (
            f"member committed 2 requests of {project.code}, 1 of them with changes: "
            "java-sh → ldn 2026-03-02–2026-03-06 0.5 → 0.25 FTE; "
            "java-sh 2026-03-02–2026-03-13 1 FTE"
        )


def test_a_request_its_project_manager_changed_last_is_committed_as_asked(
    org: dict[str, Any], users: dict[str, Any], make_project: Any
) -> None:
    keep, _other, project = two_requests(org, make_project)
    services.update_allocation(actor=users["member"], allocation=keep, data={"fte": 1}, version=1)
    # the project manager asks again (their own figures): committing them changes nothing
    services.update_allocation(actor=users["pm"], allocation=keep, data={"fte": "0.75"}, version=2)
    services.decide_requests(actor=users["member"], commit=[(keep.pk, 3)])
    (note,) = _told()["pm"]
    with translation.override("en"):
        assert note.text == (
            f"member committed the request of {project.code} for Java developer, Shanghai "
            "(2026-03-02 to 2026-03-06, 0.75 FTE)"
        )
