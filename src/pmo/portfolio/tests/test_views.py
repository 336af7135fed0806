"""Web pages: status center, filters, htmx partial, exports, project page, report form."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pmo.portfolio import services
from pmo.portfolio.models import StatusReport
from pmo.portfolio.periods import period_of

TODAY = dt.date(2026, 11, 20)


def report(users, project, period="2026-W46", **data):
    body = {
        "overall": 1,
        "schedule": 1,
        "cost": 1,
        "scope": 1,
        "resources": 1,
        "quality": 1,
        "summary": "ok",
        "percent_complete": 10,
    }
    body.update(data)
    return services.create_status_report(
        actor=users["admin"], project=project, period=period, data=body, today=TODAY
    )


@pytest.fixture
def portfolio_rows(users, make_project):
    red = make_project(code="RED1", name="Core banking", name_zh="核心银行")
    green = make_project(code="GRN1", name="Mobile app", phase="planning")
    uk = make_project(code="UK01", manager=users["other_pm"].person)
    report(users, red, overall=3, overall_reason="late", decision_needed=True)
    report(users, green)
    return red, green, uk


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_sign_in_lands_on_the_status_center(client, users):
    response = client.post(
        "/accounts/login/", {"username": "exec", "password": "pw-12345"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert b"Portfolio status center" in response.content


def test_status_center_lists_visible_projects_with_status(client, users, portfolio_rows):
    client.force_login(users["exec"])
    page = client.get("/").content.decode()
    for code in ("RED1", "GRN1", "UK01"):
        assert f'data-code="{code}"' in page
    assert 'data-flag="decision"' in page
    assert "3 projects" in page


def test_filters_apply_and_htmx_gets_only_the_table(client, users, portfolio_rows):
    client.force_login(users["exec"])
    full = client.get("/", {"rag": "red"})
    partial = client.get("/", {"rag": "red"}, headers={"HX-Request": "true"})
    assert 'data-code="RED1"' in full.content.decode()
    assert 'data-code="GRN1"' not in full.content.decode()
    assert b"<html" in full.content
    assert b"<html" not in partial.content
    assert b'data-code="RED1"' in partial.content


def test_text_search_matches_chinese_names(client, users, portfolio_rows):
    client.force_login(users["exec"])
    page = client.get("/", {"q": "核心"}).content.decode()
    assert 'data-code="RED1"' in page
    assert 'data-code="GRN1"' not in page


def test_invalid_filter_values_are_ignored_not_500(client, users, portfolio_rows):
    client.force_login(users["exec"])
    response = client.get("/", {"rag": "purple", "sort": "drop table", "pm": "x", "page": "999"})
    assert response.status_code == 200


def test_missing_report_flag_and_filter(client, users, portfolio_rows, settings):
    client.force_login(users["exec"])
    page = client.get("/", {"flag": "missing"}).content.decode()
    # UK01 never reported, so it is missing whatever day the suite runs on.
    assert 'data-code="UK01"' in page
    assert 'data-flag="missing"' in page


def test_viewer_sees_only_own_org_unit(client, users, portfolio_rows):
    client.force_login(users["viewer"])
    page = client.get("/").content.decode()
    assert 'data-code="RED1"' in page
    assert 'data-code="UK01"' not in page
    assert client.get("/projects/UK01/").status_code == 404


def test_export_xlsx_has_a_row_per_project(client, users, portfolio_rows):
    client.force_login(users["exec"])
    response = client.get("/projects/export.xlsx", {"rag": "red"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Code"
    assert [r[0] for r in rows[1:]] == ["RED1"]
    assert rows[1][rows[0].index("Overall")] == "Red"
    assert rows[1][rows[0].index("State")] == "Active"


def test_export_csv_respects_sort(client, users, portfolio_rows):
    client.force_login(users["exec"])
    response = client.get("/projects/export.csv", {"sort": "-code"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in rows[1:]] == ["UK01", "RED1", "GRN1"]


def test_unknown_export_format_is_404(client, users):
    client.force_login(users["exec"])
    assert client.get("/projects/export.pdf").status_code == 404


def test_project_page_shows_report_raid_heatmap_and_audit(client, users, portfolio_rows):
    red = portfolio_rows[0]
    services.create_raid_item(
        actor=users["admin"],
        project=red,
        kind="risks",
        data={"title": "Vendor late", "probability": 4, "impact": 5},
    )
    client.force_login(users["exec"])
    page = client.get("/projects/RED1/").content.decode()
    assert "Vendor late" in page
    assert 'data-p="4" data-i="5">1<' in page
    assert 'id="latest-summary">ok<' in page
    assert "submitted" in page  # audit trail rows
    assert 'id="new-report"' not in page  # executives read only


def test_rag_chart_is_svg(client, users, portfolio_rows):
    client.force_login(users["exec"])
    response = client.get("/projects/RED1/rag-history.svg")
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml")
    assert b"2026-W46" in response.content


def test_pm_submits_a_report_from_the_form(client, users, make_project):
    make_project(code="F1")
    client.force_login(users["pm"])
    form = client.get("/projects/F1/reports/new/")
    assert form.status_code == 200
    data = {
        # this week: the form offers the last eight periods only (a fixed week ran out)
        "period": period_of(timezone.localdate(), "weekly").key,
        "overall": "2",
        "schedule": "2",
        "cost": "1",
        "scope": "1",
        "resources": "1",
        "quality": "1",
        "summary": "Vendor slipping",
        "percent_complete": "35",
        "action": "submit",
    }
    refused = client.post("/projects/F1/reports/new/", data)
    assert refused.status_code == 200
    assert "a reason is required when “Overall” is amber or red" in refused.content.decode()
    data.update(overall_reason="vendor", schedule_reason="vendor")
    accepted = client.post("/projects/F1/reports/new/", data)
    assert accepted.status_code == 302
    saved = StatusReport.objects.get(project__code="F1")
    assert (saved.state, saved.overall, saved.percent_complete) == ("submitted", 2, 35)


def test_pm_cannot_open_the_form_of_another_project(client, users, make_project):
    make_project(code="F2", manager=users["other_pm"].person)
    client.force_login(users["pm"])
    response = client.get("/projects/F2/reports/new/", follow=True)
    assert response.redirect_chain[-1][0] == "/projects/F2/"
    assert "may read this project but not report on it" in response.content.decode()


def test_raid_form_creates_an_item(client, users, make_project):
    make_project(code="F3")
    client.force_login(users["pm"])
    response = client.post(
        "/projects/F3/raid/issues/new/",
        {"title": "Env down", "severity": "3", "escalation": "1", "status": "open"},
    )
    assert response.status_code == 302
    page = client.get("/projects/F3/").content.decode()
    issues = page.split('id="raid-issues"')[1].split("</section>")[0]
    assert "Env down" in issues
    assert "High" in issues


def test_language_switch_is_remembered_on_the_user(client, users):
    client.force_login(users["exec"])
    response = client.post("/accounts/language/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    users["exec"].refresh_from_db()
    assert users["exec"].language == "zh-hans"
    page = client.get("/")
    assert 'lang="zh-Hans"' in page.content.decode()


def test_language_switch_refuses_unknown_language(client, users):
    client.force_login(users["exec"])
    assert client.post("/accounts/language/", {"language": "xx"}).status_code == 400


def test_admin_is_for_pmo_admins_only(client, users):
    client.force_login(users["member"])
    assert client.get("/admin/").status_code == 302
    staff = users["admin"]
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_expired_session_sends_htmx_to_sign_in(client):
    response = client.get("/", {"rag": "red"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_pager_links_have_no_empty_query(client, users, make_project):
    for _ in range(55):
        make_project()
    client.force_login(users["exec"])
    page = client.get("/").content.decode()
    assert 'href="?page=2"' in page


def test_stylesheet_and_htmx_are_served(client):
    css = client.get("/static/pmo/pmo.css")
    assert css.status_code == 200
    assert b".topbar" in b"".join(css.streaming_content)
    assert client.get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_the_form_offers_the_period_still_to_report(client, users, make_project, green):
    from django.utils import timezone

    from pmo.portfolio import services
    from pmo.portfolio.periods import due_period, period_of

    project = make_project(code="F3")
    client.force_login(users["pm"])
    today = timezone.localdate()  # the view's "today" (Asia/Shanghai), not the UTC date
    ended, under_way = due_period(today, "weekly", 0), period_of(today, "weekly")

    def offered() -> str:
        page = client.get("/projects/F3/reports/new/").content.decode()
        select = page.split('name="period"')[1].split("</select>")[0]
        return select.split('" selected')[0].rsplit('value="', 1)[1]

    # the week that ended is due first; once reported, the week under way is next
    assert offered() == ended.key
    services.create_status_report(
        actor=users["pm"], project=project, period=ended.key, data=green()
    )
    assert offered() == under_way.key
