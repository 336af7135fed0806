"""``pmo serve`` behind an HTTPS reverse proxy (ADR 0017): a real waitress server, real requests.

The proxy is simulated by sending its headers from 127.0.0.1: trusted when
``PMO_TRUSTED_PROXY`` names that address, ignored (removed) when it names another.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from axes.models import AccessLog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from pmo.accounts.models import User

HOST = "pmo.example.com"
LANDING = "/"  # where a sign-in lands (LOGIN_REDIRECT_URL)
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Host": HOST}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(monkeypatch: Any) -> Iterator[int]:
    """``pmo serve --no-worker`` on a free port in a thread; yields the port."""
    import waitress

    servers: list[Any] = []
    real = waitress.create_server

    def keep(app: Any, **kw: Any) -> Any:
        servers.append(real(app, **kw))
        return servers[-1]

    monkeypatch.setattr("waitress.create_server", keep)
    # waitress's threads outlive the test: their database connections must close after each
    # request, or PostgreSQL refuses to drop the test database at the end of the run
    monkeypatch.setitem(connections.databases["default"], "CONN_MAX_AGE", 0)
    port = _free_port()
    stopping = threading.Event()
    failures: list[BaseException] = []

    def run() -> None:
        try:
            call_command("serve", "--port", str(port), "--no-worker")
        except OSError:  # the socket closed under the running loop by the teardown below
            if not stopping.is_set():
                raise
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    started = time.monotonic() + 60  # the command's start is slow on a loaded machine
    while not (servers or failures) and time.monotonic() < started:
        time.sleep(0.05)
    if failures:
        raise failures[0]
    try:
        yield port
    finally:
        stopping.set()
        servers[0].close()
        thread.join(timeout=10)


def _request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name] = rest.split(";", 1)[0]
    return found


def _sign_in(port: int, headers: dict[str, str]) -> http.client.HTTPResponse:
    """GET the sign-in page, then POST the form with its token as a browser at ``HOST`` would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/", headers=headers)
    page = connection.getresponse()
    html = page.read().decode()
    connection.close()
    assert page.status == 200, (page.status, page.getheader("Location"))
    csrf = _cookies(page)["csrftoken"]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match
    body = urlencode(
        {"username": "pm", "password": "s3cret-pass", "csrfmiddlewaretoken": match.group(1)}
    )
    return _request(
        port,
        "POST",
        "/accounts/login/",
        {
            **headers,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/accounts/login/",
            "Cookie": f"csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )


@pytest.fixture
def https_site(settings: Any, transactional_db: None) -> Any:
    """The settings ``PMO_HTTPS=1 PMO_ALLOWED_HOSTS=pmo.example.com`` give, and user ``pm``."""
    settings.ALLOWED_HOSTS = [HOST, "127.0.0.1"]
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.CSRF_TRUSTED_ORIGINS = []  # the forwarded scheme and host suffice
    settings.SECURE_SSL_REDIRECT = True
    User.objects.create_user("pm", password="s3cret-pass")
    return settings


def test_sign_in_works_behind_a_trusted_proxy_without_a_redirect_loop(
    https_site: Any, monkeypatch: Any
) -> None:
    https_site.PMO_TRUSTED_PROXY = ("127.0.0.1/32",)
    with serving(monkeypatch) as port:
        signed_in = _sign_in(port, {"Host": "127.0.0.1", **PROXY})
    assert signed_in.status == 302
    assert signed_in.getheader("Location") == LANDING
    assert "sessionid" in _cookies(signed_in)
    # the client's address came from X-Forwarded-For: sign-in throttling sees the client
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == ["203.0.113.7"]


def test_a_trusted_network_counts_like_an_address(https_site: Any, monkeypatch: Any) -> None:
    https_site.PMO_TRUSTED_PROXY = ("10.0.0.0/8", "127.0.0.0/8")
    with serving(monkeypatch) as port:
        signed_in = _sign_in(port, {"Host": "127.0.0.1", **PROXY})
    assert (signed_in.status, signed_in.getheader("Location")) == (302, LANDING)


def test_an_untrusted_peers_forwarding_headers_are_ignored(
    https_site: Any, monkeypatch: Any
) -> None:
    https_site.PMO_TRUSTED_PROXY = ("10.9.9.9/32",)  # the proxy is elsewhere, not us
    with serving(monkeypatch) as port:
        answer = _request(port, "GET", "/accounts/login/", {"Host": "127.0.0.1", **PROXY})
    # it claimed https and another host: both removed, so it is sent to https on its own host
    assert answer.status == 301
    assert answer.getheader("Location") == "https://127.0.0.1/accounts/login/"


def test_without_a_trusted_proxy_nothing_forwarded_counts(
    https_site: Any, monkeypatch: Any
) -> None:
    https_site.SECURE_SSL_REDIRECT = False
    https_site.PMO_TRUSTED_PROXY = ()
    with serving(monkeypatch) as port:
        answer = _request(
            port, "GET", "/accounts/login/", {"Host": "127.0.0.1", **PROXY, "Forwarded": "x"}
        )
    assert answer.status == 200
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(("origins", "status"), [([f"https://{HOST}"], 302), ([], 403)])
def test_https_behind_a_proxy_that_says_nothing_signs_in_by_the_trusted_origins(
    https_site: Any, monkeypatch: Any, origins: list[str], status: int
) -> None:
    # PMO_HTTPS=1 alone: the request looks like http, the browser's Origin is https
    https_site.SECURE_SSL_REDIRECT = False
    https_site.PMO_TRUSTED_PROXY = ()
    https_site.CSRF_TRUSTED_ORIGINS = origins
    with serving(monkeypatch) as port:
        answer = _sign_in(port, {"Host": HOST})
    assert answer.status == status


def test_the_proxy_ssl_header_without_a_trusted_proxy_is_refused_before_serving(
    settings: Any,
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.PMO_TRUSTED_PROXY = ()
    with pytest.raises(CommandError, match="needs PMO_TRUSTED_PROXY, the proxy's address"):
        call_command("serve", "--port", str(_free_port()), "--no-worker")
