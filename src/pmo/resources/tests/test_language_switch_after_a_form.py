"""The language switch on a page that answers a form (a POST shown again with its errors)
comes back to the page the form was on: the form's own address answers a GET with a 405,
and what was typed would be lost on a dead end (the twenty-eighth session's browser audit)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from pmo.resources.tests.factories import pool


def _switch(body: str) -> tuple[str, bool]:
    form = re.search(r'<form action="/accounts/language/"[^>]*>.*?</form>', body, re.S)
    assert form is not None, "no language switch on the page"
    next_url = re.search(r'name="next" value="([^"]*)"', form.group(0))
    assert next_url is not None
    return next_url.group(1), "data-next-from-location" in form.group(0)


def test_the_switch_on_a_refused_form_comes_back_to_the_page_it_was_on(
    org: Any, users: Any
) -> None:
    java = pool(org)
    client = Client()
    client.force_login(users["admin"])
    page = f"/resources/{java.pk}/"
    shown = client.get(page + "?x=1")
    assert _switch(shown.content.decode()) == (page + "?x=1", True)
    refused = client.post(
        f"/resources/{java.pk}/capacity/",
        {"first": "2026-03-09", "last": "2026-03-02", "fte": "1"},
        HTTP_REFERER=f"http://testserver{page}",
    )
    assert refused.status_code == 422
    assert _switch(refused.content.decode()) == (page, False)
    assert client.get(page).status_code == 200  # where it goes: not a 405
    other = client.post(
        f"/resources/{java.pk}/capacity/",
        {"first": "2026-03-09", "last": "2026-03-02", "fte": "1"},
        HTTP_REFERER="https://elsewhere.example/x",
    )
    assert _switch(other.content.decode()) == ("/", False)
