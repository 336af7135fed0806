"""Errors of the checklist and of steering meetings name fields as people see them: the page
shows each one at its field ("Criteria row 2, evidence link: ..."), the API keeps the field's
path in ``errors[].field`` and says the rest in words (third audit, finding 1)."""

import datetime as dt

import pytest

from pmo.accounts.services import create_token
from pmo.core.errors import ValidationFailed
from pmo.governance import services, steering
from pmo.governance.models import GateReview

LINK_PROBLEM = "enter a link that starts with http:// or https://"


@pytest.fixture
def api(client):
    def call(user, method, url, body):
        token = create_token(username=user.username)
        return getattr(client, method)(
            url, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"}
        )

    return call


@pytest.fixture
def review(users, governed):
    return services.request_review(actor=users["pm"], project=governed())


def test_api_checklist_errors_keep_the_path_and_name_the_row(api, users, review):
    second = list(review.checks.all())[1]
    charter = review.deliverables.get()
    response = api(
        users["pm"],
        "patch",
        f"/api/v1/projects/{review.lifecycle.project.code}/gate-reviews/{review.pk}",
        {
            "version": 1,
            "checks": [{"criterion_id": second.criterion_id, "met": True, "evidence_url": "x:y"}],
            "deliverables": [
                {"deliverable_id": charter.deliverable_id, "url": "ftp://files/charter"}
            ],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {"field": "checks.0.evidence_url", "message": LINK_PROBLEM},
        {"field": "deliverables.0.url", "message": LINK_PROBLEM},
    ]
    # the row as the review lists its criteria (the second), not the item's place in the body
    assert body["detail"] == (
        f"Criteria row 2, evidence link: {LINK_PROBLEM}; "
        f"Deliverables row 1, document link: {LINK_PROBLEM}"
    )
    assert GateReview.objects.get(pk=review.pk).version == 1  # nothing saved


def test_a_link_longer_than_its_column_is_refused_not_a_database_error(users, review):
    charter = review.deliverables.get()
    with pytest.raises(ValidationFailed) as refused:  # the page posts what it is given
        services.prepare_review(
            actor=users["pm"],
            review=review,
            version=1,
            deliverables=[
                {"deliverable_id": charter.deliverable_id, "url": "https://" + "a" * 200}
            ],
        )
    assert refused.value.message == (
        "Deliverables row 1, document link: the link has 208 characters; at most 200 fit"
    )


def test_api_an_unknown_criterion_is_named_by_its_id_and_gate(api, users, review):
    response = api(
        users["pm"],
        "patch",
        f"/api/v1/projects/{review.lifecycle.project.code}/gate-reviews/{review.pk}",
        {"version": 1, "checks": [{"criterion_id": 999999, "met": True}]},
    )
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "criterion 999999 is not one of gate G1",
    )
    assert response.json()["errors"][0]["field"] == "checks.0.criterion_id"


def test_web_checklist_error_is_shown_at_its_field_and_nothing_typed_is_lost(client, users, review):
    first, second = review.checks.all()
    charter = review.deliverables.get()
    client.force_login(users["pm"])
    url = f"/projects/{review.lifecycle.project.code}/gate-reviews/{review.pk}/"
    response = client.post(
        url,
        {
            "action": "prepare",
            "version": 1,
            f"met_{first.criterion_id}": "on",
            f"evidence_{first.criterion_id}": "https://wiki/sponsor",
            f"note_{first.criterion_id}": "mail of 3 March",
            f"evidence_{second.criterion_id}": "wiki/budget",
            f"url_{charter.deliverable_id}": "https://wiki/charter",
            "scheduled_for": "2026-03-02",
        },
    )
    assert response.status_code == 200  # shown again, not redirected away from the input
    page = response.content.decode()
    assert "checks." not in page and "evidence_url" not in page  # no API path anywhere
    assert "The checklist was not saved. Correct the fields marked below." in page
    row = page.split(f'data-criterion="{second.criterion_id}"')[1].split("</tr>")[0]
    assert 'value="wiki/budget"' in row and 'aria-invalid="true"' in row
    assert f'<ul class="errorlist"><li>{LINK_PROBLEM}</li></ul>' in row
    row = page.split(f'data-criterion="{first.criterion_id}"')[1].split("</tr>")[0]
    assert " checked" in row and 'value="mail of 3 March"' in row and "errorlist" not in row
    assert 'value="https://wiki/charter"' in page and 'value="2026-03-02"' in page
    review.refresh_from_db()
    assert (review.version, review.scheduled_for, [c.met for c in review.checks.all()]) == (
        1,
        None,
        [False, False],
    )


def test_web_review_date_out_of_range_is_shown_at_the_date(client, users, review):
    client.force_login(users["pm"])
    url = f"/projects/{review.lifecycle.project.code}/gate-reviews/{review.pk}/"
    response = client.post(url, {"action": "prepare", "version": 1, "scheduled_for": "9999-01-01"})
    page = response.content.decode()
    assert response.status_code == 200
    error = page.split('data-testid="date-error">')[1].split("</span>")[0]
    assert error == "enter a date from 1984-01-01 to 2149-12-31 (9999-01-01 is outside)"
    assert "scheduled_for" not in error and 'value="9999-01-01"' in page


def test_api_meeting_errors_name_the_field_as_the_page_does(api, users, governed):
    project = governed()
    meeting = steering.create_meeting(
        actor=users["member"], data={"title": "SteerCo", "date": dt.date(2026, 2, 1)}
    )
    response = api(
        users["member"],
        "patch",
        f"/api/v1/steering-meetings/{meeting.pk}",
        {"version": 1, "title": " "},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "Title: is required",
        "errors": [{"field": "title", "message": "is required"}],
    }
    response = api(
        users["member"],
        "post",
        f"/api/v1/steering-meetings/{meeting.pk}/outcomes",
        {"project": project.code, "kind": "action", "title": "Re-plan", "owner_id": 999999},
    )
    assert response.status_code == 422  # was the RAID entry's field name ("owner: ...")
    body = response.json()
    assert [e["field"] for e in body["errors"]] == ["owner_id"]
    assert body["detail"].startswith("Owner: no person with pk “999999”")


def test_web_outcome_errors_are_shown_at_their_fields(client, users, governed):
    governed()
    meeting = steering.create_meeting(
        actor=users["member"], data={"title": "SteerCo", "date": dt.date(2026, 2, 1)}
    )
    client.force_login(users["member"])
    url = f"/steering-meetings/{meeting.pk}/"
    response = client.post(
        url, {"action": "outcome", "project": "NOPE", "kind": "action", "title": "Re-plan"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not recorded: correct the fields marked." in page
    label = page.split('name="project"')[1].split("</label>")[0]
    assert "no project with code “NOPE”" in label
    assert 'value="Re-plan"' in page  # the title typed is kept
    assert meeting.outcomes.count() == 0
