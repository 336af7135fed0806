"""``pmo token create USERNAME [--calendar]``: print a new API (or calendar-feed) token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from pmo.accounts import services
from pmo.accounts.models import ApiToken, TokenScope
from pmo.core.commands import OneLineCommand
from pmo.core.errors import DomainError


class Command(OneLineCommand):
    help = "Manage API tokens: 'create USERNAME' prints a new bearer token."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument(
            "--name", default="", help="a label for the token (at most 100 characters)"
        )
        create.add_argument(
            "--calendar",
            action="store_true",
            help="a token for the gate calendar feed only (/gate-calendar.ics?token=...)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Checked here, not left to the database: SQLite would store any length, PostgreSQL
        # refuses with a message that does not name the option.
        limit = ApiToken._meta.get_field("name").max_length or 0
        if len(options["name"]) > limit:
            raise CommandError(
                f"--name: at most {limit} characters, got {len(options['name'])}; "
                "no token was created"
            )
        try:
            raw = services.create_token(
                username=options["username"],
                name=options["name"],
                scope=TokenScope.CALENDAR if options["calendar"] else TokenScope.API,
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(raw)
