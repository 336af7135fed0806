"""``pmo serve``: the app under waitress (a production-grade WSGI server, no extra set-up)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve PMO Hub on http://HOST:PORT with waitress (static files included)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("PMO_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PMO_PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from django.core.wsgi import get_wsgi_application
        from waitress import serve

        application = get_wsgi_application()

        self.stdout.write(
            f"PMO Hub serving on http://{options['host']}:{options['port']}/ (Ctrl+C stops)"
        )
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="pmo-hub",
            channel_timeout=120,
        )
