"""A resource's capacity changes of the current plan, added and removed on its page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import lxml.html
import pytest

from pmo.audit.models import AuditEvent
from pmo.resources.models import CapacityChange, Scenario
from pmo.resources.tests.factories import pool


@pytest.fixture
def director(users: Any) -> Any:
    from pmo.accounts.models import Role, User

    return User.objects.create_user(
        username="director", password="pw-12345", role=Role.RESOURCE_MANAGER
    )


def _person(org: Any) -> Any:
    return pool(org, code="zhao-lei", name="Zhao Lei", name_zh="赵磊", kind="person", fte=1)


def _add(client: Any, resource: Any, first: str, last: str, fte: str, reason: str = "") -> Any:
    body = {"first": first, "last": last, "fte": fte, "reason": reason}
    return client.post(f"/resources/{resource.pk}/capacity/", body)


def test_a_resource_manager_records_leave_on_the_resource_page(
    client: Any, org: Any, director: Any
) -> None:
    zhao = _person(org)
    client.force_login(director)
    page = client.get(f"/resources/{zhao.pk}/").content.decode()
    assert 'data-testid="add-capacity-form"' in page
    answer = _add(client, zhao, "2027-01-12", "2027-01-16", "0", "annual leave")
    assert answer.status_code == 302
    change = CapacityChange.objects.get()
    assert (change.resource, change.scenario, change.first, change.last, change.fte) == (
        zhao,
        None,
        dt.date(2027, 1, 12),
        dt.date(2027, 1, 16),
        Decimal("0"),
    )
    assert change.reason == "annual leave"
    event = AuditEvent.objects.get(
        object_type="resources.capacitychange", object_id=str(change.pk), action="create"
    )
    assert event.scope == "resources" and event.actor == director
    page = client.get(f"/resources/{zhao.pk}/").content.decode()
    assert "Time off of Zhao Lei from 2027-01-12 to 2027-01-16 saved." in page
    table = page.split('data-testid="capacity-changes"')[1].split("</table>")[0]
    assert "2027-01-12" in table and 'data-testid="time-off"' in table


def test_a_part_time_period_is_a_capacity_cut_not_time_off(
    client: Any, users: Any, org: Any
) -> None:
    zhao = _person(org)
    client.force_login(users["member"])
    answer = _add(client, zhao, "2027-03-01", "2027-06-30", "0.5", "part time")
    assert answer.status_code == 302
    assert CapacityChange.objects.get().fte == Decimal("0.5")
    page = client.get(f"/resources/{zhao.pk}/").content.decode()
    assert "Capacity of Zhao Lei from 2027-03-01 to 2027-06-30 set to 0.5 FTE." in page
    assert 'data-testid="time-off"' not in page
    # 0 FTE for longer than two weeks is a long leave: a capacity cut, not time off
    _add(client, zhao, "2027-07-01", "2027-07-15", "0")
    assert 'data-testid="time-off"' not in client.get(f"/resources/{zhao.pk}/").content.decode()


def test_an_overlapping_change_is_refused_at_its_field_with_what_was_typed(
    client: Any, users: Any, org: Any
) -> None:
    zhao = _person(org)
    client.force_login(users["admin"])
    _add(client, zhao, "2027-01-12", "2027-01-16", "0")
    answer = _add(client, zhao, "2027-01-15", "2027-01-20", "0.5", "overlap")
    assert answer.status_code == 422
    page = answer.content.decode()
    error = page.split('data-testid="capacity-first-error">')[1].split("<")[0]
    assert error == (
        "overlaps the capacity change 2027-01-12 – 2027-01-16 (0 FTE): tick “Replace these "
        "days of the overlapping changes” to give its days to this one (it is shortened, split "
        "or removed), or change or remove it first"
    )
    # the box the message names, unticked, beside the change it would cut
    box = lxml.html.fromstring(page).xpath("//input[@data-testid='replace-overlap-box']")
    assert len(box) == 1 and box[0].get("checked") is None
    names = page.split('data-testid="replace-overlap-names">')[1].split("</span>")[0]
    assert names == (
        "Ticking it shortens the capacity change 2027-01-12 – 2027-01-16 (0 FTE) to "
        "2027-01-12 – 2027-01-14."
    )
    assert 'value="2027-01-20"' in page and 'value="overlap"' in page
    assert CapacityChange.objects.count() == 1
    # the change it overlaps is on the page, with its Remove
    existing = CapacityChange.objects.get()
    table = lxml.html.fromstring(page).xpath("//table[@data-testid='capacity-changes']")[0]
    rows = [[td.text_content().strip() for td in tr.findall("td")] for tr in table.iter("tr")]
    assert rows[1][:3] == ["2027-01-12", "2027-01-16", "0.00 time off"]
    assert table.xpath(".//input[@name='change']/@value") == [str(existing.pk)]
    # the end before the start, and a year out of range, are named at their fields
    page = _add(client, zhao, "2027-02-10", "2027-02-01", "1").content.decode()
    assert "the end date is before the start date" in page.split("capacity-last-error")[1]
    page = _add(client, zhao, "0202-02-01", "2027-02-01", "x").content.decode()
    assert "1984-01-01" in page.split("capacity-first-error")[1]
    assert "Enter the FTE as a number" in page.split("capacity-fte-error")[1]
    assert CapacityChange.objects.count() == 1


def test_a_scenario_change_of_the_same_days_is_another_layer(
    client: Any, users: Any, org: Any
) -> None:
    zhao = _person(org)
    scenario = Scenario.objects.create(name="What if")
    CapacityChange.objects.create(
        resource=zhao,
        scenario=scenario,
        first=dt.date(2027, 1, 12),
        last=dt.date(2027, 1, 16),
        fte=0,
    )
    client.force_login(users["admin"])
    assert _add(client, zhao, "2027-01-12", "2027-01-16", "0").status_code == 302
    assert CapacityChange.objects.filter(scenario=None).count() == 1
    # the scenario's row is neither listed nor removable from the resource's page
    other = CapacityChange.objects.get(scenario=scenario)
    client.post(f"/resources/{zhao.pk}/capacity/delete/", {"change": other.pk})
    assert CapacityChange.objects.filter(pk=other.pk).exists()


def test_remove_a_capacity_change_is_audited(client: Any, users: Any, org: Any) -> None:
    zhao = _person(org)
    other = pool(org)
    client.force_login(users["admin"])
    _add(client, zhao, "2027-01-12", "2027-01-16", "0")
    change = CapacityChange.objects.get()
    # a change of another resource cannot be removed through this one's page
    client.post(f"/resources/{other.pk}/capacity/delete/", {"change": change.pk})
    assert CapacityChange.objects.count() == 1
    answer = client.post(f"/resources/{zhao.pk}/capacity/delete/", {"change": change.pk})
    assert answer.status_code == 302
    assert CapacityChange.objects.count() == 0
    assert (
        AuditEvent.objects.filter(
            object_type="resources.capacitychange", object_id=str(change.pk), action="delete"
        ).count()
        == 1
    )
    page = client.get(f"/resources/{zhao.pk}/").content.decode()
    assert "Capacity change from 2027-01-12 to 2027-01-16 removed." in page
    again = client.post(f"/resources/{zhao.pk}/capacity/delete/", {"change": change.pk})
    assert "no longer exists" in client.get(again.url).content.decode()


def test_only_resource_managers_and_the_pmo_change_capacity(
    client: Any, users: Any, org: Any
) -> None:
    zhao = _person(org)
    change = CapacityChange.objects.create(
        resource=zhao, first=dt.date(2027, 1, 12), last=dt.date(2027, 1, 16), fte=0
    )
    for name in ("pm", "exec", "viewer"):
        client.force_login(users[name])
        if name != "viewer":
            page = client.get(f"/resources/{zhao.pk}/").content.decode()
            assert "add-capacity-form" not in page and "delete-capacity-change" not in page
        assert _add(client, zhao, "2027-02-01", "2027-02-05", "0").status_code == 403
        delete = client.post(f"/resources/{zhao.pk}/capacity/delete/", {"change": change.pk})
        assert delete.status_code == 403
    assert list(CapacityChange.objects.values_list("pk", flat=True)) == [change.pk]


def test_the_capacity_form_in_chinese(client: Any, users: Any, org: Any) -> None:
    zhao = _person(org)
    users["admin"].language = "zh-hans"
    users["admin"].save()
    client.force_login(users["admin"])
    answer = _add(client, zhao, "2027-01-12", "2027-01-16", "0")
    assert answer.status_code == 302
    assert client.get(answer.url).status_code == 200
    assert client.get(f"/resources/{zhao.pk}/capacity/").status_code == 200


def _ids(page: str) -> set[str]:
    return set(lxml.html.fromstring(page).xpath("//@id"))


def test_a_refused_change_shows_red_errors_that_its_inputs_name(
    client: Any, users: Any, org: Any
) -> None:
    """The errors are styled as errors (resources.css, where .field-error is red) on both
    pages that hold the form, and every id an input's aria-describedby names exists."""
    zhao = _person(org)
    client.force_login(users["admin"])
    for url in (f"/resources/{zhao.pk}/", f"/resources/{zhao.pk}/capacity/"):
        assert "/static/pmo/resources.css" in client.get(url).content.decode(), url
    answer = _add(client, zhao, "2027-01-12", "2027-01-16", "1234567")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "/static/pmo/resources.css" in page
    tree = lxml.html.fromstring(page)
    fte = tree.get_element_by_id("id_fte")
    named = fte.get("aria-describedby").split()
    assert named == ["id_fte_helptext", "id_fte_error"]
    assert set(named) <= _ids(page)
    error = tree.get_element_by_id("id_fte_error")
    assert "field-error" in error.get("class")
    assert error.text_content() == "Enter at most 99,999.99 FTE."
    assert (
        tree.get_element_by_id("id_fte_helptext").text_content() == "0 for leave, 0.5 for half time"
    )
    for input_ in tree.xpath("//form[@id='add-capacity']//input[@aria-describedby]"):
        assert set(input_.get("aria-describedby").split()) <= _ids(page), input_.get("name")
    assert CapacityChange.objects.count() == 0


@pytest.mark.parametrize(
    ("fte", "message"),
    [
        ("100000", "Enter at most 99,999.99 FTE."),
        ("-1", "Enter 0 FTE or more."),
        ("0.125", "Enter the FTE with at most 2 decimals, e.g. 0.25."),
    ],
)
def test_an_fte_out_of_range_is_named_in_words(
    client: Any, users: Any, org: Any, fte: str, message: str
) -> None:
    zhao = _person(org)
    client.force_login(users["admin"])
    page = _add(client, zhao, "2027-01-12", "2027-01-16", fte).content.decode()
    assert lxml.html.fromstring(page).get_element_by_id("id_fte_error").text_content() == message
    assert CapacityChange.objects.count() == 0


def test_the_resource_page_shows_its_change_history(client: Any, users: Any, org: Any) -> None:
    """What the Remove confirmation promises: the change added and removed, and an edit of the
    resource, are in the page's Change history (newest first); another resource's are not."""
    from pmo.resources import services

    zhao = _person(org)
    other = pool(org, code="li-na", name="Li Na", kind="person", fte=1)
    admin = users["admin"]
    client.force_login(admin)
    _add(client, zhao, "2027-01-12", "2027-01-16", "0", "annual leave")
    _add(client, other, "2027-01-12", "2027-01-16", "0.5", "not zhao's")
    change = CapacityChange.objects.get(resource=zhao)
    client.post(f"/resources/{zhao.pk}/capacity/delete/", {"change": change.pk})
    services.update_resource(
        actor=admin, resource=zhao, data={"skills": "SAP"}, version=zhao.version
    )
    page = client.get(f"/resources/{zhao.pk}/").content.decode()
    section = lxml.html.fromstring(page).xpath("//*[@data-testid='resource-history']")[0]
    rows = [
        [td.text_content().strip() for td in tr.findall("td")][2:] for tr in section.iter("tr")
    ][1:]
    what = [row[0] for row in rows]
    assert what == [
        "updated zhao-lei Zhao Lei",
        "deleted capacity change 2027-01-12 – 2027-01-16, 0 FTE",
        "created capacity change 2027-01-12 – 2027-01-16, 0 FTE",
    ]
    assert "SAP" in rows[0][1]
    assert "annual leave" in rows[2][1] and "Zhao Lei" not in rows[2][1]
    assert "not zhao's" not in section.text_content()
