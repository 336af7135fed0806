"""Gate reviews, their immutable decisions and conditions (models of the governance app;
steering committee meetings, their agendas and outcomes are in
:mod:`pmo.governance.meetings`, imported at the end so that old imports keep working)."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.core.models import VersionedModel


class ReviewState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class GateReview(VersionedModel):
    """A review of one gate of one project, from request (PM) to decision (deciders)."""

    lifecycle = models.ForeignKey(
        "governance.ProjectLifecycle",
        verbose_name=_("project lifecycle"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    gate = models.ForeignKey(
        "governance.GateDefinition",
        verbose_name=_("gate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scheduled_for = models.DateField(_("review date"), null=True, blank=True)
    meeting = models.ForeignKey(
        "governance.SteeringMeeting",
        verbose_name=_("steering meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gate_reviews",
    )
    notes = models.TextField(_("notes"), blank=True)
    submitted_at = models.DateTimeField(_("submitted for decision"), null=True, blank=True)
    """Set when the PM (or PMO) hands the completed checklist over to the deciders
    (:func:`pmo.governance.submission.submit_review`); cleared when the checklist changes
    after that (the review is back in preparation). The review stays *requested* (open)."""
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("gate review")
        verbose_name_plural = _("gate reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One review at a time per project: gates are passed in order.
            models.UniqueConstraint(
                fields=["lifecycle"],
                condition=models.Q(state="requested"),
                name="one_open_review_per_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.gate.code} #{self.pk}"

    @property
    def ready_for_decision(self) -> bool:
        """Open and handed over to the deciders: its checklist was complete when submitted."""
        return self.state == ReviewState.REQUESTED and self.submitted_at is not None

    @property
    def stage(self) -> str:
        """``preparing`` (requested, not submitted), ``ready`` (submitted for decision),
        ``decided`` or ``withdrawn``."""
        if self.state == ReviewState.REQUESTED:
            return "ready" if self.submitted_at is not None else "preparing"
        return str(self.state)

    @property
    def stage_display(self) -> str:
        """The review's state as pages show it: "Ready for decision" once submitted."""
        if self.ready_for_decision:
            return str(_("Ready for decision"))
        return str(self.get_state_display())  # type: ignore[attr-defined]


class CriterionCheck(models.Model):
    """A criterion of the review's gate, ticked (or not) with an evidence link."""

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(
        "governance.GateCriterion", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("met"), default=False)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("criterion check")
        verbose_name_plural = _("criterion checks")
        ordering = ["review", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="check_unique_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.met}"


def deliverable_upload_to(instance: Any, filename: str) -> str:
    """``gate-reviews/<review>/<deliverable>/<random>.<ext>`` under ``MEDIA_ROOT``.

    The stored name is random: the user's file name is kept in ``file_name`` only, so it
    never reaches the file system (no path tricks, no clashes between uploads).
    """
    suffix = PurePath(filename).suffix.lower()
    return f"gate-reviews/{instance.review_id}/{instance.deliverable_id}/{uuid.uuid4().hex}{suffix}"


class DeliverableLink(models.Model):
    """A required deliverable of the review's gate: a link to the document and/or the file.

    The file is stored under ``MEDIA_ROOT`` and only downloaded through a view that checks
    the project is visible; ``file_name`` is the name it was uploaded with.
    """

    review = models.ForeignKey(GateReview, on_delete=models.CASCADE, related_name="deliverables")
    deliverable = models.ForeignKey(
        "governance.GateDeliverable", on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("document link"), blank=True)
    file = models.FileField(_("file"), upload_to=deliverable_upload_to, blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivered document")
        verbose_name_plural = _("delivered documents")
        ordering = ["review", "deliverable__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "deliverable"], name="deliverable_link_unique"
            )
        ]

    def __str__(self) -> str:
        return self.url or self.file_name

    @property
    def provided(self) -> bool:
        """The deliverable counts as delivered: it has a link or a file."""
        return bool(self.url or self.file)


class Outcome(models.TextChoices):
    GO = "go", _("Go")
    GO_WITH_CONDITIONS = "go_conditions", _("Go with conditions")
    HOLD = "hold", _("Hold")
    RECYCLE = "recycle", _("Recycle")
    STOP = "stop", _("Stop")


class GateDecision(models.Model):
    """The decision of a gate review. Never updated or deleted (one per review)."""

    review = models.OneToOneField(
        GateReview, verbose_name=_("gate review"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=15, choices=Outcome.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by_name = models.CharField(max_length=150, blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    waived = models.JSONField(_("waived criteria"), default=list, blank=True)
    waiver_reason = models.TextField(_("waiver reason"), blank=True)
    recycle_to = models.ForeignKey(
        "governance.PhaseDefinition",
        verbose_name=_("back to phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gate decision")
        verbose_name_plural = _("gate decisions")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_on})"


class ConditionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class GateCondition(VersionedModel):
    """A condition of a "go with conditions" decision, tracked until it is closed."""

    decision = models.ForeignKey(
        GateDecision,
        verbose_name=_("gate decision"),
        on_delete=models.PROTECT,
        related_name="conditions",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="gate_conditions",
    )
    text = models.CharField(_("condition"), max_length=300)
    owner = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=6, choices=ConditionStatus.choices, default=ConditionStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.text


from pmo.governance.meetings import (  # noqa: E402  (models of this app, split for size)
    AGENDA_CODES,
    AGENDA_LABELS,
    AGENDA_URLS,
    AgendaItem,
    AgendaKind,
    EndedAs,
    MeetingOutcome,
    OutcomeKind,
    SteeringMeeting,
    ref_codes,
    ref_urls,
    render_refs,
)

__all__ = [
    "AGENDA_CODES",
    "AGENDA_LABELS",
    "AGENDA_URLS",
    "AgendaItem",
    "AgendaKind",
    "ConditionStatus",
    "CriterionCheck",
    "DeliverableLink",
    "EndedAs",
    "GateCondition",
    "GateDecision",
    "GateReview",
    "MeetingOutcome",
    "Outcome",
    "OutcomeKind",
    "ReviewState",
    "SteeringMeeting",
    "deliverable_upload_to",
    "ref_codes",
    "ref_urls",
    "render_refs",
]
