"""``pmo import msproject|xlsx FILE [--project CODE]``: import a plan (all or nothing)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.core.commands import OneLineCommand
from pmo.core.errors import DomainError
from pmo.interop import services, xlsx
from pmo.interop.formats import is_workbook
from pmo.portfolio.models import Project

_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


class Command(OneLineCommand):
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
        if not content.strip():
            raise CommandError(f"{path.name}: the file is empty; nothing was imported")
        if options["format"] == "msproject" and is_workbook(content):
            raise CommandError(
                f"{path.name}: this is an Excel workbook, not MS Project XML: use "
                f"pmo import xlsx {path}"
            )
        if options["format"] == "xlsx" and content.lstrip()[:1] == b"<":
            raise CommandError(
                f"{path.name}: this is XML, not an Excel workbook: use pmo import msproject {path}"
            )
        code = options["project"] or path.stem.upper().replace(" ", "-")[:40]
        _check_new_code(code, given=options["project"] is not None, path=path)
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


def _check_new_code(code: str, *, given: bool, path: Path) -> None:
    """Refuse, before reading the file, a new project code that could not or should not be made.

    An existing project is imported into whatever its code; a new one needs a code of Latin
    letters, digits, ``.``, ``_`` or ``-`` and must not differ from an existing code by case
    only (``p0001`` beside ``P0001``), which export and report would then tell apart.
    """
    if Project.objects.filter(code=code).exists():
        return
    if not _CODE.fullmatch(code):
        if given:
            raise CommandError(
                f"--project {code}: a new project code has 1-40 Latin letters A-Z, digits, . _ or -"
            )
        raise CommandError(
            f"{path.name}: the file name gives no valid project code ({code!r}); "
            "give one with --project CODE (Latin letters A-Z, digits, . _ or -)"
        )
    near = Project.objects.filter(code__iexact=code).values_list("code", flat=True).first()
    if near:
        raise CommandError(
            f"no project {code!r}; did you mean {near}? (codes are case-sensitive); "
            "nothing was imported"
        )
