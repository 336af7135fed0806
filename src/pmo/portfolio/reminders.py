"""Reminders to report: the PMO (or the scheduled ``pmo remind-reports``) chasing the managers
of projects whose status report for the period due is missing. One row per project and day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.core.models import TimeStampedModel


class ReportReminder(TimeStampedModel):
    """A reminder sent to a project's manager that the report of ``period`` is missing.

    ``sent_by`` is ``None`` for the command line (a scheduled run). At most one a project and
    day (``day`` is the local date it was sent), so the PMO never chases twice in a day.
    """

    project = models.ForeignKey(
        "portfolio.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="report_reminders",
    )
    period = models.CharField(_("period"), max_length=10)
    day = models.DateField(_("day"))
    manager = models.ForeignKey(
        "accounts.Person",
        verbose_name=_("project manager"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reminder to report")
        verbose_name_plural = _("reminders to report")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "day"], name="report_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"reminder {self.period} {self.day.isoformat()}"

    @property
    def display_name(self) -> str:
        """The reminder as the project's history names it, in the active language."""
        return gettext("reminder to report for %(period)s") % {"period": self.period}
