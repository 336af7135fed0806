"""Under the Content-Security-Policy (ADR 0011): the behaviours moved out of inline handlers
into pmo.js still work, the main pages, the API docs and the admin raise no CSP violation,
and a locked-out sign-in shows its message on the sign-in page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import PASSWORD, TIMEOUT_MS
from tests.e2e.helpers import ROWS, codes, expect, report

pytestmark = pytest.mark.e2e

# Every CSP violation the page sees, recorded before any of the page's own scripts run.
LISTEN = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__csp.push("
    "e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' +"
    " e.lineNumber));"
)


class Watched:
    """A page whose CSP violations (events and 'Refused to ...' console errors) are kept."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.context.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or text.startswith("Refused to"):
            self.console.append(f"{self.page.url}: {text}")

    def violations(self) -> list[str]:
        """What was refused so far, on this document and (by console) on earlier ones."""
        seen = self.page.evaluate("window.__csp || []")
        return [*self.console, *(f"{self.page.url}: {v}" for v in seen)]


@pytest.fixture
def watched(page: Any) -> Iterator[Watched]:
    yield Watched(page)


@pytest.fixture
def admin_in(
    watched: Watched, sign_in: Callable[[str], Any], users: dict[str, Any]
) -> Callable[[], Any]:
    """Sign the PMO admin in (made staff, so /admin/ opens too) on the watched page."""
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_staff", "is_superuser"])
    return lambda: sign_in("admin")


@pytest.fixture
def linked(users: dict[str, Any], make_project: Callable[..., Any]) -> Any:
    """T001's Build milestone supplies T002's Integration: one dependency, just proposed."""
    from pmo.dependencies.services import create_dependency
    from pmo.portfolio.models import Milestone

    core, app = make_project(name="Core"), make_project(name="App")
    build = Milestone.objects.create(project=core, name="Build", forecast_date=dt.date(2026, 3, 6))
    integration = Milestone.objects.create(
        project=app, name="Integration", forecast_date=dt.date(2026, 3, 16)
    )
    return create_dependency(
        actor=users["admin"],
        data={
            "supplier_project": core.code,
            "supplier_milestone": build.pk,
            "consumer_project": app.code,
            "consumer_milestone": integration.pk,
        },
    )


def _new_scenario(page: Any, name: str) -> None:
    page.goto("/resources/scenarios/")
    page.fill("input[name=name]", name)
    page.click("[data-testid=create-scenario]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Draft")


def test_the_status_select_submits_itself(
    watched: Watched, admin_in: Callable[[], Any], linked: Any
) -> None:
    # given the dependency register with one open dependency
    page = admin_in()
    page.goto("/dependencies/")
    row = page.locator(f"#dep-{linked.pk}")
    expect(row).to_have_attribute("data-status", "proposed")

    # when its status is changed in the select (no button: data-autosubmit sends the form)
    row.locator("select[name=status]").select_option("at_risk")

    # then the page comes back with the new status stored
    expect(page.locator(f"#dep-{linked.pk}")).to_have_attribute("data-status", "at_risk")
    linked.refresh_from_db()
    assert linked.status == "at_risk"
    assert watched.violations() == []


def test_discarding_a_scenario_asks_first(
    watched: Watched, admin_in: Callable[[], Any], make_project: Callable[..., Any]
) -> None:
    # given a draft scenario
    make_project()
    page = admin_in()
    _new_scenario(page, "Try something")

    # when Discard is clicked and the question is dismissed, nothing happens
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("[data-testid=discard]")
    assert asked and asked[0].startswith("Discard this scenario?")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Draft")

    # when it is clicked again and accepted, the scenario is discarded
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=discard]")
    expect(page.locator("[data-testid=scenario-state]")).to_have_text("Discarded")
    assert len(asked) == 1
    assert watched.violations() == []


def test_the_language_switch_keeps_the_filtered_address(
    watched: Watched, admin_in: Callable[[], Any], users: dict[str, Any], make_project: Any
) -> None:
    # given the status center filtered to red by htmx (the address bar changed, the page not)
    for overall in (3, 1):
        report(make_project(name="Smart factory", name_zh="智能工厂"), users["admin"], overall)
    page = admin_in()
    page.select_option("select[name=rag]", "red")
    expect(page.locator(ROWS)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]rag=red(&|$)"))

    # when 中文 is chosen
    page.click("[data-testid=lang-zh]")

    # then the Chinese page is the filtered one (the form sent the address bar's path)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page).to_have_url(re.compile(r"[?&]rag=red(&|$)"))
    assert codes(page) == ["T001"]
    expect(page.locator(ROWS)).to_contain_text("智能工厂")
    assert watched.violations() == []


def test_go_back_on_an_error_page_returns_to_the_previous_page(
    watched: Watched, admin_in: Callable[[], Any], make_project: Callable[..., Any]
) -> None:
    # given a project page, then a page that does not exist
    make_project()
    page = admin_in()
    page.goto("/projects/T001/")
    page.goto("/projects/NO-SUCH/")
    expect(page.locator("h1")).to_contain_text("Page not found")

    # when Go back is clicked
    page.click("text=Go back")

    # then the browser is back on the project page
    expect(page).to_have_url(re.compile(r"/projects/T001/$"))
    assert watched.violations() == []


def test_the_main_pages_raise_no_csp_violation(
    watched: Watched,
    admin_in: Callable[[], Any],
    users: dict[str, Any],
    make_project: Callable[..., Any],
    linked: Any,
) -> None:
    # given projects with reports (charts on the project page), a dependency and a scenario
    for project in linked.supplier_project, linked.consumer_project:
        report(project, users["admin"], 2)
    page = admin_in()
    _new_scenario(page, "Crawl")
    scenario = page.url

    # when the main pages are opened one after the other
    pages: list[tuple[str, str]] = [
        ("/", ROWS),
        ("/projects/T001/", "h1"),
        ("/projects/T001/plan/", "h1"),
        ("/resources/heatmap/", "h1"),
        (scenario, "[data-testid=scenario-state]"),
        ("/reports/onepage/", "h1"),
        ("/dependencies/", f"#dep-{linked.pk}"),
        ("/milestones/", "h1"),
        ("/gate-calendar/", "h1"),
        ("/admin/", "#site-name"),
        ("/admin/portfolio/milestone/add/", ".datetimeshortcuts"),  # the admin's own JS ran
        ("/api/v1/docs", ".opblock"),  # Swagger UI rendered the operations
    ]
    for url, ready in pages:
        page.goto(url)
        expect(page.locator(ready).first).to_be_visible()
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)

        # then none of them had anything refused
        assert watched.violations() == [], url

    # and the API docs can still call the API (Swagger's fetch is same-origin)
    page.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    assert watched.violations() == []


def test_a_locked_out_sign_in_says_so_on_the_sign_in_page(
    watched: Watched, page: Any, users: dict[str, Any]
) -> None:
    # given five wrong passwords for pm in the browser
    page.goto("/accounts/login/")
    for _ in range(5):
        page.fill("input[name=username]", "pm")
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
        page.wait_for_load_state()

    # then the sign-in page says what happened, with the form still there
    expect(page.locator("[data-testid=locked-out]")).to_contain_text(
        "Too many failed sign-ins for pm: wait 15 minutes"
    )
    expect(page.locator("input[name=password]")).to_be_visible()

    # and even the right password is refused until the wait is over
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("[data-testid=locked-out]")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    assert watched.violations() == []
