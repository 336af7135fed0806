"""Pages name people, not their user names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.portfolio import services


def test_the_latest_report_names_its_author(
    client: Any, users: Any, make_project: Any, green: Any
) -> None:
    project = make_project(code="NM1")
    services.create_status_report(
        actor=users["pm"],
        project=project,
        period="2026-W46",
        data=green(),
        today=dt.date(2026, 11, 20),
    )
    client.force_login(users["admin"])
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert "submitted" in page and "by Zhang Wei" in page
    assert "by pm<" not in page and "by pm " not in page
