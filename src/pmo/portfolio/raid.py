"""The RAID log: risks, assumptions, issues, decisions and actions of a project."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.core.models import VersionedModel


class RaidStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RaidItem(VersionedModel):
    """Fields every RAID entry shares."""

    project = models.ForeignKey(
        "portfolio.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RaidStatus.choices, default=RaidStatus.OPEN
    )
    due_date = models.DateField(_("due"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RiskResponse(models.TextChoices):
    AVOID = "avoid", _("Avoid")
    MITIGATE = "mitigate", _("Mitigate")
    TRANSFER = "transfer", _("Transfer")
    ACCEPT = "accept", _("Accept")


HIGH_RISK_SCORE = 15  # probability × impact on 1..5 scales; 15+ is the red zone of a 5×5 grid


class Risk(RaidItem):
    """An uncertain event; ``score`` = probability × impact (1..25)."""

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="risks",
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1-5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score = models.PositiveSmallIntegerField(_("score"), editable=False, default=1)
    response = models.CharField(
        _("response"), max_length=10, choices=RiskResponse.choices, default=RiskResponse.MITIGATE
    )
    mitigation = models.TextField(_("mitigation"), blank=True)

    class Meta(RaidItem.Meta):
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        indexes = [models.Index(fields=["project", "status", "score"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    probability__gte=1, probability__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_scales_1_5",
            )
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        self.score = self.probability * self.impact
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_high(self) -> bool:
        return self.score >= HIGH_RISK_SCORE


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class Escalation(models.IntegerChoices):
    PROJECT = 0, _("Project")
    PROGRAM = 1, _("Program")
    PMO = 2, _("PMO")
    STEERING = 3, _("Steering committee")


class Issue(RaidItem):
    """Something that has happened and needs handling."""

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="issues",
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.MEDIUM
    )
    escalation = models.PositiveSmallIntegerField(
        _("escalation level"), choices=Escalation.choices, default=Escalation.PROJECT
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta(RaidItem.Meta):
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        indexes = [models.Index(fields=["project", "status", "severity"])]


class Action(RaidItem):
    """A task someone owns to address a risk, issue or decision."""

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="actions",
    )

    class Meta(RaidItem.Meta):
        verbose_name = _("action")
        verbose_name_plural = _("actions")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("Decision needed")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(RaidItem):
    """A decision needed or taken; pending ones raise the "decision needed" flag."""

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    decision_status = models.CharField(
        _("decision status"),
        max_length=10,
        choices=DecisionStatus.choices,
        default=DecisionStatus.PENDING,
    )
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta(RaidItem.Meta):
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["project", "decision_status"])]


class Assumption(RaidItem):
    """Something taken as true for planning; checked and closed when confirmed or refuted."""

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="assumptions",
    )
    validated = models.BooleanField(_("validated"), null=True, blank=True)

    class Meta(RaidItem.Meta):
        verbose_name = _("assumption")
        verbose_name_plural = _("assumptions")


RAID_MODELS: dict[str, type[RaidItem]] = {
    "risks": Risk,
    "issues": Issue,
    "actions": Action,
    "decisions": Decision,
    "assumptions": Assumption,
}
