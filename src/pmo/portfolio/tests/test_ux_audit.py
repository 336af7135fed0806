"""Fixes from the UX audit that show in the HTML: status center labels (findings 2, 7, 17),
project page (15, 16, 17), RAG history chart (19) and the status report form (26)."""

import datetime as dt
import re

import pytest
from django.utils import translation

from pmo.accounts.models import Person
from pmo.audit.display import shown_events
from pmo.audit.models import AuditEvent
from pmo.portfolio import charts, services
from pmo.portfolio.forms import StatusReportForm
from pmo.portfolio.models import StatusReport

TODAY = dt.date(2026, 11, 20)


def report(users, project, period="2026-W46", **data):
    body = {"overall": 1, "schedule": 1, "cost": 1, "scope": 1, "resources": 1, "quality": 1}
    body.update({"summary": "ok", "percent_complete": 10, **data})
    return services.create_status_report(
        actor=users["admin"], project=project, period=period, data=body, today=TODAY
    )


@pytest.fixture
def rows(users, make_project, org):
    sponsor = Person.objects.create(name="Lin Xiaoyun (VP R&D)", org_unit=org["sh"])
    asked = make_project(code="ASK1", strategic=True, sponsor=sponsor, priority=5)
    pending = make_project(code="RAID1")
    report(users, asked, overall=3, overall_reason="late", decision_needed=True)
    services.create_raid_item(
        actor=users["admin"], project=pending, kind="decisions", data={"title": "go?"}
    )
    return asked, pending


def test_status_center_says_what_it_counts_and_as_of_when(client, users, rows, settings):
    client.force_login(users["exec"])
    page = client.get("/").content.decode()
    # the one "decision needed" figure, split by source (report vs RAID log)
    assert re.search(r'data-count="decision">2</strong>', page)
    # the sources count projects, and say so (they may overlap: see the next test)
    assert (
        "(projects asking for one in their latest report: 1; with one pending in the RAID log:"
        " 1; a project can be in both)"
    ) in page
    as_of = re.search(r'data-testid="as-of">(.*?)</p>', page, re.S)
    assert as_of is not None
    assert "latest submitted report" in as_of.group(1)
    assert re.search(r"As of \d{4}-\d\d-\d\d: ", as_of.group(1))
    assert re.search(r"Reports for \d{4}-W\d\d are due", as_of.group(1))


def test_a_project_in_both_decision_sources_counts_once_and_the_wording_allows_it(
    client, users, rows
):
    from pmo.portfolio.selectors import pending_decision_projects

    asked, _pending = rows
    services.create_raid_item(
        actor=users["admin"], project=asked, kind="decisions", data={"title": "which vendor?"}
    )
    client.force_login(users["exec"])
    page = client.get("/").content.decode()
    # 2 projects, though 1 + 2 = 3: ASK1 is in both
    assert re.search(r'data-count="decision">2</strong>', page)
    assert "latest report: 1; with one pending in the RAID log: 2; a project can be in both" in (
        page
    )
    # the one-page report's note counts the RAID source the same way: projects, not items
    assert pending_decision_projects(["ASK1", "RAID1"]) == 2


def test_status_center_stacks_pm_org_unit_and_sponsor_in_one_column(client, users, rows):
    client.force_login(users["exec"])
    page = client.get("/").content.decode()
    assert "<th>Sponsor</th>" not in page
    row = page[page.index('data-code="ASK1"') :]
    row = row[: row.index("</tr>")]
    people = re.search(r'<td data-col="people">(.*?)</td>', row, re.S).group(1)
    assert "Zhang Wei" in people
    assert "Sponsor: Lin Xiaoyun (VP R&amp;D)" in people
    assert "Shanghai R&amp;D · China" in people
    # the star explains itself
    assert 'title="Strategic project" data-testid="strategic"' in row


def test_project_page_explains_priority_and_strategic_and_wraps_tables(client, users, rows):
    client.force_login(users["exec"])
    page = client.get("/projects/ASK1/").content.decode()
    assert "Priority (1 = highest)" in page
    assert 'title="Priority 5 of 5; 1 is the highest">P5</abbr>' in page
    assert 'title="Strategic project: on the one-page report by default"' in page
    milestones = page[page.index('id="milestones"') :]
    assert milestones.index('class="table-wrap"') < milestones.index("<table")


def test_rag_chart_labels_every_period_in_readable_sizes(users, make_project):
    project = make_project(code="CH1")
    for week in range(20, 46):
        report(users, project, period=f"2026-W{week:02d}")
    history = list(
        StatusReport.objects.filter(project=project, is_current=True).order_by("period_end")
    )
    svg = charts.rag_history_svg(history)
    width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert width_pt <= 490  # 6.8 in: drawn at the size it is shown, not scaled down
    sizes = [float(s) for s in re.findall(r"font-size?:\s*([\d.]+)px", svg)] or [
        float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)
    ]
    # SVG user units are points here: 8 pt symbols, 9-10 pt labels (were 6-8 pt, then scaled down)
    assert sizes and min(sizes) >= 8 and max(sizes) >= 10
    labels = charts.period_labels(history)
    assert labels[:3] == ["2026-W20", "W21", "W22"]
    assert all(label in svg for label in labels)  # every period, not every third


def form(project, **initial):
    values = {"overall": 1, "schedule": 1, "cost": 1, "scope": 1, "resources": 1, "quality": 1}
    values.update(initial)
    return StatusReportForm(initial=values, project=project, today=TODAY)


def test_report_form_flags_overall_better_than_the_worst_dimension(make_project):
    project = make_project()
    assert form(project, overall=2, cost=3).overall_better_than_worst()
    assert not form(project, overall=3, cost=3).overall_better_than_worst()
    assert not form(project, overall=2, cost=2, scope=1).overall_better_than_worst()
    assert not form(project, overall=None).overall_better_than_worst()


def test_report_form_labels_reasons_and_shows_the_warning(client, users, make_project):
    project = make_project(code="F1")
    report(users, project, overall=2, overall_reason="tight", cost=3, cost_reason="overtime")
    client.force_login(users["pm"])
    page = client.get("/projects/F1/reports/new/").content.decode()
    for name in ("overall", "schedule", "cost", "scope", "resources", "quality"):
        assert f'<label for="id_{name}_reason">Reason</label>' in page
    assert "A decision is needed from the PMO or steering</label>" in page  # no colon
    warning = re.search(r"<p [^>]*data-rag-warning[^>]*>", page).group(0)
    assert " hidden" not in warning  # amber overall with a red dimension: shown at once
    assert 'data-rag-check="schedule cost scope resources quality"' in page


def test_report_form_hides_the_warning_when_overall_is_the_worst(client, users, make_project):
    project = make_project(code="F2")
    report(users, project, overall=3, overall_reason="late", cost=3, cost_reason="overtime")
    client.force_login(users["pm"])
    page = client.get("/projects/F2/reports/new/").content.decode()
    assert re.search(r"<p [^>]*data-rag-warning[^>]* hidden>", page)


@pytest.mark.django_db
def test_change_history_names_the_project_in_the_active_language(make_project):
    project = make_project(code="P9", name="Core banking upgrade", name_zh="核心银行系统升级")
    recorded = AuditEvent.objects.create(
        action="create",
        object_type="portfolio.project",
        object_id=str(project.pk),
        object_repr="P9 Core banking upgrade",
        scope=f"project:{project.pk}",
        changes={},
    )
    with translation.override("zh-hans"):
        (shown,) = shown_events([recorded])
    assert shown.label == "P9 核心银行系统升级"
    assert shown_events([recorded])[0].label == "P9 Core banking upgrade"
