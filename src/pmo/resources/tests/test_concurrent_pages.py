"""Two people on the capacity-planning pages at once (issue #6, ARCHITECTURE 'Data safety'):
an edit page opened before someone else saved comes back with what was saved meanwhile
in the fields its user left, lists the fields both changed and never reverts the other
change on the next click; a scenario committed, levelled or moved from an out-of-date page
is refused with what changed; a removed allocation is said to be removed, by whom."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

from django.test import Client

from pmo.resources import services
from pmo.resources.models import Allocation, ProjectShift, Resource
from pmo.resources.tests.factories import MON, allocate, pool


class _Form(HTMLParser):
    """The values a browser would post from the first form with ``data-testid`` ``testid``
    (or the first post form to ``action``)."""

    def __init__(self, testid: str = "", action: str = "") -> None:
        super().__init__()
        self.testid, self.action = testid, action
        self.inside = False
        self.done = False
        self.values: dict[str, str] = {}
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done:
            self.inside = (self.testid and a.get("data-testid") == self.testid) or bool(
                self.action and a.get("action") == self.action
            )
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select = a.get("name")
        elif (
            tag == "option" and self.select and (self.select not in self.values or "selected" in a)
        ):
            self.values[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_of(page: Any, testid: str = "", action: str = "") -> dict[str, str]:
    reader = _Form(testid, action)
    reader.feed(page.content.decode())
    assert reader.values, f"no form {testid or action}"
    return dict(reader.values)


def two(users: Any) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(users["admin"])
    second.force_login(users["member"])
    return first, second


# --- 1. the edit pages ---------------------------------------------------------------------


def test_a_stale_resource_edit_keeps_the_other_change_and_lists_the_field_both_changed(
    org: Any, users: Any
) -> None:
    java = pool(org, fte=Decimal("13"))
    ana, bo = two(users)
    url = f"/resources/{java.pk}/edit/"
    ana_form, bo_form = (
        form_of(ana.get(url), "resource-form"),
        form_of(bo.get(url), "resource-form"),
    )
    assert ana.post(url, ana_form | {"fte": "14"}).status_code == 302
    # Bo changes the name only: the page comes back (409) with Ana's 14 FTE in the form
    answer = bo.post(url, bo_form | {"name": "Java pool"})
    assert answer.status_code == 409
    body = answer.content.decode()
    assert 'data-testid="taken-meanwhile"' in body and "14" in body
    assert "Last saved by" in body
    java.refresh_from_db()
    assert (java.fte, java.name) == (Decimal("14.00"), "Java developer, Shanghai")
    # one more click saves Bo's name and keeps Ana's FTE (no revert to 13)
    again = form_of(answer, "resource-form")
    assert again["fte"] in ("14", "14.00") and again["name"] == "Java pool"
    assert bo.post(url, again).status_code == 302
    java.refresh_from_db()
    assert (java.fte, java.name) == (Decimal("14.00"), "Java pool")


def test_a_stale_resource_edit_of_the_same_field_lists_it_and_keeps_what_was_typed(
    org: Any, users: Any
) -> None:
    java = pool(org, fte=Decimal("13"))
    ana, bo = two(users)
    url = f"/resources/{java.pk}/edit/"
    ana_form, bo_form = (
        form_of(ana.get(url), "resource-form"),
        form_of(bo.get(url), "resource-form"),
    )
    ana.post(url, ana_form | {"fte": "14"})
    answer = bo.post(url, bo_form | {"fte": "12"})
    assert answer.status_code == 409
    listed = re.search(r'data-testid="saved-meanwhile".*?</div>', answer.content.decode(), re.S)
    assert listed is not None and "14" in listed.group(0)
    assert form_of(answer, "resource-form")["fte"] == "12"
    java.refresh_from_db()
    assert java.fte == Decimal("14.00")


def _allocation_case(org: Any, make_project: Any) -> tuple[Resource, Resource, Any, Allocation]:
    java = pool(org)
    python = pool(org, code="py-sh", name="Python developer", role="Python developer")
    project = make_project(code="P0001")
    return java, python, project, allocate(java, project, MON, MON + dt.timedelta(days=30), "1")


def test_a_stale_allocation_edit_is_a_409_that_keeps_the_other_fte(
    org: Any, users: Any, make_project: Any
) -> None:
    java, _python, _project, row = _allocation_case(org, make_project)
    ana, bo = two(users)
    url = f"/resources/allocations/{row.pk}/"
    ana_form = form_of(ana.get(url), "edit-allocation-form")
    bo_form = form_of(bo.get(url), "edit-allocation-form")
    assert ana.post(url, ana_form | {"fte": "0.5", "action": "save"}).status_code == 302
    answer = bo.post(url, bo_form | {"note": "Bo's note", "action": "save"})
    assert answer.status_code == 409
    body = answer.content.decode()
    assert "correct the form below" not in body
    assert "Someone else saved this allocation" in body
    again = form_of(answer, "edit-allocation-form")
    assert Decimal(again["fte"]) == Decimal("0.5") and again["note"] == "Bo's note"
    assert bo.post(url, again | {"action": "save"}).status_code == 302
    row.refresh_from_db()
    assert (row.fte, row.note, row.resource_id) == (Decimal("0.50"), "Bo's note", java.pk)


def test_a_stale_allocation_edit_takes_the_resource_someone_else_chose(
    org: Any, users: Any, make_project: Any
) -> None:
    _java, python, _project, row = _allocation_case(org, make_project)
    ana, bo = two(users)
    url = f"/resources/allocations/{row.pk}/"
    ana_form = form_of(ana.get(url), "edit-allocation-form")
    bo_form = form_of(bo.get(url), "edit-allocation-form")
    moved = {"resource": str(python.pk), "resource_text": "Python developer", "action": "save"}
    assert ana.post(url, ana_form | moved).status_code == 302
    answer = bo.post(url, bo_form | {"fte": "0.8", "action": "save"})
    assert answer.status_code == 409
    again = form_of(answer, "edit-allocation-form")
    assert bo.post(url, again | {"action": "save"}).status_code == 302
    row.refresh_from_db()
    assert (row.resource_id, row.fte) == (python.pk, Decimal("0.80"))


def test_a_stale_scenario_allocation_edit_keeps_the_projects_move(
    org: Any, users: Any, make_project: Any
) -> None:
    _java, _python, project, _row = _allocation_case(org, make_project)
    scenario = services.create_scenario(actor=users["admin"], name="What if")
    copy = Allocation.objects.get(scenario=scenario)
    _ana, bo = two(users)
    url = f"/resources/scenarios/{scenario.pk}/allocations/{copy.pk}/"
    bo_form = form_of(bo.get(url), "edit-allocation-form")
    services.shift_project(actor=users["admin"], scenario=scenario, project=project, days=10)
    answer = bo.post(url, bo_form | {"fte": "0.5", "action": "save"})
    assert answer.status_code == 409
    assert (
        bo.post(url, form_of(answer, "edit-allocation-form") | {"action": "save"}).status_code
        == 302
    )
    copy.refresh_from_db()
    assert copy.first == MON + dt.timedelta(days=10) and copy.fte == Decimal("0.50")
    assert ProjectShift.objects.get(scenario=scenario, project=project).days == 10


# --- 5. an allocation removed meanwhile -----------------------------------------------------


def test_saving_an_allocation_removed_meanwhile_says_who_removed_it_and_keeps_the_values(
    org: Any, users: Any, make_project: Any
) -> None:
    _java, _python, _project, row = _allocation_case(org, make_project)
    _ana, bo = two(users)
    url = f"/resources/allocations/{row.pk}/"
    bo_form = form_of(bo.get(url), "edit-allocation-form")
    services.delete_allocation(actor=users["admin"], allocation=row, version=row.version)
    answer = bo.post(url, bo_form | {"fte": "0.7", "note": "keep me", "action": "save"})
    assert answer.status_code == 409
    body = answer.content.decode()
    assert "This allocation was removed by admin" in body
    added = form_of(answer, "add-allocation")
    assert Decimal(added["fte"]) == Decimal("0.7") and added["note"] == "keep me"
    assert bo.post("/projects/P0001/staffing/", added).status_code == 302
    assert Allocation.objects.get(scenario=None).note == "keep me"
