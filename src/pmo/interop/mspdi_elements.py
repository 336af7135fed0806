"""The MSPDI namespace and a reader of one element's typed children.

:class:`Reader` reads the children of one element (``<UID>``, ``<Start>``,
``<Duration>`` ...) as integers, numbers, flags, dates and ISO 8601 durations,
and words every error with where it is (``Task UID 7: ...``).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from django.utils.translation import gettext as _

from pmo.core.dates import date_out_of_range
from pmo.core.sentences import quoted
from pmo.interop.errors import ImportFileError

__all__ = ["NS", "NS_URI", "Reader", "child_text"]

NS_URI = "http://schemas.microsoft.com/project"
NS = {"p": NS_URI}

_DURATION = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)


def child_text(el: ET.Element, path: str) -> str | None:
    """The stripped text of the first child at ``path`` (``p:`` prefixed), or None."""
    found = el.find(path, NS)
    if found is None or found.text is None:
        return None
    return found.text.strip()


class Reader:
    """Typed children of one element; errors start with ``where``."""

    def __init__(self, where: str, el: ET.Element) -> None:
        self.where, self.el = where, el

    def fail(self, message: str) -> ImportFileError:
        return ImportFileError(
            _("%(where)s: %(problem)s") % {"where": self.where, "problem": message}
        )

    def text(self, tag: str) -> str | None:
        return child_text(self.el, f"p:{tag}")

    def integer(self, tag: str, default: int | None = None) -> int | None:
        value = self.text(tag)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise self.fail(
                _("%(element)s %(value)s is not an integer")
                % {"element": tag, "value": quoted(value)}
            ) from None

    def number(self, tag: str, default: float = 0.0) -> float:
        value = self.text(tag)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise self.fail(
                _("%(element)s %(value)s is not a number")
                % {"element": tag, "value": quoted(value)}
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
                % {"element": tag, "value": quoted(value)}
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
                % {"element": tag, "value": quoted(value)}
            )
        years, months, days, hours, minutes, seconds = m.groups()
        if years or months:
            raise self.fail(
                _("%(element)s %(value)s: years and months are not working time")
                % {"element": tag, "value": quoted(value)}
            )
        return (
            int(days or 0) * 1440
            + int(hours or 0) * 60
            + int(minutes or 0)
            + int(float(seconds or 0) // 60)
        )
