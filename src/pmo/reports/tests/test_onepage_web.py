"""The one-page report on screen: what its figures count (finding 7) and cards that cut no text
(finding 8), while the PDF keeps its fixed layout."""

import re

import pytest

from pmo.portfolio import services
from pmo.reports.onepage.build import build_onepage
from pmo.reports.onepage.layout import boards
from pmo.reports.onepage.render import context
from pmo.reports.tests.test_onepage import history
from pmo.reports.views import WEB_ROWS


@pytest.fixture
def thirty(users, make_project):
    for n in range(30):
        project = make_project(code=f"E{n:02d}", strategic=True, phase="execution")
        history(project, ("2026-W46", 1 + n % 3, "execution"))
    return users


def test_web_page_says_what_its_figures_count(client, thirty):
    services.create_raid_item(
        actor=thirty["admin"],
        project=thirty["pm"].person.managed_projects.get(code="E03"),
        kind="decisions",
        data={"title": "Approve the budget?"},
    )
    client.force_login(thirty["exec"])
    page = client.get("/reports/onepage/", {"period": "2026-W46"}).content.decode()
    note = re.search(r'data-testid="onepage-counts">(.*?)</p>', page, re.S).group(1)
    assert "The figures count the reports for 2026-W46 only" in note
    assert "1 project here has a decision pending in its RAID log today" in note
    # the names of the counts between the house quotes, as elsewhere in the app
    assert "counts as “No report”." in note and "counts it as “Decision needed”." in note
    assert '"' not in note
    assert 'title="Reports of this week that ask for a decision' in page


def test_web_cards_carry_their_full_text_as_a_tooltip(client, thirty):
    client.force_login(thirty["exec"])
    page = client.get("/reports/onepage/", {"period": "2026-W46"}).content.decode()
    assert re.search(r'data-code="E07"[^>]* title="E07 Test project \d+ · Zhang Wei"', page)
    assert page.count('<span class="op-pm">Zhang Wei</span>') == 30


def test_web_page_draws_fewer_wider_sub_columns_than_the_pdf(thirty):
    page = build_onepage(thirty["exec"], {}, period="2026-W46")
    pdf_widths = [b.width for _c, b in boards(page)[0]]
    web_widths = [b.width for _c, b in boards(page, WEB_ROWS)[0]]
    assert pdf_widths == [3]  # 30 cells, 10 a sub-column
    assert web_widths == [2]
    assert context(page)["boards"][0]["unit_pct"] == "33.3333"  # the documents are unchanged


def test_web_page_and_downloads_refuse_a_week_not_begun_and_an_unknown_code(client, thirty):
    import datetime as dt

    from pmo.portfolio.periods import period_of

    client.force_login(thirty["exec"])
    coming = period_of(dt.date.today() + dt.timedelta(days=14), "weekly").key
    page = client.get("/reports/onepage/", {"period": coming}).content.decode()
    assert f"{coming} has not started yet" in page
    wrong = client.get("/reports/onepage/", {"portfolio": "NOPE"}).content.decode()
    assert "no such code “NOPE”" in wrong
    download = client.get("/reports/onepage.pdf", {"period": coming})
    assert download.status_code == 400
    assert f"{coming} has not started yet" in download.content.decode()
