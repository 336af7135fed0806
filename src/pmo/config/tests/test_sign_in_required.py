"""Every page asks an anonymous visitor to sign in, except the few meant to be public."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Reached without a session on purpose: signing in and out, the language switch, the calendar
# feed (its own token), Django's admin (its own sign-in) and the API (its own 401).
PUBLIC = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/language/",
    "/gate-calendar.ics",
    "/admin/",
    "/api/",
)
SAMPLE = {"int": "1", "str": "P0001", "slug": "x", "path": "x", "uuid": "0" * 32}


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def _concrete(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE[m.group(1) or "str"], route)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.django_db
def test_every_page_sends_an_anonymous_visitor_to_sign_in() -> None:
    client = Client()
    paths = sorted({_concrete(r) for r in _routes(get_resolver())})
    checked: dict[str, Any] = {}
    for path in paths:
        if path.startswith(PUBLIC) or "(?P" in path:
            continue
        response = client.get(path)
        checked[path] = response.status_code
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path
    assert len(checked) > 40  # the walk found the site's pages
