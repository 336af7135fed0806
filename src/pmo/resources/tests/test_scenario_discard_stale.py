"""Discarding a scenario from an out-of-date page discards nothing and says what changed
since (issue #6), as a commit, a leveling and a project move from such a page do."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pmo.resources import services
from pmo.resources.models import Allocation
from pmo.resources.tests.test_concurrent_pages import (
    _scenario_case,
    _scenario_url,
    form_of,
    two,
)


def test_discarding_from_an_out_of_date_page_discards_nothing_and_says_what_changed(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, a, _b = _scenario_case(org, users, make_project)
    _ana, bo = two(users)
    discard = _scenario_url(scenario, "discard/")
    opened = form_of(bo.get(_scenario_url(scenario)), action=discard)
    assert opened["version"] == str(scenario.version) and "seen" in opened
    # Ana changes an allocation of the scenario after Bo opened its page
    copy = Allocation.objects.get(scenario=scenario, project=a)
    services.update_allocation(
        actor=users["admin"], allocation=copy, data={"fte": Decimal("3")}, version=copy.version
    )
    answer = bo.post(discard, opened)
    assert answer.status_code == 409
    body = answer.content.decode()
    assert "changed since you opened the page: nothing was discarded" in body
    listed = re.search(r'data-testid="changed-since".*?</section>', body, re.S)
    assert listed is not None and "admin" in listed.group(0)
    scenario.refresh_from_db()
    assert scenario.state == "draft"
    assert Allocation.objects.filter(scenario=scenario, fte=Decimal("3")).exists()
    # the page shown is up to date: discarding from it discards
    again = bo.post(discard, form_of(answer, action=discard))
    assert again.status_code == 302
    scenario.refresh_from_db()
    assert scenario.state == "discarded"
    assert not Allocation.objects.filter(scenario=scenario).exists()


def test_a_discard_after_a_version_change_is_refused_too(
    org: Any, users: Any, make_project: Any
) -> None:
    scenario, a, _b = _scenario_case(org, users, make_project)
    _ana, bo = two(users)
    discard = _scenario_url(scenario, "discard/")
    opened = form_of(bo.get(_scenario_url(scenario)), action=discard)
    services.shift_project(actor=users["admin"], scenario=scenario, project=a, days=7)
    answer = bo.post(discard, opened)
    assert answer.status_code == 409
    assert "P0001 was moved by admin" in answer.content.decode()
    scenario.refresh_from_db()
    assert scenario.state == "draft"
