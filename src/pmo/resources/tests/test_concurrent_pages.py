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

from pmo.audit.models import AuditEvent
from pmo.resources import leveling, services
from pmo.resources.models import Allocation, CalendarDay, CapacityChange, ProjectShift, Resource
from pmo.resources.services.capacity import update_capacity_change
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
    assert listed is not None and "saved now 14.00, yours 12" in listed.group(0)
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
    assert 'action="/projects/P0001/staffing/"' in body  # not the removed allocation's page
    assert bo.post("/projects/P0001/staffing/", added).status_code == 302
    assert Allocation.objects.get(scenario=None).note == "keep me"


def test_saving_a_request_declined_meanwhile_says_who_declined_it_and_why(
    org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    request = allocate(java, make_project(), MON, MON + dt.timedelta(days=4), "1")  # proposed
    _ana, bo = two(users)
    url = f"/resources/allocations/{request.pk}/"
    bo_form = form_of(bo.get(url), "edit-allocation-form")
    services.decide_requests(
        actor=users["admin"], decline=[(request.pk, request.version)], reason="No budget left"
    )
    answer = bo.post(url, bo_form | {"fte": "0.25", "action": "save"})
    assert answer.status_code == 409
    body = answer.content.decode()
    assert "This request was declined by admin at " in body
    assert "No budget left" in body and "add it again" not in body
    assert not Allocation.objects.exists()


# --- 2. to 4. the scenario page -------------------------------------------------------------


def _scenario_case(org: Any, users: Any, make_project: Any) -> tuple[Any, Any, Any]:
    java = pool(org)
    a, b = make_project(code="P0001"), make_project(code="P0002")
    allocate(java, a, MON, MON + dt.timedelta(days=30), "1")
    allocate(java, b, MON, MON + dt.timedelta(days=30), "1")
    return services.create_scenario(actor=users["admin"], name="What if"), a, b


def _scenario_url(scenario: Any, what: str = "") -> str:
    return f"/resources/scenarios/{scenario.pk}/{what}"


def test_committing_from_an_out_of_date_page_commits_nothing_and_says_what_changed(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, a, _b = _scenario_case(org, users, make_project)
    _ana, bo = two(users)
    commit = _scenario_url(scenario, "commit/")
    opened = form_of(bo.get(_scenario_url(scenario)), action=commit)
    assert opened["version"] == str(scenario.version)
    # Ana changes an allocation of the scenario (the scenario's version stays) and moves P0001
    copy = Allocation.objects.get(scenario=scenario, project=a)
    services.update_allocation(
        actor=users["admin"], allocation=copy, data={"fte": Decimal("3")}, version=copy.version
    )
    answer = bo.post(commit, opened)
    assert answer.status_code == 409
    body = answer.content.decode()
    assert "changed since you opened the page: nothing was committed" in body
    listed = re.search(r'data-testid="changed-since".*?</section>', body, re.S)
    assert listed is not None and "admin" in listed.group(0)
    scenario.refresh_from_db()
    assert scenario.state == "draft"
    assert not Allocation.objects.filter(scenario=None, fte=Decimal("3")).exists()
    # the page shown is up to date: committing from it commits, Ana's change included
    assert bo.post(commit, form_of(answer, action=commit)).status_code == 302
    scenario.refresh_from_db()
    assert scenario.state == "committed"
    assert Allocation.objects.filter(scenario=None, fte=Decimal("3")).exists()


def test_levelling_from_an_out_of_date_page_unpins_nothing_and_names_the_pin(
    org: Any, users: Any, make_project: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    scenario, a, _b = _scenario_case(org, users, make_project)
    ana, bo = two(users)
    level = _scenario_url(scenario, "level/")
    opened = form_of(bo.get(_scenario_url(scenario)), action=level)
    assert "pin" not in opened
    # Ana pins P0001 and levels; Bo's boxes (nothing ticked) would unpin it
    ana_form = form_of(ana.get(_scenario_url(scenario)), action=level)
    assert ana.post(level, ana_form | {"pin": a.code}).status_code == 302
    leveling.cancel_leveling(actor=users["admin"], run=scenario.runs.get())
    answer = bo.post(level, opened)
    assert answer.status_code == 409
    assert "P0001 was pinned by admin" in answer.content.decode()
    assert ProjectShift.objects.get(scenario=scenario, project=a).pinned
    assert scenario.runs.count() == 1


def test_two_people_moving_a_project_by_the_same_total_move_it_once(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, a, _b = _scenario_case(org, users, make_project)
    ana, bo = two(users)
    page = _scenario_url(scenario) + "?project=P0001"
    shift = _scenario_url(scenario, "shift/")
    ana_form, bo_form = form_of(ana.get(page), action=shift), form_of(bo.get(page), action=shift)
    assert ana_form["days"] == "0" and ana_form["project"] == "P0001"
    assert ana.post(shift, ana_form | {"days": "14"}).status_code == 302
    answer = bo.post(shift, bo_form | {"days": "14"})
    assert answer.status_code == 409
    assert "P0001 was moved by admin at " in answer.content.decode()
    assert ProjectShift.objects.get(scenario=scenario, project=a).days == 14
    assert form_of(answer, action=shift)["days"] == "14"
    # the box as shown changes the move no more; a new total sets it
    again = form_of(bo.get(page), action=shift)
    assert bo.post(shift, again).status_code == 302
    assert ProjectShift.objects.get(scenario=scenario, project=a).days == 14
    assert bo.post(shift, again | {"days": "10"}).status_code == 302
    assert ProjectShift.objects.get(scenario=scenario, project=a).days == 10
    assert Allocation.objects.get(scenario=scenario, project=a).first == MON + dt.timedelta(10)


def test_a_priority_from_an_out_of_date_page_is_refused(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, a, b = _scenario_case(org, users, make_project)
    ana, bo = two(users)
    page = _scenario_url(scenario) + "?project=P0002"
    shift = _scenario_url(scenario, "shift/")
    ana_form, bo_form = form_of(ana.get(page), action=shift), form_of(bo.get(page), action=shift)
    assert ana.post(shift, ana_form | {"priority": "1"}).status_code == 302
    answer = bo.post(shift, bo_form | {"priority": "5"})
    assert answer.status_code == 409
    assert "admin set the priority of P0002 to 1" in answer.content.decode()
    assert ProjectShift.objects.get(scenario=scenario, project=b).priority == 1
    assert not ProjectShift.objects.filter(scenario=scenario, project=a).exists()


# --- 6. calendar days and capacity changes --------------------------------------------------


def test_a_calendar_day_entered_again_says_what_it_replaced_and_the_trail_records_it(
    org: Any, users: Any
) -> None:
    ana, bo = two(users)
    url = "/resources/calendar-days/"
    ana.post(url, {"calendar": "CN", "days": "2027-01-04 off Company retreat"})
    answer = bo.post(url, {"calendar": "CN", "days": "2027-01-04 work"}, follow=True)
    assert "Replaced 2027-01-04 (was: off, Company retreat)." in answer.content.decode()
    entry = CalendarDay.objects.get()
    assert entry.working and entry.name == ""
    event = AuditEvent.objects.filter(object_type="resources.calendarday").order_by("-id")[0]
    assert event.changes == {"name": ["Company retreat", ""], "working": [False, True]}


def test_removing_a_capacity_change_changed_since_the_page_was_opened_removes_nothing(
    org: Any, users: Any
) -> None:
    java = pool(org)
    change = services.add_capacity_change(
        actor=users["admin"], resource=java, first=MON, last=MON + dt.timedelta(4), fte=Decimal(1)
    )
    _ana, bo = two(users)
    page = bo.get(f"/resources/{java.pk}/")
    opened = form_of(page, action=f"/resources/{java.pk}/capacity/delete/")
    assert opened["version"] == str(change.version)
    update_capacity_change(
        actor=users["admin"], change=change, data={"fte": Decimal(0)}, version=change.version
    )
    answer = bo.post(f"/resources/{java.pk}/capacity/delete/", opened, follow=True)
    assert "was changed since you opened the page: nothing was removed" in answer.content.decode()
    assert CapacityChange.objects.filter(pk=change.pk).exists()
