"""Cancelled projects on the one-page report: news the week they stop, then off the page."""

import datetime as dt

from pmo.governance import services as governance
from pmo.governance.decisions import decide_gate
from pmo.governance.models import LifecycleTemplate
from pmo.portfolio.models import Project
from pmo.reports.onepage.build import build_onepage
from pmo.reports.tests.test_onepage import cells, history


def test_a_project_stopped_at_a_gate_is_news_that_week_then_leaves_the_page(users, make_project):
    # given: a strategic project that reported in W45 and is stopped at G1 on Wed of W46
    project = make_project(code="KILLED", strategic=True)
    history(project, ("2026-W45", 2, "idea"))
    generic = LifecycleTemplate.objects.get(code="generic", revision=1)
    governance.start_lifecycle(
        actor=users["admin"], project=project, template=generic, started_on=dt.date(2026, 8, 3)
    )
    review = governance.request_review(actor=users["pm"], project=project)
    decide_gate(
        actor=users["exec"],
        review=review,
        outcome="stop",
        rationale="No market",
        decided_on=dt.date(2026, 11, 11),
    )
    assert Project.objects.get(pk=project.pk).state == "cancelled"
    # when: the page of W46 is built
    page = build_onepage(users["exec"], {}, period="2026-W46")
    # then: the cancellation is among the changes; the project is not a missing report
    assert [(c.kind, c.code, c.detail) for c in page.changes] == [
        ("cancelled", "KILLED", "stopped at gate G1")
    ]
    assert "KILLED" not in cells(page)
    assert (page.header.total, page.header.missing) == (0, 0)
    # and the week before, it still ran: on the page, no cancellation yet
    before = build_onepage(users["exec"], {}, period="2026-W45")
    assert "KILLED" in cells(before)
    assert "cancelled" not in [c.kind for c in before.changes]


def test_a_cancelled_project_shows_while_it_reports_and_never_as_missing(users, make_project):
    # given: two projects the PMO cancelled by hand in execution, one still reporting, and
    # a project closed in the "Closed" phase that reports no more
    reporting = make_project(code="WINDDOWN", strategic=True, phase="execution")
    silent = make_project(code="GONE", strategic=True, phase="execution")
    done = make_project(code="DONE", strategic=True, phase="closed")
    history(reporting, ("2026-W46", 3, "execution", None, {"overall_reason": "wind-down"}))
    history(silent, ("2026-W45", 2, "execution"))
    history(done, ("2026-W44", 1, "closed"))
    Project.objects.filter(code__in=["WINDDOWN", "GONE"]).update(state="cancelled")
    Project.objects.filter(code="DONE").update(state="closed")
    # when
    page = build_onepage(users["exec"], {}, period="2026-W46")
    # then: the reporting one stays (not missing), the silent one is gone, the completed
    # one stays in the Closed column as before
    shown = cells(page)
    assert sorted(shown) == ["DONE", "WINDDOWN"]
    assert (shown["WINDDOWN"].missing, shown["DONE"].missing) == (False, False)
    assert [c.phase for c in page.columns] == ["execution", "closed"]
