"""The error of a plan that cannot be scheduled (part of :mod:`pmo.scheduling.adapters`)."""

from __future__ import annotations

from pmo.core.errors import DomainError

__all__ = ["ScheduleError"]


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
