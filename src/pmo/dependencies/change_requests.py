"""Change requests: the request, its workflow steps and the answers of the affected projects.

Models of this app split out of :mod:`pmo.dependencies.models` for size; imported there (so
Django registers them in the app) and importable from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pmo.core.models import VersionedModel

__all__ = [
    "DECIDED_STATES",
    "OPEN_CHANGE_STATES",
    "PENDING_STATES",
    "ChangeAction",
    "ChangeRequest",
    "ChangeResponse",
    "ChangeState",
    "ChangeStep",
    "ChangeType",
    "ResponseAnswer",
]


class ChangeType(models.TextChoices):
    SCOPE = "scope", _("Scope")
    SCHEDULE = "schedule", _("Schedule")
    COST = "cost", _("Cost")
    RESOURCES = "resources", _("Resources")


class ChangeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PM_REVIEW = "pm_review", _("PM review")
    PMO_REVIEW = "pmo_review", _("PMO review")
    STEERING_REVIEW = "steering_review", _("Steering review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    APPLIED = "applied", _("Applied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeAction(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("change request action", "Submit")
    APPROVE = "approve", pgettext_lazy("change request action", "Approve")
    REJECT = "reject", pgettext_lazy("change request action", "Reject")
    WITHDRAW = "withdraw", pgettext_lazy("change request action", "Withdraw")
    APPLY = "apply", pgettext_lazy("change request action", "Apply to the plans")
    # not a user's action: the PM review of a request its own manager raised (ADR 0005)
    SKIP = "skip", pgettext_lazy("change request action", "Skip the PM review")
    # not a user's action either: its project was closed or cancelled (ADR 0005)
    PROJECT_ENDED = (
        "project_ended",
        pgettext_lazy("change request action", "Withdraw (the project ended)"),
    )


PENDING_STATES = ("pm_review", "pmo_review", "steering_review")
OPEN_CHANGE_STATES = (*PENDING_STATES, "approved")
DECIDED_STATES = ("approved", "applied")


class ChangeRequest(VersionedModel):
    """A requested change of a project (or a program) with its computed impact and decision.

    The slip (``slip_days`` working days of ``slip_milestone`` or ``slip_task``) is what
    the impact analysis propagates; ``impact`` keeps the result shown to the deciders.
    Only the apply step (:func:`pmo.dependencies.changes.transition`) writes it into the
    plans.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="change_requests",
        help_text=_("empty for a program-level change"),
    )
    program = models.ForeignKey(
        "portfolio.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
    )
    type = models.CharField(_("type"), max_length=10, choices=ChangeType.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slip_milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name=_("slipping milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slip_task = models.ForeignKey(
        "scheduling.Task",
        verbose_name=_("slipping task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slip_days = models.PositiveIntegerField(_("slip (working days)"), default=0)
    impact = models.JSONField(_("computed impact"), default=dict, blank=True)
    cost_impact = models.DecimalField(_("cost impact"), max_digits=14, decimal_places=2, default=0)
    effort_impact = models.DecimalField(
        _("resource impact (person-days)"), max_digits=10, decimal_places=1, default=0
    )
    needs_steering = models.BooleanField(_("needs the steering committee"), default=False)
    # The day ``needs_steering`` was last compared with the thresholds (its raise or last
    # change by its fields), at that day's exchange rates (ADR 0016): the page converts the
    # cost with the rate of that day. Not "decided": ``decided_*`` is the committee's decision.
    steering_compared_on = models.DateField(
        _("compared with the steering thresholds on"), default=timezone.localdate, editable=False
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ChangeState.choices, default=ChangeState.DRAFT
    )
    affected_projects = models.ManyToManyField(
        "portfolio.Project",
        verbose_name=_("affected projects"),
        blank=True,
        related_name="affecting_changes",
    )
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return self.code

    @property
    def steering(self) -> str:
        """Where the request stands with the steering committee: ``"pending"`` (it needs the
        committee and is not decided yet), ``"decided"`` (approved there, possibly applied
        since) or ``""`` (not concerned, or closed before it got there)."""
        if not self.needs_steering:
            return ""
        if self.state in (ChangeState.DRAFT, *PENDING_STATES):
            return "pending"
        return "decided" if self.state in DECIDED_STATES else ""


class ChangeStep(models.Model):
    """One step of a change request's workflow: who did what, in which state, and why."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    from_state = models.CharField(_("from"), max_length=16, choices=ChangeState.choices)
    to_state = models.CharField(_("to"), max_length=16, choices=ChangeState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}->{self.to_state}"


class ResponseAnswer(models.TextChoices):
    AGREE = "agree", pgettext_lazy("answer to a change request", "Agree")
    OBJECT = "object", pgettext_lazy("answer to a change request", "Object")


class ChangeResponse(VersionedModel):
    """The current answer of one affected project to a change request (ADR 0005, "Asking
    the affected projects"): its manager (or the PMO) agrees or objects, with a reason when
    objecting. Advisory: the PMO and steering reviewers read it, nothing waits for it.

    One row per (request, project); a changed answer updates the row (audited, version + 1).
    """

    change = models.ForeignKey(
        ChangeRequest,
        verbose_name=_("change request"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.CharField(_("answer"), max_length=8, choices=ResponseAnswer.choices)
    reason = models.TextField(_("reason"), blank=True)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("answer of an affected project")
        verbose_name_plural = _("answers of affected projects")
        ordering = ["change", "project"]
        constraints = [
            models.UniqueConstraint(fields=["change", "project"], name="change_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.change.code} {self.project.code}"
