"""API schemas of milestones."""

import datetime as dt

from ninja import Field, Schema

from pmo.core.api import Body, Date, Version


class MilestoneIn(Body):
    name: str = Field(..., min_length=1, max_length=200)
    name_zh: str = Field("", max_length=200)
    baseline_date: Date | None = None
    forecast_date: Date | None = None
    actual_date: Date | None = None
    is_key: bool = False


class MilestonePatch(Body):
    version: Version
    name: str | None = Field(None, min_length=1, max_length=200)
    name_zh: str | None = Field(None, max_length=200)
    baseline_date: Date | None = None
    forecast_date: Date | None = None
    actual_date: Date | None = None
    is_key: bool | None = None


class MilestoneOut(Schema):
    id: int
    name: str
    name_zh: str
    baseline_date: dt.date | None
    forecast_date: dt.date | None
    actual_date: dt.date | None
    is_key: bool
    slip_days: int | None
    version: int
