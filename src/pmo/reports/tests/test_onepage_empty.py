"""The one-page report with nothing to show says why and what to do, and empty lists carry no
numbering ("1. None this period." read as one escalation)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from pmo.reports.onepage.build import build_onepage
from pmo.reports.onepage.render import render

pytestmark = pytest.mark.django_db


def _page(user: Any, query: str = "") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/reports/onepage/{query}")
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</div>', html, re.S)
    assert found, f"no {testid}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_no_strategic_projects_says_what_to_do(make_project: Any, users: dict[str, Any]) -> None:
    make_project(strategic=False)

    html = _page(users["admin"])

    assert _text(html, "op-empty") == (
        "No strategic projects in this period. Mark projects as strategic (on each project's "
        "Edit page), or choose All projects. A project that starts after the period is not shown."
    )
    assert 'class="op-board' not in html
    # the empty lists are sentences, not a numbered or bulleted item
    assert '<ol class="op-esc">' not in html and '<ul class="op-chg">' not in html
    assert '<p class="muted op-none" data-testid="no-escalations">None this period.</p>' in html
    assert '<p class="muted op-none" data-testid="no-changes">No changes.</p>' in html


@pytest.mark.parametrize("who", ["pm", "exec", "viewer"])
def test_who_may_not_mark_projects_strategic_is_only_pointed_to_all_projects(
    who: str, make_project: Any, users: dict[str, Any]
) -> None:
    # only the PMO changes a project's strategic flag (a PMO-only field of the services)
    make_project(strategic=False)

    html = _page(users[who])

    assert _text(html, "op-empty") == (
        "No strategic projects in this period. Choose All projects to see the projects that "
        "are not strategic. A project that starts after the period is not shown."
    )
    assert "Edit page" not in html


def test_a_pmo_member_is_told_to_mark_projects_strategic(
    make_project: Any, users: dict[str, Any]
) -> None:
    make_project(strategic=False)

    html = _page(users["member"])

    assert _text(html, "op-empty").startswith(
        "No strategic projects in this period. Mark projects as strategic (on each project's "
        "Edit page), or choose All projects."
    )


def test_all_projects_with_none_says_no_project_matches(
    make_project: Any, users: dict[str, Any]
) -> None:
    make_project(strategic=True, start_date=dt.date(2099, 1, 5))  # starts after the period

    html = _page(users["admin"], "?scope=all")

    assert _text(html, "op-empty") == (
        "No project in this period matches these filters. "
        "A project that starts after the period is not shown."
    )
    assert "No strategic projects" not in html


def test_the_document_says_it_too(users: dict[str, Any]) -> None:
    document = render(build_onepage(users["admin"], {}), "html").decode()

    assert 'data-testid="op-empty"' in document
    assert "No strategic projects in this period." in document


def test_a_page_with_projects_draws_the_board(make_project: Any, users: dict[str, Any]) -> None:
    make_project(strategic=True)  # started 2026-01-05

    html = _page(users["admin"])

    assert 'data-testid="op-empty"' not in html
    assert 'class="op-board' in html
