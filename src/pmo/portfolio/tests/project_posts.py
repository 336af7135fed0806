"""What the New project and Edit project forms post, and where their errors are, for the tests
of those pages."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from pmo.accounts.models import Person
from pmo.portfolio.models import Portfolio, Program, Project

__all__ = ["client_of", "edit_post", "field_error", "new_post"]


def client_of(user: Any) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def new_post(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A valid post of the New project form."""
    data = {
        "code": "NEW-1",
        "name": "New warehouse",
        "name_zh": "新仓库",
        "portfolio": str(Portfolio.objects.get(code="STRAT").pk),
        "program": str(Program.objects.get(code="CORE").pk),
        "org_unit": str(org["sh"].pk),
        "pmo_type": "delivery",
        "priority": "2",
        "strategic": "on",
        "manager": str(Person.objects.get(name="Zhang Wei").pk),
        "sponsor": "",
        "start_date": "2027-01-04",
        "planned_finish": "2027-06-30",
        "budget": "1200000",
        "currency": "CNY",
        "cadence": "weekly",
        "description": "",
    }
    data.update(overrides)
    return data


def edit_post(project: Project, **overrides: Any) -> dict[str, Any]:
    """What the Edit project form posts when opened on ``project`` and saved unchanged."""
    values: dict[str, Any] = {
        "code": project.code,
        "name": project.name,
        "name_zh": project.name_zh,
        "portfolio": project.portfolio_id,
        "program": project.program_id or "",
        "org_unit": project.org_unit_id,
        "pmo_type": project.pmo_type,
        "priority": project.priority,
        "manager": project.manager_id or "",
        "sponsor": project.sponsor_id or "",
        "start_date": project.start_date.isoformat() if project.start_date else "",
        "planned_finish": project.planned_finish.isoformat() if project.planned_finish else "",
        "baseline_finish": project.baseline_finish.isoformat() if project.baseline_finish else "",
        "forecast_finish": project.forecast_finish.isoformat() if project.forecast_finish else "",
        "budget": project.budget if project.budget is not None else "",
        "currency": project.currency,
        "cadence": project.cadence,
        "description": project.description,
    }
    if project.strategic:
        values["strategic"] = "on"
    data = {**values, **{f"initial-{k}": v for k, v in values.items()}}
    data["version"] = project.version
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def field_error(html: str, field: str) -> str:
    """The error list Django puts after ``field``'s input (id ``id_<field>_error``)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""
