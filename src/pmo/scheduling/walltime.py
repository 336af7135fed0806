"""Wall-clock datetimes of plans, stored as if UTC (see ``pmo.scheduling.models``)."""

from __future__ import annotations

import datetime as dt

__all__ = ["from_db", "to_db"]


def to_db(value: dt.datetime | None) -> dt.datetime | None:
    """A naive wall-clock datetime as the aware value to store (minute resolution)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0, tzinfo=dt.UTC)


def from_db(value: dt.datetime | None) -> dt.datetime | None:
    """The naive wall-clock datetime of a stored value."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value
