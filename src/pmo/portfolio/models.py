"""The portfolio status center: projects, periodic status reports, milestones, RAID."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.core.i18n import pick
from pmo.core.models import BilingualNameModel, VersionedModel


class PmoType(models.TextChoices):
    """The kind of PMO a project is governed by (PMOs differ: 千团千面)."""

    RND = "rnd", _("R&D")
    BUSINESS = "business", _("Business")
    DELIVERY = "delivery", _("Delivery")
    STRATEGY = "strategy", _("Strategy / organisation")
    ASSISTANT = "assistant", _("Assistant")


class Phase(models.TextChoices):
    """Lifecycle phase (a plain field until lifecycle templates arrive)."""

    IDEA = "idea", _("Idea")
    INITIATION = "initiation", _("Initiation")
    PLANNING = "planning", _("Planning")
    EXECUTION = "execution", _("Execution")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = {value: index for index, value in enumerate(Phase.values)}


class Rag(models.IntegerChoices):
    """Red / amber / green; the integer orders by severity (green best)."""

    GREEN = 1, _("Green")
    AMBER = 2, _("Amber")
    RED = 3, _("Red")


class Trend(models.IntegerChoices):
    """Overall RAG compared with the previous period."""

    BETTER = 1, _("Better")
    SAME = 0, _("Same")
    WORSE = -1, _("Worse")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ProjectState(models.TextChoices):
    """Whether a project runs. "Closed" is a completed project (delivered, or at least
    brought to its closure); "Cancelled" is one stopped before its end, by a "stop" gate
    decision or by the PMO (ADR 0002, "Cancelled projects"). Both no longer run."""

    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


#: The states of a project that no longer runs: no reports due, no demand on resources.
ENDED_STATES = frozenset({ProjectState.CLOSED, ProjectState.CANCELLED})


class Portfolio(BilingualNameModel, VersionedModel):
    """A set of programs and projects under one governance."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("portfolio")
        verbose_name_plural = _("portfolios")
        ordering = ["code"]


class Program(BilingualNameModel, VersionedModel):
    """Related projects managed together."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="programs"
    )
    manager = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("program manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]


class Project(BilingualNameModel, VersionedModel):
    """A project in the portfolio; ``latest_report`` and ``trend`` are kept by the services."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    portfolio = models.ForeignKey(
        Portfolio, verbose_name=_("portfolio"), on_delete=models.PROTECT, related_name="projects"
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    pmo_type = models.CharField(_("PMO type"), max_length=20, choices=PmoType.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (highest) to 5 (lowest)"),
    )
    strategic = models.BooleanField(_("strategic"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=ProjectState.choices, default=ProjectState.ACTIVE
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.IDEA)
    sponsor = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    manager = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    description = models.TextField(_("description"), blank=True)
    cadence = models.CharField(
        _("reporting cadence"), max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    start_date = models.DateField(_("start"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    baseline_finish = models.DateField(_("baseline finish"), null=True, blank=True)
    forecast_finish = models.DateField(_("forecast finish"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    percent_complete = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("% complete"),
        default=0,
        validators=[MaxValueValidator(100)],
    )
    latest_report = models.ForeignKey(
        "portfolio.StatusReport",
        verbose_name=_("latest report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    trend = models.SmallIntegerField(
        _("trend"), choices=Trend.choices, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["phase"]),
            models.Index(fields=["pmo_type"]),
            models.Index(fields=["state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="project_percent_le_100"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="project_priority_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def is_ended(self) -> bool:
        """Closed or cancelled: no longer runs (no reports due, no slip to chase)."""
        return self.state in ENDED_STATES

    @property
    def slip_days(self) -> int | None:
        """Forecast finish minus baseline finish, in calendar days (positive = late)."""
        if self.forecast_finish and self.baseline_finish:
            return (self.forecast_finish - self.baseline_finish).days
        return None


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


RAG_DIMENSIONS = ("schedule", "cost", "scope", "resources", "quality")
DIMENSION_LABELS = {
    "overall": _("Overall"),
    "schedule": _("Schedule"),
    "cost": _("Cost"),
    "scope": _("Scope"),
    "resources": _("Resources"),
    "quality": _("Risk / quality"),
}


class StatusReport(VersionedModel):
    """A PM's periodic report. Submitted reports are immutable; corrections are revisions."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.CharField(_("period"), max_length=8, help_text=_("2026-W40 or 2026-10"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    is_current = models.BooleanField(
        _("current revision"), default=False, help_text=_("latest submitted revision of its period")
    )
    overall = models.PositiveSmallIntegerField(_("overall"), choices=Rag.choices)
    schedule = models.PositiveSmallIntegerField(_("schedule"), choices=Rag.choices)
    cost = models.PositiveSmallIntegerField(_("cost"), choices=Rag.choices)
    scope = models.PositiveSmallIntegerField(_("scope"), choices=Rag.choices)
    resources = models.PositiveSmallIntegerField(_("resources"), choices=Rag.choices)
    quality = models.PositiveSmallIntegerField(_("risk / quality"), choices=Rag.choices)
    overall_reason = models.TextField(_("overall reason"), blank=True)
    schedule_reason = models.TextField(_("schedule reason"), blank=True)
    cost_reason = models.TextField(_("cost reason"), blank=True)
    scope_reason = models.TextField(_("scope reason"), blank=True)
    resources_reason = models.TextField(_("resources reason"), blank=True)
    quality_reason = models.TextField(_("risk / quality reason"), blank=True)
    summary = models.TextField(_("summary"))
    achievements = models.TextField(_("achievements"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    help_needed = models.TextField(_("help / decision needed"), blank=True)
    decision_needed = models.BooleanField(_("decision needed"), default=False)
    # xgettext:no-python-format
    percent_complete = models.PositiveSmallIntegerField(_("% complete"), default=0)
    forecast_finish = models.DateField(_("forecast finish"), null=True, blank=True)
    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=Phase.choices,
        blank=True,
        help_text=_("the project's lifecycle phase when the report was submitted"),
    )
    trend = models.SmallIntegerField(_("trend"), choices=Trend.choices, null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["-period_end", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "revision"], name="report_unique_revision"
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=models.Q(is_current=True),
                name="report_one_current_per_period",
            ),
            models.UniqueConstraint(
                fields=["project", "period"],
                condition=models.Q(state="draft"),
                name="report_one_draft_per_period",
            ),
        ]
        indexes = [models.Index(fields=["project", "is_current", "period_end"])]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period} r{self.revision}"

    def ratings(self) -> dict[str, int]:
        """The RAG of each dimension, overall first."""
        return {name: getattr(self, name) for name in ("overall", *RAG_DIMENSIONS)}


class Milestone(VersionedModel):
    """A key date of a project: baseline vs forecast vs actual."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200, blank=True)
    baseline_date = models.DateField(_("baseline"), null=True, blank=True)
    forecast_date = models.DateField(_("forecast"), null=True, blank=True)
    actual_date = models.DateField(_("actual"), null=True, blank=True)
    is_key = models.BooleanField(_("key milestone"), default=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["baseline_date", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The Chinese name when the active language is Chinese and one is set (``str()``
        stays the English name: the audit trail records it)."""
        return pick(self.name, self.name_zh)

    @property
    def slip_days(self) -> int | None:
        """Forecast (or actual) minus baseline, in days."""
        current = self.actual_date or self.forecast_date
        if current and self.baseline_date:
            return (current - self.baseline_date).days
        return None


from pmo.portfolio.raid import (  # noqa: E402  (models of this app, split for size)
    Action,
    Assumption,
    Decision,
    Issue,
    Risk,
)
from pmo.portfolio.rates import ExchangeRate  # noqa: E402  (models of this app)
from pmo.portfolio.reminders import ReportReminder  # noqa: E402  (models of this app)

__all__ = [
    "ENDED_STATES",
    "Action",
    "Assumption",
    "Cadence",
    "Decision",
    "ExchangeRate",
    "Issue",
    "Milestone",
    "Phase",
    "PmoType",
    "Portfolio",
    "Program",
    "Project",
    "ProjectState",
    "Rag",
    "ReportReminder",
    "ReportState",
    "Risk",
    "StatusReport",
    "Trend",
]
