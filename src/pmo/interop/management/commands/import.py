"""``pmo import msproject|xlsx FILE [--project CODE]``: import a plan (all or nothing).

Without ``--project`` the import creates a project (code from the file name) and never touches
an existing one; ``--project CODE`` replaces the plan of project CODE (or creates it).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.core.commands import OneLineCommand
from pmo.core.errors import DomainError
from pmo.interop import services
from pmo.interop.formats import is_workbook
from pmo.interop.mspdi_read import read_mspdi
from pmo.interop.xlsx import read_xlsx
from pmo.portfolio.models import Project

_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


class Command(OneLineCommand):
    help = "Import a plan: msproject (Microsoft Project XML) or xlsx (the PMO Hub template)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["msproject", "xlsx"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--project",
            help="project code: created when new, its plan replaced otherwise (without "
            "--project a new project is created, its code the file name in capitals)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        given: str | None = options["project"]
        if given is not None and not given.strip():
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
        # the advice keeps --project: without it, following it would make a new project
        also = f" --project {shlex.quote(given)}" if given else ""
        if options["format"] == "msproject" and is_workbook(content):
            raise CommandError(
                f"{path.name}: this is an Excel workbook, not MS Project XML: use "
                f"pmo import xlsx {shlex.quote(str(path))}{also}"
            )
        if options["format"] == "xlsx" and content.lstrip()[:1] == b"<":
            raise CommandError(
                f"{path.name}: this is XML, not an Excel workbook: use "
                f"pmo import msproject {shlex.quote(str(path))}{also}"
            )
        code = given or path.stem.upper().replace(" ", "-")[:40]
        created = _check_code(code, given=given is not None, path=path)
        try:
            data = read_mspdi(content) if options["format"] == "msproject" else read_xlsx(content)
            result = services.import_reporting(actor=None, data=data, code=code, new=given is None)
        except DomainError as exc:
            nothing = _("nothing was imported")
            separator = pgettext("list of problems", "; ")
            raise CommandError(f"{path.name}: {exc}{separator}{nothing}") from None
        plan = result.plan
        if created:
            self.stdout.write(_created(plan.project))
        finish = plan.finish.strftime("%Y-%m-%d %H:%M") if plan.finish else "-"
        self.stdout.write(
            f"imported {plan.tasks.count()} tasks into project {plan.project.code} "
            f"(finish {finish})"
        )
        # dates far from the project's (a created project takes its dates from the plan) and
        # resources that match none of the capacity plan's
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")


def _created(project: Project) -> str:
    """What a new project was given that the plan file does not say, and where to change it.

    ``created project WEB "Web portal" in portfolio STRAT (Strategic), org unit GRP (Group),
    type R&D, no manager; ...`` (the type's label: the command line is English, ADR 0001)
    """
    manager = project.manager
    with translation.override("en"):  # the line is English whatever PMO_LANGUAGE says
        kind = str(project.get_pmo_type_display())
    return (
        f'created project {project.code} "{project.name}" in portfolio '
        f"{project.portfolio.code} ({project.portfolio.name}), org unit "
        f"{project.org_unit.code} ({project.org_unit.name}), type {kind}, "
        + (f"manager {manager.name}" if manager else "no manager")
        + f"; change them at /projects/{project.code}/edit/ or with "
        f"PATCH /api/v1/projects/{project.code}"
    )


def _check_code(code: str, *, given: bool, path: Path) -> bool:
    """Refuse, before reading the file, a project code that could not or should not be used;
    ``True`` when the import will create the project.

    Without ``--project`` the import makes a new project, so the code from the file name must
    be new: an existing project (whatever the case of its code) keeps its plan unless named
    with ``--project``. An existing project named with ``--project`` is imported into whatever
    its code; a new one needs a code of Latin letters, digits, ``.``, ``_`` or ``-`` and must
    not differ from an existing code by case only (``p0001`` beside ``P0001``), which export
    and report would then tell apart.
    """
    if not given:
        taken = Project.objects.filter(code__iexact=code).values_list("code", flat=True).first()
        if taken is not None:
            raise CommandError(
                f"project {taken} already exists; to replace its plan, give --project {taken}"
            )
    elif Project.objects.filter(code=code).exists():
        return False
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
    return True
