"""Importing a plan years away from the project's dates warns on the page and in the API's
answer (MS Project's sample starts in 2003; the project was planned from 2026-11-02)."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.accounts.services import create_token
from pmo.resources.models import Resource as PoolResource
from pmo.scheduling.models import Plan

SAMPLE = "sample-constraints-calendars.xml"


def far_project(make_project: Any) -> Any:
    return make_project(
        code="FAR1", start_date=dt.date(2026, 11, 2), planned_finish=dt.date(2027, 6, 30)
    )


def test_the_page_warns_and_keeps_the_plan(client: Any, users: Any, make_project: Any, sample: Any):
    project = far_project(make_project)
    client.force_login(users["pm"])
    upload = SimpleUploadedFile(SAMPLE, sample(SAMPLE), content_type="application/xml")
    page = client.post(
        f"/projects/{project.code}/plan/import/", {"file": upload}, follow=True
    ).content.decode()
    plan = Plan.objects.get(project=project)
    assert plan.start.year == 2003
    assert 'class="flash warning"' in page
    assert f"The plan starts on {plan.start.date().isoformat()}, more than 90 days" in page
    assert "planned start (2026-11-02)" in page


def test_the_api_answer_carries_the_warning(
    client: Any, users: Any, make_project: Any, sample: Any
):
    project = far_project(make_project)
    token = create_token(username="pm")
    response = client.post(
        f"/api/v1/projects/{project.code}/plan/import/msproject",
        {"file": SimpleUploadedFile(SAMPLE, sample(SAMPLE), content_type="application/xml")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    warnings = [w for w in response.json()["warnings"] if "resource" not in w]
    assert len(warnings) == 1
    assert "more than 90 days before the project's planned start (2026-11-02)" in warnings[0]


def test_a_plan_that_fits_has_no_warning(
    client: Any, users: Any, make_project: Any, sample: Any, org: Any
):
    # the sample's own dates: a project planned when the plan is; its resources in the pool
    for code, name in (("r1", "First Resource"), ("r2", "second resource")):
        PoolResource.objects.create(
            code=code, kind="person", role="Operator", name=name, org_unit=org["sh"]
        )
    project = make_project(code="FIT1", start_date=None, planned_finish=None)
    token = create_token(username="pm")
    response = client.post(
        f"/api/v1/projects/{project.code}/plan/import/msproject",
        {"file": SimpleUploadedFile(SAMPLE, sample(SAMPLE), content_type="application/xml")},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201
    assert response.json()["warnings"] == []
