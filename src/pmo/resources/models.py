"""Resources (people and role pools), their capacity, demand (allocations) and scenarios.

Capacity and demand are measured in FTE (full-time equivalents) per working day; a
period's figure is the average over its working days (Monday to Friday). A scenario holds
its own copy of allocations, capacity changes and project date shifts; the current plan is
the rows whose ``scenario`` is empty.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pmo.accounts.models import OrgUnit, Person
from pmo.core.i18n import pick
from pmo.core.models import BilingualNameModel, TimeStampedModel, VersionedModel
from pmo.portfolio.models import Project


def days_text(first: Any, last: Any) -> str:
    """Days as rows are named: "2026-01-05–2026-03-27", one date for one day."""
    return str(first) if first == last else f"{first}–{last}"


def fte_text(fte: Any) -> str:
    """FTE as rows are named: "0.5 FTE", "12 FTE" (no trailing zeros, whatever was given)."""
    try:
        value = Decimal(str(fte))
    except (ArithmeticError, ValueError):
        return f"{fte} FTE"
    return f"{value.normalize():f} FTE" if value.is_finite() else f"{fte} FTE"


class ResourceKind(models.TextChoices):
    PERSON = "person", _("Person")
    POOL = "pool", _("Role pool")


class AllocationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    COMMITTED = "committed", _("Committed")


class AllocationSource(models.TextChoices):
    MANUAL = "manual", _("Allocation")
    SCHEDULE = "schedule", _("Schedule")


class ScenarioState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMITTED = "committed", pgettext_lazy("scenario state", "Committed")
    DISCARDED = "discarded", _("Discarded")


class WorkingCalendar(models.TextChoices):
    """Working calendars of a resource (see :mod:`pmo.resources.calendars`)."""

    CHINA = "CN", _("Mainland China (holidays and adjusted working days)")
    WEEKDAYS = "", _("Monday to Friday")


class Role(VersionedModel):
    """A role of the PMO's role catalogue ("Java developer"), with its Chinese name.

    Resources name their role by its :attr:`name` (:attr:`Resource.role`, kept in step by
    :mod:`pmo.resources.services.roles`): the heat map, filters and pickers group resources
    by it, and a role has one Chinese name for all of them. Names are unique whatever their
    case, so "Java Developer" cannot split a role's load in two.
    """

    name = models.CharField(_("role"), max_length=100, unique=True)
    name_zh = models.CharField(
        _("role (Chinese)"),
        max_length=100,
        blank=True,
        help_text=_("Shown in Chinese instead of the role."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="resources_role_name_any_case"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The role in the active language (the Chinese name when set and Chinese is on)."""
        return pick(self.name, self.name_zh)


class Resource(BilingualNameModel, VersionedModel):
    """A named person or a generic role pool ("Java developer, Shanghai, 12 FTE").

    ``fte`` is the standing capacity; :class:`CapacityChange` rows override it for a
    window (part time, leave, a pool growing). ``available_from`` / ``available_until``
    are hiring and leaving dates. ``calendar`` names the working calendar (``CN`` for
    mainland-China holidays, empty for weekends only) as the scheduling app does.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    role = models.CharField(
        _("role"),
        max_length=100,
        db_index=True,
        help_text=_("A role of the role catalogue; a new one is added to it."),
    )
    role_zh = models.CharField(
        _("role (Chinese)"),
        max_length=100,
        blank=True,
        help_text=_(
            "The role's Chinese name, kept in the role catalogue for all its resources; "
            "give it here for a new role."
        ),
    )
    skills = models.CharField(_("skills"), max_length=255, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="resources"
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resource",
    )
    fte = models.DecimalField(
        _("capacity (FTE)"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    hours_per_day = models.DecimalField(
        _("hours per day"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("8"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("24"))],
    )
    cost_rate = models.DecimalField(
        _("cost rate per hour"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    calendar = models.CharField(
        _("working calendar"),
        max_length=4,
        blank=True,
        default="CN",
        choices=WorkingCalendar.choices,
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["role", "name"]

    @property
    def role_label(self) -> str:
        """The role in the active language (the Chinese role when set and Chinese is on)."""
        return pick(self.role, self.role_zh)


class Scenario(TimeStampedModel):
    """A what-if copy of the current allocations and capacity, committed or discarded.

    A leveling run (:class:`LevelingRun`) works on a draft scenario: it changes the scenario's
    allocations and :class:`ProjectShift` rows only, so committing or discarding it is
    the same as for a scenario edited by hand.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ScenarioState.choices, default=ScenarioState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("committed or discarded"), null=True, blank=True)
    # when it last copied the current plan (created or refreshed): the plan's rows created or
    # changed after it make the scenario out of date
    copied_at = models.DateTimeField(_("copied from the current plan"), null=True, editable=False)
    # the last refresh from the current plan: when, by whom, and the changes it dropped
    last_refresh = models.JSONField(default=dict, blank=True, editable=False)
    # how many current-plan capacity changes were copied: commit notices deletions since
    copied_capacity_changes = models.PositiveIntegerField(default=0, editable=False)
    # the highest allocation and capacity-change ids when it copied the plan: a plan row with
    # a higher id is new since, even one whose transaction began before the copy (its
    # ``created_at`` is older than ``copied_at``; :func:`~.services.common.lock_current_plan`)
    copied_up_to = models.PositiveBigIntegerField(null=True, editable=False)
    copied_changes_up_to = models.PositiveBigIntegerField(null=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    # set on commit: codes of the projects whose plans must change to match the scenario
    # (it moved their schedule demand, which belongs to the plans: ADR 0006)
    plans_to_change = models.JSONField(
        _("plans to change"), default=list, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class CapacityChange(VersionedModel):
    """The capacity of a resource from ``first`` to ``last`` (inclusive), e.g. leave = 0."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="changes"
    )
    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="capacity_changes",
    )
    first = models.DateField(_("from"))
    last = models.DateField(_("to"))
    fte = models.DecimalField(
        _("capacity (FTE)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # in a scenario: copied from the current plan (not the scenario's own change)
    copied = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("capacity change")
        verbose_name_plural = _("capacity changes")
        ordering = ["resource", "first"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=models.F("first")), name="capacity_first_before_last"
            )
        ]

    def __str__(self) -> str:
        """Named as the audit trail records it: "Ana Li · 2026-01-05–2026-03-27 · 0.5 FTE ·
        parental leave" (load the resource with the changes where many are named)."""
        parts = [self.resource.name, days_text(self.first, self.last), fte_text(self.fte)]
        return " · ".join([*parts, self.reason] if self.reason else parts)


class Allocation(VersionedModel):
    """Demand: a resource (person or pool) on a project from ``first`` to ``last`` at ``fte``.

    ``source`` schedule rows are written by the scheduling app from task assignments
    (:func:`pmo.resources.services.record_schedule_demand`); the others are entered by hand
    or imported. In a scenario, ``origin`` is the current-plan allocation copied and
    ``origin_version`` its version at the time (commit refuses if it changed since).
    """

    scenario = models.ForeignKey(
        Scenario,
        verbose_name=_("scenario"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.PROTECT, related_name="allocations"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="allocations"
    )
    first = models.DateField(_("from"))
    last = models.DateField(_("to"))
    fte = models.DecimalField(
        _("FTE"), max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AllocationStatus.choices,
        default=AllocationStatus.PROPOSED,
    )
    source = models.CharField(
        _("source"), max_length=10, choices=AllocationSource.choices, default="manual"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    origin_version = models.PositiveIntegerField(null=True, blank=True)
    # how many times "Move project" moved this row in its scenario: each move raises the
    # version too (an edit read before it is refused), and a refresh counts as the scenario's
    # own edits only the versions above 1 + moves
    moves = models.PositiveIntegerField(default=0, editable=False)
    # schedule demand: the UID of the plan task it comes from (a scenario's moves of it can
    # be applied back to the plan by its manager)
    task_uid = models.IntegerField(_("task UID"), null=True, blank=True, editable=False)
    # a client's own key of a hand-entered row, unique in its layer: POST /allocations with
    # it again changes that row instead of adding another (a retried nightly run; ADR 0006)
    external_ref = models.CharField(
        _("external reference"), max_length=100, blank=True, default="", editable=False
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["first", "pk"]
        indexes = [models.Index(fields=["scenario", "first", "last"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last__gte=models.F("first")),
                name="allocation_first_before_last",
            ),
            models.UniqueConstraint(
                fields=["external_ref"],
                condition=models.Q(scenario__isnull=True) & ~models.Q(external_ref=""),
                name="allocation_unique_ref_in_plan",
            ),
            models.UniqueConstraint(
                fields=["scenario", "external_ref"],
                condition=models.Q(scenario__isnull=False) & ~models.Q(external_ref=""),
                name="allocation_unique_ref_in_scenario",
            ),
        ]

    def __str__(self) -> str:
        """Named as the audit trail records it: "Ana Li · P0017 · 2026-01-05–2026-03-27 ·
        0.5 FTE" (load the resource and project with the rows where many are named)."""
        return " · ".join(
            [
                self.resource.name,
                self.project.code,
                days_text(self.first, self.last),
                fte_text(self.fte),
            ]
        )


class ProjectShift(models.Model):
    """A project's dates moved (and its priority changed or pinned) in a scenario."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="shifts"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="+"
    )
    days = models.IntegerField(_("shift (days)"), default=0)
    # of ``days``, the calendar days Move project moved the whole project (leveling moves
    # single allocations): a refresh from the current plan moves the plan's rows by it
    moved_days = models.IntegerField(default=0, editable=False)
    priority = models.PositiveSmallIntegerField(_("priority"), null=True, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        verbose_name = _("project shift")
        verbose_name_plural = _("project shifts")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "project"], name="shift_unique_project")
        ]

    def __str__(self) -> str:
        """Named "P0017 +5 days", then the scenario's priority and "pinned" when set."""
        parts = [f"{self.project.code} {self.days:+d} days"]
        if self.priority is not None:
            parts.append(f"priority {self.priority}")
        if self.pinned:
            parts.append("pinned")
        return " · ".join(parts)


class LevelingState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class LevelingRun(TimeStampedModel):
    """One "level the portfolio" run on a draft scenario, done in the background.

    ``phase`` is a short code (queued, building, solving, applying, done, failed,
    cancelled) shown translated; ``progress`` is 0-100 at phase boundaries (the page
    interpolates the solving phase by time). ``result`` holds per-project delays
    (working days, priority, weight, pinned), the moved allocations (old and new dates),
    the allocations that cannot be levelled and the solver's status, bound and gap.
    Applying a result writes only the scenario's allocations and :class:`ProjectShift`
    rows; a cancelled run writes nothing.
    """

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=LevelingState.choices, default=LevelingState.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=20, default="queued")
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    time_limit = models.PositiveIntegerField(_("time limit (s)"), default=30)
    backend = models.CharField(_("solver"), max_length=20, default="cpsat")
    scenario_version = models.PositiveIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # written every few seconds by the worker that has the run: a running run not heard of
    # for long is lost (its worker was killed) and reads as failed (ADR 0008)
    heartbeat_at = models.DateTimeField(_("last heard of its worker"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    overload_before = models.FloatField(_("overload before (FTE-days)"), null=True, blank=True)
    overload_after = models.FloatField(_("overload after (FTE-days)"), null=True, blank=True)
    objective = models.BigIntegerField(_("weighted delay"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # the starter's language when it was queued: the worker writes the run's texts in it
    language = models.CharField(_("language"), max_length=10, blank=True, editable=False)
    # set when the scenario was refreshed from the current plan (or a project of it reset)
    # after the run: its result tells what it did then, not what the scenario holds now
    outdated_at = models.DateTimeField(_("out of date since"), null=True, blank=True)

    class Meta:
        verbose_name = _("leveling run")
        verbose_name_plural = _("leveling runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"leveling {self.pk} of scenario {self.scenario_id} ({self.state})"

    # what tells a lost run (its worker gone) when the run is loaded; a run loaded without
    # one of them (``only()``) is left as stored
    LOST_FIELDS = frozenset({"state", "heartbeat_at", "started_at", "created_at", "language"})
    read_as_lost = False  # loaded as failed, the row still says running (not a field)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kw: Any
    ) -> Self:
        """A running run whose worker has not been heard of for long reads as failed,
        whoever reads it (ADR 0008: :func:`pmo.resources.leveling_runs.show_if_lost`)."""
        run = super().from_db(db, field_names, values, **kw)
        if cls.LOST_FIELDS.issubset(field_names):
            from pmo.resources.leveling_runs import show_if_lost  # it imports this module

            show_if_lost(run)
        return run

    @property
    def active(self) -> bool:
        """Queued or running."""
        return self.state in (LevelingState.QUEUED, LevelingState.RUNNING)


class CalendarDay(TimeStampedModel):
    """A day a resource calendar treats differently from its source: entered by the PMO for a
    year the holiday library does not know yet (next year's official holidays and 调休), or
    a company day off. It wins over the source and the weekday rule; a year's holidays count
    as known only once the PMO marks the year entered (:class:`CalendarYear`)."""

    calendar = models.CharField(
        _("working calendar"), max_length=4, blank=True, choices=WorkingCalendar.choices
    )
    day = models.DateField(_("day"))
    working = models.BooleanField(
        _("working day"), default=False, help_text=_("on: an extra working day (调休)")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="resources_calendar_day")
        ]

    def __str__(self) -> str:
        """Named "2026-10-01 · National Day · CN · day off" ("working day": an adjusted one)."""
        kind = "working day" if self.working else "day off"
        parts = [str(self.day), self.name, self.calendar or "Mon-Fri", kind]
        return " · ".join(p for p in parts if p)


class CalendarYear(TimeStampedModel):
    """The PMO's statement that the official holidays and adjusted working days (调休) of a
    year the holiday library does not know are all entered as :class:`CalendarDay` rows.

    Until a year of ``CN`` has one, it is counted Monday to Friday plus the days entered, and
    the pages warn that its holidays are assumed: a company day off entered alone does not
    make a year known (ADR 0006). Setting and removing it is audited."""

    calendar = models.CharField(
        _("working calendar"), max_length=4, blank=True, choices=WorkingCalendar.choices
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2200)]
    )
    note = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("where the official days come from, e.g. the State Council's notice"),
    )

    class Meta:
        verbose_name = _("calendar year entered")
        verbose_name_plural = _("calendar years entered")
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="resources_calendar_year")
        ]

    def __str__(self) -> str:
        return f"{self.calendar or 'Mon-Fri'} {self.year} entered"
