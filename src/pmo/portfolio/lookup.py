"""Finding a project by what a person types: the searchable project pickers of the forms
(dependency register, impact analysis) and their JSON search endpoint.

A picker shows ``code · name`` (the name in the reader's language) and submits the code. When
the browser runs no script, or a person types without picking, the form receives the typed
text instead, and :func:`resolve_project` turns it into the project it names (its code, its
name in English or Chinese, or the label the picker shows). Text that names none of them but
is part of some (what the picker would have listed) gets those to choose from, each as
``name (code)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import User
from pmo.portfolio.access import visible_projects
from pmo.portfolio.models import ENDED_STATES, Project

__all__ = [
    "LABEL_SEP",
    "MATCHES_LISTED",
    "PickedProject",
    "clean_typed",
    "picked_project_code",
    "project_label",
    "resolve_project",
    "search_projects",
]

#: Between the code and the name in a picker's label ("P0004 · Payments platform").
LABEL_SEP = " · "

#: At most this many codes are listed when typed text matches several projects.
MATCHES_LISTED = 5


def project_label(project: Project) -> str:
    """What a picker shows for ``project``: its code and its name in the reader's language."""
    return f"{project.code}{LABEL_SEP}{project.display_name}"


def clean_typed(text: object) -> str:
    """What a person typed into a picker, as searched: trimmed, without NUL (PostgreSQL can
    neither store nor compare it, and nobody types it). Shared by every picker's search."""
    return str(text or "").replace("\x00", "").strip()


def search_projects(
    user: User,
    query: str,
    *,
    running: bool = False,
    scenario: int | None = None,
    limit: int = 20,
) -> tuple[list[Project], bool]:
    """The projects ``user`` may read whose code or name (English or Chinese) contains
    ``query`` (any letter case), at most ``limit``: the code typed exactly first, then codes
    that start with it, then names that start with it, then the rest, each by code;
    ``running``: leave closed and cancelled projects out; ``scenario``: only the projects
    with work in that what-if scenario (its allocations). Also says whether more match."""
    projects: QuerySet[Project] = visible_projects(user)
    if running:
        projects = projects.exclude(state__in=ENDED_STATES)
    if scenario is not None:
        # by the allocations' reverse relation: portfolio imports nothing of resources
        projects = projects.filter(
            pk__in=Project.objects.filter(allocations__scenario_id=scenario).values("pk")
        )
    rows = list(_matching(projects, query).only("code", "name", "name_zh")[: limit + 1])
    return rows[:limit], len(rows) > limit


def _matching(projects: QuerySet[Project], query: str) -> QuerySet[Project]:
    """The ``projects`` whose code or name (English or Chinese) contains ``query``, in the
    order :func:`search_projects` lists them; all of them, by code, when nothing is typed."""
    query = clean_typed(query)
    if not query:
        return projects.order_by("code")
    return (
        projects.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(name_zh__icontains=query)
        )
        .annotate(
            rank=Case(
                When(code__iexact=query, then=Value(0)),
                When(code__istartswith=query, then=Value(1)),
                When(Q(name__istartswith=query) | Q(name_zh__istartswith=query), then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "code")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PickedProject:
    """What a project picker received: the ``code`` it names, or why it names none."""

    code: str = ""
    error: str = ""


def resolve_project(user: User, text: str) -> PickedProject:
    """The visible project ``text`` names: its code (any letter case), a picker's label
    (``code · name``), or its whole name in English or Chinese when only one project has it.
    Closed and cancelled projects are found too: the service that gets the code says what
    they may no longer take."""
    text = clean_typed(text)
    if not text:
        return PickedProject()
    projects = visible_projects(user)
    candidates = [text]
    if LABEL_SEP.strip() in text:
        candidates.append(text.split(LABEL_SEP.strip(), 1)[0].strip())
    for candidate in candidates:
        code = projects.filter(code__iexact=candidate).values_list("code", flat=True).first()
        if code is not None:
            return PickedProject(code=code)
    named = projects.filter(Q(name__iexact=text) | Q(name_zh__iexact=text)).order_by("code")
    codes = list(named.values_list("code", flat=True)[:2])
    if len(codes) == 1:
        return PickedProject(code=codes[0])
    # several have that name, or it is part of some: the ones the picker would list
    matching = named if codes else _matching(projects, text)
    count = matching.count()
    if count:
        return PickedProject(error=_several(text, matching, count))
    return PickedProject(
        error=_("no project you may see has the code or name “%(text)s”.") % {"text": text}
    )


def _several(text: str, matching: QuerySet[Project], count: int) -> str:
    """Why ``text`` names no project although ``count`` of them match it: the first few
    (:data:`MATCHES_LISTED`), each as ``name (code)``, to choose from, set apart as every
    picker sets its matches apart (names may hold commas: "Payments, Asia")."""
    sep = pgettext("list of picker matches", "; ")
    listed = sep.join(
        pgettext("a match listed by a picker", "%(label)s (%(key)s)")
        % {"label": project.display_name, "key": project.code}
        for project in matching.only("code", "name", "name_zh")[:MATCHES_LISTED]
    )
    if count > MATCHES_LISTED:
        listed += sep + "…"
    return ngettext(
        "%(count)s project matches “%(text)s”: %(codes)s — pick it or type its code.",
        "%(count)s projects match “%(text)s”: %(codes)s — pick one or type its code.",
        count,
    ) % {"count": count, "text": text, "codes": listed}


def picked_project_code(user: User, value: str | None, text: str | None) -> PickedProject:
    """The project a picker field submitted: ``value`` (the hidden code the picker set) and
    ``text`` (what its box shows). Without ``text`` (a client posting the code alone) the
    value is the code, passed on as it is (the service that gets it judges it); a box left as
    the picker filled it keeps the value; anything else typed is resolved by
    :func:`resolve_project`."""
    value = clean_typed(value or "")
    if text is None:
        return PickedProject(code=value)
    text = clean_typed(text)
    if not text:
        return PickedProject()
    if value:
        project = visible_projects(user).filter(code=value).first()
        if project is not None and text in (project.code, project_label(project)):
            return PickedProject(code=project.code)
    return resolve_project(user, text)
