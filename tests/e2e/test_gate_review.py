"""Browser test of issue #3's "done when": a PM takes a project through a gate review to a
decision with conditions, the gate calendar and the steering agenda show it, in both languages."""

import datetime as dt

import pytest

from tests.e2e.helpers import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-12345")
    page.click("button[type=submit]")


def test_pm_takes_a_project_through_a_gate_to_a_decision_with_conditions(
    live_server, page, users, make_project
):
    from pmo.governance import services
    from pmo.governance.models import GateDecision, LifecycleTemplate

    project = make_project(code="E2E1", pmo_type="rnd")
    services.start_lifecycle(
        actor=users["admin"],
        project=project,
        template=LifecycleTemplate.objects.get(code="rnd"),
        started_on=dt.date.today() - dt.timedelta(days=20),
    )
    base = live_server.url
    sign_in(page, base, "pm")
    page.goto(f"{base}/projects/E2E1/")
    page.click("#lifecycle a")
    page.click("#request-review")
    expect(page.locator("h1")).to_contain_text("G1")
    for box in page.query_selector_all("#prepare input[type=checkbox]"):
        box.check()
    for link in page.query_selector_all("#prepare input[type=url]"):
        link.fill("https://wiki.example.com/case")
    page.click("#save-checklist")
    expect(page.locator(".flash.success")).to_have_text("Review prepared.")
    expect(page.locator("#prepare input[type=checkbox]:checked")).to_have_count(2)

    sign_in(page, base, "exec")
    page.goto(f"{base}/projects/E2E1/lifecycle/")
    page.click("#reviews table a")
    page.check("input[name=outcome][value=go_conditions]")
    page.fill("textarea[name=rationale]", "Strong case")
    page.fill("input[name=condition_0]", "Confirm the budget with finance")
    page.select_option("select[name=owner_0]", label="Zhang Wei")
    page.fill("input[name=due_0]", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.click("#record-decision")
    expect(page.locator("#decision [data-outcome]")).to_have_text("Go with conditions")
    assert GateDecision.objects.get().outcome == "go_conditions"

    page.goto(f"{base}/projects/E2E1/")
    expect(page.locator("#lifecycle")).to_contain_text("1 condition open")
    page.click("[data-testid=lang-zh]")
    expect(page.locator("#lifecycle")).to_contain_text("1 个条件未关闭")
    page.goto(f"{base}/gate-calendar/")
    expect(page.locator("h1")).to_contain_text("阶段门日历")
    expect(page.locator('[data-code="E2E1"][data-gate="G2"]')).to_have_count(1)
    page.click("[data-testid=lang-en]")

    sign_in(page, base, "member")
    page.goto(f"{base}/steering-meetings/")
    page.fill("input[name=title]", "SteerCo")
    page.fill("input[name=window_days]", "366")
    page.click("#plan-meeting button")
    expect(page.locator('#agenda [data-kind="gate"][data-code="E2E1"]')).to_have_count(1)


def test_pm_attaches_the_charter_as_a_file_and_the_gate_passes(
    live_server, page, users, make_project, settings, tmp_path
):
    from pmo.governance import services
    from pmo.governance.models import GateDecision, LifecycleTemplate

    settings.MEDIA_ROOT = tmp_path / "media"
    project = make_project(code="E2E2", pmo_type="rnd")
    services.start_lifecycle(
        actor=users["admin"],
        project=project,
        template=LifecycleTemplate.objects.get(code="generic"),
        started_on=dt.date.today() - dt.timedelta(days=20),
    )
    charter = tmp_path / "charter.pdf"
    charter.write_bytes(b"%PDF-1.4 charter\n")
    base = live_server.url
    sign_in(page, base, "pm")
    page.goto(f"{base}/projects/E2E2/lifecycle/")
    page.click("#request-review")
    # ticking the checklist and choosing the file, then "Upload file": both are kept
    for box in page.query_selector_all("#prepare input[type=checkbox]"):
        box.check()
    page.fill("#prepare input[name^=note_]", "sponsor mail of 3 March")
    page.set_input_files("#prepare input[type=file]", str(charter))
    page.click("#prepare button.upload")
    expect(page.locator("a.deliverable-file")).to_have_text("charter.pdf")
    boxes = page.query_selector_all("#prepare input[type=checkbox]")
    assert boxes and all(box.is_checked() for box in boxes)
    assert page.input_value("#prepare input[name^=note_]") == "sponsor mail of 3 March"
    with page.expect_download() as download:
        page.click("a.deliverable-file")
    assert download.value.suggested_filename == "charter.pdf"
    assert download.value.path().read_bytes() == b"%PDF-1.4 charter\n"

    sign_in(page, base, "exec")
    page.goto(f"{base}/projects/E2E2/lifecycle/")
    page.click("#reviews table a")
    assert page.locator("#decide .flash.error").count() == 0
    page.check("input[name=outcome][value=go]")
    page.click("#record-decision")
    expect(page.locator("#decision [data-outcome]")).to_have_text("Go")
    assert GateDecision.objects.get().waived == []


def test_a_bad_evidence_link_is_shown_at_its_row_and_the_checklist_is_kept(
    live_server, page, users, make_project
):
    from pmo.governance import services
    from pmo.governance.models import GateReview, LifecycleTemplate

    project = make_project(code="E2E3")
    services.start_lifecycle(
        actor=users["admin"],
        project=project,
        template=LifecycleTemplate.objects.get(code="generic"),
        started_on=dt.date.today() - dt.timedelta(days=20),
    )
    base = live_server.url
    sign_in(page, base, "pm")
    page.goto(f"{base}/projects/E2E3/lifecycle/")
    page.click("#request-review")
    for box in page.query_selector_all("#prepare input[type=checkbox]"):
        box.check()
    links = page.locator("#prepare input[name^=evidence_]")
    links.nth(0).fill("https://wiki.example.com/sponsor")
    links.nth(1).fill("ftp://files.example.com/budget")  # a URL to the browser, not to us
    page.click("#save-checklist")
    expect(page.locator(".flash.error")).to_contain_text("The checklist was not saved")
    rows = page.locator("#prepare tr[data-criterion]")
    expect(rows.nth(1).locator(".errorlist")).to_have_text(
        "enter a link that starts with http:// or https://"
    )
    expect(rows.nth(0).locator(".errorlist")).to_have_count(0)
    assert "checks." not in page.content()
    assert page.locator("#prepare input[type=checkbox]:checked").count() == 2
    assert links.nth(1).input_value() == "ftp://files.example.com/budget"
    assert GateReview.objects.get().version == 1
    links.nth(1).fill("https://files.example.com/budget")
    page.click("#save-checklist")
    expect(page.locator(".flash.success")).to_have_text("Review prepared.")
    expect(page.locator("#prepare input[type=checkbox]:checked")).to_have_count(2)
