"""``PMO_TRUSTED_PROXY``, its headers and count, and the CSRF trusted origins (ADR 0017).

Settings are read once per process, so each case runs in a fresh one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import pmo
from pmo.core.proxy import is_trusted, parse_proxy_headers, parse_trusted_proxies
from pmo.core.tests.test_cli_bad_input import problem_line, run_pmo

NAMES = [
    "PMO_TRUSTED_PROXY",
    "PMO_TRUSTED_PROXY_HEADERS",
    "PMO_TRUSTED_PROXY_COUNT",
    "SECURE_SSL_REDIRECT",
    "CSRF_TRUSTED_ORIGINS",
]


def _settings_under(env: dict[str, str]) -> dict[str, Any]:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PMO_")}
    clean.update({"PMO_ALLOW_DEV_KEY": "1", "DJANGO_SETTINGS_MODULE": "pmo.config.settings", **env})
    clean["PYTHONPATH"] = str(Path(pmo.__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_by_default_no_proxy_is_trusted_and_no_origin_added() -> None:
    values = _settings_under({})
    assert values == {
        "PMO_TRUSTED_PROXY": [],
        "PMO_TRUSTED_PROXY_HEADERS": ["x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"],
        "PMO_TRUSTED_PROXY_COUNT": 1,
        "SECURE_SSL_REDIRECT": False,
        "CSRF_TRUSTED_ORIGINS": [],
    }


def test_a_trusted_proxy_under_https_redirects_http_and_trusts_the_hosts_over_https() -> None:
    values = _settings_under(
        {
            "PMO_HTTPS": "1",
            "PMO_TRUSTED_PROXY": "127.0.0.1, 10.0.0.0/8",
            "PMO_ALLOWED_HOSTS": "pmo.example.com,.corp.example",
        }
    )
    assert values["PMO_TRUSTED_PROXY"] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://pmo.example.com", "https://*.corp.example"]


def test_explicit_origins_headers_and_count_win() -> None:
    values = _settings_under(
        {
            "PMO_HTTPS": "1",
            "PMO_TRUSTED_PROXY": "::1",
            "PMO_TRUSTED_PROXY_HEADERS": "X-Forwarded-For",
            "PMO_TRUSTED_PROXY_COUNT": "2",
            "PMO_CSRF_TRUSTED_ORIGINS": "https://pmo.example.com:8443/",
        }
    )
    assert values["PMO_TRUSTED_PROXY"] == ["::1/128"]
    assert values["PMO_TRUSTED_PROXY_HEADERS"] == ["x-forwarded-for"]
    assert values["PMO_TRUSTED_PROXY_COUNT"] == 2
    # the proxy does not forward the scheme here: redirecting would loop
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://pmo.example.com:8443"]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "PMO_TRUSTED_PROXY",
            "proxy.local",
            "pmo: error: PMO_TRUSTED_PROXY: 'proxy.local' is not an IP address or network "
            "(give addresses like 127.0.0.1 or 10.0.0.0/8, comma-separated, or * alone for "
            "any peer)",
        ),
        (
            "PMO_TRUSTED_PROXY_HEADERS",
            "x-real-ip",
            "pmo: error: PMO_TRUSTED_PROXY_HEADERS: 'x-real-ip' is not one of "
            "x-forwarded-proto, x-forwarded-for, x-forwarded-host, x-forwarded-port, "
            "x-forwarded-by, forwarded",
        ),
        (
            "PMO_TRUSTED_PROXY_COUNT",
            "0",
            "pmo: error: PMO_TRUSTED_PROXY_COUNT must be from 1 to 10, got 0",
        ),
        (
            "PMO_CSRF_TRUSTED_ORIGINS",
            "pmo.example.com",
            "pmo: error: PMO_CSRF_TRUSTED_ORIGINS: 'pmo.example.com' is not an origin like "
            "https://pmo.example.com (scheme and host, optionally :port, nothing after)",
        ),
    ],
)
def test_a_bad_proxy_setting_is_one_line_at_startup(
    variable: str, value: str, message: str
) -> None:
    code, stderr = run_pmo("serve", "--port", "1", env={variable: value})
    assert code == 1
    assert problem_line(stderr) == message


def test_peers_match_addresses_networks_and_mapped_ipv4() -> None:
    proxies = parse_trusted_proxies("10.0.0.0/8,::1")
    assert is_trusted("10.1.2.3", proxies)
    assert is_trusted("::ffff:10.1.2.3", proxies)
    assert is_trusted("::1", proxies)
    assert not is_trusted("11.0.0.1", proxies)
    assert not is_trusted("", proxies)
    assert is_trusted("198.51.100.1", parse_trusted_proxies("*"))
    assert not is_trusted("127.0.0.1", parse_trusted_proxies(""))


def test_forwarded_alone_or_not_at_all() -> None:
    assert parse_proxy_headers("Forwarded") == ("forwarded",)
    with pytest.raises(ValueError, match="forwarded cannot be combined"):
        parse_proxy_headers("forwarded,x-forwarded-for")


def test_the_examples_in_the_docstrings_hold() -> None:
    import doctest

    import pmo.core.proxy

    assert doctest.testmod(pmo.core.proxy).failed == 0
