"""``pmo remind-reports [--project CODE ...] [--as USERNAME] [--dry-run]``: remind the managers
of the projects whose status report for the period due is missing (for cron: run it daily or
weekly; a project is reminded at most once a day, however often it runs)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from pmo.core.commands import OneLineCommand
from pmo.core.errors import DomainError
from pmo.portfolio.services.reminders import (
    SKIP_REASONS,
    ReminderResult,
    projects_by_code,
    remind_reports,
)

#: Why a project was skipped, as the command says it (the operator's console is English).
WHY = {
    "reminded_today": "reminded today already",
    "no_manager": "no manager who signs in",
    "not_missing": "report not missing",
}


def _dry_run(result: ReminderResult) -> str:
    """What a dry run would have done: "would send 3 reminders; would skip 1 (1 ...)"."""
    n = len(result.sent)
    line = f"dry run, nothing recorded or sent: would send {n} reminder{'s' if n != 1 else ''}"
    if result.skipped:
        reasons = ", ".join(
            f"{k} {WHY[reason]}" for reason in SKIP_REASONS if (k := result.skipped_by(reason))
        )
        line += f"; would skip {len(result.skipped)} ({reasons})"
    return line


class Command(OneLineCommand):
    help = (
        "Remind the project managers of the status reports they owe for the period due "
        "(an in-app notification each; once a project and day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--project",
            action="append",
            default=[],
            metavar="CODE",
            help="only this project (repeat for more); default: every project missing its report",
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            metavar="USERNAME",
            help="the PMO user named as the sender (default: none, a scheduled reminder)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be sent; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["username"])
        try:
            with transaction.atomic():
                projects = (
                    projects_by_code(actor, options["project"], "--project")
                    if options["project"]
                    else None
                )
                result = remind_reports(actor=actor, projects=projects)
                if options["dry_run"]:
                    transaction.set_rollback(True)  # the reminders and notifications too
        except DomainError as exc:
            raise CommandError(f"{exc}; no reminder was sent") from exc
        if options["verbosity"] >= 2:
            for reminder in result.sent:
                manager = reminder.manager.name if reminder.manager else ""
                self.stdout.write(f"{reminder.project.code} {reminder.period}: {manager}")
            for skipped in result.skipped:
                self.stdout.write(f"{skipped.project.code}: skipped, {WHY[skipped.reason]}")
        self.stdout.write(_dry_run(result) if options["dry_run"] else result.message())

    def _actor(self, username: str) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--as: no user {username!r}; no reminder was sent")
        if not (user.is_active and user.is_pmo):
            raise CommandError(
                f"--as: {username!r} is not an active PMO member; only the PMO sends reminders "
                "to report, so no reminder was sent"
            )
        return user
