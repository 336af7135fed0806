"""The resource pickers: their search (``GET /api/v1/lookup/resources``) and the allocation
and capacity-change forms taking a resource typed without picking (no script)."""

from __future__ import annotations

from typing import Any

from pmo.resources import services
from pmo.resources.models import Allocation, CapacityChange
from pmo.resources.tests.factories import pool

URL = "/api/v1/lookup/resources"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _error(page: str) -> str:
    """The text of the resource picker's error on ``page``."""
    return page.split('data-testid="resource-error">')[1].split("</span>")[0]


def _team(org: Any) -> dict[str, Any]:
    return {
        "java": pool(org),
        "wang": pool(
            org,
            code="wang-fang",
            kind="person",
            name="Wang Fang",
            name_zh="王芳",
            role="Tester",
            role_zh="测试工程师",
        ),
        "left": pool(org, code="old-java", name="Java developer, retired", active=False),
        "py": pool(org, code="py-sh", name="Python developer", role="Python developer"),
    }


def test_the_search_finds_active_resources_by_name_code_or_role_in_both_languages(
    client: Any, org: Any, users: Any
) -> None:
    team = _team(org)
    client.force_login(users["pm"])  # project managers propose allocations: they may search
    answer = client.get(URL, {"q": "java"}).json()
    # the inactive one is left out
    assert answer == {
        "items": [
            {"value": str(team["java"].pk), "label": "Java developer · Java developer, Shanghai"}
        ],
        "more": False,
    }
    assert [i["value"] for i in client.get(URL, {"q": "developer"}).json()["items"]] == [
        str(team["java"].pk),
        str(team["py"].pk),
    ]
    assert client.get(URL, {"q": "wang-fang"}).json()["items"][0]["value"] == str(team["wang"].pk)
    # Chinese names and roles are found, and a Chinese reader gets Chinese labels
    chinese = client.get(URL, {"q": "测试"}, **ZH).json()["items"]
    assert chinese == [{"value": str(team["wang"].pk), "label": "测试工程师 · 王芳"}]
    assert client.get(URL, {"q": "王芳"}).json()["items"][0]["label"] == "Tester · Wang Fang"


def test_the_search_is_limited_and_only_for_those_who_see_capacity(
    client: Any, org: Any, users: Any
) -> None:
    for n in range(25):
        pool(org, code=f"pool-{n:02d}", name=f"Pool {n:02d}", role="Analyst")
    client.force_login(users["member"])
    first = client.get(URL, {"q": "analyst"}).json()
    assert len(first["items"]) == 20 and first["more"] is True
    assert len(client.get(URL, {"q": "pool", "limit": 50}).json()["items"]) == 25
    assert client.get(URL, {"limit": 51}).json()["errors"][0]["field"] == "limit"
    client.force_login(users["viewer"])  # viewers see no capacity data
    assert client.get(URL, {"q": "pool"}).status_code == 403


def test_an_allocation_takes_a_resource_typed_by_name_and_names_an_unknown_one(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    team = _team(org)
    project = make_project(code="P0001")
    client.force_login(users["member"])
    url = f"/projects/{project.code}/staffing/"
    form = {"first": "2026-12-07", "last": "2026-12-18", "fte": "0.5", "status": "proposed"}
    # typed, not picked (no script): an unknown name is refused at the field, kept as typed
    unknown = client.post(url, form | {"resource": "", "resource_text": "Nobody"})
    page = unknown.content.decode()
    assert unknown.status_code == 422
    assert 'data-testid="resource-error">no resource has the name or code “Nobody”.</span>' in page
    box = page.split('name="resource_text"')[1].split(">")[0]
    assert 'value="Nobody"' in box and 'aria-invalid="true"' in box
    assert not Allocation.objects.exists()
    # a Chinese name only one resource has is that resource; the box then shows it as picked
    made = client.post(url, form | {"resource": "", "resource_text": "王芳"})
    assert made.status_code == 302
    assert Allocation.objects.get().resource == team["wang"]
    # an inactive resource is still found by name, and then refused: it takes no new work
    refused = client.post(url, form | {"resource": "", "resource_text": "old-java"})
    assert refused.status_code == 422
    assert "old-java is inactive: it takes no new allocations" in refused.content.decode()
    assert not Allocation.objects.filter(resource=team["left"]).exists()


def test_a_picked_resource_counts_until_its_box_is_changed(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    team = _team(org)
    project = make_project(code="P0001")
    client.force_login(users["member"])
    url = f"/projects/{project.code}/staffing/"
    form = {"first": "2026-12-07", "last": "2026-12-18", "fte": "0.5", "status": "proposed"}
    picked = {
        "resource": team["java"].pk,
        "resource_text": "Java developer · Java developer, Shanghai",
    }
    assert client.post(url, form | picked).status_code == 302
    assert Allocation.objects.get().resource == team["java"]
    # the page came with Java picked, the reader typed another name over it (no script)
    retyped = {"resource": team["java"].pk, "resource_text": "Python developer"}
    assert client.post(url, form | retyped).status_code == 302
    assert Allocation.objects.filter(resource=team["py"]).exists()
    # a name two resources have: refused, listing both with their codes to choose from
    pool(org, code="py-bj", name="Python developer")
    twice = client.post(url, form | {"resource": "", "resource_text": "python developer"})
    assert twice.status_code == 422
    assert _error(twice.content.decode()) == (
        "2 resources match “python developer”: Python developer (py-bj); "
        "Python developer (py-sh) — pick one or type its code."
    )


def test_a_scenario_capacity_change_takes_a_typed_resource_but_only_an_active_one(
    client: Any, org: Any, users: Any
) -> None:
    team = _team(org)
    scenario = services.create_scenario(actor=users["member"], name="Hiring")
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/capacity/"
    change = {"first": "2026-03-02", "last": "2026-03-13", "fte": "3", "reason": "contractor"}
    inactive = client.post(url, change | {"resource": "", "resource_text": "old-java"})
    assert "no resource has the name or code “old-java”." in inactive.content.decode()
    assert not CapacityChange.objects.filter(scenario=scenario).exists()
    done = client.post(url, change | {"resource": "", "resource_text": "JAVA-SH"})
    assert done.status_code == 302
    assert CapacityChange.objects.get(scenario=scenario).resource == team["java"]
    # the page offers the picker (its search), not a select of every resource
    page = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    form = page[page.index('data-testid="capacity-form"') :].split("</form>")[0]
    assert '<select name="resource"' not in form
    assert 'data-picker="/api/v1/lookup/resources"' in form


def test_text_that_is_part_of_some_resources_lists_them_to_choose_from(
    client: Any, org: Any, users: Any, make_project: Any
) -> None:
    # given resources whose names, codes or roles contain "developer" (as the picker lists)
    team = _team(org)
    project = make_project(code="P0001")
    client.force_login(users["member"])
    url = f"/projects/{project.code}/staffing/"
    form = {"first": "2026-12-07", "last": "2026-12-18", "fte": "0.5", "status": "proposed"}
    # when part of a name is typed without picking (no script) and the form sent
    typed = client.post(url, form | {"resource": "", "resource_text": "developer"})
    # then the field lists them, in the picker's order, with the code to type, not "none"
    assert typed.status_code == 422
    assert _error(typed.content.decode()) == (
        "3 resources match “developer”: Java developer, Shanghai (java-sh); "
        "Java developer, retired (old-java); Python developer (py-sh) — pick one or type its "
        "code."
    )
    assert not Allocation.objects.exists()
    # a Chinese name matches too, and is listed by its Chinese name
    one = _error(
        client.post(url, form | {"resource": "", "resource_text": "测试"}, **ZH).content.decode()
    )
    assert "王芳" in one
    assert "wang-fang" in one
    assert "Wang Fang" not in one
    # a code listed there, typed, is the resource
    assert client.post(url, form | {"resource": "", "resource_text": "py-sh"}).status_code == 302
    assert Allocation.objects.get().resource == team["py"]
    # many: the first five, then an ellipsis
    for n in range(6):
        pool(org, code=f"dev-{n}", name=f"Developer {n}", role="Developer")
    many = _error(
        client.post(url, form | {"resource": "", "resource_text": "develop"}).content.decode()
    )
    assert many.startswith("9 resources match “develop”: Developer 0 (dev-0); ")
    assert many.endswith("; … — pick one or type its code.")
    assert many.count(" (") == 5


def test_a_scenario_capacity_change_lists_only_active_resources_that_match(
    client: Any, org: Any, users: Any
) -> None:
    _team(org)
    scenario = services.create_scenario(actor=users["member"], name="Hiring")
    client.force_login(users["member"])
    url = f"/resources/scenarios/{scenario.pk}/capacity/"
    change = {"first": "2026-03-02", "last": "2026-03-13", "fte": "3", "reason": "contractor"}
    typed = client.post(url, change | {"resource": "", "resource_text": "java"})
    # the retired Java pool takes no capacity change: only the active one is offered
    assert _error(typed.content.decode()) == (
        "1 resource matches “java”: Java developer, Shanghai (java-sh) — pick it or type its code."
    )
    assert not CapacityChange.objects.filter(scenario=scenario).exists()
