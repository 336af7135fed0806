"""``pmo import msproject|xlsx FILE [--project CODE]``: import a plan (all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.core.errors import DomainError
from pmo.interop import services, xlsx


class Command(BaseCommand):
    help = "Import a plan: msproject (Microsoft Project XML) or xlsx (the PMO Hub template)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["msproject", "xlsx"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--project",
            help="project code: created when new, its plan replaced otherwise "
            "(default: the file name in capitals)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if options["project"] is not None and not options["project"].strip():
            raise CommandError(
                "--project is empty: give a project code, or leave --project out to use "
                "the file name"
            )
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        code = options["project"] or path.stem.upper().replace(" ", "-")[:40]
        try:
            if options["format"] == "msproject":
                plan = services.import_msproject(actor=None, content=content, code=code)
            else:
                plan = services.import_plan_data(
                    actor=None, data=xlsx.read_xlsx(content), code=code
                )
        except DomainError as exc:
            nothing = _("nothing was imported")
            separator = pgettext("list of problems", "; ")
            raise CommandError(f"{path.name}: {exc}{separator}{nothing}") from None
        finish = plan.finish.strftime("%Y-%m-%d %H:%M") if plan.finish else "-"
        self.stdout.write(
            f"imported {plan.tasks.count()} tasks into project {plan.project.code} "
            f"(finish {finish})"
        )
