"""A write that finds the database busy (SQLite's "database is locked" after the busy
timeout, while a big capacity import holds the lock) is a 503 with ``Retry-After`` and one
log line, in JSON under ``/api/`` and as the site's page elsewhere; any other database error
stays a 500 (ADR 0008, "Busy database")."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from pmo.core.busy import RETRY_AFTER_SECONDS, is_database_busy
from pmo.core.views import server_error
from pmo.resources.models import Allocation
from pmo.resources.tests.factories import MON, bearer, pool

LOCKED = "database is locked"
BUSY = (
    "the database is busy with another long write (e.g. a capacity import); try again in a moment"
)
WEEK = {"first": str(MON), "last": str(MON + dt.timedelta(days=4))}


def _raise(message: str) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError(message)

    return fail


def _lines(caplog: Any) -> list[tuple[str, str, Any]]:
    return [
        (r.levelname, r.getMessage(), r.exc_info)
        for r in caplog.records
        if r.name == "django.request"
    ]


@pytest.mark.parametrize(
    ("error", "busy"),
    [
        (OperationalError("database is locked"), True),
        (OperationalError("Database is locked"), True),
        (OperationalError("database table is locked: resources_resource"), True),
        (OperationalError("database is busy"), True),
        (OperationalError("no such table: resources_resource"), False),
        (OperationalError("server closed the connection unexpectedly"), False),
        (RuntimeError("database is locked"), False),
        (None, False),
    ],
)
def test_only_a_locked_database_is_busy(error: Any, busy: bool) -> None:
    assert is_database_busy(error) is busy


@pytest.mark.django_db
def test_an_api_write_on_a_busy_database_is_a_503_with_retry_after(
    users: Any, org: Any, make_project: Any, monkeypatch: Any, caplog: Any
) -> None:
    java = pool(org)
    project = make_project(code="BUSY")
    monkeypatch.setattr("pmo.resources.services.upsert_allocation", _raise(LOCKED))
    client = Client(raise_request_exception=False)
    body = {"resource_id": java.pk, "project": project.code, "fte": "1", **WEEK}
    with caplog.at_level(logging.INFO, logger="django.request"):
        answer = client.post(
            "/api/v1/allocations",
            body,
            content_type="application/json",
            headers=bearer(users["pm"]),
        )
    assert answer.status_code == 503
    assert answer.json() == {"detail": BUSY, "errors": []}
    assert answer["Retry-After"] == str(RETRY_AFTER_SECONDS) == "10"
    assert _lines(caplog) == [
        ("WARNING", "Service Unavailable (database is locked): POST /api/v1/allocations", None)
    ]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_another_database_error_of_the_api_stays_a_500(
    users: Any, org: Any, make_project: Any, monkeypatch: Any
) -> None:
    java = pool(org)
    make_project(code="BUSY")
    monkeypatch.setattr(
        "pmo.resources.services.upsert_allocation", _raise("no such table: resources_x")
    )
    client = Client(raise_request_exception=False)
    body = {"resource_id": java.pk, "project": "BUSY", "fte": "1", **WEEK}
    answer = client.post(
        "/api/v1/allocations", body, content_type="application/json", headers=bearer(users["pm"])
    )
    assert answer.status_code == 500
    assert answer.json()["detail"] == "internal server error: the error was logged"
    assert not answer.has_header("Retry-After")


@pytest.mark.django_db
def test_a_web_post_on_a_busy_database_is_the_503_page(
    users: Any, org: Any, make_project: Any, monkeypatch: Any, caplog: Any
) -> None:
    java = pool(org)
    make_project(code="BUSY")
    monkeypatch.setattr("pmo.resources.services.create_allocation", _raise(LOCKED))
    client = Client(raise_request_exception=False)
    client.force_login(users["member"])
    form = {"resource": java.pk, "fte": "1", "status": "proposed", **WEEK}
    with caplog.at_level(logging.INFO, logger="django.request"):
        page = client.post("/projects/BUSY/staffing/", form)
    assert page.status_code == 503
    assert page["Retry-After"] == "10"
    text = page.content.decode()
    assert "<h1>The database is busy</h1>" in text
    assert f'<p data-testid="reason">{BUSY[0].upper()}{BUSY[1:]}</p>' in text
    assert "Status center" in text  # the site's page, with its way back
    assert _lines(caplog) == [
        ("WARNING", "Service Unavailable (database is locked): POST /projects/BUSY/staffing/", None)
    ]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_another_database_error_of_a_page_stays_a_500(
    users: Any, org: Any, make_project: Any, monkeypatch: Any
) -> None:
    java = pool(org)
    make_project(code="BUSY")
    monkeypatch.setattr("pmo.resources.services.create_allocation", _raise("disk I/O error"))
    client = Client(raise_request_exception=False)
    client.force_login(users["member"])
    form = {"resource": java.pk, "fte": "1", "status": "proposed", **WEEK}
    page = client.post("/projects/BUSY/staffing/", form)
    assert page.status_code == 500
    assert "Something went wrong on our side" in page.content.decode()


@pytest.mark.parametrize(("path", "json"), [("/resources/", False), ("/api/v1/resources", True)])
def test_a_busy_database_outside_a_view_is_a_503_too(path: str, json: bool) -> None:
    # Django calls handler500 while it handles an exception a middleware raised
    request = RequestFactory().post(path)
    try:
        raise OperationalError(LOCKED)
    except OperationalError:
        answer = server_error(request)
    assert (answer.status_code, answer["Retry-After"]) == (503, "10")
    assert (BUSY in answer.content.decode()) is json
    try:
        raise OperationalError("disk I/O error")
    except OperationalError:
        assert server_error(request).status_code == 500
