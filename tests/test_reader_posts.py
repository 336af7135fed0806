"""Every page that takes a post answers a reader's post with a 403, whatever the app.

The URL patterns are walked (``django.urls``), not listed by hand, so a page added later is
checked too. Each is posted to by two readers: the ``viewer`` (reads the project P1 of
Shanghai R&D, changes nothing) and the ``exec`` (reads everything, manages nothing). A page
that reads what is posted answers 403 in the site's layout (its 403 page, or the page itself
for the plan's in-place edits), before anything is stored: never a redirect as if the post
had merely been wrong, never the form again, never a 500. A page that reads nothing posted
(it has no form) answers a post as it answers a visit, storing nothing, or 405.

The exceptions are explicit: :data:`OPEN`, the pages a reader may post to, each with the
reason; :data:`BODIES`, the pages whose right depends on what is posted (the post names
something the reader may not change); :data:`KNOWN`, the pages of apps this walk does not
fix yet, each with the answer they give now (so a fix shows here: remove its line). The
Django admin (its own sign-in) and the API (its own tests, a JSON 403) are not walked.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from pmo.dependencies.services import create_dependency
from pmo.portfolio.models import Milestone, Project
from pmo.portfolio.raid import Issue
from pmo.portfolio.rates import ExchangeRate
from pmo.resources.models import LevelingRun, Role
from tests.test_refused_edit_pages import world  # noqa: F401  (the fixture, reused)

NOT_WALKED = ("admin/", "api/")

#: Pages a reader may post to, by URL name and reader (``*``: any), each with why.
OPEN: dict[tuple[str, str], str] = {
    ("accounts:login", "*"): "signing in is open to everyone",
    ("accounts:logout", "*"): "everyone may sign out",
    ("accounts:set_language", "*"): "everyone chooses their own language",
    ("governance:calendar", "*"): "everyone makes their own calendar subscription link",
}

#: What is posted to the pages whose right depends on it: something the reader may not
#: change (an empty post is refused as a garbled one there, 422, for whoever posts it).
BODIES: dict[str, dict[str, str]] = {
    # the executive decides gates: a review's checklist is what they may not prepare
    "governance:review_detail": {"action": "prepare"},
}

#: Pages of apps this walk does not change (other sessions own them), by URL name and
#: reader, with the answer they give a reader's post now; each is a gap to close.
KNOWN: dict[tuple[str, str], int] = {}


def _routes(
    patterns: list[Any], prefix: str = "", space: str = ""
) -> Iterator[tuple[str, str, Callable[..., Any]]]:
    """(route, URL name, view) of every pattern, the included ones too."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{space}{pattern.namespace}:" if pattern.namespace else space
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{space}{pattern.name}", pattern.callback


ROUTES = [r for r in _routes(get_resolver().url_patterns) if not r[0].startswith(NOT_WALKED)]
READERS = ("viewer", "exec")


def _reads_the_post(view: Callable[..., Any]) -> bool:
    """Whether ``view`` looks at what is posted (or at the method): a page with a form. One
    that hands the request to a helper that does is found by what it answers instead."""
    source = inspect.getsource(inspect.unwrap(view))
    return any(word in source for word in ("POST", "FILES", "request.method", "save_"))


def _stored() -> int:
    """Rows of every model of the project's apps (the audit trail included)."""
    return sum(m.objects.count() for m in apps.get_models() if m.__module__.startswith("pmo."))


@pytest.fixture
def kwargs(
    world: dict[str, Any],  # noqa: F811
    users: dict[str, Any],
    make_project: Any,
) -> dict[str, str]:
    """A value for every URL argument, naming something that exists and both readers see
    (the ``viewer`` sees Shanghai R&D's projects only: P1, and P3 of the same PM)."""
    code = world["code"]
    project = Project.objects.get(code=code)
    mine = make_project(code="P3")
    from pmo.portfolio import services

    report = services.create_status_report(
        actor=users["pm"],
        project=project,
        period="2026-W40",
        data={
            "overall": 1,
            "schedule": 1,
            "cost": 1,
            "scope": 1,
            "resources": 1,
            "quality": 1,
            "summary": "On plan.",
            "percent_complete": 40,
        },
        submit=False,
        today=dt.date(2026, 10, 10),
    )
    issue = Issue.objects.create(project=project, title="Late vendor")
    rate = ExchangeRate.objects.create(
        currency="USD", valid_from=dt.date(2026, 1, 1), rate=Decimal(7)
    )
    run = LevelingRun.objects.create(scenario_id=world["scenario"])
    role = Role.objects.create(name="Reader-post tester")
    supplied = Milestone.objects.filter(project=project).first()
    needed = Milestone.objects.create(
        project=mine, name="Go live", forecast_date=dt.date(2026, 9, 1)
    )
    dependency = create_dependency(  # between two projects the viewer reads
        actor=users["admin"],
        data={
            "supplier_project": code,
            "supplier_milestone": supplied.pk,
            "consumer_project": mine.code,
            "consumer_milestone": needed.pk,
        },
    )
    return {
        "code": code,
        "mine": mine.code,
        "fmt": "xlsx",
        "uid": "2",
        "review_id": str(world["review"]),
        "deliverable_id": str(world["deliverable"]),
        "condition_id": str(world["condition"]),
        "template_id": str(world["template"]),
        "meeting_id": str(world["meeting"]),
        "scenario_id": str(world["scenario"]),
        "allocation": str(world["scenario_allocation"]),
        "report_id": str(report.pk),
        "kind": "issues",
        "item_id": str(issue.pk),
        "milestone_id": str(supplied.pk),
        "currency": rate.currency,
        "day": rate.valid_from.isoformat(),
        "action": "commit",
        # ``pk`` names something else on each page: chosen by :func:`_url`
        "pk:resources:resource": str(world["resource"]),
        "pk:resources:scenario": str(world["scenario"]),
        "pk:resources:leveling": str(run.pk),
        "pk:resources:role": str(role.pk),
        "pk:resources:allocation": str(world["allocation"]),
        "pk:dependencies:dependency": str(dependency.pk),
        "pk:dependencies:change": str(world["change"]),
    }


def _url(route: str, name: str, values: dict[str, str]) -> str:
    """``route`` with its arguments filled in from ``values``."""

    def fill(match: re.Match[str]) -> str:
        arg = match.group(1)
        if arg != "pk":
            return values[arg]
        app, _, view = name.partition(":")
        for key, value in values.items():
            if key.startswith(f"pk:{app}:") and key.split(":")[2] in view:
                return value
        raise AssertionError(f"no pk for {name}")

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


def test_every_page_of_the_site_is_walked() -> None:
    names = {name for _, name, _ in ROUTES}
    assert len(names) > 80
    assert {"interop:plan_import", "governance:review_detail", "reports:onepage"} <= names
    assert {name for name, _ in (*OPEN, *KNOWN)} <= names  # no stale exception
    assert set(BODIES) <= names


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("route", "name", "view"), ROUTES, ids=[n for _, n, _ in ROUTES])
def test_a_readers_post_is_a_403_in_the_sites_layout(
    users: dict[str, Any],
    kwargs: dict[str, str],
    route: str,
    name: str,
    view: Callable[..., Any],
    reader: str,
) -> None:
    if (name, "*") in OPEN or (name, reader) in OPEN:
        return
    client = Client(raise_request_exception=False)  # a 500 is a failed answer, not an error
    client.force_login(users[reader])
    url = _url(route, name, kwargs)
    body = {key: value.format(**kwargs) for key, value in BODIES.get(name, {}).items()}
    before = _stored()

    answer = client.post(url, body)

    assert _stored() == before
    got = (name, reader, answer.status_code, answer.get("Location"))
    if (name, reader) in KNOWN:
        assert answer.status_code == KNOWN[(name, reader)], got
    elif answer.status_code == 405:
        assert not body, got  # a page given a body takes posts
    elif _reads_the_post(view) or answer.status_code == 403:
        assert answer.status_code == 403, got
        assert "base.html" in [t.name for t in answer.templates], got  # the site's layout
    else:  # a page without a form: the post is answered as a visit would be
        assert answer.status_code == client.get(url).status_code, got
        assert answer.status_code < 500, got
