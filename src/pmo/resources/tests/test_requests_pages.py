"""The "Requests to commit" page: every request across projects with whether it fits, its
filters, who may decide, and deciding several at once, all or none, the filters kept."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import escape, unescape
from typing import Any

import pytest

from pmo.audit.models import AuditEvent
from pmo.resources.models import Allocation
from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)
WEEK2_FRI = MON + dt.timedelta(days=11)
URL = "/resources/requests/"


@pytest.fixture
def world(org: dict[str, Any], make_project: Any, on_mon: None) -> dict[str, Any]:
    """Today is MON. Java pool (2 FTE, 1.5 committed in week 1): a request of 0.5 that fits,
    one of 1 that overloads week 1; Ann in London, a request of 0.5 on another project."""
    java = pool(org)
    one = make_project(name="Billing")
    two = make_project(name="Ledger")
    allocate(java, one, MON, FRI, "1.5", status="committed")
    ann = pool(
        org,
        code="ann",
        name="Ann Lee",
        kind="person",
        role="Tester",
        fte=Decimal("1"),
        org_unit=org["it"],
    )
    return {
        "one": one,
        "two": two,
        "small": allocate(java, one, MON, FRI, "0.5", note="two sprints"),
        "big": allocate(java, one, MON + dt.timedelta(days=1), WEEK2_FRI, "1"),
        "ann": allocate(ann, two, MON + dt.timedelta(days=2), FRI, "0.5"),
    }


def _ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-testid="request-row" data-id="(\d+)"', html)]


def _row(html: str, pk: int) -> str:
    return html.split(f'data-testid="request-row" data-id="{pk}"', 1)[1].split("</tr>", 1)[0]


def _proposed() -> set[int]:
    return set(Allocation.objects.filter(status="proposed").values_list("pk", flat=True))


def test_the_list_says_which_fit_earliest_first(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    small, big, ann = world["small"], world["big"], world["ann"]
    assert _ids(html) == [small.pk, big.pk, ann.pk]  # by their first day
    assert "3 requests wait, 2 of them fit beside the committed work." in html
    assert 'data-testid="request-fits"' in _row(html, small.pk)
    assert "0.5 FTE free at least" in _row(html, small.pk)
    assert "two sprints" in _row(html, small.pk)
    # the big one overloads the four working days of week 1 it covers
    assert "overloads on 4 days" in _row(html, big.pk)
    # the small one fits alone, not with the big one committed as well
    assert 'data-testid="request-not-with-proposals"' in _row(html, small.pk)
    assert 'data-testid="request-not-with-proposals"' not in _row(html, ann.pk)
    assert f'href="/projects/{world["one"].code}/staffing/"' in _row(html, small.pk)
    assert f'value="{small.pk}:{small.version}"' in html
    assert 'aria-label="Request of ' + world["one"].code + " for Java developer, Shanghai" in html


def test_the_filters_narrow_it_and_unknown_ones_are_named(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["pm"])
    two = world["two"].code
    assert _ids(client.get(f"{URL}?project={two}").content.decode()) == [world["ann"].pk]
    london = client.get(f"{URL}?org_unit={world['ann'].resource.org_unit_id}").content.decode()
    assert _ids(london) == [world["ann"].pk]
    java = client.get(f"{URL}?role=Java+developer&org_unit=").content.decode()
    assert _ids(java) == [world["small"].pk, world["big"].pk]
    unknown = client.get(f"{URL}?project=NOPE&role=Nobody")
    assert unknown.status_code == 422
    html = unknown.content.decode()
    assert "The requests are not listed: correct Project, Role." in html
    assert 'data-testid="requests-project-error">No project “NOPE”' in html
    assert 'data-testid="requests-role-error">No role “Nobody”: choose one from the list.' in html
    assert _ids(html) == []
    gone = client.get(f"{URL}?org_unit=999999").content.decode()
    assert 'data-testid="requests-org-unit-error">No org unit “999999”' in gone
    assert 'name="project" maxlength="50" value="NOPE"' in html  # what was typed stays


def test_a_project_manager_reads_it_but_may_not_decide(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["pm"])
    html = client.get(URL).content.decode()
    assert len(_ids(html)) == 3
    assert 'name="request"' not in html and 'data-testid="commit-selected"' not in html
    assert 'data-testid="request-edit"' not in html
    small = world["small"]
    refused = client.post(URL, {"request": f"{small.pk}:{small.version}", "action": "commit"})
    assert refused.status_code == 403
    assert _proposed() == {small.pk, world["big"].pk, world["ann"].pk}
    client.force_login(users["viewer"])  # who reads no capacity reads no requests either
    assert client.get(URL).status_code == 403


def test_a_manager_commits_two_and_declines_one_keeping_the_filters(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    small, big, ann = world["small"], world["big"], world["ann"]
    query = "?role=Java+developer"
    done = client.post(
        URL + query,
        {"request": [f"{small.pk}:{small.version}", f"{big.pk}:1"], "action": "commit"},
    )
    assert (done.status_code, done["Location"]) == (302, URL + query)
    assert set(Allocation.objects.filter(status="committed").values_list("pk", flat=True)) >= {
        small.pk,
        big.pk,
    }
    shown = client.get(done["Location"]).content.decode()
    assert "2 requests committed." in shown
    assert _ids(shown) == []  # the Java ones are decided; the filter still applies
    declined = client.post(
        URL + query,
        {"request": f"{ann.pk}:{ann.version}", "action": "decline", "reason": "No budget"},
    )
    assert declined.status_code == 302
    assert "1 request declined: its project's manager is told why." in unescape(
        client.get(URL).content.decode()
    )
    assert not Allocation.objects.filter(pk=ann.pk).exists()
    event = AuditEvent.objects.get(object_id=str(ann.pk), action="delete")
    assert event.changes["declined"] == [None, "No budget"]


def test_declining_without_a_reason_changes_nothing(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    small, big = world["small"], world["big"]
    page = client.post(
        URL,
        {"request": [f"{small.pk}:1", f"{big.pk}:1"], "action": "decline", "reason": "  "},
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "say why the requests are declined" in html
    assert f'value="{small.pk}:1" checked' in html and f'value="{big.pk}:1" checked' in html
    assert f'value="{world["ann"].pk}:1" data-testid' in html  # not ticked: not chosen
    assert _proposed() == {small.pk, big.pk, world["ann"].pk}
    # a reason too long is named too, and what was typed stays
    long = client.post(URL, {"request": f"{small.pk}:1", "action": "decline", "reason": "x" * 201})
    assert long.status_code == 422
    assert "the reason is 201 characters long; at most 200" in long.content.decode()
    assert _proposed() == {small.pk, big.pk, world["ann"].pk}


def test_nothing_chosen_or_a_garbled_choice_is_said(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    nothing = client.post(URL, {"action": "commit"})
    assert nothing.status_code == 422
    assert "choose at least one request to commit or decline" in nothing.content.decode()
    garbled = client.post(URL, {"request": "x:y", "action": "commit"})
    assert garbled.status_code == 422
    assert "The request “x:y” could not be read: reload the page." in garbled.content.decode()
    # without its version, or an id no database key holds: unreadable too, not a 500
    for value in (str(world["small"].pk), "9" * 30 + ":1", f"{world['small'].pk}:"):
        refused = client.post(URL, {"request": value, "action": "commit"})
        assert refused.status_code == 422, value
        assert "could not be read: reload the page." in refused.content.decode()
    no_button = client.post(URL, {"request": f"{world['small'].pk}:1"})
    assert no_button.status_code == 422
    assert "Press Commit selected or Decline selected." in no_button.content.decode()
    assert len(_proposed()) == 3


def test_a_stale_request_refuses_the_lot_naming_it(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    small, big = world["small"], world["big"]
    html = client.get(URL).content.decode()
    assert f'value="{big.pk}:1"' in html
    Allocation.objects.filter(pk=big.pk).update(version=2, fte=Decimal("0.75"))  # meanwhile
    page = client.post(URL, {"request": [f"{small.pk}:1", f"{big.pk}:1"], "action": "commit"})
    assert page.status_code == 409
    html = page.content.decode()
    big.refresh_from_db()  # named as it is now
    assert escape(f"the request {big.pk} ({big})") in html
    assert f'value="{big.pk}:2" checked' in html  # the row as it is now, still ticked
    assert _proposed() == {small.pk, big.pk, world["ann"].pk}


def test_the_page_reads_in_chinese(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="zh-Hans"' in html
    assert len(_ids(html)) == 3


def test_the_heat_map_and_the_staffing_page_link_to_it(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["pm"])
    heat = client.get("/resources/heatmap/").content.decode()
    assert f'href="{URL}" data-testid="heatmap-requests">Requests to commit (3)' in heat
    code = world["two"].code
    staffing = client.get(f"/projects/{code}/staffing/").content.decode()
    assert f'href="{URL}?project={code}" data-testid="staffing-requests"' in staffing


def test_a_request_already_over_has_no_day_left_to_judge(
    client: Any, users: dict[str, Any], org: dict[str, Any], make_project: Any, on_mon: None
) -> None:
    past = allocate(
        pool(org), make_project(), MON - dt.timedelta(days=14), MON - dt.timedelta(days=10), "5"
    )
    client.force_login(users["member"])
    row = _row(client.get(URL).content.decode(), past.pk)
    assert "no working day left in these dates" in row
    assert 'data-testid="request-overloads"' not in row
    assert 'data-testid="request-fits"' not in row  # nothing left to fit: no badge


def test_a_manager_can_change_a_request_before_committing_it(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    big = world["big"]
    listed = f"{URL}?role=Java+developer"
    row = _row(client.get(listed).content.decode(), big.pk)
    back = "%2Fresources%2Frequests%2F%3Frole%3DJava%2Bdeveloper"  # the list, filtered
    edit = f"/resources/allocations/{big.pk}/?next={back}"
    assert f'href="{edit}" data-testid="request-edit"' in row
    assert client.get(edit).status_code == 200
    # saved: back to the list as it was filtered, the request now at 0.5 FTE
    data = {
        "resource": big.resource_id,
        "first": big.first.isoformat(),
        "last": big.last.isoformat(),
        "fte": "0.5",
        "status": "proposed",
        "note": "",
        "version": big.version,
    }
    saved = client.post(edit, data)
    assert (saved.status_code, saved["Location"]) == (302, listed)
    big.refresh_from_db()
    assert big.fte == Decimal("0.5")
    # anywhere else named as next is ignored: the staffing page, as before
    data["version"], data["fte"] = big.version, "0.6"
    elsewhere = client.post(f"/resources/allocations/{big.pk}/?next=https://evil.example/", data)
    assert elsewhere["Location"] == f"/projects/{big.project.code}/staffing/"


def test_the_staffing_page_says_whether_each_proposal_fits(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    # the project's manager sees, before anyone decides, what the resource manager will see
    client.force_login(users["pm"])
    html = client.get(f"/projects/{world['one'].code}/staffing/").content.decode()
    rows = html.split('data-testid="allocations"', 1)[1].split("</table>", 1)[0].split("<tr>")
    small = next(r for r in rows if "two sprints" in r)
    big = next(r for r in rows if "<td>1</td>" in r)
    committed = next(r for r in rows if "<td>1.5</td>" in r)
    assert 'data-testid="request-fits"' in small and "0.5 FTE free at least" in small
    assert "overloads on 4 days" in big  # Tuesday to Friday of week 1
    assert 'data-testid="request-' not in committed  # decided: nothing to judge
    # the resource's page writes FTE the same way (its rows are rendered in Python)
    resource = client.get(f"/resources/{world['small'].resource_id}/").content.decode()
    assert "<td>1.5</td>" in resource and "1.50" not in resource


def test_a_resource_overloaded_already_reads_as_such_not_as_negative_room(
    client: Any, users: dict[str, Any], org: dict[str, Any], make_project: Any, on_mon: None
) -> None:
    java = pool(org)  # 2 FTE
    project = make_project()
    allocate(java, project, MON, FRI, "3.4", status="committed")  # 1.4 over already
    request = allocate(java, project, MON, FRI, "0.5")
    client.force_login(users["member"])
    row = _row(client.get(URL).content.decode(), request.pk)
    assert "already over capacity by 1.4 FTE without it" in row
    assert "-1.4" not in row and "free at least" not in row


def test_a_request_committed_on_its_edit_page_says_so(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    small = world["small"]
    url = f"/resources/allocations/{small.pk}/?next={URL}"
    form = {
        "resource": small.resource_id,
        "first": small.first.isoformat(),
        "last": small.last.isoformat(),
        "fte": "0.25",
        "status": "committed",
        "note": "",
        "version": small.version,
        "action": "save",
    }
    done = client.post(url, form)
    assert done.status_code == 302
    assert "Allocation saved and committed." in client.get(done["Location"]).content.decode()
    small.refresh_from_db()
    assert (small.status, small.fte) == ("committed", Decimal("0.25"))
    changed = client.post(url, form | {"fte": "0.5", "version": small.version})
    assert "Allocation saved." in client.get(changed["Location"]).content.decode()
