"""Derived status-center columns: missing reports, counts, decision flags, slip sort."""

import datetime as dt

from pmo.portfolio import services
from pmo.portfolio.selectors import status_center


def submit(users, project, period, **data):
    body = {"overall": 1, "schedule": 1, "cost": 1, "scope": 1, "resources": 1, "quality": 1}
    body.update({"summary": "s", "percent_complete": 5, **data})
    services.create_status_report(
        actor=users["admin"], project=project, period=period, data=body, today=dt.date(2026, 12, 31)
    )


def flags(users, today, **filters):
    return {p.code: p.missing for p in status_center(users["exec"], filters, today=today)}


def test_missing_follows_the_deadline_of_the_due_period(users, make_project):
    a, b = make_project(code="A"), make_project(code="B")
    make_project(code="C")
    make_project(code="D", start_date=dt.date(2026, 12, 1))
    make_project(code="E", state="on_hold")
    submit(users, a, "2026-W46")
    submit(users, b, "2026-W45")
    # Week 46 ends on Sunday 15 Nov; with 2 grace days it is on time until Tuesday 17 Nov.
    assert flags(users, dt.date(2026, 11, 17)) == {
        "A": False,
        "B": False,
        "C": True,
        "D": False,
        "E": False,
    }
    # Wednesday 18 Nov: week 46 is overdue, so B is missing too.
    assert flags(users, dt.date(2026, 11, 18)) == {
        "A": False,
        "B": True,
        "C": True,
        "D": False,
        "E": False,
    }
    missing = status_center(users["exec"], {"flag": "missing"}, today=dt.date(2026, 11, 18))
    assert [p.code for p in missing] == ["B", "C"]
    # Wednesday 25 Nov: week 47 is overdue, so A is missing as well.
    assert flags(users, dt.date(2026, 11, 25))["A"] is True


def test_monthly_projects_are_due_monthly(users, make_project):
    p = make_project(code="M", cadence="monthly")
    submit(users, p, "2026-10")
    assert flags(users, dt.date(2026, 11, 20)) == {"M": False}
    assert flags(users, dt.date(2026, 12, 3)) == {"M": True}


def test_counts_of_open_high_risks_issues_and_pending_decisions(users, make_project):
    p = make_project(code="X")
    make_project(code="Y")
    for prob, impact, status in [(5, 5, "open"), (3, 5, "open"), (2, 2, "open"), (5, 4, "closed")]:
        services.create_raid_item(
            actor=users["admin"],
            project=p,
            kind="risks",
            data={"title": "r", "probability": prob, "impact": impact, "status": status},
        )
    for severity in (1, 3, 4):
        services.create_raid_item(
            actor=users["admin"],
            project=p,
            kind="issues",
            data={"title": "i", "severity": severity},
        )
    services.create_raid_item(
        actor=users["admin"], project=p, kind="decisions", data={"title": "d"}
    )
    rows = {r.code: r for r in status_center(users["exec"], {})}
    assert (rows["X"].open_high_risks, rows["X"].open_issues, rows["X"].pending_decisions) == (
        2,
        2,
        1,
    )
    assert (rows["Y"].open_high_risks, rows["Y"].open_issues, rows["Y"].pending_decisions) == (
        0,
        0,
        0,
    )
    assert [r.code for r in status_center(users["exec"], {"flag": "decision"})] == ["X"]
    assert [r.code for r in status_center(users["exec"], {"sort": "-risks"})] == ["X", "Y"]


def test_sort_by_slip_and_late_flag(users, make_project):
    make_project(code="ON", forecast_finish=dt.date(2026, 12, 31))
    make_project(code="LATE", forecast_finish=dt.date(2027, 3, 1))
    make_project(code="EARLY", forecast_finish=dt.date(2026, 11, 30))
    order = [p.code for p in status_center(users["exec"], {"sort": "-slip"})]
    assert order == ["LATE", "ON", "EARLY"]
    assert [p.code for p in status_center(users["exec"], {"flag": "late"})] == ["LATE"]


def test_org_unit_filter_includes_the_subtree(users, make_project):
    make_project(code="SH")
    make_project(code="UK", manager=users["other_pm"].person)
    assert [p.code for p in status_center(users["exec"], {"org_unit": "cn"})] == ["SH"]
    assert [p.code for p in status_center(users["exec"], {"org_unit": "grp"})] == ["SH", "UK"]
    assert list(status_center(users["exec"], {"org_unit": "nowhere"})) == []


def test_summary_counts_follow_the_filters(users, make_project):
    from pmo.portfolio.selectors import status_summary

    red, amber = make_project(code="R"), make_project(code="AM")
    make_project(code="N", phase="planning")
    submit(users, red, "2026-W45", overall=1)
    submit(users, red, "2026-W46", overall=3, overall_reason="late")
    submit(users, amber, "2026-W46", overall=2, overall_reason="tight")
    today = dt.date(2026, 11, 18)
    summary = status_summary(status_center(users["exec"], {}, today=today), today=today)
    assert summary == {
        "total": 3,
        "running": 3,
        "red": 1,
        "amber": 1,
        "green": 0,
        "unrated": 1,
        "missing": 1,
        "worse": 1,
        "decision": 0,
        "decision_report": 0,
        "decision_raid": 0,
        "closed": 0,
        "cancelled": 0,
    }
    planning = status_summary(status_center(users["exec"], {"phase": "planning"}))
    assert (planning["total"], planning["unrated"]) == (1, 1)
    services.create_raid_item(
        actor=users["admin"], project=amber, kind="decisions", data={"title": "go?"}
    )
    after = status_summary(status_center(users["exec"], {}), today=today)
    assert (after["decision"], after["decision_report"], after["decision_raid"]) == (1, 0, 1)
    submit(users, red, "2026-W47", overall=3, overall_reason="late", decision_needed=True)
    submit(users, amber, "2026-W47", overall=2, overall_reason="tight", decision_needed=True)
    both = status_summary(status_center(users["exec"], {}), today=today)
    assert (both["decision"], both["decision_report"], both["decision_raid"]) == (2, 2, 1)
