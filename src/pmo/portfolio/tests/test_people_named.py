"""Pages name people, not their user names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.portfolio import services


def _reported_page(client: Any, users: Any, make_project: Any, green: Any, code: str) -> str:
    """The project page (as the PMO admin) after the PM Zhang Wei reported on it."""
    project = make_project(code=code)
    services.create_status_report(
        actor=users["pm"],
        project=project,
        period="2026-W46",
        data=green(),
        today=dt.date(2026, 11, 20),
    )
    client.force_login(users["admin"])
    return str(client.get(f"/projects/{project.code}/").content.decode())


def test_the_latest_report_names_its_author(
    client: Any, users: Any, make_project: Any, green: Any
) -> None:
    page = _reported_page(client, users, make_project, green, "NM1")
    assert "submitted" in page and "by Zhang Wei" in page
    assert "by pm<" not in page and "by pm " not in page


def test_the_top_bar_names_the_signed_in_person_and_keeps_the_username(
    client: Any, users: Any
) -> None:
    client.force_login(users["pm"])
    page = client.get("/").content.decode()
    assert (
        'title="Zhang Wei (pm) · Project manager" data-testid="user-name">'
        '<span class="who-name">Zhang Wei</span><'
    ) in page
    assert "Signed in as pm" in page
    # a user without a person is named by their username
    client.force_login(users["admin"])
    assert (
        'data-testid="user-name"><span class="who-name">admin</span><'
        in client.get("/").content.decode()
    )


def test_the_change_history_names_people_not_usernames(
    client: Any, users: Any, make_project: Any, green: Any
) -> None:
    page = _reported_page(client, users, make_project, green, "NM2")
    history = page.split('id="audit"')[1]
    assert '<td title="pm">Zhang Wei</td>' in history
    assert "submitted status report 2026-W46" in history
    assert ">pm</td>" not in history
