"""The one exception hierarchy of the engine."""

from __future__ import annotations

__all__ = [
    "CycleError",
    "EngineError",
    "InfeasibleError",
    "InvalidInputError",
    "InvalidScheduleError",
]


class EngineError(Exception):
    """Base class of every error raised by :mod:`pmo.engine`."""


class InvalidInputError(EngineError, ValueError):
    """The problem given to an engine function is malformed (names the field)."""


class CycleError(EngineError):
    """The precedence network contains a cycle; ``cycle`` lists the tasks in it."""

    def __init__(self, message: str, cycle: list[int] | list[str]) -> None:
        super().__init__(message)
        self.cycle = cycle


class InfeasibleError(EngineError):
    """No schedule satisfies the constraints (e.g. a task needs more than capacity)."""


class InvalidScheduleError(EngineError):
    """A schedule breaks a constraint of its problem; ``violations`` lists them."""

    def __init__(self, message: str, violations: list[str]) -> None:
        super().__init__(message)
        self.violations = violations
