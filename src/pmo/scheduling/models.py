"""Project plans: one plan per project with its tasks, links, calendars and baselines.

Dates of a plan are wall-clock times of the project's calendar. They are stored
in ``DateTimeField`` s as if they were UTC (``pmo.scheduling.walltime``), so a
Thursday 08:00 start stays Thursday 08:00 whatever the server's time zone.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from pmo.core.models import VersionedModel

MAX_BASELINES = 11  # Baseline, Baseline1 .. Baseline10 (Microsoft Project)
MAX_MINUTES = 100 * 365 * 24 * 60
"""The longest duration or lag accepted, in minutes (100 years): longer is surely a typo, and
far longer would not fit the database's integers."""
LARGE_PLAN_TASKS = 2000  # plans at least this big are recomputed in the background
# MSPDI DurationFormat codes of elapsed durations (em, eh, ed, ew, emo, and estimated "?")
ELAPSED_DURATION_FORMATS = frozenset({4, 6, 8, 10, 12, 36, 38, 40, 42, 44})


class LinkType(models.TextChoices):
    FS = "FS", _("Finish-to-start")
    SS = "SS", _("Start-to-start")
    FF = "FF", _("Finish-to-finish")
    SF = "SF", _("Start-to-finish")


class Constraint(models.TextChoices):
    ASAP = "ASAP", _("As soon as possible")
    ALAP = "ALAP", _("As late as possible")
    SNET = "SNET", _("Start no earlier than")
    SNLT = "SNLT", _("Start no later than")
    FNET = "FNET", _("Finish no earlier than")
    FNLT = "FNLT", _("Finish no later than")
    MSO = "MSO", _("Must start on")
    MFO = "MFO", _("Must finish on")


class PlanState(models.TextChoices):
    CURRENT = "current", _("Up to date")
    PENDING = "pending", _("Recomputing")
    FAILED = "failed", _("Cannot be scheduled")


class Plan(VersionedModel):
    """The schedule of one project: start, status date, project calendar and computed finish."""

    project = models.OneToOneField(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="plan",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"))
    status_date = models.DateTimeField(_("status date"), null=True, blank=True)
    calendar = models.ForeignKey(
        "scheduling.Calendar",
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    minutes_per_day = models.PositiveIntegerField(_("minutes per day"), default=480)
    finish = models.DateTimeField(_("finish"), null=True, blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=10, choices=PlanState.choices, default=PlanState.PENDING
    )
    problem = models.TextField(_("problem"), blank=True)
    assumed_years = models.CharField(_("holidays assumed for"), max_length=100, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)

    WALL_CLOCK_FIELDS: ClassVar[frozenset[str]] = frozenset({"start", "status_date", "finish"})
    """Stored as if UTC (``pmo.scheduling.walltime``); ``computed_at`` is a real instant."""

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"plan of {self.project.code}"


class Calendar(models.Model):
    """A working calendar of a plan (project or resource calendar).

    ``week`` holds seven lists (Monday..Sunday) of ``[start, end]`` minutes after midnight.
    """

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="calendars"
    )
    uid = models.IntegerField(_("UID"))
    name = models.CharField(_("name"), max_length=200)
    week = models.JSONField(_("weekly hours"), null=True, blank=True)
    base = models.ForeignKey(
        "self",
        verbose_name=_("base calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
    )
    holidays = models.CharField(_("holiday source"), max_length=4, blank=True)
    covered_years = models.JSONField(
        _("years entered by hand"),
        default=list,
        blank=True,
        help_text=_(
            "Years the holiday source does not know yet whose official holidays and adjusted "
            "working days were entered as exceptions, e.g. [2027]."
        ),
    )
    work_weeks = models.JSONField(
        _("work weeks"),
        default=list,
        blank=True,
        help_text=_('[{"first": "2026-07-01", "last": "2026-08-31", "week": [...], "name": ""}]'),
    )

    class Meta:
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")
        ordering = ["uid"]
        constraints = [models.UniqueConstraint(fields=["plan", "uid"], name="calendar_unique_uid")]

    def __str__(self) -> str:
        return self.name


class CalendarException(models.Model):
    """Dates whose hours differ from the week: a holiday (no hours) or extra work (调休)."""

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="exceptions"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    first = models.DateField(_("from"))
    last = models.DateField(_("to"))
    hours = models.JSONField(_("working hours"), default=list, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["first"]

    def __str__(self) -> str:
        return f"{self.first}..{self.last}"


class Task(VersionedModel):
    """A task, milestone or summary task; computed fields are written by ``recompute_plan``."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    uid = models.IntegerField(_("UID"))
    position = models.PositiveIntegerField(_("position"))
    wbs = models.CharField(_("WBS"), max_length=60, blank=True)
    outline_level = models.PositiveSmallIntegerField(_("outline level"), default=1)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("summary task"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=255)
    duration = models.PositiveIntegerField(_("duration (working minutes)"), default=0)
    milestone = models.BooleanField(_("milestone"), default=False)
    summary = models.BooleanField(_("summary"), default=False)
    constraint = models.CharField(
        _("constraint"), max_length=4, choices=Constraint.choices, default=Constraint.ASAP
    )
    constraint_date = models.DateTimeField(_("constraint date"), null=True, blank=True)
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateTimeField(_("actual finish"), null=True, blank=True)
    remaining = models.PositiveIntegerField(_("remaining (working minutes)"), null=True, blank=True)
    percent_complete = models.FloatField(
        _("% complete"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ignore_resource_calendar = models.BooleanField(_("ignore resource calendars"), default=False)
    duration_format = models.PositiveSmallIntegerField(
        _("duration format"),
        null=True,
        blank=True,
        help_text=_(
            "Microsoft Project DurationFormat, kept for round trips; the elapsed formats "
            "(4, 6, 8, 10, 12 and their estimated variants) run on a 24-hour calendar."
        ),
    )
    portfolio_milestone = models.OneToOneField(
        "portfolio.Milestone",
        verbose_name=_("status-center milestone"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schedule_task",
        editable=False,
    )
    # computed
    start = models.DateTimeField(_("start"), null=True, blank=True, editable=False)
    finish = models.DateTimeField(_("finish"), null=True, blank=True, editable=False)
    early_start = models.DateTimeField(_("early start"), null=True, blank=True, editable=False)
    early_finish = models.DateTimeField(_("early finish"), null=True, blank=True, editable=False)
    late_start = models.DateTimeField(_("late start"), null=True, blank=True, editable=False)
    late_finish = models.DateTimeField(_("late finish"), null=True, blank=True, editable=False)

    WALL_CLOCK_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {
            "constraint_date",
            "actual_start",
            "actual_finish",
            "start",
            "finish",
            "early_start",
            "early_finish",
            "late_start",
            "late_finish",
        }
    )
    """Stored as if UTC (``pmo.scheduling.walltime``)."""
    total_float = models.IntegerField(_("total float"), null=True, blank=True, editable=False)
    free_float = models.IntegerField(_("free float"), null=True, blank=True, editable=False)
    critical = models.BooleanField(_("critical"), default=False, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "uid"], name="task_unique_uid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def elapsed(self) -> bool:
        """Whether the duration is calendar time (Microsoft Project's "edays")."""
        return self.duration_format in ELAPSED_DURATION_FORMATS


class Link(models.Model):
    """A dependency: ``pred`` drives ``succ`` (FS/SS/FF/SF) with a lag in minutes."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="links"
    )
    pred = models.ForeignKey(
        Task, verbose_name=_("predecessor"), on_delete=models.CASCADE, related_name="successors"
    )
    succ = models.ForeignKey(
        Task, verbose_name=_("successor"), on_delete=models.CASCADE, related_name="predecessors"
    )
    type = models.CharField(_("type"), max_length=2, choices=LinkType.choices, default="FS")
    lag = models.IntegerField(_("lag (minutes)"), default=0)
    elapsed = models.BooleanField(_("elapsed lag"), default=False)
    lag_format = models.PositiveSmallIntegerField(_("lag format"), default=7)
    lag_percent = models.IntegerField(
        _("lag (percent of the predecessor's duration)"),
        null=True,
        blank=True,
        help_text=_("When set, the lag is recomputed from the predecessor's duration."),
    )

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(fields=["pred", "succ"], name="link_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.pred_id} {self.type} {self.succ_id}"


class Baseline(models.Model):
    """A saved copy of the plan's dates: number 0 ("Baseline") to 10 ("Baseline10")."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="baselines"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MaxValueValidator(MAX_BASELINES - 1)]
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    saved_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="baseline_unique_number"),
            models.CheckConstraint(condition=models.Q(number__lte=10), name="baseline_number_0_10"),
        ]

    def __str__(self) -> str:
        """Its own name, else its label in the reader's language ("Baseline", "Baseline 1"
        .. / "基线", "基线 1" ..); Microsoft Project's field names run the number on
        ("Baseline1"), which reads badly in a sentence and is not translated."""
        if self.name:
            return self.name
        if not self.number:
            return str(_("Baseline"))
        return str(_("Baseline %(number)s") % {"number": self.number})


class BaselineTask(models.Model):
    """One task's dates in a baseline."""

    baseline = models.ForeignKey(
        Baseline, verbose_name=_("baseline"), on_delete=models.CASCADE, related_name="tasks"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="baselines"
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    finish = models.DateTimeField(_("finish"), null=True, blank=True)
    duration = models.PositiveIntegerField(_("duration (working minutes)"), default=0)

    class Meta:
        verbose_name = _("baseline task")
        verbose_name_plural = _("baseline tasks")
        constraints = [
            models.UniqueConstraint(fields=["baseline", "task"], name="baseline_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.baseline_id}/{self.task_id}"


class Resource(models.Model):
    """A resource of the plan: its calendar schedules the tasks it is assigned to."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="resources"
    )
    uid = models.IntegerField(_("UID"))
    name = models.CharField(_("name"), max_length=200)
    calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["uid"]
        constraints = [models.UniqueConstraint(fields=["plan", "uid"], name="resource_unique_uid")]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A resource working on a task (``units`` 1.0 = full time, ``work`` in minutes)."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments"
    )
    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="assignments"
    )
    units = models.FloatField(_("units"), default=1.0)
    work = models.PositiveIntegerField(_("work (minutes)"), default=0)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.resource_id} on {self.task_id}"
