"""Steering committee meetings, their generated agendas and recorded outcomes (models of the
governance app; :mod:`pmo.governance.reviews` and :mod:`pmo.governance.models` import them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from pmo.core.models import TimeStampedModel, VersionedModel
from pmo.governance.reviews import GateDecision, GateReview, Outcome

__all__ = [
    "AGENDA_CODES",
    "AGENDA_LABELS",
    "AGENDA_URLS",
    "DUE_BY_MEETING",
    "DUE_OVERDUE",
    "REPORT_REF",
    "SECTION_OF_KIND",
    "AgendaItem",
    "AgendaKind",
    "AgendaSection",
    "EndedAs",
    "MeetingOutcome",
    "OutcomeKind",
    "SteeringMeeting",
    "ref_codes",
    "ref_urls",
    "render_refs",
]


class SteeringMeeting(VersionedModel):
    """A steering committee meeting: agenda generated from the portfolio, minutes, outcomes."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    window_days = models.PositiveSmallIntegerField(_("agenda window (days)"), default=14)
    location = models.CharField(_("location"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("steering meeting")
        verbose_name_plural = _("steering meetings")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class AgendaKind(models.TextChoices):
    GATE = "gate", _("Gate due")
    RED = "red", _("Red for 2+ periods")
    ESCALATED = "escalated", _("Escalated issue")
    CONDITION = "condition", _("Gate condition overdue")
    DECIDED = "decided", _("Gate decided (for information)")
    CHANGE_REQUEST = "change_request", _("Change request")
    REPORT_DECISION = "report_decision", _("Decision asked in a status report")
    OTHER = "other", _("Other")


class AgendaSection(models.TextChoices):
    """The parts an agenda reads in, in this order (ADR 0002, "Editing an agenda")."""

    DECIDE = "decide", _("To decide")
    WATCH = "watch", _("To watch")
    INFO = "info", _("For information")


SECTION_OF_KIND: dict[str, str] = {
    AgendaKind.GATE: AgendaSection.DECIDE,
    AgendaKind.REPORT_DECISION: AgendaSection.DECIDE,
    AgendaKind.ESCALATED: AgendaSection.DECIDE,
    AgendaKind.CHANGE_REQUEST: AgendaSection.DECIDE,
    AgendaKind.OTHER: AgendaSection.DECIDE,
    AgendaKind.RED: AgendaSection.WATCH,
    AgendaKind.CONDITION: AgendaSection.WATCH,
    AgendaKind.DECIDED: AgendaSection.INFO,
}
"""The section of a generated line by its kind; a line added by hand is in the section the
PMO chose."""

REPORT_REF = "status_report"
"""The ``ref`` prefix of a line asking for the decision of a status report
(``status_report:<report id>``)."""


class EndedAs(models.TextChoices):
    """How the project of an agenda line ended after the agenda was drawn up."""

    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


#: ``{prefix: render}``: higher apps (``ready()``) turn the ``ref`` keys of agenda lines into
#: their text in the active language, all at once (``render(["12", "15"]) -> {"12": ...}``);
#: a key whose thing is gone is left out.
AGENDA_LABELS: dict[str, Callable[[list[str]], dict[str, str]]] = {}


#: ``{prefix: codes}``: higher apps may also give the short code of what a reference points
#: at (``codes(["12"]) -> {"12": "CR-00012"}``), which the API returns as the line's ``code``.
AGENDA_CODES: dict[str, Callable[[list[str]], dict[str, str]]] = {}


#: ``{prefix: urls}``: higher apps may also give the page of what a reference points at
#: (``urls(["12"]) -> {"12": "/change-requests/12/"}``, no query: only lines whose text
#: :data:`AGENDA_LABELS` found are linked), which the agenda page links the line to.
AGENDA_URLS: dict[str, Callable[[list[str]], dict[str, str]]] = {}


def _by_prefix(
    refs: list[str], registry: dict[str, Callable[[list[str]], dict[str, str]]]
) -> dict[str, str]:
    keys: dict[str, list[str]] = {}
    for ref in refs:
        prefix, _sep, key = ref.partition(":")
        keys.setdefault(prefix, []).append(key)
    found: dict[str, str] = {}
    for prefix, wanted in keys.items():
        lookup = registry.get(prefix)
        if lookup is not None:
            found.update({f"{prefix}:{k}": text for k, text in lookup(wanted).items()})
    return found


def ref_codes(refs: list[str]) -> dict[str, str]:
    """The codes of agenda references (``change_request:12`` -> ``CR-00012``) whose app gives
    them (:data:`AGENDA_CODES`), one call per app; the others are left out."""
    return _by_prefix(refs, AGENDA_CODES)


def ref_urls(refs: list[str]) -> dict[str, str]:
    """The pages of agenda references (``change_request:12`` -> its page) whose app gives
    them (:data:`AGENDA_URLS`); the others are left out."""
    return _by_prefix(refs, AGENDA_URLS)


def render_refs(refs: list[str]) -> dict[str, str]:
    """The text of agenda references (``change_request:12``) in the active language, one
    call of each app's renderer whatever the number of lines; unknown ones are left out."""
    return _by_prefix(refs, AGENDA_LABELS)


DUE_OVERDUE = "overdue"
"""A gate line's gate is overdue today (or was on the day of the held meeting)."""
DUE_BY_MEETING = "by_meeting"
"""A gate line's gate is due before the meeting but is not overdue today."""


class AgendaItem(models.Model):
    """A line of a meeting's agenda, pointing at the project (and gate) it is about.

    Gate lines keep references, not text, so that :attr:`label` reads in the viewer's
    language; ``title`` holds user-written text (an issue's or a condition's).
    """

    meeting = models.ForeignKey(SteeringMeeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaKind.choices)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    project_ended_on = models.DateField(_("project ended on"), null=True, blank=True)
    """Set on the lines of a meeting not held yet that no longer belong on an agenda
    (``governance.ended.kept_on_agenda``) when their project is cancelled or closed by hand
    after the agenda was drawn up: the line stays (the committee may have the agenda in hand)
    and says so; regenerating the agenda leaves it out."""
    project_ended_as = models.CharField(
        _("project ended as"), max_length=10, choices=EndedAs.choices, blank=True
    )
    gate = models.ForeignKey(
        "governance.GateDefinition",
        verbose_name=_("gate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.ForeignKey(
        GateDecision,
        verbose_name=_("gate decision"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overdue = models.BooleanField(_("overdue"), default=False)
    review_requested = models.BooleanField(_("review requested"), default=False)
    title = models.CharField(_("title"), max_length=300, blank=True)
    ref = models.CharField(_("reference"), max_length=60, blank=True)
    """What a line of a higher app is about (``change_request:12``); :data:`AGENDA_LABELS`
    turns it into text in the reader's language, ``title`` is the text when it cannot."""
    due = models.DateField(_("due"), null=True, blank=True)
    section = models.CharField(
        _("section"),
        max_length=10,
        choices=AgendaSection.choices,
        default=AgendaSection.DECIDE,
    )
    """Where the line reads (to decide, to watch, for information): the lines of a section
    follow each other in ``order``, the sections in :class:`AgendaSection`'s order."""
    by_hand = models.BooleanField(_("added by hand"), default=False)
    """Added by the PMO, not drawn from the portfolio: regenerating the agenda keeps it."""

    # What :func:`pmo.governance.selectors.list_agenda` looked up for a whole agenda at once
    # (a page of lines costs no query per line); a line read on its own looks them up itself.
    decided_since: GateDecision | None
    ref_url: str | None
    """The page of what a line of a higher app is about (:data:`AGENDA_URLS`), when its
    thing is still there."""
    ref_text: str | None
    ref_code: str | None
    url: str | None
    """The page the line leads to, a path (``steering_selectors._line_url``)."""
    review_id: int | None
    """The gate review a gate line leads to (requested, or decided since), else ``None``."""
    review_ready: bool
    """A gate line's open review is submitted for decision (ready for the committee)."""

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the line says, in the active language."""
        text = self._label()
        if self.project_ended_on is not None and not self._decided():
            ended = (
                gettext("project closed on %(date)s")
                if self.project_ended_as == EndedAs.CLOSED
                else gettext("project cancelled on %(date)s")
            )
            text += " · " + ended % {"date": f"{self.project_ended_on:%Y-%m-%d}"}
        return text

    @property
    def report_id(self) -> int | None:
        """The status report a "decision asked" line is about."""
        prefix, _sep, key = self.ref.partition(":")
        return int(key) if prefix == REPORT_REF and key.isdigit() else None

    @property
    def project_cancelled_on(self) -> dt.date | None:
        """The day the line's project was cancelled after the agenda was drawn up (the API's
        older name for :attr:`project_ended_on`, kept for cancelled projects only)."""
        return self.project_ended_on if self.project_ended_as == EndedAs.CANCELLED else None

    def _decided(self) -> bool:
        """A gate line whose decision came after the agenda (a Stop says it all)."""
        if self.kind != AgendaKind.GATE or self.gate is None:
            return False
        decided = self.decided_since if hasattr(self, "decided_since") else self._decided_since()
        return decided is not None

    def _label(self) -> str:
        if self.kind == AgendaKind.RED:
            return gettext("Red for two or more periods")
        if self.ref:
            text = (
                self.ref_text
                if hasattr(self, "ref_text")
                else render_refs([self.ref]).get(self.ref)
            )
            if not text and not self.title and self.kind == AgendaKind.REPORT_DECISION:
                return gettext("A decision is needed")
            return text or self.title
        if self.gate is None:
            return self.title
        text = gettext("Gate %(gate)s %(name)s") % {
            "gate": self.gate.code,
            "name": self.gate.display_name,
        }
        if self.kind == AgendaKind.DECIDED and self.decision is not None:
            return text + pgettext("label separator", ": ") + self.decision.get_outcome_display()
        decided = self.decided_since if hasattr(self, "decided_since") else self._decided_since()
        if decided is not None:  # the agenda is a snapshot; the decision is news
            return (
                text
                + " · "
                + gettext("decided: %(outcome)s") % {"outcome": decided.get_outcome_display()}
            )
        if self.project_ended_on is not None:  # neither overdue nor to be reviewed now
            return text
        state = self.due_state
        if state == DUE_OVERDUE:
            text += " · " + gettext("overdue")
        elif state == DUE_BY_MEETING:
            text += " · " + gettext("overdue by the meeting")
        if self._review_ready():
            text += " · " + gettext("ready for decision")
        elif self.review_requested:
            text += " · " + gettext("review requested")
        return text

    @property
    def due_state(self) -> str:
        """How a gate line's due date stands against today and the meeting (ADR 0002,
        "Overdue on an agenda"): :data:`DUE_OVERDUE` when the gate is overdue today (for a
        held meeting: was overdue on its day), :data:`DUE_BY_MEETING` when it is due before
        the meeting but not overdue yet, else ``""``. ``overdue`` is the line's flag from when
        the agenda was drawn up (due before the meeting date); a line of an open review (its
        date, not the gate's) never has it."""
        if not self.overdue or self.due is None:
            return ""
        today = timezone.localdate()
        meeting = self.meeting if self.meeting_id is not None else None
        if meeting is None:  # a line not on an agenda yet: measured against today only
            return DUE_OVERDUE if self.due < today else DUE_BY_MEETING
        if self.due >= meeting.date:  # the meeting moved earlier since it was drawn up
            return ""
        return DUE_OVERDUE if self.due < min(today, meeting.date) else DUE_BY_MEETING

    def _review_ready(self) -> bool:
        """The line's gate has an open review submitted for decision (looked up with the
        agenda by ``list_agenda``, else here)."""
        if hasattr(self, "review_ready"):
            return self.review_ready
        if self.kind != AgendaKind.GATE or self.gate_id is None or self.project_id is None:
            return False
        latest = (
            GateReview.objects.filter(gate_id=self.gate_id, lifecycle__project_id=self.project_id)
            .order_by("-id")
            .first()
        )
        return latest is not None and latest.ready_for_decision

    def _decided_since(self) -> GateDecision | None:
        """The decision of this line's gate taken after the agenda was drawn up, if any."""
        if self.kind != AgendaKind.GATE or self.gate_id is None or self.project_id is None:
            return None
        latest = (
            GateReview.objects.filter(gate_id=self.gate_id, lifecycle__project_id=self.project_id)
            .order_by("-id")
            .first()
        )  # a no-go and a new review since: the new review is what counts
        decision = None if latest is None else GateDecision.objects.filter(review=latest).first()
        if decision is not None and self.gate is not None:
            undone = GateDecision.objects.filter(
                review__lifecycle_id=latest.lifecycle_id,  # type: ignore[union-attr]
                outcome=Outcome.RECYCLE,
                pk__gt=decision.pk,
                recycle_to__order__lt=self.gate.order,
            ).exists()  # recycled back before this gate since: it must be passed again
            if undone:
                return None
        return decision


class OutcomeKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")


class MeetingOutcome(TimeStampedModel):
    """A decision or action of a meeting, written to the project's RAID log and linked here."""

    meeting = models.ForeignKey(SteeringMeeting, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=10, choices=OutcomeKind.choices)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    raid_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=255)

    class Meta:
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        ordering = ["meeting", "id"]
