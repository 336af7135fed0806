"""The gate calendar as an iCalendar feed (RFC 5545), written by hand: all-day events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext, pgettext

from pmo.governance.calendar import CalendarEntry

__all__ = ["escape", "fold", "gate_calendar_ics"]


def escape(text: str) -> str:
    """TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n")
    ).replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (§3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def gate_calendar_ics(entries: Iterable[CalendarEntry], *, host: str, name: str) -> str:
    """A VCALENDAR with one all-day VEVENT per gate (stable UID per project gate)."""
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PMO Hub//Gate calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for entry in entries:
        project = entry.project
        summary = (
            f"{entry.gate.code} {entry.gate.display_name} · {project.code} {project.display_name}"
        )
        if entry.overdue:
            summary = "⚠ " + summary
        description = gettext("planned %(planned)s, forecast %(due)s") % {
            "planned": f"{entry.planned:%Y-%m-%d}",
            "due": f"{entry.due:%Y-%m-%d}",
        }
        if entry.review_date is not None:
            description += pgettext("list of problems", "; ") + gettext("review on %(date)s") % {
                "date": f"{entry.review_date:%Y-%m-%d}"
            }
        elif entry.review is not None:
            description += pgettext("list of problems", "; ") + gettext("review requested")
        if entry.review_ready:  # the deciders have the checklist: it is theirs to decide
            summary += " · " + gettext("ready for decision")
            description += pgettext("list of problems", "; ") + gettext("ready for decision")
        lines += [
            "BEGIN:VEVENT",
            f"UID:gate-{project.pk}-{entry.gate.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{entry.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{entry.due + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
