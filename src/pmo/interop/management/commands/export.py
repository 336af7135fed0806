"""``pmo export msproject CODE --out FILE.xml`` and ``pmo export xlsx CODE --out FILE.xlsx``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from pmo.core.commands import OneLineCommand
from pmo.core.files import check_output_path, write_atomically
from pmo.interop import services, xlsx
from pmo.portfolio.models import Project
from pmo.scheduling.models import Plan


class Command(OneLineCommand):
    help = "Export a project's plan: msproject (Microsoft Project XML) or xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["msproject", "xlsx"])
        parser.add_argument("code", help="project code (exact, e.g. P0001)")
        parser.add_argument("--out", required=True, help="file to write (.xml or .xlsx)")

    def handle(self, *args: Any, **options: Any) -> None:
        suffix = ".xml" if options["format"] == "msproject" else ".xlsx"
        if problem := check_output_path(options["out"], example=f"plan{suffix}"):
            raise CommandError(problem)
        given = Path(options["out"]).suffix
        if given.lower() != suffix:  # like report onepage: the extension says what the file is
            what = f"the extension {given}" if given else "no extension"
            raise CommandError(
                f"--out {options['out']}: {what} for {options['format']}; use {suffix}"
            )
        plan = _plan_of(options["code"])
        if options["format"] == "msproject":
            content = services.export_msproject(plan)
        else:
            content = xlsx.write_xlsx(plan)
        out = Path(options["out"])
        try:
            write_atomically(out, content)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        self.stdout.write(f"wrote {out} ({plan.tasks.count()} tasks)")


def _plan_of(code: str) -> Plan:
    """The plan of project ``code``, or a one-line error saying which part is missing."""
    plan = Plan.objects.select_related("project").filter(project__code=code).first()
    if plan is not None:
        return plan
    if Project.objects.filter(code=code).exists():
        raise CommandError(
            f"project {code!r} has no plan to export; import one first: "
            f"pmo import msproject FILE --project {code}"
        )
    # Codes are exact everywhere (the app, the API, --project of pmo import): only a hint here.
    near = Project.objects.filter(code__iexact=code).values_list("code", flat=True).first()
    hint = f"; did you mean {near}? (codes are case-sensitive)" if near else ""
    raise CommandError(f"no project {code!r}{hint}")
