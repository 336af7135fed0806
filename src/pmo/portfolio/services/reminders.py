"""Reminding project managers of the status reports they owe (the PMO's chase, by hand or from
``pmo remind-reports`` run by cron).

A reminder goes to the manager of a project whose report for the period now due is missing
(``filters.missing_q``): it is recorded (:class:`~pmo.portfolio.reminders.ReportReminder`, and
in the project's audit trail) and announced with :data:`~pmo.portfolio.signals.reports_reminded`,
on which the dependencies app notifies the manager in the app. A project is reminded at most
once a day; the others of a request are skipped and counted by reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import User
from pmo.audit.models import AuditAction
from pmo.audit.services import diff, record, snapshot
from pmo.core.errors import FieldError, PermissionDeniedError
from pmo.core.sentences import quoted
from pmo.portfolio.access import visible_projects
from pmo.portfolio.filters import missing_q
from pmo.portfolio.models import Project, ReportReminder
from pmo.portfolio.periods import due_period
from pmo.portfolio.services.common import scope_of
from pmo.portfolio.signals import reports_reminded

__all__ = [
    "SKIP_REASONS",
    "ReminderResult",
    "Skipped",
    "projects_by_code",
    "remind_reports",
    "require_reminding",
]

#: Why a project of a request got no reminder.
SKIP_REASONS = ("reminded_today", "no_manager", "not_missing")


@dataclass(frozen=True)
class Skipped:
    project: Project
    reason: str  # one of SKIP_REASONS


@dataclass
class ReminderResult:
    """What a request to remind did: the reminders written and the projects skipped."""

    sent: list[ReportReminder] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_by(self, reason: str) -> int:
        return sum(1 for s in self.skipped if s.reason == reason)

    def message(self) -> str:
        """One line in the active language: how many were sent, and skipped for what."""
        if not self.sent and not self.skipped:
            return _("No project is missing its report: no reminder sent.")
        n = len(self.sent)
        parts = [ngettext("%(n)d reminder sent", "%(n)d reminders sent", n) % {"n": n}]
        if k := self.skipped_by("reminded_today"):
            parts.append(
                ngettext(
                    "%(n)d project skipped: reminded today already",
                    "%(n)d projects skipped: reminded today already",
                    k,
                )
                % {"n": k}
            )
        if k := self.skipped_by("no_manager"):
            parts.append(
                ngettext(
                    "%(n)d project skipped: no manager who signs in",
                    "%(n)d projects skipped: no manager who signs in",
                    k,
                )
                % {"n": k}
            )
        if k := self.skipped_by("not_missing"):
            parts.append(
                ngettext(
                    "%(n)d project skipped: its report is not missing",
                    "%(n)d projects skipped: their report is not missing",
                    k,
                )
                % {"n": k}
            )
        return pgettext("list of problems", "; ").join(parts)


def require_reminding(actor: User | None) -> None:
    """Only the PMO chases reports (``None``: the command line, run by the operator)."""
    if actor is not None and not (actor.is_authenticated and actor.is_active and actor.is_pmo):
        raise PermissionDeniedError(_("only the PMO sends reminders to report"))


def projects_by_code(actor: User | None, codes: Iterable[str], field: str) -> list[Project]:
    """The projects of ``codes`` (in that order, once each); one that ``actor`` cannot see or
    that does not exist is a :class:`FieldError` naming ``field``."""
    wanted = list(dict.fromkeys(str(c).strip() for c in codes))
    qs = Project.objects.all() if actor is None else visible_projects(actor)
    found = {p.code: p for p in qs.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise FieldError(
            field,
            _("no project with code %(code)s") % {"code": ", ".join(quoted(c) for c in unknown)},
        )
    return [found[code] for code in wanted]


def remind_reports(
    *,
    actor: User | None,
    projects: Iterable[Project] | None = None,
    today: dt.date | None = None,
) -> ReminderResult:
    """Remind the managers of ``projects`` (default: every project missing its report) of
    the report due; a project reminded today already, without a manager who signs in, or whose
    report is not missing is skipped. ``actor`` ``None`` is the command line."""
    require_reminding(actor)
    today = today or timezone.localdate()
    missing = Project.objects.filter(missing_q(today))
    if projects is None:
        candidates = list(missing.select_related("manager__user").order_by("code"))
        missing_ids = {p.pk for p in candidates}
    else:
        candidates = list(projects)
        missing_ids = set(
            missing.filter(pk__in=[p.pk for p in candidates]).values_list("pk", flat=True)
        )
    result = ReminderResult()
    with transaction.atomic():
        reminded = set(
            ReportReminder.objects.filter(
                project_id__in=[p.pk for p in candidates], day=today
            ).values_list("project_id", flat=True)
        )
        for project in candidates:
            reason = _skip_reason(project, missing_ids, reminded)
            reminder = None if reason else _write(actor, project, today)
            if reminder is None:
                result.skipped.append(Skipped(project, reason or "reminded_today"))
            else:
                result.sent.append(reminder)
        if result.sent:
            reports_reminded.send(sender=ReportReminder, reminders=result.sent, actor=actor)
    return result


def _skip_reason(project: Project, missing_ids: set[int], reminded: set[int]) -> str:
    if project.pk not in missing_ids:
        return "not_missing"
    if project.pk in reminded:
        return "reminded_today"
    manager = project.manager
    user = manager.user if manager is not None else None
    if user is None or not user.is_active:
        return "no_manager"
    return ""


def _write(actor: User | None, project: Project, today: dt.date) -> ReportReminder | None:
    """Record one reminder (``None``: another request reminded the project a moment ago)."""
    period = due_period(today, project.cadence, settings.PMO_REPORT_GRACE_DAYS).key
    reminder = ReportReminder(
        project=project, period=period, day=today, manager=project.manager, sent_by=actor
    )
    try:
        with transaction.atomic():  # a savepoint: the unique day check of a concurrent click
            reminder.save()
    except IntegrityError:
        return None
    changes: dict[str, Any] = diff({}, snapshot(reminder, ["period", "manager"]))
    record(
        actor=actor,
        action=AuditAction.CREATE,
        instance=reminder,
        scope=scope_of(project),
        changes=changes,
    )
    return reminder
