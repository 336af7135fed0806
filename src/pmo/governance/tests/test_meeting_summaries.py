"""``GET /steering-meetings`` lists each meeting's summary; the agenda itself is read from
``GET /steering-meetings/{id}`` (a big portfolio's agenda runs to thousands of lines)."""

import datetime as dt
from collections import Counter

import pytest

from pmo.accounts.services import create_token
from pmo.governance import services, steering
from pmo.governance.reviews import AgendaKind


@pytest.fixture
def get(client, users):
    token = create_token(username=users["exec"].username)

    def call(url, **params):
        return client.get(url, params, headers={"Authorization": f"Bearer {token}"})

    return call


def plan(users, title, date):
    return steering.create_meeting(
        actor=users["member"], data={"title": title, "date": date, "window_days": 366}
    )


def test_the_list_gives_each_meetings_summary_and_the_meeting_its_agenda(get, users, governed):
    for _ in range(3):
        services.request_review(actor=users["pm"], project=governed())
    today = dt.date.today()
    past = plan(users, "SteerCo past", today - dt.timedelta(days=7))
    coming = plan(users, "SteerCo next", today + dt.timedelta(days=7))
    project = governed()
    steering.record_outcome(
        actor=users["member"], meeting=past, project=project, kind="action", title="Re-plan"
    )
    steering.update_meeting(
        actor=users["member"], meeting=past, data={"minutes": "Three gates."}, version=1
    )
    body = get("/api/v1/steering-meetings").json()
    assert body["count"] == 2
    assert [m["title"] for m in body["items"]] == ["SteerCo next", "SteerCo past"]
    for summary in body["items"]:
        assert "agenda" not in summary
        whole = get(f"/api/v1/steering-meetings/{summary['id']}").json()
        kinds = Counter(line["kind"] for line in whole["agenda"])
        assert summary["agenda_lines"] == len(whole["agenda"]) > 0
        assert summary["agenda_by_kind"] == {k: kinds.get(k, 0) for k in AgendaKind.values}
    listed = {m["id"]: m for m in body["items"]}
    assert {k: listed[past.pk][k] for k in ("state", "has_minutes", "outcomes", "version")} == {
        "state": "held",
        "has_minutes": True,
        "outcomes": 1,
        "version": 2,
    }
    assert {k: listed[coming.pk][k] for k in ("state", "has_minutes", "outcomes")} == {
        "state": "planned",
        "has_minutes": False,
        "outcomes": 0,
    }
    assert listed[coming.pk]["agenda_by_kind"]["gate"] == 3  # the next gates when planned


def test_the_list_is_paged_and_costs_the_same_queries_for_more_meetings(
    get, users, governed, django_assert_max_num_queries
):
    governed()
    for n in range(2):
        plan(users, f"SteerCo {n}", dt.date(2026, 2, 1) + dt.timedelta(days=n))
    get("/api/v1/steering-meetings")  # the token's user and caches warm
    with django_assert_max_num_queries(8) as few:
        get("/api/v1/steering-meetings")
    for n in range(2, 6):
        plan(users, f"SteerCo {n}", dt.date(2026, 2, 1) + dt.timedelta(days=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = get("/api/v1/steering-meetings").json()
    assert body["count"] == 6 and len(body["items"]) == 6
    page = get("/api/v1/steering-meetings", page=2, page_size=4).json()
    assert (page["count"], [m["title"] for m in page["items"]]) == (
        6,
        ["SteerCo 1", "SteerCo 0"],
    )
