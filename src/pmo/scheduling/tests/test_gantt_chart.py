"""The Gantt's time axis (years on it), today on the time line, the chart's scroll box."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pmo.scheduling import gantt, selectors, services
from pmo.scheduling.tests.factories import small_plan


def test_week_axis_has_months_with_their_year_over_the_mondays() -> None:
    periods, ticks = gantt.axis(dt.date(2026, 12, 21), dt.date(2027, 1, 12), "week", 8.0)
    assert [(p.x, p.label, p.major) for p in periods] == [
        (0.0, "2026-12", False),
        (88.0, "2027-01", True),
    ]
    assert [(t.x, t.label) for t in ticks] == [
        (0.0, "21"),
        (56.0, "28"),
        (112.0, "4"),
        (168.0, "11"),
    ]


def test_day_axis_has_weeks_with_their_year() -> None:
    periods, ticks = gantt.axis(dt.date(2026, 12, 30), dt.date(2027, 1, 5), "day", 28.0)
    assert [(p.x, p.label) for p in periods] == [(0.0, "2026-12-28"), (140.0, "2027-01-04")]
    assert [t.label for t in ticks] == ["30", "31", "1", "2", "3", "4", "5"]


def test_month_axis_has_years_and_drops_a_label_with_no_room() -> None:
    periods, ticks = gantt.axis(dt.date(2026, 12, 1), dt.date(2027, 2, 1), "month", 2.0)
    assert [(p.x, p.label) for p in periods] == [(62.0, "2027")]  # "2026" would be covered
    assert [(t.x, t.label) for t in ticks] == [
        (0.0, "2026-12"),
        (62.0, "2027-01"),
        (124.0, "2027-02"),
    ]


def test_time_line_starts_at_the_origin_and_today_is_on_it(make_project: Any, users: Any) -> None:
    plan = services.replace_plan(actor=users["pm"], project=make_project(), data=small_plan())
    rows = selectors.list_task_rows(plan, 0)
    chart = gantt.layout(rows, [], zoom="week", today=dt.date(2026, 3, 5))
    assert chart.origin == dt.date(2026, 2, 23)  # a week before the first start, 2026-03-02
    assert chart.today_x == 80.0 and chart.today == dt.date(2026, 3, 5)
    design = next(b for b in chart.bars if b.row.task.uid == 2)
    assert round(design.x, 2) == round((7 + 8 / 24) * 8, 2)
    assert chart.width == (dt.date(2026, 3, 18) - dt.date(2026, 2, 23)).days * 8 + 10
    assert chart.footer is None and chart.height == 40 + 5 * 22 + 6
    away = gantt.layout(rows, [], zoom="week", today=dt.date(2026, 12, 6))
    assert away.today_x is None and away.today is None


def test_a_tall_chart_repeats_the_axis_under_its_last_row() -> None:
    day = dt.date(2026, 6, 1)
    go_live: tuple[str, dt.date | None, dt.date | None, dt.date | None] = (
        "Go-live",
        day,
        day,
        None,
    )
    projects = [(f"P{n}", "Name", [go_live]) for n in range(21)]
    chart = gantt.milestone_layout(projects, today=day)
    assert chart.footer == 40 + 21 * 22 + 14 and chart.height == 40 + 21 * 22 + 6 + 28
    assert gantt.milestone_layout(projects[:20], today=day).footer is None


def test_plan_page_marks_today_for_the_script_and_labels_years(
    client: Any, make_project: Any, users: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 3, 5))
    project = make_project()
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["pm"])
    page = client.get(f"/projects/{project.code}/plan/").content.decode()
    assert 'src="/static/pmo/gantt.js"' in page and 'href="/static/pmo/scheduling.css"' in page
    assert (
        'data-gantt-scroll tabindex="0" aria-label="Gantt chart" data-origin="2026-02-23"'
        ' data-scale="8.0" data-today="2026-03-05"'
    ) in page
    # 2026-02 has no room before 2026-03 (6 days = 48 px): the chart starts at March's label
    assert (
        '<text class="period" x="51.0" y="12" fill="#1d2733" font-weight="bold">2026-03</text>'
        in page
    )
    assert ">2026-02</text>" not in page
    assert '<line class="today" x1="80.0"' in page
    assert 'data-testid="gantt-today">Go to today</button>' in page
    assert '<div class="table-wrap"><table class="grid"><tr><th>Milestone</th>' in page


def test_milestone_chart_scrolls_in_its_box_with_years(
    client: Any, make_project: Any, users: Any, monkeypatch: Any
) -> None:
    from pmo.portfolio.models import Milestone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 12, 6))
    project = make_project()
    Milestone.objects.create(
        project=project, name="Go-live", baseline_date=dt.date(2027, 3, 1), is_key=True
    )
    client.force_login(users["exec"])
    page = client.get("/milestones/").content.decode()
    assert 'data-origin="2026-12-01" data-scale="3.0" data-today="2026-12-06"' in page
    assert ">2027</text>" in page and ">2026-12</text>" in page
    assert '<line class="today" x1="15.0"' in page
