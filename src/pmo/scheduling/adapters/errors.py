"""The error of a plan that cannot be scheduled (part of :mod:`pmo.scheduling.adapters`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from pmo.core.errors import DomainError

__all__ = ["ScheduleError", "engine_message"]

# The engine explains itself in English (it knows no Django); the messages a plan file or an
# edit can cause are put into the reader's language here, the parts they name kept ("task 3",
# "link 2": the caller turns them into UIDs). Any other passes through as it is.
ENGINE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (
            r"^calendar '(?P<name>.*)' has no working time$",
            gettext_noop("calendar %(name)s has no working time"),
        ),
        (
            r"^calendar '(?P<name>.*)': no such working time within 100 years$",
            gettext_noop("calendar %(name)s has no working time for 100 years"),
        ),
        (
            r"^(?P<where>link \d+): a (?P<type>[A-Z]{2}) link cannot leave a summary task$",
            gettext_noop("%(where)s: a %(type)s link cannot start at a summary task"),
        ),
        (
            r"^(?P<where>link \d+): a (?P<type>[A-Z]{2}) link cannot enter a summary task$",
            gettext_noop("%(where)s: a %(type)s link cannot end at a summary task"),
        ),
        (
            r"^(?P<where>task \d+): the WBS parents form a loop$",
            gettext_noop("%(where)s: the outline (WBS) parents form a loop"),
        ),
        (
            r"^(?P<where>task \d+): a summary task takes only SNET or FNLT, not (?P<type>\w+)$",
            gettext_noop(
                "%(where)s: a summary task takes only the constraint SNET or FNLT, not %(type)s"
            ),
        ),
    )
)


def engine_message(exc: Exception) -> str:
    """The engine's message in the reader's language where it is one a user can cause.

    >>> from django.utils import translation
    >>> with translation.override("en"):
    ...     engine_message(ValueError("calendar 'Night' has no working time"))
    'calendar Night has no working time'
    """
    text = str(exc)
    for pattern, message in ENGINE_MESSAGES:
        if found := pattern.match(text):
            return _(message) % found.groupdict()
    return text


class ScheduleError(DomainError):
    """The plan cannot be scheduled (cycle, bad constraint, date outside the horizon).

    The message names the task or link; ``errors`` carries it under the request's fields
    (``plan`` when no single field caused it, the edited fields after an edit, ``file`` for
    an import).
    """

    status_code = 422

    def __init__(self, message: str, *, fields: tuple[str, ...] = ("plan",)) -> None:
        super().__init__(message, errors=[{"field": f, "message": message} for f in fields])

    def blaming(self, *fields: str) -> ScheduleError:
        """The same error charged to ``fields`` (those a request changed)."""
        return ScheduleError(self.message, fields=fields or ("plan",))
