"""A capacity change entered inside, across or over others of the same resource and plan
takes their days when asked to (``replace_overlap``): the one it covers removed, one it
overlaps in part shortened, one around it split in two (ADR 0006, *Changes inside
changes*)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from pmo.audit.models import AuditEvent
from pmo.core.errors import ConflictError, FieldError, PermissionDeniedError
from pmo.resources import refresh, services
from pmo.resources.filters import ResourceFilter
from pmo.resources.heatmap.build import daily_load
from pmo.resources.models import CapacityChange, Scenario, ScenarioState
from pmo.resources.services.capacity import Carved, update_capacity_change
from pmo.resources.tests.factories import bearer, pool

D = dt.date.fromisoformat


def _ana(org: Any) -> Any:
    return pool(org, code="ana", name="Ana Li", kind="person", fte=1)


def _change(resource: Any, first: str, last: str, fte: str, reason: str = "", **kw: Any) -> Any:
    return CapacityChange.objects.create(
        resource=resource, first=D(first), last=D(last), fte=Decimal(fte), reason=reason, **kw
    )


def _rows(resource: Any, scenario: Any = None) -> list[tuple[str, str, str, str]]:
    return [
        (c.first.isoformat(), c.last.isoformat(), f"{c.fte.normalize():f}", c.reason)
        for c in CapacityChange.objects.filter(resource=resource, scenario=scenario).order_by(
            "first"
        )
    ]


def _add(actor: Any, resource: Any, first: str, last: str, fte: str, **kw: Any) -> list[Carved]:
    carved: list[Carved] = []
    services.add_capacity_change(
        actor=actor,
        resource=resource,
        first=D(first),
        last=D(last),
        fte=Decimal(fte),
        replace_overlap=True,
        carved=carved,
        **kw,
    )
    return carved


def _events() -> Any:
    """The capacity changes' events (the resource's own creation left out)."""
    return AuditEvent.objects.filter(object_type="resources.capacitychange")


def _send(client: Any, method: str, url: str, body: Any, user: Any) -> Any:
    call = getattr(client, method)
    return call(url, json.dumps(body), content_type="application/json", headers=bearer(user))


# --- the service ------------------------------------------------------------------------


def test_leave_inside_a_part_time_half_year_splits_it_in_two(org: Any, users: Any) -> None:
    ana = _ana(org)
    part = _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time")
    carved = _add(users["admin"], ana, "2027-03-01", "2027-03-12", "0", reason="leave")
    assert _rows(ana) == [
        ("2027-01-01", "2027-02-28", "0.5", "part time"),
        ("2027-03-01", "2027-03-12", "0", "leave"),
        ("2027-03-13", "2027-06-30", "0.5", "part time"),
    ]
    assert [c.sentence() for c in carved] == [
        "Split the capacity change 2027-01-01 – 2027-06-30 (0.5 FTE) into "
        "2027-01-01 – 2027-02-28 and 2027-03-13 – 2027-06-30."
    ]
    # the first piece is the old row (its version raised), the second a new one
    part.refresh_from_db()
    assert (part.last, part.version) == (D("2027-02-28"), 2)
    update = _events().get(action="update")
    assert update.object_id == str(part.pk) and update.scope == "resources"
    assert update.changes["last"] == ["2027-06-30", "2027-02-28"]
    assert update.changes["resource"] == [ana.pk, ana.pk]  # the resource's page finds it
    created = _events().filter(action="create").order_by("pk")
    assert [(e.changes["first"][1], e.changes["last"][1]) for e in created] == [
        ("2027-03-13", "2027-06-30"),
        ("2027-03-01", "2027-03-12"),
    ]
    assert {e.actor_id for e in _events().all()} == {users["admin"].pk}


def test_a_change_across_several_shortens_the_edges_and_removes_the_covered(
    org: Any, users: Any
) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-05", "2027-01-10", "0.5")
    covered = _change(ana, "2027-01-12", "2027-01-20", "0")
    _change(ana, "2027-01-25", "2027-02-05", "0.8")
    carved = _add(users["member"], ana, "2027-01-08", "2027-01-30", "0.2")
    assert _rows(ana) == [
        ("2027-01-05", "2027-01-07", "0.5", ""),
        ("2027-01-08", "2027-01-30", "0.2", ""),
        ("2027-01-31", "2027-02-05", "0.8", ""),
    ]
    assert [c.kind for c in carved] == ["shortened", "removed", "shortened"]
    assert carved[1].sentence() == (
        "Removed the capacity change 2027-01-12 – 2027-01-20 (0 FTE): the new one covers all "
        "its days."
    )
    assert carved[2].sentence() == (
        "Shortened the capacity change 2027-01-25 – 2027-02-05 (0.8 FTE) to "
        "2027-01-31 – 2027-02-05."
    )
    deleted = _events().get(action="delete")
    assert deleted.object_id == str(covered.pk) and deleted.changes["first"][0] == "2027-01-12"


@pytest.mark.parametrize(
    ("first", "last", "left"),
    [
        # touching its last day: shortened by one day at the end
        ("2027-01-20", "2027-01-25", [("2027-01-10", "2027-01-19")]),
        # touching its first day: shortened at the start
        ("2027-01-01", "2027-01-10", [("2027-01-11", "2027-01-20")]),
        # its first day alone, and its last day alone
        ("2027-01-10", "2027-01-10", [("2027-01-11", "2027-01-20")]),
        ("2027-01-20", "2027-01-20", [("2027-01-10", "2027-01-19")]),
        # one day inside: split around it
        ("2027-01-15", "2027-01-15", [("2027-01-10", "2027-01-14"), ("2027-01-16", "2027-01-20")]),
        # the same days, or more: the old one removed
        ("2027-01-10", "2027-01-20", []),
        ("2027-01-09", "2027-01-21", []),
    ],
)
def test_the_edges(org: Any, users: Any, first: str, last: str, left: list[Any]) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-10", "2027-01-20", "0.5", "part time")
    _add(users["admin"], ana, first, last, "1")
    old = [(r[0], r[1]) for r in _rows(ana) if r[2] == "0.5"]
    assert old == left
    assert (first, last, "1", "") in _rows(ana)
    assert len(_rows(ana)) == len(left) + 1


def test_without_the_request_an_overlap_is_still_refused_and_names_the_box(
    org: Any, users: Any
) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-01", "2027-06-30", "0.5")
    _change(ana, "2027-07-01", "2027-07-31", "0.8")
    with pytest.raises(FieldError) as refused:
        services.add_capacity_change(
            actor=users["admin"],
            resource=ana,
            first=D("2027-06-01"),
            last=D("2027-07-05"),
            fte=Decimal(0),
        )
    assert refused.value.errors[0]["field"] == "first"
    assert refused.value.message == (
        "overlaps the capacity changes 2027-01-01 – 2027-06-30 (0.5 FTE), 2027-07-01 – "
        "2027-07-31 (0.8 FTE): tick “Replace these days of the overlapping changes” to give "
        "their days to this one (each is shortened, split or removed), or change or remove "
        "them first"
    )
    assert len(_rows(ana)) == 2


def test_a_change_moved_onto_its_neighbour_takes_those_days(org: Any, users: Any) -> None:
    ana = _ana(org)
    leave = _change(ana, "2027-03-01", "2027-03-05", "0")
    later = _change(ana, "2027-03-08", "2027-03-31", "0.5")
    carved: list[Carved] = []
    update_capacity_change(
        actor=users["admin"],
        change=leave,
        data={"last": D("2027-03-10")},
        version=1,
        replace_overlap=True,
        carved=carved,
    )
    assert _rows(ana) == [
        ("2027-03-01", "2027-03-10", "0", ""),
        ("2027-03-11", "2027-03-31", "0.5", ""),
    ]
    later.refresh_from_db()
    assert later.version == 2 and carved[0].kind == "shortened"
    # its own old days are not an overlap: moving it inside itself cuts nothing
    update_capacity_change(
        actor=users["admin"],
        change=leave,
        data={"first": D("2027-03-02")},
        version=2,
        replace_overlap=True,
    )
    assert _rows(ana)[0][:2] == ("2027-03-02", "2027-03-10")


def test_a_stale_version_cuts_nothing(org: Any, users: Any) -> None:
    ana = _ana(org)
    leave = _change(ana, "2027-03-01", "2027-03-05", "0")
    _change(ana, "2027-03-08", "2027-03-31", "0.5")
    with pytest.raises(ConflictError):
        update_capacity_change(
            actor=users["admin"],
            change=leave,
            data={"last": D("2027-03-10")},
            version=7,
            replace_overlap=True,
        )
    assert _rows(ana)[1][:2] == ("2027-03-08", "2027-03-31")
    assert not _events().exists()


def test_a_draft_scenario_cuts_its_own_changes_never_the_plan(org: Any, users: Any) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time")
    scenario = Scenario.objects.create(name="What if")
    copy = _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time", scenario=scenario)
    copy.copied = True
    copy.save()
    _add(users["admin"], ana, "2027-03-01", "2027-03-12", "0", scenario=scenario)
    assert _rows(ana) == [("2027-01-01", "2027-06-30", "0.5", "part time")]
    assert [r[:2] for r in _rows(ana, scenario)] == [
        ("2027-01-01", "2027-02-28"),
        ("2027-03-01", "2027-03-12"),
        ("2027-03-13", "2027-06-30"),
    ]
    # the pieces are the scenario's own now: a refresh from the plan keeps them
    assert not CapacityChange.objects.filter(scenario=scenario, copied=True).exists()
    assert {e.scope for e in _events().all()} == {f"scenario:{scenario.pk}"}
    # and the plan's leave inside the same days cuts the plan's row only
    _add(users["admin"], ana, "2027-04-01", "2027-04-02", "0")
    assert len(_rows(ana)) == 3 and len(_rows(ana, scenario)) == 3


def test_a_refresh_keeps_the_pieces_a_scenario_cut(org: Any, users: Any) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time")
    scenario = services.create_scenario(actor=users["admin"], name="What if")  # copies it
    _add(users["admin"], ana, "2027-03-01", "2027-03-12", "0", scenario=scenario)
    # and a copied change moved by hand is the scenario's own too
    _change(ana, "2027-09-01", "2027-09-30", "0.8")
    refresh.refresh_scenario(actor=users["admin"], scenario=scenario)
    moved = CapacityChange.objects.get(scenario=scenario, first=D("2027-09-01"))
    update_capacity_change(
        actor=users["admin"], change=moved, data={"fte": Decimal("0.7")}, version=1
    )
    refresh.refresh_scenario(actor=users["admin"], scenario=scenario)
    assert _rows(ana, scenario) == [
        ("2027-01-01", "2027-02-28", "0.5", "part time"),
        ("2027-03-01", "2027-03-12", "0", ""),
        ("2027-03-13", "2027-06-30", "0.5", "part time"),
        ("2027-09-01", "2027-09-30", "0.7", ""),
    ]


def test_a_committed_scenario_is_refused_and_keeps_its_changes(org: Any, users: Any) -> None:
    ana = _ana(org)
    scenario = Scenario.objects.create(name="Done", state=ScenarioState.COMMITTED)
    _change(ana, "2027-01-01", "2027-06-30", "0.5", scenario=scenario)
    with pytest.raises(ConflictError):
        _add(users["admin"], ana, "2027-03-01", "2027-03-12", "0", scenario=scenario)
    assert _rows(ana, scenario) == [("2027-01-01", "2027-06-30", "0.5", "")]


def test_only_resource_managers_cut(org: Any, users: Any) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-01", "2027-06-30", "0.5")
    with pytest.raises(PermissionDeniedError):
        _add(users["pm"], ana, "2027-03-01", "2027-03-12", "0")
    assert _rows(ana) == [("2027-01-01", "2027-06-30", "0.5", "")]


def test_nothing_is_half_written_when_the_new_change_fails(
    org: Any, users: Any, monkeypatch: Any
) -> None:
    ana = _ana(org)
    _change(ana, "2027-01-01", "2027-06-30", "0.5")
    _change(ana, "2027-07-01", "2027-07-31", "0")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    # the overlapped ones are cut first; the new one's audit fails after them
    monkeypatch.setattr("pmo.resources.services.resources.record_created", broken)
    with pytest.raises(RuntimeError):
        _add(users["admin"], ana, "2027-03-01", "2027-07-10", "1")
    assert _rows(ana) == [
        ("2027-01-01", "2027-06-30", "0.5", ""),
        ("2027-07-01", "2027-07-31", "0", ""),
    ]
    assert not _events().exists()
    # an invalid new change (its end before its start, a negative FTE) cuts nothing either
    monkeypatch.undo()
    with pytest.raises(FieldError):
        _add(users["admin"], ana, "2027-03-12", "2027-03-01", "0")
    with pytest.raises(Exception, match="fte"):
        _add(users["admin"], ana, "2027-03-01", "2027-03-12", "-1")
    assert len(_rows(ana)) == 2 and not _events().exists()


def test_the_heat_map_reads_the_leave_inside_the_part_time(org: Any, users: Any) -> None:
    ana = _ana(org)
    _change(ana, "2027-03-01", "2027-03-31", "0.5", "part time")
    _add(users["admin"], ana, "2027-03-10", "2027-03-12", "0", reason="leave")
    first, last = D("2027-03-08"), D("2027-03-15")
    cap, _demand, off = daily_load(
        [(ana.pk, ana.fte, None, None)],
        lambda found: np.zeros(len(found), dtype=np.int64),
        shape=(1, 8),
        first=first,
        last=last,
        only=ResourceFilter(),
        scenario_id=None,
        committed_only=False,
        worth={ana.pk: 1.0},
    )
    # 8, 9 part time; 10-12 leave; 13-15 part time again (before the calendar)
    assert cap[0].tolist() == [0.5, 0.5, 0.0, 0.0, 0.0, 0.5, 0.5, 0.5]
    assert off[ana.pk] == [(D("2027-03-10"), D("2027-03-12"))]  # time off: work pauses


# --- the API ----------------------------------------------------------------------------


def test_the_api_replaces_the_days_when_asked(client: Any, org: Any, users: Any) -> None:
    ana = _ana(org)
    part = _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time")
    url = f"/api/v1/resources/{ana.pk}/capacity"
    body = {"first": "2027-03-01", "last": "2027-03-12", "fte": "0", "reason": "leave"}
    refused = _send(client, "post", url, body, users["admin"])
    assert refused.status_code == 422
    message = refused.json()["errors"][0]["message"]
    assert "send replace_overlap: true" in message
    assert f"DELETE /api/v1/resources/{ana.pk}/capacity/{part.pk}?version=1" in message
    assert "Replace these days" not in message  # the page's box is not the API's
    denied = _send(client, "post", url, {**body, "replace_overlap": True}, users["pm"])
    assert denied.status_code == 403
    backwards = {**body, "first": "2027-03-20", "replace_overlap": True}
    assert _send(client, "post", url, backwards, users["admin"]).status_code == 422
    assert len(_rows(ana)) == 1
    answer = _send(client, "post", url, {**body, "replace_overlap": True}, users["admin"])
    assert answer.status_code == 201
    assert set(answer.json()) == {
        "id",
        "resource_id",
        "scenario_id",
        "first",
        "last",
        "fte",
        "reason",
        "version",
    }
    assert len(_rows(ana)) == 3


def test_the_api_patch_takes_a_neighbours_days_when_asked(
    client: Any, org: Any, users: Any
) -> None:
    ana = _ana(org)
    leave = _change(ana, "2027-03-01", "2027-03-05", "0")
    later = _change(ana, "2027-03-08", "2027-03-31", "0.5")
    url = f"/api/v1/resources/{ana.pk}/capacity/{leave.pk}"
    longer = {"version": 1, "last": "2027-03-10"}
    refused = _send(client, "patch", url, longer, users["admin"])
    assert refused.status_code == 422 and "replace_overlap" in refused.json()["detail"]
    stale = _send(
        client, "patch", url, {**longer, "version": 9, "replace_overlap": True}, users["admin"]
    )
    assert stale.status_code == 409
    answer = _send(client, "patch", url, {**longer, "replace_overlap": True}, users["admin"])
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["last"], answer.json()["version"]) == ("2027-03-10", 2)
    later.refresh_from_db()
    assert (later.first, later.version) == (D("2027-03-11"), 2)


# --- the pages --------------------------------------------------------------------------


def _post(client: Any, ana: Any, **fields: str) -> Any:
    body = {"first": "2027-03-01", "last": "2027-03-12", "fte": "0", "reason": "leave", **fields}
    return client.post(f"/resources/{ana.pk}/capacity/", body)


def test_the_resource_page_offers_the_box_then_says_what_it_cut(
    client: Any, org: Any, users: Any
) -> None:
    ana = _ana(org)
    part = _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time")
    client.force_login(users["member"])
    refused = _post(client, ana)
    assert refused.status_code == 422
    page = refused.content.decode()
    assert (
        "Ticking it splits the capacity change 2027-01-01 – 2027-06-30 (0.5 FTE) into "
        "2027-01-01 – 2027-02-28 and 2027-03-13 – 2027-06-30."
    ) in page
    assert f'name="seen" value="{part.pk}:1"' in page
    saved = _post(client, ana, replace_overlap="on", seen=f"{part.pk}:1")
    assert saved.status_code == 302
    page = client.get(f"/resources/{ana.pk}/").content.decode()
    assert (
        "Time off of Ana Li from 2027-03-01 to 2027-03-12 saved. Split the capacity change "
        "2027-01-01 – 2027-06-30 (0.5 FTE) into 2027-01-01 – 2027-02-28 and "
        "2027-03-13 – 2027-06-30."
    ) in page
    assert len(_rows(ana)) == 3


def test_the_resource_page_cuts_nothing_it_did_not_show(client: Any, org: Any, users: Any) -> None:
    ana = _ana(org)
    part = _change(ana, "2027-01-01", "2027-06-30", "0.5", "part time")
    client.force_login(users["member"])
    # someone changed the part time after the page showed it (version 1)
    part.fte = Decimal("0.6")
    part.version = 2
    part.save()
    answer = _post(client, ana, replace_overlap="on", seen=f"{part.pk}:1")
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "changed since the page showed them: nothing was saved" in page
    assert f'name="seen" value="{part.pk}:2"' in page  # shown again as it is now
    assert _rows(ana) == [("2027-01-01", "2027-06-30", "0.6", "part time")]
    damaged = _post(client, ana, replace_overlap="on", seen="x:y")
    assert damaged.status_code == 422 and len(_rows(ana)) == 1
    assert "out of date or damaged" in damaged.content.decode()
    assert _post(client, ana, replace_overlap="on").status_code == 302  # a script: unchecked
    client.force_login(users["pm"])
    assert _post(client, ana, first="2027-05-01", replace_overlap="on").status_code == 403


def test_the_scenario_page_offers_the_box_then_says_what_it_cut(
    client: Any, org: Any, users: Any
) -> None:
    ana = _ana(org)
    scenario = Scenario.objects.create(name="What if")
    part = _change(ana, "2027-01-01", "2027-06-30", "0.5", scenario=scenario)
    client.force_login(users["admin"])
    url = f"/resources/scenarios/{scenario.pk}/capacity/"
    body = {"resource": ana.pk, "first": "2027-06-01", "last": "2027-07-31", "fte": "1"}
    refused = client.post(url, body)
    assert refused.status_code == 422
    assert 'data-testid="replace-overlap-box"' in refused.content.decode()
    saved = client.post(url, {**body, "replace_overlap": "on", "seen": f"{part.pk}:1"})
    assert saved.status_code == 302
    page = client.get(saved.url).content.decode()
    assert (
        "Capacity of Ana Li from 2027-06-01 to 2027-07-31 set to 1 FTE. Shortened the "
        "capacity change 2027-01-01 – "
        "2027-06-30 (0.5 FTE) to 2027-01-01 – 2027-05-31."
    ) in page
    assert [r[:2] for r in _rows(ana, scenario)] == [
        ("2027-01-01", "2027-05-31"),
        ("2027-06-01", "2027-07-31"),
    ]
