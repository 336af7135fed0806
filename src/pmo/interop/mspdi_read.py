"""Read Microsoft Project XML (MSPDI) into :class:`pmo.scheduling.planio.PlanData`.

Parsed with the standard library's ElementTree after refusing any DOCTYPE (no
entity expansion is possible without one). Elements follow the published
MSPDI schema (namespace ``http://schemas.microsoft.com/project``); see
``docs/decisions/0003-scheduling-platform.md`` for what is read and what is not.
The element reader is :mod:`pmo.interop.mspdi_elements`, calendars are read by
:mod:`pmo.interop.mspdi_read_calendars`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_china import recognise_china
from pmo.interop.mspdi_elements import NS, NS_URI, Reader
from pmo.interop.mspdi_read_calendars import read_calendar
from pmo.interop.xml_errors import encoding_unreadable, not_well_formed, not_xml_at_all
from pmo.scheduling.planio import (
    AssignmentData,
    BaselineData,
    LinkData,
    PlanData,
    ResourceData,
    TaskData,
    percent_lag,
)

__all__ = ["CONSTRAINTS", "ELAPSED_FORMATS", "LINK_TYPES", "NS", "read_mspdi"]

LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
CONSTRAINTS = {0: "ASAP", 1: "ALAP", 2: "MSO", 3: "MFO", 4: "SNET", 5: "SNLT", 6: "FNET", 7: "FNLT"}
ELAPSED_FORMATS = {4, 6, 8, 10, 12}  # em, eh, ed, ew, emo
PERCENT_FORMATS = {19, 20}  # %, e%: a share of the predecessor's duration
ELAPSED_PERCENT = 20
# task durations in elapsed units, plain and estimated ("?") variants
ELAPSED_DURATION_FORMATS = {4, 6, 8, 10, 12, 36, 38, 40, 42, 44}
MAX_BYTES = 50 * 1024 * 1024


def _link(r: Reader, pl: ET.Element) -> LinkData:
    link = Reader(r.where, pl)
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
    uid = Reader("Task", el).integer("UID")
    if uid is None:
        raise ImportFileError(_("Task: UID is missing"))
    r = Reader(f"Task UID {uid}", el)
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
        br = Reader(r.where, b)
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
    if problem := not_xml_at_all(content):
        raise ImportFileError(problem)
    try:
        # defusedxml refuses any DTD whatever the file's encoding (a byte search for
        # "<!DOCTYPE" missed UTF-16 files): no entity expansion, no external references
        root = safe_fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFileError(_("file: DOCTYPE and entity declarations are refused")) from None
    except ET.ParseError as exc:
        raise ImportFileError(not_well_formed(exc)) from None
    except (LookupError, ValueError):  # the XML declaration names an encoding expat cannot read
        raise ImportFileError(encoding_unreadable(content)) from None
    if root.tag != f"{{{NS_URI}}}Project":
        raise ImportFileError(
            _(
                "file: root element is <%(tag)s>, expected <Project> in namespace %(ns)s "
                "(Microsoft Project XML)"
            )
            % {"tag": root.tag, "ns": NS_URI}
        )
    r = Reader("Project", root)
    start = r.datetime("StartDate")
    if start is None:
        raise r.fail(_("StartDate is missing"))
    week_start = r.integer("WeekStartDay", 0) or 0
    if not 0 <= week_start <= 6:
        raise r.fail(_("WeekStartDay %(day)s is not 0..6") % {"day": week_start})
    calendars = [read_calendar(c, week_start) for c in root.findall("p:Calendars/p:Calendar", NS)]
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
        rr = Reader("Resource", el)
        uid = rr.integer("UID")
        if uid is None:
            raise ImportFileError(_("Resource: UID is missing"))
        if uid == 0 or rr.flag("IsNull"):
            continue  # the "unassigned" placeholder
        cal = Reader(f"Resource UID {uid}", el).integer("CalendarUID")
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
        ar = Reader("Assignment", el)
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
