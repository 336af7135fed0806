"""Cross-project dependencies, change requests and in-app notifications."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pmo.core.i18n import pick
from pmo.core.models import TimeStampedModel, VersionedModel


class DependencyType(models.TextChoices):
    FS = "FS", _("Finish-to-start")
    SS = "SS", _("Start-to-start")
    NEED = "NEED", _("Needs system by date")


class Criticality(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class DependencyStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    AT_RISK = "at_risk", _("At risk")
    BROKEN = "broken", _("Broken")
    RESOLVED = "resolved", _("Resolved")


OPEN_STATUSES = ("proposed", "agreed", "at_risk", "broken")


class Dependency(VersionedModel):
    """A consumer milestone/task/gate of one project needs a supplier milestone/task/gate of
    another (a gate stands for its deliverables being accepted).

    Exactly one of milestone / task / gate is set on each side. ``lag`` is in working days.
    The status turns "at risk" by itself when the supplier's forecast passes ``agreed_date``.
    """

    supplier_project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("supplier project"),
        on_delete=models.CASCADE,
        related_name="supplied_dependencies",
    )
    supplier_milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name=_("supplier milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    supplier_task = models.ForeignKey(
        "scheduling.Task",
        verbose_name=_("supplier task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    supplier_gate = models.ForeignKey(
        "governance.ProjectGate",
        verbose_name=_("supplier gate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    consumer_project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("consumer project"),
        on_delete=models.CASCADE,
        related_name="consumed_dependencies",
    )
    consumer_milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name=_("consumer milestone"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    consumer_task = models.ForeignKey(
        "scheduling.Task",
        verbose_name=_("consumer task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    consumer_gate = models.ForeignKey(
        "governance.ProjectGate",
        verbose_name=_("consumer gate"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    type = models.CharField(
        _("type"), max_length=4, choices=DependencyType.choices, default=DependencyType.FS
    )
    lag = models.IntegerField(_("lag (working days)"), default=0)
    system = models.CharField(_("system"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    supplier_owner = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("supplier owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consumer_owner = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("consumer owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    criticality = models.CharField(
        _("criticality"), max_length=10, choices=Criticality.choices, default=Criticality.MEDIUM
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DependencyStatus.choices,
        default=DependencyStatus.PROPOSED,
    )
    agreed_date = models.DateField(_("agreed date"), null=True, blank=True)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["agreed_date", "id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"D{self.pk}"


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


class Notification(TimeStampedModel):
    """A message for one user in the app (unread badge in the top bar).

    ``message_id`` (the English source text, with ``%(name)s`` placeholders) and ``params``
    let :attr:`text` read in the viewer's language of the moment; ``message`` is the text in
    the recipient's language when it was written (the admin, rows older than the key).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=300)
    message_id = models.CharField(_("message key"), max_length=300, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    change = models.ForeignKey(
        ChangeRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The message in the active language: translatable parameters (stored as
        ``{"msgid": ...}``, e.g. a state label) are translated too, and a person or project
        (``{"name": ..., "name_zh": ...}``) is named in that language."""
        if not self.message_id:
            return self.message
        values: dict[str, Any] = {key: _param(value) for key, value in self.params.items()}
        try:
            return (gettext(self.message_id) % values)[:300]
        except (KeyError, TypeError, ValueError):  # a reworded message with other placeholders
            return self.message


def _param(value: Any) -> Any:
    """A stored notification parameter in the active language."""
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return gettext(value["msgid"])
    return pick(str(value.get("name", "")), str(value.get("name_zh") or ""))
