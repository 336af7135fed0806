"""The one-page report: content from hand-made histories, reproducibility, all four formats."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from pmo.core.errors import FieldError
from pmo.portfolio.models import ReportState, StatusReport
from pmo.portfolio.periods import parse_period
from pmo.reports.onepage.build import build_onepage
from pmo.reports.onepage.render import render

W45, W46 = parse_period("2026-W45"), parse_period("2026-W46")


def history(project, *entries):
    """Write submitted reports directly: (period, overall, phase, submitted_at or None, extra)."""
    for period_key, overall, phase, *rest in entries:
        period = parse_period(period_key)
        submitted = (
            rest[0]
            if rest and rest[0]
            else timezone.make_aware(
                dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(9))
            )
        )
        extra = rest[1] if len(rest) > 1 else {}
        revision = StatusReport.objects.filter(project=project, period=period.key).count() + 1
        StatusReport.objects.create(
            project=project,
            period=period.key,
            period_start=period.start,
            period_end=period.end,
            revision=revision,
            state=ReportState.SUBMITTED,
            is_current=False,
            overall=overall,
            schedule=1,
            cost=1,
            scope=1,
            resources=1,
            quality=1,
            summary="s",
            phase=phase,
            submitted_at=submitted,
            **extra,
        )


@pytest.fixture
def strategic(make_project):
    def make(**fields):
        return make_project(strategic=True, **fields)

    return make


def cells(page):
    return {c.code: c for c in page.cells}


def test_trend_missing_and_phase_columns_from_history(users, strategic):
    worse, better, same, silent = (strategic(code=c) for c in ("WORSE", "BETTER", "SAME", "SILENT"))
    history(
        worse,
        ("2026-W45", 1, "execution"),
        ("2026-W46", 3, "execution", None, {"overall_reason": "vendor late"}),
    )
    history(better, ("2026-W45", 3, "planning"), ("2026-W46", 2, "execution"))
    history(
        same, ("2026-W44", 2, "planning"), ("2026-W45", 2, "planning"), ("2026-W46", 2, "planning")
    )
    history(silent, ("2026-W45", 2, "planning"))
    page = build_onepage(users["exec"], {}, period="2026-W46")
    got = cells(page)
    assert (got["WORSE"].trend, got["BETTER"].trend, got["SAME"].trend) == (-1, 1, 0)
    assert (got["SILENT"].missing, got["SILENT"].stale, got["SILENT"].rag) == (True, True, 2)
    assert got["SAME"].weeks_in_phase == 3
    assert got["BETTER"].weeks_in_phase == 1
    assert [(c.phase, [x.code for x in c.cells]) for c in page.columns] == [
        ("planning", ["SAME", "SILENT"]),
        ("execution", ["WORSE", "BETTER"]),
    ]
    assert page.header.rag_counts == {"red": 1, "amber": 2, "green": 0, "none": 1}
    # W45 was green / red / amber / amber; SILENT's W46 report is missing ("none")
    assert page.header.rag_delta == {"red": 0, "amber": 0, "green": -1, "none": 1}
    kinds = {(ch.kind, ch.code) for ch in page.changes}
    assert kinds == {("new_red", "WORSE"), ("recovered", "BETTER"), ("phase", "BETTER")}
    assert page.header.phase_changes == 1
    assert page.header.missing == 1


def test_header_counts_change_against_the_previous_period(users, strategic):
    a, b = strategic(code="A"), strategic(code="B")
    history(a, ("2026-W45", 1, "execution"), ("2026-W46", 3, "execution"))
    history(b, ("2026-W45", 3, "execution"), ("2026-W46", 3, "execution"))
    header = build_onepage(users["exec"], {}, period="2026-W46").header
    assert header.rag_counts == {"red": 2, "amber": 0, "green": 0, "none": 0}
    assert header.rag_delta == {"red": 1, "amber": 0, "green": -1, "none": 0}


def test_decisions_needed_are_ranked_by_priority_then_severity(users, strategic):
    low, high, red = (
        strategic(code="LOW", priority=4),
        strategic(code="HIGH", priority=1),
        strategic(code="RED", priority=4),
    )
    for project, overall in ((low, 2), (high, 2), (red, 3)):
        history(
            project,
            (
                "2026-W46",
                overall,
                "execution",
                None,
                {"decision_needed": True, "help_needed": f"decide {project.code}"},
            ),
        )
    page = build_onepage(users["exec"], {}, period="2026-W46")
    assert [e.code for e in page.escalations] == ["HIGH", "RED", "LOW"]
    assert page.escalations[0].text == "decide HIGH"
    assert cells(page)["LOW"].decision_needed is True


def test_late_report_counts_until_the_next_deadline(users, strategic):
    p = strategic(code="LATE")
    # W46 ends Sun 15 Nov; due Tue 17 Nov; W47 is due Tue 24 Nov: a report on the 20th counts
    late = timezone.make_aware(dt.datetime(2026, 11, 20, 9))
    history(p, ("2026-W46", 3, "execution", late))
    assert cells(build_onepage(users["exec"], {}, period="2026-W46"))["LATE"].missing is False
    too_late = timezone.make_aware(dt.datetime(2026, 11, 26, 9))
    q = strategic(code="TOOLATE")
    history(q, ("2026-W46", 3, "execution", too_late))
    assert cells(build_onepage(users["exec"], {}, period="2026-W46"))["TOOLATE"].missing is True


def test_past_period_is_reproducible_despite_later_corrections(users, strategic):
    p = strategic(code="P")
    history(p, ("2026-W40", 2, "execution"))
    before = build_onepage(users["exec"], {}, period="2026-W40")
    # a correction submitted weeks after the W40 deadline does not rewrite the W40 page
    history(p, ("2026-W40", 3, "execution", timezone.now()))
    after = build_onepage(users["exec"], {}, period="2026-W40")
    assert cells(before)["P"].rag == cells(after)["P"].rag == 2
    assert before.provisional is False


def test_viewer_sees_only_own_projects(users, strategic):
    strategic(code="SHP")
    strategic(code="UKP", manager=users["other_pm"].person)
    page = build_onepage(users["viewer"], {}, period="2026-W46")
    assert [c.code for c in page.cells] == ["SHP"]


def test_non_strategic_projects_only_with_scope_all(users, make_project):
    make_project(code="ORDINARY")
    assert build_onepage(users["exec"], {}, period="2026-W46").cells == []
    assert [
        c.code for c in build_onepage(users["exec"], {"scope": "all"}, period="2026-W46").cells
    ] == ["ORDINARY"]


def test_monthly_period_is_refused(users):
    with pytest.raises(FieldError, match="weekly"):
        build_onepage(users["exec"], {}, period="2026-10")


@pytest.fixture
def sixty(users, strategic):
    phases = ["initiation", "planning", "execution", "execution", "closing"]
    for n in range(60):
        p = strategic(code=f"S{n:02d}", name=f"Project {n}", name_zh=f"核心项目{n}")
        history(
            p, ("2026-W45", 1 + n % 3, phases[n % 5]), ("2026-W46", 1 + (n * 7) % 3, phases[n % 5])
        )
    return users


def test_pdf_is_one_landscape_page_with_every_project_in_chinese(sixty):
    page = build_onepage(sixty["exec"], {}, period="2026-W46", language="zh-hans")
    assert page.layout == "normal"
    reader = PdfReader(io.BytesIO(render(page, "pdf")))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = reader.pages[0].extract_text()
    assert all(f"S{n:02d}" in text for n in range(60))
    assert "核心项目7" in text


def test_pptx_is_one_slide_of_native_shapes(sixty):
    page = build_onepage(sixty["exec"], {}, period="2026-W46")
    deck = Presentation(io.BytesIO(render(page, "pptx")))
    assert len(deck.slides) == 1
    names = [s.name for s in deck.slides[0].shapes if s.name.startswith("cell ")]
    assert sorted(names) == sorted(f"cell S{n:02d}" for n in range(60))
    texts = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Project 59" in texts
    # the slide's header has the page's figures (it said "Phase changes" for gates passed)
    for figure in ("Gates passed", "Gates overdue", "No report", "Decisions asked in reports"):
        assert figure in texts, figure


def test_xlsx_has_one_row_per_project(sixty):
    page = build_onepage(sixty["exec"], {}, period="2026-W46")
    sheet = load_workbook(io.BytesIO(render(page, "xlsx")))["Projects"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Code", "Name", "Phase", "Overall")
    assert sorted(r[0] for r in rows[1:]) == [f"S{n:02d}" for n in range(60)]
    # ratings are words in a cell, capitalised in English (they read as keys in lower case)
    ratings = {r[3] for r in rows[1:]} - {None}
    assert ratings and ratings <= {"Green", "Amber", "Red"}
    summary = [r[0] for r in load_workbook(io.BytesIO(render(page, "xlsx")))["Summary"].values]
    assert {"Red", "Amber", "Green", "No report"} <= set(summary)


def test_html_has_one_cell_per_project(sixty):
    page = build_onepage(sixty["exec"], {}, period="2026-W46")
    html = render(page, "html").decode()
    assert html.count('class="op-cell') == 60


def test_beyond_sixty_the_layout_shrinks_then_pages(users, strategic):
    for n in range(170):
        history(strategic(code=f"B{n:03d}"), ("2026-W46", 1, "execution"))
    page = build_onepage(users["exec"], {}, period="2026-W46")
    assert page.layout == "paged"
    html = render(page, "html").decode()
    assert "170 projects do not fit on one page" in html
    assert len(PdfReader(io.BytesIO(render(page, "pdf"))).pages) == 2


def test_command_writes_each_format(sixty, tmp_path, capsys):
    for fmt in ("html", "pdf", "pptx", "xlsx"):
        out = tmp_path / f"one.{fmt}"
        call_command(
            "report", "onepage", "--format", fmt, "--out", str(out), "--period", "2026-W46"
        )
        assert out.stat().st_size > 1000
    assert "60 projects" in capsys.readouterr().out


def test_command_takes_the_format_from_the_file_name(sixty, tmp_path, capsys):
    for name, magic in (("one.html", b"<!doctype html"), ("one.PPTX", b"PK"), ("one", b"%PDF")):
        out = tmp_path / name
        call_command("report", "onepage", "--out", str(out), "--period", "2026-W46")
        assert out.read_bytes()[:20].lower().startswith(magic.lower()), name


def test_command_refuses_bad_input(db, tmp_path):
    with pytest.raises(CommandError, match="is not a period"):
        call_command("report", "onepage", "--out", str(tmp_path / "x.pdf"), "--period", "W40")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("report", "onepage", "--out", str(tmp_path / "nope" / "x.pdf"))


def test_api_and_web_downloads(client, sixty):
    client.force_login(sixty["exec"])
    data = client.get("/api/v1/reports/onepage", {"period": "2026-W46"}).json()
    assert data["period"] == "2026-W46"
    assert data["header"]["total"] == 60
    pdf = client.get("/api/v1/reports/onepage", {"format": "pdf", "period": "2026-W46"})
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    bad = client.get("/api/v1/reports/onepage", {"format": "doc"})
    assert bad.status_code == 422
    page = client.get("/reports/onepage/", {"period": "2026-W46"}).content.decode()
    assert page.count('class="op-cell') == 60
    assert 'href="/projects/S00/"' in page
    xlsx = client.get("/reports/onepage.xlsx", {"period": "2026-W46"})
    assert xlsx.status_code == 200
    assert client.get("/reports/onepage.pdf", {"period": "bad"}).status_code == 400


def test_gates_from_the_lifecycle_history(users, strategic):
    from pmo.governance import services as governance
    from pmo.governance.decisions import decide_gate
    from pmo.governance.models import LifecycleTemplate

    project = strategic(code="GATED", pmo_type="rnd")
    history(project, ("2026-W45", 1, "idea"), ("2026-W46", 1, "idea"))
    template = LifecycleTemplate.objects.get(code="rnd", revision=1)
    governance.start_lifecycle(
        actor=users["admin"], project=project, template=template, started_on=dt.date(2026, 8, 3)
    )
    review = governance.request_review(actor=users["pm"], project=project)
    decide_gate(
        actor=users["admin"],
        review=review,
        outcome="go",
        waive=True,
        waiver_reason="test",
        decided_on=dt.date(2026, 11, 11),
    )
    page = build_onepage(users["exec"], {}, period="2026-W46")
    cell = cells(page)["GATED"]
    second = template.phases.get(order=1)
    assert [c.phase for c in page.columns if cell in c.cells] == [second.category]
    assert cell.weeks_in_phase == 0  # entered on 11 Nov, the page is as of Sun 15 Nov
    assert cell.next_gate == template.gates.get(order=2).code
    assert page.header.gates_passed == 1
    first_gate = template.gates.get(order=1).code
    assert ("gate", "GATED", f"{first_gate} passed") in {
        (c.kind, c.code, c.detail) for c in page.changes
    }
    # the week before, the project was still in its first phase, with the first gate overdue
    before = cells(build_onepage(users["exec"], {}, period="2026-W45"))["GATED"]
    assert before.next_gate == first_gate
    assert before.weeks_in_phase == 13  # 3 Aug to Sun 8 Nov
