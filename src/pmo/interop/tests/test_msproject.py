"""MSPDI import and export: bad files are refused naming the element; round trips keep the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pmo.interop import services
from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_read import read_mspdi
from pmo.interop.mspdi_write import write_mspdi
from pmo.portfolio.models import Project
from pmo.scheduling import services as plan_services
from pmo.scheduling.adapters import ScheduleError
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.planio import ExceptionData
from pmo.scheduling.selectors import plan_data
from pmo.scheduling.tests.factories import small_plan
from pmo.scheduling.walltime import from_db

HEAD = '<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project">'


def _file(tasks: str, extra: str = "") -> bytes:
    return (
        f"{HEAD}<Name>t</Name><StartDate>2026-03-02T08:00:00</StartDate>{extra}"
        f"<Tasks>{tasks}</Tasks></Project>"
    ).encode()


def _task(uid: int, preds: str = "", duration: str = "PT8H0M0S", extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><Name>T{uid}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Duration>{duration}</Duration>{extra}{preds}</Task>"
    )


def _pred(uid: int, kind: int = 1, lag: int = 0) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{uid}</PredecessorUID><Type>{kind}</Type>"
        f"<LinkLag>{lag}</LinkLag><LagFormat>7</LagFormat></PredecessorLink>"
    )


DTD = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
DTD_UTF16 = DTD.encode("utf-16")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "file: not well-formed XML at line 1, column 0 (syntax error)"),
        (
            b"<plan/>",
            "file: root element is <plan>, expected <Project> in namespace "
            "http://schemas.microsoft.com/project (Microsoft Project XML)",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "file: DOCTYPE and entity declarations are refused",
        ),
        (  # the same in UTF-16: a search of the raw bytes for "<!DOCTYPE" let it through
            DTD_UTF16,
            "file: DOCTYPE and entity declarations are refused",
        ),
        (_file(_task(1, _pred(99))), "Task UID 1: PredecessorLink to unknown UID 99"),
        (
            _file(_task(1, duration="eight hours")),
            "Task UID 1: Duration “eight hours” is not a duration (expected e.g. PT8H0M0S)",
        ),
        (
            _file(
                _task(
                    1,
                    extra="<ConstraintType>4</ConstraintType><ConstraintDate>2260-01-01T08:00:00</ConstraintDate>",
                )
            ),
            "Task UID 1: ConstraintDate 2260-01-01T08:00:00 is out of range (1984-2149)",
        ),
        (
            _file(_task(1, _pred(1, kind=7))),
            "Task UID 1: PredecessorLink to UID 1: Type 7 is not 0..3",
        ),
        (f"{HEAD}<Tasks/></Project>".encode(), "Project: StartDate is missing"),
    ],
)
def test_bad_files_are_refused_naming_the_element(content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as err:
        read_mspdi(content)
    assert err.value.message == message


def test_a_file_with_a_cycle_writes_nothing(make_project: Any, users: Any) -> None:
    project = make_project()
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    content = _file(_task(1, _pred(2)) + _task(2, _pred(1)))
    with pytest.raises(ScheduleError) as err:
        services.import_msproject(actor=users["pm"], content=content, project=project)
    assert err.value.message == "the links form a cycle: UID 1 -> UID 2"
    # the previous plan is intact
    assert sorted(Task.objects.filter(plan__project=project).values_list("uid", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]


def test_a_date_outside_the_horizon_is_refused(make_project: Any, users: Any) -> None:
    content = _file(
        _task(
            1,
            extra="<ConstraintType>4</ConstraintType><ConstraintDate>2045-01-02T08:00:00</ConstraintDate>",
        )
    )
    with pytest.raises(ScheduleError) as err:
        services.import_msproject(actor=users["pm"], content=content, project=make_project())
    assert err.value.message.startswith("Task UID 1: constraint date: 2045-01-02 08:00 is outside")
    assert Plan.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # each was a traceback (an overflow in the database or the calendar) before
        (
            _file(_task(1, duration="PT99999999999999H0M0S")),
            "Task UID 1: Duration is longer than 100 years",
        ),
        (
            _file(_task(1) + _task(2, _pred(1, lag=10**20))),
            "Task UID 2: LinkLag to UID 1 is longer than 100 years",
        ),
        (_file(_task(10**22)), "Task UID 10000000000000000000000: not in 0..2147483647"),
        (
            _file(_task(1).replace("<OutlineLevel>1<", "<OutlineLevel>99999999999<")),
            "Task UID 1: OutlineLevel 99999999999 not in 0..1000",
        ),
        (
            _file(_task(1, duration="PT175200H0M0S")),  # 20 years of working hours
            "Task UID 1: scheduled outside the plan's horizon (366 days before to 3,660 days "
            "after the start); is a duration or a lag far too long?",
        ),
    ],
)
def test_numbers_out_of_range_are_refused_and_nothing_is_written(
    content: bytes, message: str, make_project: Any, users: Any
) -> None:
    project = make_project()
    plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    with pytest.raises(ScheduleError) as err:
        services.import_msproject(actor=users["pm"], content=content, project=project)
    assert err.value.message == message
    assert Task.objects.filter(plan__project=project).count() == 5  # the old plan, intact


def test_export_then_import_gives_the_same_plan(make_project: Any, users: Any) -> None:
    project = make_project()
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    plan_services.set_baseline(actor=users["pm"], plan=plan, number=3, name="approved")
    before = plan_data(plan)
    exported = services.export_msproject(plan)
    again = services.import_msproject(actor=users["pm"], content=exported, project=project)
    after = plan_data(again)
    after.baseline_names = before.baseline_names  # MSPDI has no baseline names
    assert after == before
    assert read_mspdi(exported).tasks[2].baselines[0].number == 3


@pytest.mark.parametrize(
    "name",
    ["baselines-project2019.xml", "sample-constraints-calendars.xml", "task-links-project2019.xml"],
)
def test_sample_files_round_trip(name: str, sample: Any, users: Any, portfolio: Any) -> None:
    plan = services.import_msproject(actor=None, content=sample(name), code="RT")
    before = plan_data(plan)
    again = services.import_msproject(
        actor=None, content=services.export_msproject(plan), code="RT"
    )
    assert plan_data(again) == before


def test_sample_file_content_is_read(sample: Any) -> None:
    data = read_mspdi(sample("sample-constraints-calendars.xml"))
    assert [(c.uid, c.name, c.base_uid) for c in data.calendars] == [
        (1, "Standard", None),
        (2, "Night Shift", None),
        (3, "First Resource", 1),
        (4, "Second Resource", 2),
    ]
    assert [(r.uid, r.name, r.calendar_uid) for r in data.resources] == [
        (1, "First Resource", 3),
        (2, "Second Resource", 4),
    ]
    assert len(data.assignments) == 4
    task = next(t for t in data.tasks if t.uid == 12)
    assert [(p.pred_uid, p.type, p.lag) for p in task.predecessors] == [(11, "FS", 480)]
    baselines = read_mspdi(sample("baselines-project2019.xml"))
    assert sorted({b.number for t in baselines.tasks for b in t.baselines}) == list(range(11))


def test_writer_output_is_mspdi() -> None:
    content = write_mspdi(small_plan())
    assert content.startswith(
        b"<?xml version='1.0' encoding='utf-8'?>\n<Project xmlns=\"http://schemas.microsoft.com/project\">"
    )
    assert read_mspdi(content).tasks[2].predecessors[0].pred_uid == 2


def test_command_creates_the_project_then_replaces_its_plan(
    tmp_path: Path, users: Any, portfolio: Any, capsys: Any
) -> None:
    path = tmp_path / "plan.xml"
    path.write_bytes(write_mspdi(small_plan()))
    call_command("import", "msproject", str(path), "--project", "NEW-1")
    project = Project.objects.get(code="NEW-1")
    assert (project.name, project.portfolio.code, project.forecast_finish) == (
        "Small plan",
        "STRAT",
        dt.date(2026, 3, 11),
    )
    call_command("import", "msproject", str(path), "--project", "NEW-1")
    assert Plan.objects.count() == 1
    out = tmp_path / "out.xml"
    call_command("export", "msproject", "NEW-1", "--out", str(out))
    assert read_mspdi(out.read_bytes()).tasks[4].finish == dt.datetime(2026, 3, 11, 17)
    assert (
        "imported 5 tasks into project NEW-1 (finish 2026-03-11 17:00)" in capsys.readouterr().out
    )


def test_command_errors_are_one_line(tmp_path: Path, users: Any, portfolio: Any) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(_file(_task(1, _pred(99))))
    with pytest.raises(CommandError) as err:
        call_command("import", "msproject", str(path), "--project", "X")
    assert (
        str(err.value)
        == "bad.xml: Task UID 1: PredecessorLink to unknown UID 99; nothing was imported"
    )
    assert not Project.objects.filter(code="X").exists()
    with pytest.raises(CommandError) as err:
        call_command("export", "msproject", "NOPE", "--out", str(tmp_path / "x.xml"))
    assert str(err.value) == "no project 'NOPE'"


def _orders(root: Any, into: dict[str, list[str]]) -> None:
    """Record, per parent tag, the order in which child tags appear."""
    for el in root.iter():
        order = into.setdefault(el.tag, [])
        for child in el:
            if child.tag not in order:
                order.append(child.tag)


def test_writer_follows_the_element_order_microsoft_project_writes(sample: Any) -> None:
    """MSPDI is an ordered schema (xsd:sequence): our elements come in Microsoft's order."""
    import xml.etree.ElementTree as ET

    reference: dict[str, list[str]] = {}
    for name in [
        "sample-constraints-calendars.xml",
        "task-links-project2019.xml",
        "baselines-project2019.xml",
    ]:
        _orders(ET.fromstring(sample(name)), reference)
    data = small_plan()
    data.calendars[0].exceptions.append(
        ExceptionData(first=dt.date(2026, 3, 6), last=dt.date(2026, 3, 6), name="Holiday")
    )
    data.tasks[2].constraint, data.tasks[2].constraint_date = "SNET", dt.datetime(2026, 3, 5, 8)
    ours: dict[str, list[str]] = {}
    _orders(ET.fromstring(write_mspdi(data)), ours)
    checked = 0
    for parent, tags in ours.items():
        known = [t for t in tags if t in reference.get(parent, [])]
        expected = sorted(known, key=reference.get(parent, []).index)
        assert known == expected, parent
        checked += len(known)
    assert checked == 48  # element kinds present in both


def test_calendars_round_trip_with_exceptions_and_work_weeks(make_project: Any, users: Any) -> None:
    from pmo.scheduling.planio import WorkWeekData

    project = make_project()
    data = small_plan()
    calendar = data.calendars[0]
    calendar.exceptions = [
        ExceptionData(first=dt.date(2026, 3, 4), last=dt.date(2026, 3, 5), name="Holiday"),
        ExceptionData(
            first=dt.date(2026, 3, 7), last=dt.date(2026, 3, 7), hours=[(540, 720)], name="调休"
        ),
    ]
    calendar.work_weeks = [
        WorkWeekData(
            first=dt.date(2026, 3, 9),
            last=dt.date(2026, 3, 13),
            name="short",
            week=[[(480, 720)]] * 5 + [[], []],
        )
    ]
    plan = plan_services.replace_plan(actor=users["pm"], project=project, data=data)
    design = plan.tasks.get(uid=2)
    # Mon, Tue full days, Wed/Thu holiday, Fri full day: Design (3 days) ends Friday 17:00
    assert design.finish.replace(tzinfo=None) == dt.datetime(2026, 3, 6, 17)
    before = plan_data(plan)
    again = services.import_msproject(
        actor=users["pm"], content=services.export_msproject(plan), project=project
    )
    assert plan_data(again) == before


def test_pmo_command_line_exits_non_zero_with_one_line(
    tmp_path: Path, users: Any, portfolio: Any, capsys: Any
) -> None:
    from pmo.cli import main

    path = tmp_path / "bad.xml"
    path.write_bytes(b"not xml at all")
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "msproject", str(path), "--project", "X1"])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err == (
        "pmo import: error: bad.xml: file: not well-formed XML at line 1, column 0 (syntax error); "
        "nothing was imported\n"
    )


_NIGHT = (
    "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
    "<WeekDays>"
    + "".join(
        f"<WeekDay><DayType>{d}</DayType><DayWorking>{int(1 < d < 7)}</DayWorking>"
        + (
            "<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime>"
            "</WorkingTime><WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime>"
            "</WorkingTime></WorkingTimes>"
            if 1 < d < 7
            else ""
        )
        + "</WeekDay>"
        for d in range(1, 8)
    )
    + "</WeekDays></Calendar>"
    "<Calendar><UID>2</UID><Name>Nights</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>"
    + "".join(
        f"<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
        "<WorkingTime><FromTime>00:00:00</FromTime><ToTime>06:00:00</ToTime></WorkingTime>"
        "<WorkingTime><FromTime>22:00:00</FromTime><ToTime>00:00:00</ToTime></WorkingTime>"
        "</WorkingTimes></WeekDay>"
        for d in range(1, 8)
    )
    + "</WeekDays></Calendar></Calendars><CalendarUID>1</CalendarUID>"
)


def test_elapsed_durations_and_task_calendars_schedule_and_round_trip(
    make_project: Any, users: Any
) -> None:
    # given (Monday 2026-03-02 08:00) a 1-day task, then 3 elapsed days ("3ed", format 8),
    # then a night task on its own calendar (8 h), then an 8 h task ignoring nothing
    tasks = (
        _task(1)
        + _task(2, _pred(1), duration="PT72H0M0S", extra="<DurationFormat>8</DurationFormat>")
        + _task(3, _pred(2), extra="<CalendarUID>2</CalendarUID>")
        + _task(4, _pred(3, lag=2400))
    )
    content = _file(tasks, extra=_NIGHT)
    project = make_project()
    # when imported
    plan = services.import_msproject(actor=users["pm"], content=content, project=project)
    got = {t.uid: (from_db(t.start), from_db(t.finish)) for t in plan.tasks.all()}
    # then the elapsed task runs through the nights, Monday 17:00 to Thursday 17:00
    assert got[2] == (dt.datetime(2026, 3, 2, 17), dt.datetime(2026, 3, 5, 17))
    # the night task works 22:00-06:00
    assert got[3] == (dt.datetime(2026, 3, 5, 22), dt.datetime(2026, 3, 6, 6))
    # the 4-hour lag into a project-calendar task counts on the project calendar
    assert got[4] == (dt.datetime(2026, 3, 6, 13), dt.datetime(2026, 3, 9, 12))
    assert plan.finish is not None and from_db(plan.finish) == dt.datetime(2026, 3, 9, 12)
    # and the export writes the elapsed format and the task calendar back
    exported = read_mspdi(services.export_msproject(plan))
    by_uid = {t.uid: t for t in exported.tasks}
    assert (by_uid[2].duration, by_uid[2].duration_format) == (3 * 1440, 8)
    assert (by_uid[3].calendar_uid, by_uid[3].duration_format) == (2, None)


def _assigned(tasks: str) -> bytes:
    resources = (
        "<Resources><Resource><UID>1</UID><Name>Nora</Name><Type>1</Type>"
        "<CalendarUID>2</CalendarUID></Resource>"
        "<Resource><UID>2</UID><Name>Cement</Name><Type>0</Type>"
        "<CalendarUID>1</CalendarUID></Resource></Resources>"
    )
    assignments = "".join(
        f"<Assignment><UID>{k}</UID><TaskUID>{k}</TaskUID><ResourceUID>{r}</ResourceUID>"
        "</Assignment>"
        for k in (1, 2, 3)
        for r in (1, 2)
    )
    return _file(tasks, extra=_NIGHT + resources + f"<Assignments>{assignments}</Assignments>")


def test_resource_calendars_drive_tasks_unless_ignored(make_project: Any, users: Any) -> None:
    # given tasks worked by Nora (night calendar) and cement (a material: no working time)
    tasks = (
        _task(1)
        + _task(
            2,
            extra="<CalendarUID>1</CalendarUID><IgnoreResourceCalendar>1</IgnoreResourceCalendar>",
        )
        + _task(3, _pred(1))
    )
    plan = services.import_msproject(
        actor=users["pm"], content=_assigned(tasks), project=make_project()
    )
    got = {t.uid: (from_db(t.start), from_db(t.finish)) for t in plan.tasks.all()}
    # then Nora's tasks follow her nights, the one ignoring her calendar the Standard day
    assert got[1] == (dt.datetime(2026, 3, 2, 22), dt.datetime(2026, 3, 3, 6))
    assert got[2] == (dt.datetime(2026, 3, 2, 8), dt.datetime(2026, 3, 2, 17))
    assert got[3] == (dt.datetime(2026, 3, 3, 22), dt.datetime(2026, 3, 4, 6))
    # and a day task calendar together with Nora's nights leaves no working time at all
    clash = _assigned(_task(1, extra="<CalendarUID>1</CalendarUID>") + _task(2) + _task(3))
    with pytest.raises(
        ScheduleError, match=r"^Task UID 1: calendar Standard & Nights has no working time$"
    ):
        services.import_msproject(actor=users["pm"], content=clash, project=make_project())
