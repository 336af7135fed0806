"""A change request's line on the steering agenda opens the change request's page (the
dependencies app registers the page through ``AGENDA_URLS``, as it does its labels)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.dependencies import changes
from pmo.governance.steering import create_meeting


def test_a_change_request_line_links_to_the_change_request(
    client: Any, users: Any, web: Any
) -> None:
    cr = changes.create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": web["build"].pk,
            "slip_days": 12,
        },
    )
    cr = changes.transition(actor=users["pm"], cr=cr, action="submit")
    meeting = create_meeting(
        actor=users["admin"], data={"title": "SC", "date": dt.date(2026, 3, 2), "window_days": 7}
    )
    client.force_login(users["member"])
    page = client.get(f"/steering-meetings/{meeting.pk}/").content.decode()
    assert (
        f'<a href="/change-requests/{cr.pk}/" data-testid="line-link">{cr.code} Vendor patch late'
        in page
    )
    # the link opens the change request's page
    assert client.get(f"/change-requests/{cr.pk}/").status_code == 200
