"""The project choices of a scenario's page: the Move project box, the Change allocations
form and the pins of Level the portfolio.

A big portfolio's scenario has thousands of projects: they are chosen with the searchable
project picker (``pmo/picker.html``, ADR 0005 "Pickers"), not listed in selects. The pins
list every running project when there are few (:data:`PINS_LISTED`); with more, the pinned
ones and a picker to pin another. Without script a picker sends what was typed
(``NAME_text``), which :func:`pmo.portfolio.lookup.picked_project_code` resolves.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pmo.accounts.models import User, user_of
from pmo.core.i18n import is_chinese
from pmo.portfolio.access import visible_projects
from pmo.portfolio.lookup import PickedProject, picked_project_code, project_label
from pmo.portfolio.models import ENDED_STATES, Project
from pmo.resources import selectors
from pmo.resources.views.common import _html_rows

__all__ = [
    "PINS_LISTED",
    "chosen_project",
    "field_message",
    "in_scenario",
    "move_box",
    "not_in_scenario",
    "picked",
    "pins",
    "staffing_picker",
]

#: Up to this many running projects, the pins list them all as boxes to tick.
PINS_LISTED = 100


def lookup_url(*, running: bool, scenario: int | None = None) -> str:
    """The project pickers' search; ``running``: closed and cancelled projects left out;
    ``scenario``: only the projects with work in that scenario (Move project, the pins)."""
    url = reverse("api:lookup_projects")
    query = "&".join(
        part
        for part in ("running=true" if running else "", f"scenario={scenario}" if scenario else "")
        if part
    )
    return f"{url}?{query}" if query else url


def in_scenario(scenario: Any, code: str) -> bool:
    """Whether the project ``code`` has work in ``scenario`` (what its pickers offer)."""
    return selectors.list_allocations(scenario_id=scenario.pk).filter(project__code=code).exists()


def not_in_scenario(code: str) -> str:
    """A picker's message for a project with no work in the scenario."""
    return _("%(code)s has no work in this scenario: choose one of its projects.") % {"code": code}


def field_message(message: str) -> str:
    """A picker's message as the page shows it beside the field: a sentence, so it starts
    with a capital (the lookup's messages start lower case to follow a field's label)."""
    return capfirst(message) or ""


def chosen_project(user: User, code: str) -> Project | None:
    """The project ``code`` names if ``user`` may see it (one query; none for no code)."""
    if not code:
        return None
    return visible_projects(user).filter(code=code).only("code", "name", "name_zh", "state").first()


def picked(request: HttpRequest, name: str) -> PickedProject:
    """What the picker ``name`` of a posted (or GET) form names: the code picked, or the
    project the typed text names, or why it names none."""
    data = request.POST if request.method == "POST" else request.GET
    return picked_project_code(user_of(request), data.get(name), data.get(f"{name}_text"))


def move_box(
    scenario: Any,
    project: Project | None,
    shifts: list[Any] | None = None,
    *,
    error: str = "",
    typed: str = "",
    typed_days: str | None = None,
) -> dict[str, Any]:
    """The Move project box for ``project`` (a running one; else none chosen): its picker
    and its move in all, which the days box shows (empty when no project is chosen);
    ``typed_days``: what a refused post's days box held, shown again instead."""
    if project is not None and project.state in ENDED_STATES:
        project = None  # it takes no more work: neither moved nor levelled
    moving = project.code if project is not None else ""
    days: int | str = ""
    if moving:
        if shifts is None:
            found = scenario.shifts.filter(project__code=moving).values_list("days", flat=True)
            days = found.first() or 0
        else:
            days = next((s.days for s in shifts if s.project.code == moving), 0)
    if typed_days is not None:
        days = typed_days
    return {
        "moving": moving,
        "move_days": days,
        "move_picker": {
            "url": lookup_url(running=True, scenario=scenario.pk),
            "value": moving,
            "text": typed or (project_label(project) if project is not None else ""),
            "error": error,
        },
    }


def staffing_picker(project: Project | None, *, error: str = "", typed: str = "") -> dict[str, Any]:
    """The Change allocations form's picker, ``project`` chosen in it."""
    return {
        "url": lookup_url(running=False),
        "value": project.code if project is not None else "",
        "text": typed or (project_label(project) if project is not None else ""),
        "error": error,
    }


def pins(
    scenario: Any,
    shifts: list[Any],
    *,
    error: str = "",
    typed: str = "",
    posted: list[str] | None = None,
) -> dict[str, Any]:
    """The pin boxes of Level the portfolio: every running project of the scenario when
    there are at most :data:`PINS_LISTED`, else the pinned ones and a picker to pin another
    (a scenario of 5,000 projects wrote them all: a megabyte of page); ``posted``: the pins
    a refused post ticked, ticked again instead of the saved ones."""
    rows = list(
        selectors.list_allocations(scenario_id=scenario.pk)
        .exclude(project__state__in=ENDED_STATES)
        .values_list("project__code", "project__name", "project__name_zh")
        .distinct()
        .order_by("project__code")[: PINS_LISTED + 1]
    )
    every = len(rows) <= PINS_LISTED
    pinned = {s.project.code for s in shifts if s.pinned} if posted is None else set(posted)
    if not every:
        rows = list(
            selectors.list_allocations(scenario_id=scenario.pk)
            .filter(project__code__in=pinned | {s.project.code for s in shifts if s.pinned})
            .exclude(project__state__in=ENDED_STATES)
            .values_list("project__code", "project__name", "project__name_zh")
            .distinct()
            .order_by("project__code")
        )
    zh = is_chinese()  # once, not per project

    def named(name: str, name_zh: str) -> str:
        return (zh and name_zh) or name

    boxes = _html_rows(
        '<label title="{} · {}"><input type="checkbox" name="pin" value="{}"{}>'
        "<span><b>{}</b> · {}</span></label>",
        (
            (
                code,
                named(name, name_zh),
                code,
                " checked" if code in pinned else "",
                code,
                named(name, name_zh),
            )
            for code, name, name_zh in rows
        ),
    )
    return {
        "pin_boxes": boxes,
        "pins_every": every,
        "pin_picker": {
            "url": lookup_url(running=True, scenario=scenario.pk),
            "text": typed,
            "error": error,
        },
    }
