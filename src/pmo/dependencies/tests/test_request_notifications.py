"""A resource manager's decision on requests (proposed allocations) reaches each project's
manager once per outcome, in their language, the request named when it is one, with the
reason of a decline; a manager deciding their own project's requests is not told."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import translation

from pmo.dependencies.models import Notification
from pmo.resources import services
from pmo.resources.models import Allocation
from pmo.resources.tests.factories import two_requests


def test_deciding_commits_and_declines_at_once_and_tells_the_project_manager(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, drop, project = two_requests(org, make_project)
    users["pm"].language = "zh-hans"
    users["pm"].save()
    services.decide_requests(
        actor=users["member"],
        commit=[(keep.pk, keep.version)],
        decline=[(drop.pk, drop.version)],
        reason="  No Java developer free in March  ",
    )
    notes = list(Notification.objects.filter(user=users["pm"]).order_by("id"))
    assert len(notes) == 2
    assert notes[0].url == f"/projects/{project.code}/staffing/"
    with translation.override("en"):
        assert notes[0].text.startswith(f"member committed the request of {project.code}")
        assert "(2026-03-02 to 2026-03-06, 0.5 FTE)" in notes[0].text
        assert notes[1].text.endswith(": No Java developer free in March")
    assert "No Java developer free in March" in notes[1].message


def test_several_requests_of_a_project_make_one_notification(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, other, project = two_requests(org, make_project)
    services.decide_requests(
        actor=users["member"], commit=[(keep.pk, keep.version), (other.pk, other.version)]
    )
    (note,) = Notification.objects.filter(user=users["pm"])
    with translation.override("en"):
        assert note.text == (
            f"member committed 2 requests of {project.code}: "
            "java-sh 2026-03-02–2026-03-06 0.5 FTE; java-sh 2026-03-02–2026-03-13 1 FTE"
        )


def test_no_one_is_told_of_their_own_decision_or_of_a_project_without_manager(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, other, project = two_requests(org, make_project)
    # the PM's person made a PMO member for the test: they decide their own project's requests
    users["pm"].role = "pmo_member"
    users["pm"].save()
    services.decide_requests(actor=users["pm"], commit=[(keep.pk, keep.version)])
    project.manager = None
    project.save()
    services.decide_requests(
        actor=users["member"], decline=[(other.pk, other.version)], reason="no room"
    )
    assert not Notification.objects.exists()


def test_a_request_committed_alone_is_a_decision_too(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, other, project = two_requests(org, make_project)
    # the staffing page's Commit and the API's PATCH go through update_allocation
    services.update_allocation(
        actor=users["member"], allocation=keep, data={"status": "committed"}, version=1
    )
    # a change that is not a decision (a proposal's note) tells nobody
    services.update_allocation(
        actor=users["member"], allocation=other, data={"note": "later"}, version=1
    )
    (note,) = Notification.objects.filter(user=users["pm"])
    with translation.override("en"):
        assert note.text.startswith(f"member committed the request of {project.code}")
    assert note.url == f"/projects/{project.code}/staffing/"


def test_a_long_decline_names_five_and_counts_the_rest(
    org: Any, users: dict[str, Any], make_project: Any
) -> None:
    keep, other, project = two_requests(org, make_project)
    more = [
        Allocation.objects.create(
            resource=keep.resource,
            project=project,
            first=keep.first,
            last=keep.last,
            fte=Decimal("0.1"),
        )
        for _n in range(5)
    ]
    rows = [keep, other, *more]
    services.decide_requests(
        actor=users["member"], decline=[(a.pk, 1) for a in rows], reason="budget freeze"
    )
    (note,) = Notification.objects.filter(user=users["pm"])
    with translation.override("en"):
        assert note.text.startswith(f"member declined 7 requests of {project.code} (java-sh ")
        assert note.text.endswith("; +2): budget freeze")
        assert note.text.count("java-sh") == 5
