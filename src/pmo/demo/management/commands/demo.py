"""``pmo demo [--projects N] [--no-serve] [--language L]``: migrate, load the demo portfolio,
serve."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from pmo.core.commands import OneLineCommand
from pmo.demo.language import LANGUAGES, default_language
from pmo.demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo, pm_usernames, reset_demo
from pmo.demo.management.commands.serve import parse_port, port_from_environment


class Command(OneLineCommand):
    help = "Create the database, load the demo portfolio (idempotent) and serve the app."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--projects",
            type=int,
            default=72,
            help="number of projects (default 72, 60 of them strategic)",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="load only, do not start the server"
        )
        parser.add_argument(
            "--reset", action="store_true", help="remove the demo data first, then load again"
        )
        parser.add_argument(
            "--as-of", default="", help="date the demo history ends at (YYYY-MM-DD; default today)"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed of the demo data (default 2026)"
        )
        parser.add_argument(
            "--language",
            default=None,
            help="language of the demo's texts: en or zh-hans (default: $PMO_LANGUAGE, else en)",
        )
        parser.add_argument(
            "--port", type=parse_port, default=None, help="default: $PMO_PORT, else 8000"
        )
        parser.add_argument(
            "--host", default=None, help="address to listen on (default: $PMO_HOST, else 127.0.0.1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["projects"] <= 100_000:
            raise CommandError("--projects must be between 1 and 100000")
        language = options["language"] or default_language()
        if language not in LANGUAGES:
            raise CommandError(
                f"--language {options['language']!r} is not one of {', '.join(LANGUAGES)}"
            )
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of {options['as_of']!r} is not a date like 2026-11-20"
                ) from None
        # Check where to serve before loading: a bad PMO_PORT is not worth a minute's wait.
        port = None if options["no_serve"] else options["port"] or port_from_environment()
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            reset_demo()
        with tqdm(
            total=options["projects"],
            desc="demo portfolio",
            unit="project",
            file=sys.stderr,
            disable=None,
        ) as bar:
            result = load_demo(
                projects=options["projects"],
                as_of=as_of,
                seed=options["seed"],
                progress=bar.update,
                language=language,
            )
        if result.created:
            self.stdout.write(
                f"Loaded the demo portfolio: {result.projects} projects, "
                f"{result.reports} status reports."
            )
        else:
            self.stdout.write(
                f"The demo portfolio is already loaded ({result.projects} projects); "
                "use --reset to reload (also to change its --language)."
            )
        self.stdout.write(f"Sign in with one of these users (password: {DEMO_PASSWORD}):")
        for username, role, person, _staff in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {role.label}{f' ({person})' if person else ''}")
        others = sorted(pm_usernames().values())
        self.stdout.write(
            f"  and the other project managers' own accounts ({others[0]}, ...)" if others else ""
        )
        if not options["no_serve"]:
            serve_args: dict[str, Any] = {"port": port}
            if options["host"]:
                serve_args["host"] = options["host"]
            call_command("serve", **serve_args)
