"""A blank XLSX plan: the template's sheets and headers with no tasks, to fill in and import.

Written by :func:`pmo.interop.xlsx.write_xlsx` itself, so the blank workbook has exactly the
layout the importer reads (``docs/xlsx-plan-template.md``), in the reader's language.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pmo.interop.xlsx import write_xlsx
from pmo.portfolio.models import Project
from pmo.scheduling.models import Plan
from pmo.scheduling.walltime import to_db

__all__ = ["blank_plan_xlsx"]

# Never stored: an id no row has, so the writer reads no tasks, calendars or resources
UNSTORED = 0
WORKDAY_START = dt.time(8, 0)  # the standard week's first hour (Mon-Fri 08:00-12:00, 13:00-17:00)


def blank_plan_xlsx(project: Project) -> bytes:
    """A workbook for ``project``'s first plan: sheet Plan names the project and starts on its
    planned start (today when it has none) on the standard week, sheet Tasks has the headers
    and no rows. Nothing is written to the database."""
    day = project.start_date or timezone.localdate()
    start = to_db(dt.datetime.combine(day, WORKDAY_START))
    assert start is not None
    plan = Plan(pk=UNSTORED, project=project, name=project.display_name, start=start)
    return write_xlsx(plan)
