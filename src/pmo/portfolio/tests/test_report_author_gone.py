"""The project page names the latest report's author: their person, else their user name,
else a dash once the user is deleted (``author`` is emptied; the page used to fail with a
500 on the filter argument ``|default:latest.author.username``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client

from pmo.portfolio import services

DAY = dt.date(2026, 12, 4)


def _submitted_by(client: Client, code: str) -> str:
    page = client.get(f"/projects/{code}/")
    assert page.status_code == 200
    found = re.search(r"submitted [\d-]+ [\d:]+ by ([^<]*)</p>", page.content.decode())
    assert found is not None
    return found.group(1)


def test_the_latest_report_names_its_author_or_a_dash_once_they_are_gone(
    users: Any, make_project: Any, green: Any
) -> None:
    project = make_project(code="GONE")
    client = Client()
    client.force_login(users["admin"])
    services.create_status_report(
        actor=users["pm"], project=project, period="2026-W47", data=green(), today=DAY
    )
    assert _submitted_by(client, "GONE") == "Zhang Wei"
    # the admin, who has no person, writes the next one
    services.create_status_report(
        actor=users["admin"], project=project, period="2026-W48", data=green(), today=DAY
    )
    assert _submitted_by(client, "GONE") == "admin"
    # its author is deleted (another admin signs in)
    users["member"].is_superuser = True
    users["member"].save()
    client.force_login(users["member"])
    users["admin"].delete()
    assert _submitted_by(client, "GONE") == "—"
