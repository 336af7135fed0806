"""The scenario page's forms as the rest of the capacity pages have them (browser audit 3):
a Move project refused for a move made meanwhile names who made it, when, and the priority
they set; a refused capacity change lands on its form; the scenario's capacity form is the
resource page's (labels, FTE step, message, time off); a stale allocation edit names who
saved it and its error spans the form's row."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from pmo.resources import services
from pmo.resources.forms import CapacityChangeForm, ResourceCapacityForm
from pmo.resources.models import CapacityChange, ProjectShift
from pmo.resources.tests.factories import MON, allocate, pool
from pmo.resources.tests.test_concurrent_pages import form_of, two


def _scenario_case(org: Any, users: Any, make_project: Any) -> tuple[Any, Any]:
    java = pool(org)
    project = make_project(code="P0013")
    allocate(java, project, MON, MON + dt.timedelta(days=30), "1")
    return services.create_scenario(actor=users["admin"], name="What if"), project


# --- B. Move project from a page opened before someone else moved the project ---------------


def test_a_move_made_meanwhile_is_named_with_who_when_and_the_priority_they_set(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, project = _scenario_case(org, users, make_project)
    ana, bo = two(users)
    page = f"/resources/scenarios/{scenario.pk}/?project=P0013"
    shift = f"/resources/scenarios/{scenario.pk}/shift/"
    bo_form = form_of(bo.get(page), action=shift)  # Bo opens the page first
    ana_form = form_of(ana.get(page), action=shift)
    assert ana.post(shift, ana_form | {"days": "10", "priority": "2"}).status_code == 302
    answer = bo.post(shift, bo_form | {"days": "20", "priority": "3"})
    assert answer.status_code == 409
    body = answer.content.decode()
    assert re.search(
        r"P0013 was moved by admin at \d{4}-\d\d-\d\d \d\d:\d\d to 10 calendar days in all "
        r"since you opened the page \(the box showed 0\)",
        body,
    ), body[:3000]
    assert "Its priority in this scenario is 2 now (1 = highest, 5 = lowest)." in body
    assert 'data-testid="changed-since"' in body  # what changed, listed as a priority's
    shift_row = ProjectShift.objects.get(scenario=scenario, project=project)
    assert (shift_row.days, shift_row.priority) == (10, 2)


def test_a_move_alone_made_meanwhile_says_nothing_of_the_priority(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, _project = _scenario_case(org, users, make_project)
    ana, bo = two(users)
    page = f"/resources/scenarios/{scenario.pk}/?project=P0013"
    shift = f"/resources/scenarios/{scenario.pk}/shift/"
    bo_form = form_of(bo.get(page), action=shift)
    assert ana.post(shift, form_of(ana.get(page), action=shift) | {"days": "7"}).status_code == 302
    body = bo.post(shift, bo_form | {"days": "20"}).content.decode()
    assert "P0013 was moved by admin at " in body
    assert "Its priority in this scenario" not in body


# --- E and G. The scenario's capacity form --------------------------------------------------


def test_a_refused_capacity_change_lands_on_its_form(client: Any, org: Any, users: Any) -> None:
    ana = pool(org, code="ana", name="Ana Li", kind="person", fte=1)
    scenario = services.create_scenario(actor=users["admin"], name="What if")
    client.force_login(users["admin"])
    refused = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {"resource": ana.pk, "first": "2027-01-08", "last": "2027-01-04", "fte": "0"},
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    # the form posts to its own anchor: the page comes back scrolled to it, not at the top
    assert f'action="/resources/scenarios/{scenario.pk}/capacity/#capacity"' in html
    assert 'id="capacity"' in html
    css = (Path(__file__).parents[2] / "static" / "pmo" / "resources.css").read_text()
    assert re.search(r"\.card > form\[id\] \{[^}]*scroll-margin-bottom", css)


def test_the_scenario_capacity_form_is_the_resource_pages(
    client: Any, org: Any, users: Any
) -> None:
    assert issubclass(CapacityChangeForm, ResourceCapacityForm)
    scenario = services.create_scenario(actor=users["admin"], name="What if")
    client.force_login(users["admin"])
    html = client.get(f"/resources/scenarios/{scenario.pk}/").content.decode()
    form = html[html.index('data-testid="capacity-form"') :].split("</form>")[0]
    assert ">First day<" in form and ">Last day<" in form
    assert ">From<" not in form and ">To<" not in form
    fte = re.search(r'<input type="number" name="fte"[^>]*>', form)
    assert fte is not None and 'step="0.05"' in fte.group(0), form
    assert "0 for leave, 0.5 for half time" in form


def test_time_off_in_a_scenario_is_said_and_tagged_as_on_the_resource_page(
    client: Any, org: Any, users: Any
) -> None:
    ana = pool(org, code="ana", name="Ana Li", kind="person", fte=1)
    scenario = services.create_scenario(actor=users["admin"], name="What if")
    client.force_login(users["admin"])
    done = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {"resource": ana.pk, "first": "2027-01-04", "last": "2027-01-08", "fte": "0"},
        follow=True,
    )
    html = done.content.decode()
    assert "Time off of Ana Li from 2027-01-04 to 2027-01-08 saved." in html
    listed = html[html.index('data-testid="capacity-changes"') :].split("</section>")[0]
    assert 'data-testid="time-off"' in listed
    # a quarter FTE, which the old 0.1 step refused in the browser, is taken
    saved = client.post(
        f"/resources/scenarios/{scenario.pk}/capacity/",
        {"resource": ana.pk, "first": "2027-02-01", "last": "2027-03-31", "fte": "0.25"},
        follow=True,
    )
    assert "Capacity of Ana Li from 2027-02-01 to 2027-03-31 set to 0.25 FTE." in (
        saved.content.decode()
    )
    assert CapacityChange.objects.get(scenario=scenario, first="2027-02-01").fte == Decimal("0.25")


# --- H. A stale allocation edit ------------------------------------------------------------


def test_a_stale_allocation_edit_names_who_saved_it_and_when(
    org: Any, users: Any, make_project: Any
) -> None:
    java = pool(org)
    row = allocate(java, make_project(code="P0001"), MON, MON + dt.timedelta(days=30), "1")
    ana, bo = two(users)
    url = f"/resources/allocations/{row.pk}/"
    ana_form = form_of(ana.get(url), "edit-allocation-form")
    bo_form = form_of(bo.get(url), "edit-allocation-form")
    assert ana.post(url, ana_form | {"fte": "0.3", "action": "save"}).status_code == 302
    answer = bo.post(url, bo_form | {"fte": "0.45", "action": "save"})
    assert answer.status_code == 409
    body = answer.content.decode()
    error = re.search(r'data-testid="allocation-form-error">([^<]*)<', body)
    assert error is not None
    assert re.search(
        r"Someone else saved this allocation while you were editing it: admin, at "
        r"\d{4}-\d\d-\d\d \d\d:\d\d\.",
        error.group(1),
    ), error.group(1)
    css = (Path(__file__).parents[2] / "static" / "pmo" / "resources.css").read_text()
    assert re.search(r"\.filters > \.field-error \{[^}]*flex: 0 0 100%", css)


def test_the_scenario_capacity_boxes_have_ids_of_their_own() -> None:
    # the scenario page has other forms: its boxes are not id_first, id_fte
    assert 'id="capacity-first"' in str(CapacityChangeForm()["first"])
