"""Read Microsoft Project XML (MSPDI) into :class:`pmo.scheduling.planio.PlanData`.

Parsed with the standard library's ElementTree after refusing any DOCTYPE (no
entity expansion is possible without one). Elements follow the published
MSPDI schema (namespace ``http://schemas.microsoft.com/project``); see
``docs/decisions/0003-scheduling-platform.md`` for what is read and what is not.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from pmo.core.dates import date_out_of_range
from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_china import recognise_china
from pmo.interop.mspdi_recurrence import Recurrence, RecurrenceError, occurrences
from pmo.scheduling.planio import (
    AssignmentData,
    BaselineData,
    CalendarData,
    ExceptionData,
    Hours,
    LinkData,
    PlanData,
    ResourceData,
    TaskData,
    WorkWeekData,
    percent_lag,
)

__all__ = ["CONSTRAINTS", "ELAPSED_FORMATS", "LINK_TYPES", "NS", "read_mspdi"]

NS_URI = "http://schemas.microsoft.com/project"
NS = {"p": NS_URI}
LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
CONSTRAINTS = {0: "ASAP", 1: "ALAP", 2: "MSO", 3: "MFO", 4: "SNET", 5: "SNLT", 6: "FNET", 7: "FNLT"}
ELAPSED_FORMATS = {4, 6, 8, 10, 12}  # em, eh, ed, ew, emo
PERCENT_FORMATS = {19, 20}  # %, e%: a share of the predecessor's duration
ELAPSED_PERCENT = 20
# task durations in elapsed units, plain and estimated ("?") variants
ELAPSED_DURATION_FORMATS = {4, 6, 8, 10, 12, 36, 38, 40, 42, 44}
_DURATION = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)
MAX_BYTES = 50 * 1024 * 1024


def _text(el: ET.Element, path: str) -> str | None:
    found = el.find(path, NS)
    if found is None or found.text is None:
        return None
    return found.text.strip()


class _Reader:
    def __init__(self, where: str, el: ET.Element) -> None:
        self.where, self.el = where, el

    def fail(self, message: str) -> ImportFileError:
        return ImportFileError(
            _("%(where)s: %(problem)s") % {"where": self.where, "problem": message}
        )

    def text(self, tag: str) -> str | None:
        return _text(self.el, f"p:{tag}")

    def integer(self, tag: str, default: int | None = None) -> int | None:
        value = self.text(tag)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise self.fail(
                _("%(element)s %(value)s is not an integer")
                % {"element": tag, "value": repr(value)}
            ) from None

    def number(self, tag: str, default: float = 0.0) -> float:
        value = self.text(tag)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise self.fail(
                _("%(element)s %(value)s is not a number") % {"element": tag, "value": repr(value)}
            ) from None

    def flag(self, tag: str) -> bool:
        return self.text(tag) in ("1", "true")

    def datetime(self, tag: str) -> dt.datetime | None:
        value = self.text(tag)
        if not value:
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(
                _("%(element)s %(value)s is not a date and time")
                % {"element": tag, "value": repr(value)}
            ) from None
        if date_out_of_range(parsed):  # Microsoft Project's own date range
            raise self.fail(
                _("%(element)s %(value)s is out of range (1984-2149)")
                % {"element": tag, "value": value}
            )
        return parsed.replace(tzinfo=None, second=0, microsecond=0)

    def duration(self, tag: str) -> int | None:
        """Minutes of an ISO 8601 duration (``PT8H0M0S``); days count as 24 h."""
        value = self.text(tag)
        if value is None or value == "":
            return None
        m = _DURATION.fullmatch(value)
        if m is None or value in ("P", "PT"):
            raise self.fail(
                _("%(element)s %(value)s is not a duration (expected e.g. PT8H0M0S)")
                % {"element": tag, "value": repr(value)}
            )
        years, months, days, hours, minutes, seconds = m.groups()
        if years or months:
            raise self.fail(
                _("%(element)s %(value)s: years and months are not working time")
                % {"element": tag, "value": repr(value)}
            )
        return (
            int(days or 0) * 1440
            + int(hours or 0) * 60
            + int(minutes or 0)
            + int(float(seconds or 0) // 60)
        )


def _hours(r: _Reader, day: ET.Element) -> Hours:
    out: list[tuple[int, int]] = []
    for wt in day.findall("p:WorkingTimes/p:WorkingTime", NS):
        from_text, to_text = _text(wt, "p:FromTime"), _text(wt, "p:ToTime")
        if not (from_text and to_text):
            continue
        try:
            ha, ma = (int(x) for x in from_text.split(":")[:2])
            hb, mb = (int(x) for x in to_text.split(":")[:2])
        except ValueError:
            raise r.fail(
                _("WorkingTime %(start)s-%(end)s is not a time range")
                % {"start": repr(from_text), "end": repr(to_text)}
            ) from None
        end = hb * 60 + mb
        out.append((ha * 60 + ma, 1440 if end == 0 else end))
    out.sort()
    for (_a, b), (c, _d) in itertools.pairwise(out):
        if c < b:
            raise r.fail(_("WorkingTimes overlap"))
    for a, b in out:
        if not 0 <= a < b <= 1440:
            raise r.fail(
                _("WorkingTime %(time)s is not before its ToTime")
                % {"time": f"{a // 60:02d}:{a % 60:02d}"}
            )
    return out


def _before(first: dt.date, last: dt.date) -> str:
    return _("exception from %(first)s to %(last)s: ToDate is before FromDate") % {
        "first": first,
        "last": last,
    }


def _date(r: _Reader, el: ET.Element, tag: str) -> dt.date:
    value = _text(el, f"p:{tag}")
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        raise r.fail(
            _("%(element)s %(value)s is not a date") % {"element": tag, "value": repr(value)}
        ) from None


def _week(r: _Reader, container: ET.Element, exceptions: list[ExceptionData]) -> list[Hours] | None:
    week: list[Hours | None] = [None] * 7
    for wd in container.findall("p:WeekDays/p:WeekDay", NS):
        day = _Reader(r.where, wd)
        kind = day.integer("DayType", 0) or 0
        hours = _hours(r, wd) if day.flag("DayWorking") else []
        if kind == 0:  # an exception in the pre-2007 layout
            period = wd.find("p:TimePeriod", NS)
            if period is None:
                raise r.fail(_("WeekDay DayType 0 without TimePeriod"))
            first = _date(r, period, "FromDate")
            last = _date(r, period, "ToDate")
            if last < first:
                raise r.fail(_before(first, last))
            exceptions.append(ExceptionData(first=first, last=last, hours=hours))
        elif 1 <= kind <= 7:  # 1 = Sunday .. 7 = Saturday
            week[(kind + 5) % 7] = hours
        else:
            raise r.fail(_("WeekDay DayType %(type)s is not 0..7") % {"type": kind})
    if all(day is None for day in week):
        return None
    return [day if day is not None else [] for day in week]


def _exception(r: _Reader, ex: ET.Element, week_start: int) -> list[ExceptionData]:
    """The dated exceptions of one ``Exception`` element (recurrences expanded)."""
    e = _Reader(r.where, ex)
    name = e.text("Name") or ""
    period = ex.find("p:TimePeriod", NS)
    if period is None:
        raise r.fail(_("Exception without TimePeriod"))
    first = _date(r, period, "FromDate")
    last = _date(r, period, "ToDate") if _text(period, "p:ToDate") else None
    e.where = f"{r.where}: Exception {name!r}"
    kind = e.integer("Type")
    if kind is None:
        raise e.fail(_("Type is missing"))
    by_count = e.flag("EnteredByOccurrences")
    count = e.integer("Occurrences") if by_count else None
    if by_count and count is None:
        raise e.fail(_("EnteredByOccurrences without Occurrences"))
    if kind == 1 and not by_count and last is not None and last < first:
        raise r.fail(_before(first, last))
    every = e.integer("Period", 1)
    hours = _hours(r, ex) if e.flag("DayWorking") else []
    if kind == 1 and every == 1 and not by_count and last is not None:  # a dated range
        return [ExceptionData(first=first, last=last, hours=hours, name=name)]
    rule = Recurrence(
        type=kind,
        first=first,
        last=last,
        count=count,
        period=1 if every is None else every,
        days_of_week=e.integer("DaysOfWeek"),
        month=e.integer("Month"),
        month_day=e.integer("MonthDay"),
        month_item=e.integer("MonthItem"),
        month_position=e.integer("MonthPosition"),
        week_start=week_start,
    )
    try:
        days = occurrences(rule)
    except RecurrenceError as exc:
        raise e.fail(str(exc)) from None
    out: list[ExceptionData] = []
    for day in days:  # consecutive dates become one range
        if out and out[-1].last + dt.timedelta(days=1) == day:
            out[-1].last = day
        else:
            out.append(ExceptionData(first=day, last=day, hours=list(hours), name=name))
    return out


def _calendar(el: ET.Element, week_start: int = 0) -> CalendarData:
    uid = _Reader("Calendar", el).integer("UID")
    if uid is None:
        raise ImportFileError(_("Calendar: UID is missing"))
    r = _Reader(f"Calendar UID {uid}", el)
    exceptions: list[ExceptionData] = []
    week = _week(r, el, exceptions)
    dated = el.findall("p:Exceptions/p:Exception", NS)
    if dated:
        # the 2007+ layout carries names and recurrences; the pre-2007 copy is then ignored
        exceptions = [e for ex in dated for e in _exception(r, ex, week_start)]
    work_weeks = []
    for ww in el.findall("p:WorkWeeks/p:WorkWeek", NS):
        period = ww.find("p:TimePeriod", NS)
        if period is None:
            raise r.fail(_("WorkWeek without TimePeriod"))
        days = _week(r, ww, []) or [[] for _day in range(7)]
        work_weeks.append(
            WorkWeekData(
                first=_date(r, period, "FromDate"),
                last=_date(r, period, "ToDate"),
                week=days,
                name=_text(ww, "p:Name") or "",
            )
        )
    base = r.integer("BaseCalendarUID")
    if r.flag("IsBaseCalendar") or base is None or base < 0:
        base = None
    return CalendarData(
        uid=uid,
        name=r.text("Name") or f"Calendar {uid}",
        week=week,
        base_uid=base,
        exceptions=exceptions,
        work_weeks=work_weeks,
    )


def _link(r: _Reader, pl: ET.Element) -> LinkData:
    link = _Reader(r.where, pl)
    pred = link.integer("PredecessorUID")
    if pred is None:
        raise r.fail(_("PredecessorLink without PredecessorUID"))
    kind = link.integer("Type", 1)
    if kind not in LINK_TYPES:
        raise r.fail(
            _("PredecessorLink to UID %(uid)s: Type %(type)s is not 0..3")
            % {"uid": pred, "type": kind}
        )
    fmt = link.integer("LagFormat", 7) or 7
    amount = link.integer("LinkLag", 0) or 0
    if fmt in PERCENT_FORMATS:
        # LinkLag holds whole percent here, not tenths of a minute; the minutes are
        # computed once the predecessor's duration is known (read_mspdi)
        return LinkData(
            pred_uid=pred,
            type=LINK_TYPES[kind],
            elapsed=fmt == ELAPSED_PERCENT,
            lag_format=fmt,
            lag_percent=amount,
        )
    return LinkData(
        pred_uid=pred,
        type=LINK_TYPES[kind],
        lag=amount // 10,
        elapsed=fmt in ELAPSED_FORMATS,
        lag_format=fmt,
    )


def _task(el: ET.Element) -> TaskData | None:
    uid = _Reader("Task", el).integer("UID")
    if uid is None:
        raise ImportFileError(_("Task: UID is missing"))
    r = _Reader(f"Task UID {uid}", el)
    level = r.integer("OutlineLevel", 1)
    if r.flag("IsNull") or (uid == 0 and level == 0):
        return None  # blank rows and the project summary task
    constraint_code = r.integer("ConstraintType", 0)
    if constraint_code not in CONSTRAINTS:
        raise r.fail(_("ConstraintType %(type)s is not 0..7") % {"type": constraint_code})
    constraint = CONSTRAINTS[constraint_code]
    constraint_date = r.datetime("ConstraintDate")
    if constraint not in ("ASAP", "ALAP") and constraint_date is None:
        raise r.fail(_("ConstraintType %(type)s needs a ConstraintDate") % {"type": constraint})
    if constraint in ("ASAP", "ALAP"):
        constraint_date = None
    baselines = []
    for b in el.findall("p:Baseline", NS):
        br = _Reader(r.where, b)
        number = br.integer("Number", 0) or 0
        start, finish = br.datetime("Start"), br.datetime("Finish")
        duration = br.duration("Duration")
        if start is None and finish is None and duration is None:
            continue  # cost-only baseline
        baselines.append(
            BaselineData(number=number, start=start, finish=finish, duration=duration or 0)
        )
    # elapsed durations (calendar time) are scheduled on a 24-hour calendar
    duration_format = r.integer("DurationFormat")
    if duration_format not in ELAPSED_DURATION_FORMATS:
        duration_format = None  # working time (written back as days, format 7)
    actual_start, actual_finish = r.datetime("ActualStart"), r.datetime("ActualFinish")
    remaining = r.duration("RemainingDuration") if actual_start and not actual_finish else None
    duration = r.duration("Duration") or 0
    return TaskData(
        uid=uid,
        name=r.text("Name") or "",
        outline_level=max(level or 1, 1),
        wbs=r.text("WBS") or "",
        duration=duration,
        milestone=r.flag("Milestone"),
        summary=r.flag("Summary"),
        constraint=constraint,
        constraint_date=constraint_date,
        actual_start=actual_start,
        actual_finish=actual_finish,
        remaining=remaining,
        percent_complete=min(max(r.number("PercentComplete"), 0.0), 100.0),
        calendar_uid=(r.integer("CalendarUID") if (r.integer("CalendarUID") or -1) >= 0 else None),
        ignore_resource_calendar=r.flag("IgnoreResourceCalendar"),
        duration_format=duration_format,
        predecessors=[_link(r, pl) for pl in el.findall("p:PredecessorLink", NS)],
        baselines=baselines,
        start=r.datetime("Start"),
        finish=r.datetime("Finish"),
    )


def read_mspdi(content: bytes) -> PlanData:
    """Parse an MSPDI document; raise :class:`ImportFileError` naming the bad element."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("file: larger than %(mb)s MB") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        # defusedxml refuses any DTD whatever the file's encoding (a byte search for
        # "<!DOCTYPE" missed UTF-16 files): no entity expansion, no external references
        root = safe_fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError(_("file: DOCTYPE and entity declarations are refused")) from None
    except ET.ParseError as exc:
        raise ImportFileError(_("file: not well-formed XML (%(error)s)") % {"error": exc}) from None
    if root.tag != f"{{{NS_URI}}}Project":
        raise ImportFileError(
            _(
                "file: root element is <%(tag)s>, expected <Project> in namespace %(ns)s "
                "(Microsoft Project XML)"
            )
            % {"tag": root.tag, "ns": NS_URI}
        )
    r = _Reader("Project", root)
    start = r.datetime("StartDate")
    if start is None:
        raise r.fail(_("StartDate is missing"))
    week_start = r.integer("WeekStartDay", 0) or 0
    if not 0 <= week_start <= 6:
        raise r.fail(_("WeekStartDay %(day)s is not 0..6") % {"day": week_start})
    calendars = [_calendar(c, week_start) for c in root.findall("p:Calendars/p:Calendar", NS)]
    by_uid = {c.uid: c for c in calendars}
    for c in calendars:  # days a derived calendar does not set come from its base
        if c.week is not None and c.base_uid in by_uid:
            base_week = by_uid[c.base_uid].week  # type: ignore[index]
            if base_week is not None:
                c.week = [own if own else base_week[k] for k, own in enumerate(c.week)]
    for c in calendars:
        recognise_china(c, by_uid, start)
    tasks = [t for t in (_task(el) for el in root.findall("p:Tasks/p:Task", NS)) if t is not None]
    known_tasks = {t.uid for t in tasks}
    # the project summary task (UID 0) is not kept: links to it are dropped with it
    for t in tasks:
        t.predecessors = [p for p in t.predecessors if p.pred_uid != 0 or 0 in known_tasks]
        for p in t.predecessors:
            if p.pred_uid not in known_tasks:
                raise ImportFileError(
                    _("Task UID %(uid)s: PredecessorLink to unknown UID %(pred)s")
                    % {"uid": t.uid, "pred": p.pred_uid}
                )
    minutes_per_day = r.integer("MinutesPerDay", 480) or 480
    durations = {t.uid: t.duration for t in tasks}
    for t in tasks:
        for p in t.predecessors:
            if p.lag_percent is not None:
                p.lag = percent_lag(
                    p.lag_percent,
                    durations[p.pred_uid],
                    elapsed=p.elapsed,
                    minutes_per_day=minutes_per_day,
                )
    resources = []
    for el in root.findall("p:Resources/p:Resource", NS):
        rr = _Reader("Resource", el)
        uid = rr.integer("UID")
        if uid is None:
            raise ImportFileError(_("Resource: UID is missing"))
        if uid == 0 or rr.flag("IsNull"):
            continue  # the "unassigned" placeholder
        cal = _Reader(f"Resource UID {uid}", el).integer("CalendarUID")
        if rr.integer("Type", 1) != 1:
            cal = None  # material and cost resources have no working time
        resources.append(
            ResourceData(
                uid=uid,
                name=rr.text("Name") or f"Resource {uid}",
                calendar_uid=cal if cal is not None and cal in by_uid else None,
            )
        )
    known_resources = {res.uid for res in resources}
    assignments = []
    for el in root.findall("p:Assignments/p:Assignment", NS):
        ar = _Reader("Assignment", el)
        ar.where = f"Assignment UID {ar.integer('UID')}"
        task_uid, res_uid = ar.integer("TaskUID"), ar.integer("ResourceUID")
        if task_uid is None or res_uid is None:
            raise ar.fail(_("TaskUID and ResourceUID are required"))
        if res_uid not in known_resources and (res_uid < 0 or res_uid == 0):
            continue  # unassigned
        if task_uid not in known_tasks:
            if task_uid == 0:
                continue
            raise ar.fail(_("TaskUID %(uid)s is unknown") % {"uid": task_uid})
        if res_uid not in known_resources:
            raise ar.fail(_("ResourceUID %(uid)s is unknown") % {"uid": res_uid})
        assignments.append(
            AssignmentData(
                task_uid=task_uid,
                resource_uid=res_uid,
                units=ar.number("Units", 1.0),
                work=ar.duration("Work") or 0,
            )
        )
    status = r.datetime("StatusDate")
    if status is None and any(t.actual_start and not t.actual_finish for t in tasks):
        # Microsoft Project measures progress at the current date when no status date is set
        status = r.datetime("CurrentDate")
    cal_uid = r.integer("CalendarUID")
    return PlanData(
        name=r.text("Title") or r.text("Name") or "",
        start=start,
        status_date=status,
        calendar_uid=cal_uid if cal_uid in by_uid else None,
        minutes_per_day=minutes_per_day,
        calendars=calendars,
        tasks=tasks,
        resources=resources,
        assignments=assignments,
    )
