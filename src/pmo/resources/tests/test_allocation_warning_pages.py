"""The staffing pages show what is odd about an allocation they stored all the same (past its
project's planned finish, above its resource's capacity, above 1 FTE on a person) as warning
messages, as the API answers ``warnings``; a fitting allocation saves with none."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from pmo.resources.models import Allocation, Scenario
from pmo.resources.tests.factories import MON, allocate, pool

WEEK_LAST = MON + dt.timedelta(days=4)
WEEK = {"first": str(MON), "last": str(WEEK_LAST)}


def _warnings(page: Any) -> list[str]:
    """The warning messages of a page, as shown (role status: read out, not interrupting)."""
    return re.findall(
        r'<div class="flash warning" role="status">([^<]*)</div>', page.content.decode()
    )


def test_adding_an_allocation_past_the_finish_on_a_person_warns_twice(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    ann = pool(org, code="ann", name="Ann", kind="person", fte=Decimal("1"))
    project = make_project(code="LATE", planned_finish=dt.date(2026, 12, 31))
    client.force_login(users["member"])
    page = client.post(
        "/projects/LATE/staffing/",
        {
            "resource": ann.pk,
            "first": "2026-12-07",
            "last": "2027-01-29",
            "fte": "1.5",
            "status": "proposed",
        },
        follow=True,
    )
    assert page.redirect_chain == [("/projects/LATE/staffing/", 302)]
    assert Allocation.objects.get(project=project).fte == Decimal("1.50")  # stored all the same
    assert 'class="flash success" role="status">Allocation added.<' in page.content.decode()
    assert _warnings(page) == [
        "The allocation ends on 2027-01-29, after the planned finish of LATE (2026-12-31): "
        "check the dates, or the project&#x27;s planned finish.",
        "1.5 FTE on ann, a person: a person works at most 1 FTE.",
    ]


def test_a_fitting_allocation_is_added_without_warnings(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project(code="FITS")
    client.force_login(users["member"])
    page = client.post(
        "/projects/FITS/staffing/",
        {**WEEK, "resource": java.pk, "fte": "2", "status": "proposed"},
        follow=True,
    )
    assert Allocation.objects.filter(project=project).count() == 1
    assert "Allocation added." in page.content.decode()
    assert _warnings(page) == []
    assert "flash warning" not in page.content.decode()


def test_saving_an_allocation_above_the_pools_capacity_warns(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)  # 2 FTE
    row = allocate(java, make_project(code="BIG"), MON, MON + dt.timedelta(days=4), "1")
    client.force_login(users["member"])
    url = f"/resources/allocations/{row.pk}/"
    fields = {**WEEK, "version": row.version, "resource": java.pk, "status": "proposed"}
    page = client.post(url, fields | {"fte": "3", "action": "save"}, follow=True)
    assert page.redirect_chain == [("/projects/BIG/staffing/", 302)]
    assert "Allocation saved." in page.content.decode()
    assert _warnings(page) == [
        "3 FTE is more than the capacity of java-sh in these dates (2 FTE at most): the "
        "allocation overloads it on its own."
    ]
    row.refresh_from_db()
    fitting = {**fields, "version": row.version, "fte": "1.5", "action": "save"}
    again = client.post(url, fitting, follow=True)
    assert "Allocation saved." in again.content.decode()
    assert _warnings(again) == []
    row.refresh_from_db()
    assert row.fte == Decimal("1.50")


def test_a_scenarios_staffing_and_allocation_pages_warn_too(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    java = pool(org)
    project = make_project(code="WHATIF")
    allocate(java, project, MON, MON + dt.timedelta(days=4), "1")
    client.force_login(users["member"])
    client.post("/resources/scenarios/", {"name": "More Java"})
    scenario = Scenario.objects.get()
    base = f"/resources/scenarios/{scenario.pk}"
    added = client.post(
        f"{base}/staffing/",
        {**WEEK, "project": "WHATIF", "resource": java.pk, "fte": "2.5", "status": "proposed"},
        follow=True,
    )
    assert added.redirect_chain == [(f"{base}/staffing/?project=WHATIF", 302)]
    assert _warnings(added) == [
        "2.5 FTE is more than the capacity of java-sh in these dates (2 FTE at most): the "
        "allocation overloads it on its own."
    ]
    copy = Allocation.objects.get(scenario=scenario, project=project, fte=Decimal("1"))
    edit = {**WEEK, "version": copy.version, "resource": java.pk, "status": "proposed"}
    late = edit | {"last": "2027-02-26", "fte": "1", "action": "save"}
    saved = client.post(f"{base}/allocations/{copy.pk}/", late, follow=True)
    assert saved.redirect_chain == [(f"{base}/staffing/?project=WHATIF", 302)]
    assert "Allocation saved." in saved.content.decode()
    assert len(_warnings(saved)) == 1
    assert "ends on 2027-02-26, after the planned finish of WHATIF" in _warnings(saved)[0]
    assert Allocation.objects.get(scenario=None, project=project).last == WEEK_LAST
