"""Steering-meeting reads: meetings as lists show them, and agendas ready to read in a fixed
number of queries (part of the selectors; :mod:`pmo.governance.selectors` re-exports the
public names)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone

from pmo.governance.meetings import AgendaSection
from pmo.governance.models import (
    AgendaItem,
    GateReview,
    MeetingOutcome,
    Outcome,
    ReviewState,
    SteeringMeeting,
)
from pmo.governance.reviews import AgendaKind, GateDecision, ref_codes, ref_urls, render_refs

__all__ = [
    "AgendaPage",
    "MeetingSummary",
    "agenda_page",
    "list_agenda",
    "meeting_state",
    "meeting_summaries",
]


@dataclass(frozen=True)
class MeetingSummary:
    """A steering meeting as lists show it: the size of its agenda, not its lines."""

    id: int
    title: str
    date: dt.date
    state: str
    window_days: int
    location: str
    has_minutes: bool
    version: int
    agenda_lines: int
    agenda_by_kind: dict[str, int]
    outcomes: int


def meeting_state(meeting: SteeringMeeting, today: dt.date | None = None) -> str:
    """``held`` for a meeting before ``today`` (today's date by default), else ``planned``."""
    return "held" if meeting.date < (today or timezone.localdate()) else "planned"


def meeting_summaries(
    meetings: Iterable[SteeringMeeting], today: dt.date | None = None
) -> list[MeetingSummary]:
    """``meetings`` with their agenda lines counted per kind and their outcomes counted, in
    two queries whatever the number of meetings and lines; a meeting before ``today``
    (today's date by default) is ``held``, one on or after it ``planned``."""
    today = today or timezone.localdate()
    meetings = list(meetings)
    ids = [m.pk for m in meetings]
    by_kind: dict[int, dict[str, int]] = {pk: dict.fromkeys(AgendaKind.values, 0) for pk in ids}
    for row in (
        AgendaItem.objects.filter(meeting_id__in=ids)
        .values("meeting_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_kind[row["meeting_id"]][row["kind"]] = row["n"]
    outcomes = dict(
        MeetingOutcome.objects.filter(meeting_id__in=ids)
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("meeting_id", "n")
    )
    return [
        MeetingSummary(
            id=m.pk,
            title=m.title,
            date=m.date,
            state=meeting_state(m, today),
            window_days=m.window_days,
            location=m.location,
            has_minutes=bool(m.minutes.strip()),
            version=m.version,
            agenda_lines=sum(by_kind[m.pk].values()),
            agenda_by_kind=by_kind[m.pk],
            outcomes=outcomes.get(m.pk, 0),
        )
        for m in meetings
    ]


@dataclass(frozen=True)
class AgendaPage:
    """The agenda lines shown on the meeting page, and how many of each topic are not."""

    items: list[AgendaItem]
    hidden: dict[str, int]
    total: int
    ended: int = 0
    """Lines about projects cancelled or closed after the agenda was drawn up (shown or not)."""
    sections: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Per section with lines: its number of lines and the numbers of its first and last
    line (shown or not), in the sections' order."""


def agenda_page(meeting: SteeringMeeting, per_topic: int | None) -> AgendaPage:
    """At most ``per_topic`` lines of each topic (all with ``None``), numbered by their place
    in the whole agenda (``item.number``), read as :func:`list_agenda` reads them.

    A big portfolio's generated agenda can run to thousands of lines (the 5,000-project demo:
    4,284); a committee reads the first of each topic, and the page offers the rest.
    """
    lines = meeting.agenda.select_related("project", "gate", "decision")
    # the agenda's order, no rows built
    keys = list(meeting.agenda.values_list("pk", "kind", "project_ended_on", "section"))
    numbers: dict[int, int] = {}
    seen: Counter[str] = Counter()
    ended = 0
    bounds: dict[str, list[int]] = {}
    for number, (pk, kind, ended_on, section) in enumerate(keys, start=1):
        seen[kind] += 1
        ended += ended_on is not None
        if per_topic is None or seen[kind] <= per_topic:
            numbers[pk] = number
        first_last = bounds.setdefault(section, [0, number, number])
        first_last[0] += 1
        first_last[2] = number
    if per_topic is not None:
        lines = lines.filter(pk__in=list(numbers))
    shown = list(lines)
    for item in shown:
        item.number = numbers[item.pk]  # type: ignore[attr-defined]
    hidden = {kind: n - per_topic for kind, n in seen.items() if per_topic and n > per_topic}
    sections = {s: (b[0], b[1], b[2]) for s in AgendaSection.values if (b := bounds.get(s))}
    return AgendaPage(_readable(shown), hidden, len(keys), ended, sections)


def list_agenda(meeting: SteeringMeeting) -> list[AgendaItem]:
    """A meeting's agenda lines, ready to read, in a fixed number of queries.

    Each gate line says whether its gate was decided since the agenda was drawn up (the
    decision of the latest review of that gate), and each line of a higher app carries its
    text in the active language: both are looked up for all lines at once, not per line.
    """
    return _readable(list(meeting.agenda.select_related("project", "gate", "decision")))


def _readable(items: list[AgendaItem]) -> list[AgendaItem]:
    gate_lines = [
        i for i in items if i.kind == AgendaKind.GATE and i.gate_id and i.project_id is not None
    ]
    latest: dict[tuple[int, int], GateReview] = {}
    recycles: dict[int, list[tuple[int, int]]] = {}
    if gate_lines:
        reviews = (
            GateReview.objects.filter(
                lifecycle__project_id__in={i.project_id for i in gate_lines},
                gate_id__in={i.gate_id for i in gate_lines},
            )
            .select_related("decision")
            .annotate(at_project=F("lifecycle__project_id"))
            .order_by("id")
        )
        for row in reviews:  # a no-go and a new review since: the new one counts
            latest[(row.at_project, row.gate_id)] = row
        recycles = _recycles({i.project_id for i in gate_lines if i.project_id is not None})
    for item in items:  # the review a gate line leads to: the decided one's, or the open one
        item.review_id = item.decision.review_id if item.decision is not None else None
        item.review_ready = False
    for item in gate_lines:
        review = latest.get((item.project_id, item.gate_id))  # type: ignore[arg-type]
        decided = _decision_of(review)
        if decided is not None and _undone(decided, item.gate, recycles.get(item.project_id, [])):  # type: ignore[arg-type]
            decided = None
        item.decided_since = decided
        if decided is not None or (review is not None and review.state == ReviewState.REQUESTED):
            item.review_id = review.pk  # type: ignore[union-attr]
        item.review_ready = decided is None and review is not None and review.ready_for_decision
    refs = [i.ref for i in items if i.ref]
    texts, codes, urls = render_refs(refs), ref_codes(refs), ref_urls(refs)
    for item in items:
        item.ref_url = None
        if item.ref:
            item.ref_text = texts.get(item.ref)
            item.ref_code = codes.get(item.ref)
            item.ref_url = urls.get(item.ref) if item.ref_text else None
        item.url = _line_url(item)
    return items


def _line_url(item: AgendaItem) -> str | None:
    """The page a line leads to, as a path: a gate line's review (requested, or decided
    since) else the project's lifecycle, a decision line's review, a "decision asked"
    line's status report, a higher app's line the page its app registers; else ``None``."""
    project = item.project
    if project is not None and item.review_id:
        return reverse("governance:review_detail", args=[project.code, item.review_id])
    if project is not None and item.gate_id:
        return reverse("governance:lifecycle_detail", args=[project.code])
    if project is not None and item.report_id:
        return reverse("portfolio:statusreport_detail", args=[project.code, item.report_id])
    return item.ref_url


def _recycles(project_ids: set[int]) -> dict[int, list[tuple[int, int]]]:
    """Per project, its recycle decisions as (decision id, order of the phase gone back to)."""
    found: dict[int, list[tuple[int, int]]] = {}
    for project_id, pk, order in GateDecision.objects.filter(
        outcome=Outcome.RECYCLE,
        review__lifecycle__project_id__in=project_ids,
        recycle_to__isnull=False,
    ).values_list("review__lifecycle__project_id", "pk", "recycle_to__order"):
        found.setdefault(project_id, []).append((pk, order))
    return found


def _undone(decision: GateDecision, gate: Any, recycles: list[tuple[int, int]]) -> bool:
    """Whether a later recycle sent the project back before ``gate``: the gate must be
    passed again, so its earlier decision is no news for the agenda."""
    return any(pk > decision.pk and order < gate.order for pk, order in recycles)


def _decision_of(review: GateReview | None) -> GateDecision | None:
    if review is None:
        return None
    try:
        return review.decision
    except GateDecision.DoesNotExist:
        return None
