"""Every page of the demo once the people behind its records are gone: never a 500.

An admin may delete a user who wrote status reports, raised change requests or decided
gates, and a database upgraded from an old release holds reports without an author: every
user or person a record points to with ``SET_NULL`` can be missing. A template that looks up
a name through such a link in a filter's argument (``|default:report.author.username``) or
Python that builds a name from it (``report.author.get_full_name()``) fails with a 500 there:
the project page did, when its latest report had no author.

Here the demo's users other than the readers are deleted, every remaining such link is
emptied, and the pages are crawled from the status center (one page of each kind: digits
stand for any id), exports, the admin's pages and the API's reads included.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from pmo.accounts.models import OrgUnit, Person, User
from pmo.config.api import api
from pmo.demo.loader import load_demo
from pmo.demo.tests.test_web_bad_input import _Forms
from pmo.dependencies.models import ChangeRequest, Dependency
from pmo.governance.models import GateReview, LifecycleTemplate, SteeringMeeting
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Resource, Role, Scenario
from pmo.resources.services.scenarios import create_scenario

READERS = ("admin", "pmo", "director")
SKIP = ("logout", "/i18n/", "/accounts/language/", "/file")
LIMIT = 400


def _people_links() -> list[tuple[type[models.Model], str]]:
    """Every nullable link to a user or a person that is emptied when they are deleted."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.null
        and field.related_model in (User, Person)
        and field.remote_field.on_delete is models.SET_NULL
    ]


def _forget_people() -> dict[str, int]:
    """Delete the users who are not readers, then empty every link to a user or person;
    how many records have an empty link, per link."""
    User.objects.exclude(username__in=READERS).delete()
    emptied = {}
    for model, name in _people_links():
        rows = model._default_manager
        rows.filter(**{f"{name}__isnull": False}).update(**{name: None})
        emptied[f"{model._meta.label}.{name}"] = rows.count()
    return emptied


def _api_reads(project: Project) -> list[str]:
    """Every read of the API, its ids those of ``project`` or of the first record."""
    review = GateReview.objects.filter(lifecycle__project=project).first()
    ids = {
        "code": project.code,
        "report_id": project.reports.values_list("pk", flat=True).first(),
        "review_id": review.pk if review else 0,
        "meeting_id": SteeringMeeting.objects.values_list("pk", flat=True).first(),
        "template_id": LifecycleTemplate.objects.values_list("pk", flat=True).first(),
        "dep_id": Dependency.objects.values_list("pk", flat=True).first(),
        "cr_id": ChangeRequest.objects.values_list("pk", flat=True).first(),
        "person_id": Person.objects.values_list("pk", flat=True).first(),
        "fmt": "xlsx",
    }
    codes = {
        "/api/v1/change-requests/{code}": ChangeRequest.objects.values_list("code", flat=True)[0],
        "/api/v1/org-units/{code}": OrgUnit.objects.values_list("code", flat=True)[0],
        "/api/v1/portfolios/{code}": Portfolio.objects.values_list("code", flat=True)[0],
        "/api/v1/programs/{code}": Program.objects.values_list("code", flat=True)[0],
    }
    pks = {
        "/api/v1/resources/": Resource.objects.values_list("pk", flat=True)[0],
        "/api/v1/roles/": Role.objects.values_list("pk", flat=True)[0],
        "/api/v1/scenarios/": Scenario.objects.values_list("pk", flat=True)[0],
    }
    reads = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "get" not in operations or any(s in path for s in SKIP) or "leveling-runs/" in path:
            continue
        values = {**ids, "pk": next((v for k, v in pks.items() if path.startswith(k)), 0)}
        values.update((("code", v) for k, v in codes.items() if path.startswith(k)))
        if path.startswith("/api/v1/projects/{code}/") and "{item_id}" in path:
            # an item of that kind in whichever project has one
            item = Project._meta.get_field(path.split("/")[5]).related_model.objects.first()
            values.update(code=item.project.code, item_id=item.pk)
        reads.append(path.format(**values))
    return reads


def _crawl(client: Any, start: list[str]) -> dict[str, tuple[str, int]]:
    """Each kind of page reached from ``start`` (digits as ``N``): one of its paths and the
    status it answered with."""
    queue, seen = list(start), dict[str, tuple[str, int]]()
    while queue and len(seen) < LIMIT:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if shape in seen or any(s in path for s in SKIP):
            continue
        page = client.get(path)
        seen[shape] = (path, page.status_code)
        if "text/html" not in page.get("Content-Type", "") or page.status_code != 200:
            continue
        parsed = _Forms()
        parsed.feed(page.content.decode())
        queue.extend(link.split("#")[0] for link in parsed.links)
    return seen


@pytest.mark.django_db
def test_every_page_shows_records_whose_people_are_gone(client: Any) -> None:
    # given the demo and a scenario, every user but the readers deleted and every link from
    # a record to a user or person emptied
    load_demo(projects=6, as_of=dt.date(2026, 11, 20))
    scenario = create_scenario(actor=User.objects.get(username="director"), name="What if")
    emptied = _forget_people()
    assert emptied["portfolio.StatusReport.author"] > 20
    assert emptied["dependencies.ChangeRequest.requested_by"] > 0
    assert emptied["governance.GateDecision.decided_by"] > 0
    assert emptied["resources.Scenario.created_by"] == 1
    assert emptied["portfolio.Risk.owner"] > 0
    project = Project.objects.get(code="P0001")
    assert project.latest_report is not None and project.latest_report.author is None
    start = [
        "/",
        f"/projects/{project.code}/",
        f"/projects/{project.code}/rag-history.svg",
        f"/resources/scenarios/{scenario.pk}/",
        f"/resources/scenarios/{scenario.pk}/staffing/",
        f"/resources/scenarios/compare/?ids={scenario.pk}",
        *_api_reads(project),
    ]
    client.raise_request_exception = False  # a 500 is collected below, not raised
    results = {}
    for username in READERS:
        # when each reader crawls every page
        client.force_login(User.objects.get(username=username))
        results[username] = _crawl(client, start)
    # then no page failed, and the crawl reached every kind of page
    failed = {u: [p for p, code in seen.values() if code >= 500] for u, seen in results.items()}
    assert failed == {u: [] for u in READERS}
    pmo = results["pmo"]
    assert {
        "/projects/PN/",
        "/projects/PN/reports/N/",
        "/projects/PN/raid/risks/N/",
        "/projects/PN/gate-reviews/N/",
        "/change-requests/N/",
        "/steering-meetings/N/",
        "/reports/onepage.pdf?",
        "/projects/export.csv?",
        "/gate-calendar.ics",
        "/resources/scenarios/N/",
    } <= pmo.keys()
    # and the API's reads of records with people answered
    api_reads = [shape for shape in pmo if shape.startswith("/api/")]
    assert len(api_reads) > 50
    assert {s: pmo[s] for s in api_reads if pmo[s][1] != 200} == {
        s: pmo[s]
        for s in (
            # without the query parameters they need
            "/api/vN/lookup/tasks",
            "/api/vN/capacity/causes",
            "/api/vN/capacity/room",
            "/api/vN/scenarios/compare",
        )
    }
    assert "/admin/portfolio/statusreport/N/change/" in results["admin"]
