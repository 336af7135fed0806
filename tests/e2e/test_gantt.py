"""In a real browser: import an MS Project plan, Gantt and critical path, baseline, edit, slip."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pmo.interop.mspdi_write import write_mspdi
from pmo.scheduling.tests.factories import small_plan
from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_baseline_edit_and_see_the_slip(
    page: Any, live_server: Any, make_project: Any, users: Any, tmp_path: Path
) -> None:
    project = make_project(baseline_finish=None)
    plan_file = tmp_path / "plan.xml"
    plan_file.write_bytes(write_mspdi(small_plan()))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", "pw-12345")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/projects/{project.code}/")
    page.click("#project-plan")
    page.set_input_files("[data-testid=plan-file]", str(plan_file))
    page.click("[data-testid=plan-import]")
    expect(page.locator("svg.gantt g.row.critical")).to_have_count(3)
    page.click("a[data-zoom=day]")
    page.wait_for_selector("svg.gantt[data-zoom=day]")
    page.click("[data-testid=set-baseline]")
    page.fill("[data-testid=duration-3]", "8")
    page.click("[data-testid=save-3]")
    page.wait_for_selector("#moved")
    expect(page.locator("[data-testid=variance-3]")).to_have_text("+5d")
    expect(page.locator("#plan-slip")).to_have_text("(+5d)")
    if os.environ.get("PMO_E2E_SCREENSHOTS"):
        page.screenshot(path=os.environ["PMO_E2E_SCREENSHOTS"], full_page=True)
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).to_contain_text("(+5d)")
