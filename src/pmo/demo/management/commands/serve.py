"""``pmo serve``: the app under waitress (a production-grade WSGI server, no extra set-up)."""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError, CommandParser

from pmo.core.commands import OneLineCommand


def _bounded(what: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, else a one-line usage error."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {what}: {text!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"a {what} is {low} to {high}, got {number}")
        return number

    return parse


parse_port = _bounded("port", 1, 65535)


def port_from_environment() -> int:
    """``PMO_PORT`` (default 8000), checked like ``--port`` but naming the variable."""
    text = os.environ.get("PMO_PORT", "").strip() or "8000"
    try:
        return parse_port(text)
    except argparse.ArgumentTypeError as exc:
        raise CommandError(f"PMO_PORT: {exc}") from None


def start_task_worker() -> threading.Thread:
    """Run django-tasks' database worker in a daemon thread (background work, no set-up),
    one that outlives a busy or dropped database (:mod:`pmo.core.worker`).

    One process serves and works; for several app servers run ``pmo db_worker`` beside
    them and start them with ``--no-worker``.
    """
    from pmo.core.worker import start_worker_thread

    return start_worker_thread()


def max_request_body() -> int:
    """The largest request body waitress accepts (413 above): the largest upload, an MS Project
    file of 50 MB or a gate deliverable of ``PMO_MAX_UPLOAD_MB``, plus 1 MB of form overhead.
    waitress's own default (1 GB) would buffer a gigabyte before any view could refuse it."""
    from django.conf import settings

    from pmo.interop.mspdi_read import MAX_BYTES

    largest = max(MAX_BYTES, settings.PMO_MAX_UPLOAD_MB * 1024 * 1024)
    return largest + 1024 * 1024


def behind_proxy(application: Any) -> Any:
    """``application`` believing the forwarding headers of ``PMO_TRUSTED_PROXY`` only (ADR 0017).

    A setting that would redirect every request again is refused: ``PMO_PROXY_SSL_HEADER``
    with ``PMO_HTTPS`` but no trusted proxy, whose ``X-Forwarded-Proto`` waitress removes.
    """
    from django.conf import settings

    from pmo.core.proxy import trust_proxies

    if settings.SECURE_SSL_REDIRECT and not settings.PMO_TRUSTED_PROXY:
        raise CommandError(
            "PMO_PROXY_SSL_HEADER=1 with PMO_HTTPS=1 needs PMO_TRUSTED_PROXY, the proxy's "
            "address (e.g. 127.0.0.1): pmo serve removes X-Forwarded-Proto from peers it does "
            "not trust, so every request would be redirected to https again"
        )
    return trust_proxies(
        application,
        settings.PMO_TRUSTED_PROXY,
        settings.PMO_TRUSTED_PROXY_HEADERS,
        settings.PMO_TRUSTED_PROXY_COUNT,
    )


def https_without_proxy_warning() -> str:
    """The line ``pmo serve`` warns with when ``PMO_HTTPS=1`` trusts no proxy (ADR 0017)."""
    return (
        "warning: PMO_HTTPS=1 without PMO_TRUSTED_PROXY: every request looks like plain http "
        "here (no redirect to https, links built as http); behind a proxy set "
        "PMO_TRUSTED_PROXY to its address (e.g. 127.0.0.1)"
    )


class Command(OneLineCommand):
    help = "Serve PMO Hub on http://HOST:PORT with waitress (static files included)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default=os.environ.get("PMO_HOST", "").strip() or "127.0.0.1",
            help="address to listen on (default: $PMO_HOST, else 127.0.0.1; 0.0.0.0: every "
            "interface)",
        )
        parser.add_argument(
            "--port", type=parse_port, default=None, help="default: $PMO_PORT, else 8000"
        )
        parser.add_argument(
            "--threads",
            type=_bounded("thread count", 1, 256),
            default=8,
            help="requests served at once (1 to 256, default 8)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run background tasks (leveling runs) in this process",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application
        from waitress import create_server

        port = options["port"]
        if port is None:
            port = port_from_environment()
        elif not isinstance(port, int) or not 1 <= port <= 65535:  # call_command skips argparse
            raise CommandError(f"--port: a port is 1 to 65535, got {port!r}")
        options["port"] = port
        application = behind_proxy(get_wsgi_application())
        address = f"{options['host']}:{options['port']}"
        try:  # bind first: a wrong host or a port in use is one line, not a traceback
            server = create_server(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="pmo-hub",
                channel_timeout=120,
                max_request_body_size=max_request_body(),
                # behind_proxy decides whose forwarding headers count (several proxies,
                # networks); waitress's own check takes one exact address only
                clear_untrusted_proxy_headers=False,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot serve on {address}: {exc}") from None
        if not options["no_worker"]:
            start_task_worker()
        self.stdout.write(f"PMO Hub serving on http://{address}/ (Ctrl+C stops)")
        if proxies := settings.PMO_TRUSTED_PROXY:
            self.stdout.write(
                f"believing {', '.join(settings.PMO_TRUSTED_PROXY_HEADERS)} from "
                f"{', '.join(proxies)} (PMO_TRUSTED_PROXY)"
            )
        elif settings.PMO_HTTPS:
            self.stderr.write(https_without_proxy_warning())
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
