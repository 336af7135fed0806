"""``pmo report onepage --format pdf --out FILE [--period 2026-W40] [--portfolio CODE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pmo.accounts.models import Role, User
from pmo.core.errors import DomainError
from pmo.reports.forms import FORMATS


class Command(BaseCommand):
    help = "Produce a report: 'onepage' (the one-page steering report)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        one = sub.add_parser("onepage", help="every strategic project on one page")
        one.add_argument(
            "--format",
            choices=FORMATS,
            help="default: from the --out file's extension (.html, .pdf, .pptx, .xlsx), else pdf",
        )
        one.add_argument("--out", required=True, help="file to write")
        one.add_argument(
            "--period", default="", help="ISO week, e.g. 2026-W40 (default: latest due)"
        )
        one.add_argument("--portfolio", default="")
        one.add_argument("--program", default="")
        one.add_argument("--org-unit", default="")
        one.add_argument("--all-projects", action="store_true", help="not only the strategic ones")
        one.add_argument("--language", choices=["en", "zh-hans"], default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        from pmo.reports.onepage.build import build_onepage
        from pmo.reports.onepage.render import render

        out = Path(options["out"])
        suffix = out.suffix.lower().lstrip(".")
        fmt = options["format"] or (suffix if suffix in FORMATS else "pdf")
        if not out.parent.exists():
            raise CommandError(f"folder {out.parent} does not exist")
        # The command line speaks for the PMO: it sees every project.
        reader = User(username="pmo-cli", role=Role.PMO_ADMIN, is_active=True)
        filters = {
            "portfolio": options["portfolio"],
            "program": options["program"],
            "org_unit": options["org_unit"],
            "scope": "all" if options["all_projects"] else "strategic",
        }
        try:
            page = build_onepage(
                reader, filters, period=options["period"] or None, language=options["language"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        body = render(page, fmt)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(body)
        tmp.replace(out)  # never leave a half-written file behind
        self.stdout.write(
            f"{out}: one-page report {page.period.key}, {page.header.total} projects, "
            f"{fmt}, {len(body):,} bytes"
        )
