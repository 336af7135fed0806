"""``pmo export msproject CODE --out FILE.xml`` and ``pmo export xlsx CODE --out FILE.xlsx``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmo.interop import services, xlsx
from pmo.scheduling.models import Plan


class Command(BaseCommand):
    help = "Export a project's plan: msproject (Microsoft Project XML) or xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=["msproject", "xlsx"])
        parser.add_argument("code", help="project code")
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("project").filter(project__code=options["code"]).first()
        if plan is None:
            raise CommandError(f"project {options['code']!r} does not exist or has no plan")
        if options["format"] == "msproject":
            content = services.export_msproject(plan)
        else:
            content = xlsx.write_xlsx(plan)
        out: Path = options["out"]
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"{out}: {exc.strerror or exc}") from None
        self.stdout.write(f"wrote {out} ({plan.tasks.count()} tasks)")
