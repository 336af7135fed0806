"""The "Who is free?" page and its endpoint: the answer, mistakes named at their field,
who may read it, allocating from it on a project's staffing page, and the API's checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.resources.models import Scenario
from pmo.resources.tests.factories import MON, allocate, bearer, pool

FRI = MON + dt.timedelta(days=4)
WINDOW = f"first={MON}&last={MON + dt.timedelta(days=11)}"


def _world(org: dict[str, Any], make_project: Any) -> tuple[Any, Any, Any]:
    """Java pool 2 FTE with 1.5 booked in week 1; Ann (1 FTE, Kafka) free; a tester."""
    java = pool(org)
    project = make_project()
    allocate(java, project, MON, FRI, "1.5", status="committed")
    ann = pool(
        org,
        code="ann",
        name="Ann Lee",
        name_zh="李安",
        kind="person",
        fte=Decimal("1"),
        skills="Kafka",
    )
    pool(org, code="tess", name="Tess", kind="person", role="Tester", fte=Decimal("1"))
    return java, ann, project


def _rows(html: str) -> list[str]:
    return [
        part.split('"', 1)[0]
        for part in html.split('data-testid="availability-row" data-code="')[1:]
    ]


def test_the_page_lists_who_is_free_most_room_first(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _world(org, make_project)
    client.force_login(users["exec"])  # executives read capacity too
    page = client.get(f"/resources/availability/?{WINDOW}&fte=0.75&role=Java+developer")
    assert page.status_code == 200
    html = page.content.decode()
    assert _rows(html) == ["ann", "java-sh"]  # the pool has 0.5 free in week 1: no fit
    assert (
        "1 resource has at least 0.75 FTE free on every working day from 2026-03-02 to 2026-03-13."
        in html
    )
    assert "2 resources have some room." in html
    assert html.count('data-testid="fits"') == 1
    assert 'data-testid="allocate"' not in html  # no project named: nothing to allocate to
    # one number format in the FTE columns: Ann's 1 FTE, her 1 free, the pool's 0.5 in week 1
    ann = html.split('data-code="ann"', 1)[1].split("</tr>", 1)[0]
    cells = [c.rsplit(">", 1)[-1] for c in ann.split("</td>")[2:6]]
    assert cells == ["1", "1", "1", "1"], cells
    pool_row = html.split('data-code="java-sh"', 1)[1].split("</tr>", 1)[0]
    assert ">0.5</td>" in pool_row and ".0<" not in pool_row
    # the skill narrows it, any case
    assert _rows(client.get(f"/resources/availability/?{WINDOW}&skill=kafka").content.decode()) == [
        "ann"
    ]


def test_the_page_opens_on_the_next_twelve_weeks_and_in_chinese(
    client: Any, users: Any, org: Any, make_project: Any, on_mon: None
) -> None:
    _world(org, make_project)
    client.force_login(users["member"])
    html = client.get("/resources/availability/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'name="first" value="2026-03-02"' in html
    assert 'name="last" value="2026-05-24"' in html  # 12 weeks, Monday to Sunday
    assert "2026-W10" in html and "2026-W21" in html and "2026-W22" not in html
    assert "李安" in html


def test_mistakes_are_named_at_their_field_with_a_422(client: Any, users: Any, org: Any) -> None:
    client.force_login(users["member"])
    backwards = client.get(f"/resources/availability/?first={FRI}&last={MON}")
    assert backwards.status_code == 422
    assert (
        'data-testid="availability-last-error">the end date is before the start date'
        in backwards.content.decode()
    )
    too_long = client.get(
        f"/resources/availability/?first={MON}&last={MON + dt.timedelta(days=400)}"
    )
    assert too_long.status_code == 422
    assert "Choose at most a year (366 days) from the start date." in too_long.content.decode()
    bad = client.get(f"/resources/availability/?{WINDOW}&fte=abc&role=Nobody")
    assert bad.status_code == 422
    html = bad.content.decode()
    assert "Enter the FTE as a number, e.g. 0.5." in html
    assert "No role “Nobody”: choose one from the list." in html
    unit = client.get(f"/resources/availability/?{WINDOW}&org_unit=999999").content.decode()
    assert "No org unit “999999”: choose one from the list." in unit
    assert 'name="fte" value="abc"' in html  # what was typed stays
    assert client.get("/resources/availability/?project=NOPE").status_code == 404
    assert client.get("/resources/availability/?scenario=999999").status_code == 404


def test_who_may_read_it(client: Any, users: Any, org: Any) -> None:
    client.force_login(users["viewer"])
    assert client.get("/resources/availability/").status_code == 403
    client.logout()
    assert client.get("/resources/availability/").status_code == 302  # to sign in


def test_allocating_from_it_fills_the_staffing_form(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _java, ann, _project = _world(org, make_project)
    target = make_project(name="Needs Kafka")
    client.force_login(users["pm"])  # the project's manager proposes its staffing
    staffing = client.get(f"/projects/{target.code}/staffing/").content.decode()
    assert f'href="/resources/availability/?project={target.code}"' in staffing
    html = client.get(
        f"/resources/availability/?{WINDOW}&fte=0.5&project={target.code}"
    ).content.decode()
    link = (
        f'href="/projects/{target.code}/staffing/?resource={ann.pk}&amp;first=2026-03-02'
        '&amp;last=2026-03-13&amp;fte=0.5#add-allocation"'
    )
    assert link in html
    filled = client.get(
        f"/projects/{target.code}/staffing/?resource={ann.pk}&first=2026-03-02&last=2026-03-13&fte=0.5"
    )
    form = filled.content.decode()
    assert f'value="{ann.pk}"' in form and "Ann Lee" in form
    assert 'name="first" value="2026-03-02"' in form and 'name="last" value="2026-03-13"' in form
    assert 'name="fte" value="0.5"' in form
    # nonsense in the query leaves the form's defaults
    odd = client.get(
        f"/projects/{target.code}/staffing/?resource=x&first=2026-02-30&fte=-1"
    ).content.decode()
    assert 'name="fte" value="1"' in odd and 'name="last" ' in odd
    # an executive reads who is free but may not staff the project: no Allocate
    client.force_login(users["exec"])
    html = client.get(f"/resources/availability/?{WINDOW}&project={target.code}").content.decode()
    assert _rows(html) and 'data-testid="allocate"' not in html


def test_a_draft_scenario_counts_its_own_allocations_a_closed_one_the_plan(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _java, ann, project = _world(org, make_project)
    draft = Scenario.objects.create(name="What if")
    allocate(ann, project, MON, FRI + dt.timedelta(days=7), "1", scenario=draft)
    client.force_login(users["member"])
    html = client.get(
        f"/resources/availability/?{WINDOW}&role=Java+developer&scenario={draft.pk}"
    ).content.decode()
    assert _rows(html) == ["java-sh"]  # Ann is taken there; the scenario has no other rows
    closed = Scenario.objects.create(
        name="Old", state="discarded", closed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    html = client.get(f"/resources/availability/?{WINDOW}&scenario={closed.pk}").content.decode()
    assert 'data-testid="closed-scenario"' in html
    assert _rows(html) == ["ann", "tess", "java-sh"]


def test_the_api_answers_who_is_free(client: Any, users: Any, org: Any, make_project: Any) -> None:
    _java, ann, _project = _world(org, make_project)
    headers = bearer(users["member"])
    got = client.get(
        f"/api/v1/capacity/availability?{WINDOW}&need=0.75&org_unit=sh", headers=headers
    )
    assert got.status_code == 200, got.content
    body = got.json()
    assert (body["found"], body["fitting"], body["need"]) == (3, 2, 0.75)
    assert [r["code"] for r in body["rows"]] == ["ann", "tess", "java-sh"]
    first = body["rows"][0]
    assert first == {
        "resource_id": ann.pk,
        "code": "ann",
        "name": "Ann Lee",
        "kind": "person",
        "role": "Java developer",
        "org_unit": "sh",
        "fte": 1.0,
        "least": 1.0,
        "mean": 1.0,
        "fits": True,
        "weeks": [1.0, 1.0],
    }
    assert [p["label"] for p in body["periods"]] == ["2026-W10", "2026-W11"]
    assert body["rows"][2]["weeks"] == [0.5, 2.0] and body["rows"][2]["least"] == 0.5


def test_the_api_names_what_is_wrong(client: Any, users: Any, org: Any) -> None:
    headers = bearer(users["member"])

    def error(query: str) -> tuple[int, str]:
        got = client.get(f"/api/v1/capacity/availability?{query}", headers=headers)
        return got.status_code, str(got.json())

    status, text = error(f"first={FRI}&last={MON}")
    assert status == 422 and "'last'" in text and "the end date is before the start date" in text
    status, text = error(f"first={MON}&last={MON + dt.timedelta(days=366)}")
    assert status == 422 and "366 days" in text
    assert error("need=0")[0] == 422
    assert error("limit=0")[0] == 422
    assert error("org_unit=nowhere")[0] == 422
    assert error("colour=blue")[0] == 422  # an unknown parameter
    assert error("scenario_id=999999")[0] == 404
    viewer = client.get("/api/v1/capacity/availability", headers=bearer(users["viewer"]))
    assert viewer.status_code == 403


def test_the_api_refuses_a_role_nobody_has_and_reads_one_in_any_case(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _world(org, make_project)
    headers = bearer(users["member"])
    got = client.get("/api/v1/capacity/availability?role=Nobody", headers=headers)
    assert got.status_code == 422 and "no role “Nobody”" in str(got.json())
    upper = client.get(f"/api/v1/capacity/availability?{WINDOW}&role=TESTER", headers=headers)
    assert [r["code"] for r in upper.json()["rows"]] == ["tess"]
    draft = Scenario.objects.create(name="What if")
    compare = client.get(f"/api/v1/scenarios/compare?ids={draft.pk}&role=Nobody", headers=headers)
    assert compare.status_code == 422 and "'role'" in str(compare.json())


def test_a_role_cell_of_the_heat_map_asks_who_in_the_role_is_free(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _world(org, make_project)
    client.force_login(users["member"])
    query = f"by=role&key=Java+developer&first={MON}&last={MON + dt.timedelta(days=6)}"
    html = client.get(f"/resources/heatmap/cell/?{query}").content.decode()
    assert (
        'href="/resources/availability/?role=Java+developer&amp;first=2026-03-02'
        '&amp;last=2026-03-08" data-testid="drill-find-free"'
    ) in html
    # a person's cell has its own "same role, room" table instead
    person = client.get(f"/resources/heatmap/cell/?by=resource&key=1&first={MON}&last={MON}")
    assert 'data-testid="drill-find-free"' not in person.content.decode()
    heatmap = client.get("/resources/heatmap/").content.decode()
    assert 'href="/resources/availability/" data-testid="heatmap-find-free"' in heatmap


def test_from_a_project_the_window_is_the_project_s_remaining_days(
    client: Any, users: Any, org: Any, make_project: Any, on_mon: None
) -> None:
    _world(org, make_project)
    end = MON + dt.timedelta(days=20)
    short = make_project(planned_finish=end, forecast_finish=end)
    client.force_login(users["pm"])
    html = client.get(f"/resources/availability/?project={short.code}").content.decode()
    assert 'name="first" value="2026-03-02"' in html
    assert 'name="last" value="2026-03-22"' in html  # its finish, not 12 weeks
    later = make_project(
        start_date=MON + dt.timedelta(days=7), forecast_finish=MON + dt.timedelta(days=13)
    )
    html = client.get(f"/resources/availability/?project={later.code}").content.decode()
    assert 'name="first" value="2026-03-09"' in html and 'name="last" value="2026-03-15"' in html
    # nobody fits: said plainly, and the empty row spans the table
    none = client.get(f"/resources/availability/?project={later.code}&fte=50").content.decode()
    assert "No resource has 50 FTE free on every working day from 2026-03-09 to 2026-03-15." in none


def test_a_role_cell_keeps_the_heat_map_s_org_unit_and_skill(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    _world(org, make_project)
    client.force_login(users["member"])
    query = f"by=role&key=Java+developer&first={MON}&last={FRI}&org_unit={org['sh'].pk}&skill=Kafka"
    html = client.get(f"/resources/heatmap/cell/?{query}").content.decode()
    link = (
        f"/resources/availability/?org_unit={org['sh'].pk}&amp;skill=Kafka"
        "&amp;role=Java+developer&amp;first=2026-03-02&amp;last=2026-03-06"
    )
    assert f'href="{link}"' in html
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert _rows(page) == ["ann"]
