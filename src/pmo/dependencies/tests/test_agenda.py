"""Change requests on the steering agenda: read in the reader's language, no query per line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pmo.dependencies import changes
from pmo.governance.steering import create_meeting, regenerate_agenda


def _pending(users: Any, web: Any, title: str) -> Any:
    """A submitted change above the thresholds (12 working days of CORE1's build)."""
    cr = changes.create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": title,
            "slip_milestone": web["build"].pk,
            "slip_days": 12,
        },
    )
    return changes.transition(actor=users["pm"], cr=cr, action="submit")


def _queries(client: Any, url: str) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    return len(queries), page


def test_change_request_lines_cost_no_query_each(client: Any, users: Any, web: Any) -> None:
    # given a meeting with one pending change request on its agenda
    first = _pending(users, web, "Vendor patch late")
    meeting = create_meeting(
        actor=users["admin"], data={"title": "SC", "date": dt.date(2026, 3, 2), "window_days": 7}
    )
    client.force_login(users["member"])
    url = f"/steering-meetings/{meeting.pk}/"
    one, page = _queries(client, url)
    assert f"{first.code} Vendor patch late (+12 working days" in page
    # when three more are pending and the agenda is drawn up again
    for title in ("Licences", "Data migration", "Pen test"):
        _pending(users, web, title)
    regenerate_agenda(actor=users["admin"], meeting=meeting)
    four, page = _queries(client, url)
    # then the page costs the same number of queries
    assert four == one, (one, four)
    assert page.count("(+12 working days") == 4
    # and each line reads in the reader's language
    client.cookies["pmo_language"] = "zh-hans"
    with translation.override("zh-hans"):
        chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert chinese.count("个工作日") >= 4


def test_the_api_names_a_change_request_line_by_its_code(client: Any, users: Any, web: Any) -> None:
    from pmo.accounts.services import create_token

    cr = _pending(users, web, "Vendor patch late")
    meeting = create_meeting(
        actor=users["admin"], data={"title": "SC", "date": dt.date(2026, 3, 2), "window_days": 7}
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(username='admin')}"}
    agenda = client.get(f"/api/v1/steering-meetings/{meeting.pk}", **auth).json()["agenda"]
    line = next(a for a in agenda if a["kind"] == "change_request")
    assert (line["code"], line["ref"]) == (cr.code, f"change_request:{cr.pk}")
