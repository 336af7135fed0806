"""Lifecycle templates (phases, gates, criteria, deliverables) and each project's lifecycle.

A template row is one immutable *revision*: editing a lifecycle creates the next
revision of the same ``code``, so projects governed by an older revision keep the
phases and gates they were reviewed against.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import Role
from pmo.core.i18n import pick
from pmo.core.models import BilingualNameModel, TimeStampedModel, VersionedModel
from pmo.portfolio.models import Phase, PmoType


class LifecycleTemplate(BilingualNameModel, TimeStampedModel):
    """One revision of a lifecycle: ordered phases, a gate before every phase but the first."""

    code = models.SlugField(_("code"), max_length=40)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    pmo_type = models.CharField(
        _("PMO type"), max_length=20, choices=PmoType.choices, blank=True, default=""
    )
    description = models.TextField(_("description"), blank=True)
    description_zh = models.TextField(_("Chinese description"), blank=True)
    builtin = models.BooleanField(_("built-in"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lifecycle template")
        verbose_name_plural = _("lifecycle templates")
        ordering = ["code", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["code", "revision"], name="template_unique_revision")
        ]

    def __str__(self) -> str:
        return f"{self.code} r{self.revision}"

    @property
    def display_description(self) -> str:
        """The Chinese description when the active language is Chinese and one is set."""
        return pick(self.description, self.description_zh)


class PhaseDefinition(BilingualNameModel):
    """A phase of a template; ``category`` is the status-center phase it counts as."""

    template = models.ForeignKey(
        LifecycleTemplate,
        verbose_name=_("lifecycle template"),
        on_delete=models.CASCADE,
        related_name="phases",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    key = models.SlugField(_("key"), max_length=40)
    category = models.CharField(_("status-center phase"), max_length=20, choices=Phase.choices)
    expected_days = models.PositiveIntegerField(_("expected duration (days)"), default=30)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="phase_unique_order"),
            models.UniqueConstraint(fields=["template", "key"], name="phase_unique_key"),
        ]

    @property
    def shows_category(self) -> bool:
        """Whether the status-center phase says more than the phase's own name: a phase
        named "Idea" of category idea would read "Idea · Idea" (构想 · 构想)."""
        shown = str(self.get_category_display())  # type: ignore[attr-defined]
        return shown.strip().casefold() != self.display_name.strip().casefold()


class GateDefinition(BilingualNameModel):
    """The gate in front of phase ``order`` (gate 1 leads from phase 0 into phase 1)."""

    template = models.ForeignKey(
        LifecycleTemplate,
        verbose_name=_("lifecycle template"),
        on_delete=models.CASCADE,
        related_name="gates",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=10)
    decider_roles = models.JSONField(_("deciding roles"), default=list, blank=True)
    deciders = models.ManyToManyField(
        "accounts.Person", verbose_name=_("named deciders"), blank=True, related_name="+"
    )
    # The project milestone the gate is decided on ("Go-live" for a launch gate): matched by
    # name, case-insensitively, against each project's milestone names in both languages;
    # the gate's forecast follows that milestone's (ADR 0002, "Gates tied to milestones").
    milestone = models.CharField(_("decided on milestone"), max_length=200, blank=True)
    milestone_zh = models.CharField(
        _("decided on milestone (Chinese name)"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("gate")
        verbose_name_plural = _("gates")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="gate_unique_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_milestone(self) -> str:
        """The milestone the gate is decided on, in the active language (empty: none)."""
        return pick(self.milestone, self.milestone_zh) or self.milestone_zh

    @property
    def decider_role_labels(self) -> list[str]:
        """The deciding roles in the active language."""
        labels = dict(Role.choices)
        return [str(labels.get(role, role)) for role in self.decider_roles or []]


class CriterionKind(models.TextChoices):
    ENTRY = "entry", _("Entry")
    EXIT = "exit", _("Exit")


class GateCriterion(models.Model):
    """One line of a gate's checklist (exit criterion of the phase before, entry of the next)."""

    gate = models.ForeignKey(
        GateDefinition, verbose_name=_("gate"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(
        _("kind"), max_length=5, choices=CriterionKind.choices, default=CriterionKind.EXIT
    )
    text = models.CharField(_("criterion"), max_length=300)
    text_zh = models.CharField(_("Chinese text"), max_length=300, blank=True)
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("gate criterion")
        verbose_name_plural = _("gate criteria")
        ordering = ["gate", "order"]

    def __str__(self) -> str:
        return self.text

    @property
    def display_text(self) -> str:
        """The Chinese text when the active language is Chinese and one is set."""
        if self.text_zh and (translation.get_language() or "").startswith("zh"):
            return self.text_zh
        return self.text


class GateDeliverable(BilingualNameModel):
    """A document the gate requires, optionally with a link to its template document."""

    gate = models.ForeignKey(
        GateDefinition,
        verbose_name=_("gate"),
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    mandatory = models.BooleanField(_("mandatory"), default=True)
    template_url = models.URLField(_("template document"), blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["gate", "order"]


class LifecycleState(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class ProjectLifecycle(VersionedModel):
    """The template revision a project follows and where it stands (kept by the services)."""

    project = models.OneToOneField(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="lifecycle",
    )
    template = models.ForeignKey(
        LifecycleTemplate,
        verbose_name=_("lifecycle template"),
        on_delete=models.PROTECT,
        related_name="lifecycles",
    )
    current_phase = models.ForeignKey(
        PhaseDefinition, verbose_name=_("current phase"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=LifecycleState.choices, default=LifecycleState.ACTIVE
    )
    started_on = models.DateField(_("started"))
    # Denormalised for the status center and the gate calendar (one join, no subquery).
    next_gate = models.ForeignKey(
        GateDefinition,
        verbose_name=_("next gate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_gate_due = models.DateField(_("next gate due"), null=True, blank=True)
    open_conditions = models.PositiveIntegerField(_("open conditions"), default=0)

    class Meta:
        verbose_name = _("project lifecycle")
        verbose_name_plural = _("project lifecycles")
        indexes = [models.Index(fields=["next_gate_due"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.template}"


class PhaseEntry(models.Model):
    """A stay of the project in a phase; the open one (``left_on`` empty) is the current phase."""

    lifecycle = models.ForeignKey(
        ProjectLifecycle, on_delete=models.CASCADE, related_name="entries"
    )
    phase = models.ForeignKey(PhaseDefinition, on_delete=models.PROTECT, related_name="+")
    entered_on = models.DateField(_("entered"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    decision = models.ForeignKey(
        "governance.GateDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phase entry")
        verbose_name_plural = _("phase entries")
        ordering = ["lifecycle", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lifecycle"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_phase",
            )
        ]

    def __str__(self) -> str:
        return f"{self.phase_id} {self.entered_on}..{self.left_on or ''}"


class ProjectGate(models.Model):
    """A gate of a project's lifecycle with its planned, forecast and actual dates.

    ``planned`` is fixed when the lifecycle starts (template durations from the start),
    ``forecast`` and ``actual`` follow from the gate decisions.
    """

    lifecycle = models.ForeignKey(ProjectLifecycle, on_delete=models.CASCADE, related_name="gates")
    gate = models.ForeignKey(GateDefinition, on_delete=models.PROTECT, related_name="+")
    planned = models.DateField(_("planned"))
    forecast = models.DateField(_("forecast"))
    actual = models.DateField(_("actual"), null=True, blank=True)

    class Meta:
        verbose_name = _("project gate")
        verbose_name_plural = _("project gates")
        ordering = ["lifecycle", "gate__order"]
        constraints = [
            models.UniqueConstraint(fields=["lifecycle", "gate"], name="project_gate_unique")
        ]
        indexes = [models.Index(fields=["forecast"])]

    def __str__(self) -> str:
        return f"{self.gate_id} {self.forecast}"


from pmo.governance.reviews import (  # noqa: E402  (models of this app, split for size)
    AgendaItem,
    ConditionStatus,
    CriterionCheck,
    DeliverableLink,
    GateCondition,
    GateDecision,
    GateReview,
    MeetingOutcome,
    Outcome,
    ReviewState,
    SteeringMeeting,
)

__all__ = [
    "AgendaItem",
    "ConditionStatus",
    "CriterionCheck",
    "CriterionKind",
    "DeliverableLink",
    "GateCondition",
    "GateCriterion",
    "GateDecision",
    "GateDefinition",
    "GateDeliverable",
    "GateReview",
    "LifecycleState",
    "LifecycleTemplate",
    "MeetingOutcome",
    "Outcome",
    "PhaseDefinition",
    "PhaseEntry",
    "ProjectGate",
    "ProjectLifecycle",
    "ReviewState",
    "SteeringMeeting",
]
