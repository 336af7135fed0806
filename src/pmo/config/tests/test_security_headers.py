"""Security headers (ADR 0011): the Content-Security-Policy on pages and API answers, the
HTTPS settings from ``PMO_HTTPS``, and templates free of inline script."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

import pmo

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def _policy(response: Any) -> dict[str, str]:
    """The Content-Security-Policy header as ``{directive: sources}``."""
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    return {p[0]: p[1] for p in parts}


def _assert_hardened(response: Any) -> None:
    assert _policy(response) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_sign_in_page_carries_the_policy_and_the_other_headers(client: Client) -> None:
    _assert_hardened(client.get("/accounts/login/"))


def test_pages_api_answers_docs_and_errors_carry_the_policy(client: Client, users: Any) -> None:
    # given a signed-in user
    client.force_login(users["pm"])

    # then a page, an API list, the API docs, an API error and a 404 page all carry it
    for url, status in [
        ("/", 200),
        ("/api/v1/projects", 200),
        ("/api/v1/docs", 200),
        ("/api/v1/projects/NOPE", 404),
        ("/no-such-page/", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        _assert_hardened(response)


@pytest.mark.django_db
def test_an_api_client_without_a_session_gets_the_policy_on_its_401(client: Client) -> None:
    response = client.get("/api/v1/projects", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    _assert_hardened(response)


@pytest.mark.django_db
def test_a_laptop_over_http_gets_no_hsts_and_plain_cookies(client: Client) -> None:
    # given the default settings (no PMO_HTTPS), a secure-looking request
    response = client.get("/accounts/login/", secure=True)

    # then no HSTS is sent and the CSRF cookie is not https-only
    assert "Strict-Transport-Security" not in response
    assert not response.cookies["csrftoken"]["secure"]


def _settings_under(env: dict[str, str]) -> dict[str, Any]:
    """The HTTPS-related settings as a fresh process reads them from ``env``."""
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "AXES_FAILURE_LIMIT",
        "AXES_COOLOFF_TIME",
    ]
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: str(getattr(s, n)) for n in {names!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    clean.update({"PMO_ALLOW_DEV_KEY": "1", "DJANGO_SETTINGS_MODULE": "pmo.config.settings", **env})
    clean["PYTHONPATH"] = str(Path(pmo.__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_without_pmo_https_nothing_forces_https() -> None:
    values = _settings_under({})
    assert values["SECURE_HSTS_SECONDS"] == "0"
    assert values["SESSION_COOKIE_SECURE"] == "False"
    assert values["CSRF_COOKIE_SECURE"] == "False"
    assert values["SECURE_PROXY_SSL_HEADER"] == "None"
    assert values["SECURE_SSL_REDIRECT"] == "False"
    assert values["AXES_FAILURE_LIMIT"] == "5"
    assert values["AXES_COOLOFF_TIME"] == "0:15:00"


def test_pmo_https_turns_on_a_year_of_hsts_and_secure_cookies() -> None:
    values = _settings_under({"PMO_HTTPS": "1"})
    assert values["SECURE_HSTS_SECONDS"] == "31536000"
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "False"
    assert values["SECURE_HSTS_PRELOAD"] == "False"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    # no proxy header is trusted unless the deployment says its proxy sets it
    assert values["SECURE_PROXY_SSL_HEADER"] == "None"
    assert values["SECURE_SSL_REDIRECT"] == "False"


def test_the_proxy_header_and_the_hsts_options_follow_their_variables() -> None:
    values = _settings_under(
        {
            "PMO_HTTPS": "1",
            "PMO_PROXY_SSL_HEADER": "1",
            "PMO_HSTS_SECONDS": "600",
            "PMO_HSTS_INCLUDE_SUBDOMAINS": "1",
            "PMO_HSTS_PRELOAD": "1",
            "PMO_LOGIN_FAILURE_LIMIT": "10",
            "PMO_LOGIN_LOCKOUT_MINUTES": "60",
        }
    )
    assert values["SECURE_HSTS_SECONDS"] == "600"
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "True"
    assert values["SECURE_HSTS_PRELOAD"] == "True"
    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert values["AXES_FAILURE_LIMIT"] == "10"
    assert values["AXES_COOLOFF_TIME"] == "1:00:00"


def test_a_proxy_header_without_pmo_https_does_not_redirect() -> None:
    values = _settings_under({"PMO_PROXY_SSL_HEADER": "1"})
    assert values["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert values["SECURE_SSL_REDIRECT"] == "False"
    assert values["SECURE_HSTS_SECONDS"] == "0"


INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def test_no_template_carries_inline_script() -> None:
    # script-src 'self' refuses inline handlers, inline <script> and javascript: links, so
    # a template that brings one back breaks silently in the browser; pmo.js wires behaviour
    found = []
    for template in Path(pmo.__file__).resolve().parent.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT, re.compile("javascript:", re.I)):
            found += [f"{template.name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []
