"""``pmo report onepage --format pdf --out FILE [--period 2026-W40] [--portfolio CODE]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from pmo.accounts.models import Role, User
from pmo.core.commands import OneLineCommand
from pmo.core.errors import DomainError, FieldError
from pmo.core.files import check_output_path, write_atomically
from pmo.reports.forms import FORMATS


class Command(OneLineCommand):
    help = "Produce a report: 'onepage' (the one-page steering report)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", required=True)
        one = sub.add_parser("onepage", help="every strategic project on one page")
        one.add_argument(
            "--format",
            choices=FORMATS,
            help="default: from the --out file's extension (.html, .pdf, .pptx, .xlsx); pdf "
            "when it has none",
        )
        one.add_argument("--out", required=True, help="file to write")
        one.add_argument(
            "--period", default="", help="ISO week, e.g. 2026-W40 (default: latest due)"
        )
        one.add_argument("--portfolio", default="", help="portfolio code (exact, e.g. STRAT)")
        one.add_argument("--program", default="", help="program code (exact, e.g. CORE)")
        one.add_argument("--org-unit", default="", help="org unit code, with its sub-units")
        one.add_argument("--all-projects", action="store_true", help="not only the strategic ones")
        one.add_argument("--language", choices=["en", "zh-hans"], default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        from pmo.reports.checks import (
            UnknownFormatError,
            check_onepage_format,
            check_onepage_period,
            check_scope_codes,
        )
        from pmo.reports.onepage.build import build_onepage
        from pmo.reports.onepage.render import render

        # Every check before the build: a typo must not cost the build's seconds.
        if problem := check_output_path(options["out"]):
            raise CommandError(problem)
        out = Path(options["out"])
        suffix = out.suffix.lower().lstrip(".")
        try:  # the format follows the extension (any letter case), or is given
            fmt = check_onepage_format(options["format"] or suffix or "pdf")
        except UnknownFormatError as exc:
            raise CommandError(f"--out {out}: {exc} (or give --format)") from None
        filters = {
            "portfolio": options["portfolio"],
            "program": options["program"],
            "org_unit": options["org_unit"],
            "scope": "all" if options["all_projects"] else "strategic",
        }
        # The command line speaks for the PMO: it sees every project.
        reader = User(username="pmo-cli", role=Role.PMO_ADMIN, is_active=True)
        try:
            with translation.override(options["language"]):
                period = check_onepage_period(options["period"]) if options["period"] else None
                check_scope_codes(filters)
            page = build_onepage(reader, filters, period=period, language=options["language"])
        except FieldError as exc:
            raise CommandError(
                f"--{exc.field.replace('_', '-')}: {exc.errors[0]['message']}"
            ) from None
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        body = render(page, fmt)
        try:
            write_atomically(out, body)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        self.stdout.write(
            f"{out}: one-page report {page.period.key}, {page.header.total} projects, "
            f"{fmt}, {len(body):,} bytes"
        )
