"""Fixes of the second UX audit: breached commitments in the impact, the register form,
messages and feedback of the change-request workflow."""

from __future__ import annotations

from typing import Any

from pmo.dependencies.models import ChangeRequest, Dependency, Notification
from pmo.dependencies.tests.conftest import link


def _golive_to_pilot(client: Any, users: Any, web: Any) -> int:
    """WEB1 Pilot (06-01, months of float) needs CORE1 Go-live (03-20), agreed for 03-25."""
    response = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=web["golive"].pk,
        consumer_project="WEB1",
        consumer_milestone=web["pilot"].pk,
        agreed_date="2026-03-25",
        status="agreed",
    )
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_the_impact_lists_the_agreed_dates_a_slip_would_miss(
    client: Any, users: Any, web: Any
) -> None:
    dep_id = _golive_to_pilot(client, users, web)
    client.force_login(users["pm"])
    url = f"/impact/?project=CORE1&source=milestone&milestone={web['golive'].pk}&days=8"
    page = client.get(url).content.decode()
    # WEB1 keeps its dates (float), but the agreed 2026-03-25 is passed: it must be listed
    assert 'data-project="WEB1"' not in page
    assert f'data-dependency="{dep_id}"' in page
    assert "2026-03-25" in page
    # a slip that stays within the agreed date lists nothing
    small = client.get(url.replace("days=8", "days=2")).content.decode()
    assert f'data-dependency="{dep_id}"' not in small
    raised = client.post(
        "/change-requests/new/",
        {
            "project": "CORE1",
            "type": "schedule",
            "title": "Go-live slips",
            "slip_milestone": web["golive"].pk,
            "slip_days": 8,
        },
    )
    cr = ChangeRequest.objects.get()
    assert [d["id"] for d in cr.impact["dependencies"]] == [dep_id]
    assert "WEB1" in {p.code for p in cr.affected_projects.all()}  # its PM hears of it
    detail = client.get(raised["Location"]).content.decode()
    assert f'data-dependency="{dep_id}"' in detail
    assert Dependency.objects.get(pk=dep_id).status == "agreed"


def test_the_register_form_offers_the_milestones_and_keeps_what_was_typed(
    client: Any, users: Any, web: Any
) -> None:
    client.force_login(users["pm"])
    options = client.get(
        "/dependencies/endpoints/?side=supplier&supplier_project=core1", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'name="supplier_item"' in options
    assert f'value="m:{web["golive"].pk}"' in options and "Go-live" in options
    # no milestone chosen: a plain message, the form open with what was typed
    page = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "CORE1",
            "supplier_item": "",
            "consumer_project": "WEB1",
            "consumer_item": f"m:{web['pilot'].pk}",
            "system": "Payments hub",
            "agreed_date": "2026-03-25",
        },
    )
    body = page.content.decode()
    assert page.status_code == 422
    assert "Choose the supplier’s milestone, gate or task." in body or (
        "Choose the supplier&#x27;s milestone, gate or task." in body
    )
    assert 'id="new-dependency" open' in body
    assert 'value="Payments hub"' in body and 'value="2026-03-25"' in body
    assert f'<option value="m:{web["pilot"].pk}" selected>' in body
    # the consumer's picker keeps the project: its code to submit, code · name in its box
    assert '<input type="hidden" name="consumer_project" value="WEB1"' in body
    assert 'name="consumer_project_text" value="WEB1 · ' in body
    # a code typed in lower case is the project; a service error names the form label
    bad = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "core1",
            "supplier_item": f"m:{web['golive'].pk}",
            "consumer_project": "nope",
            "consumer_item": f"m:{web['pilot'].pk}",
        },
    ).content.decode()
    assert "Consumer project: no project with code nope" in bad
    assert "consumer_project:" not in bad
    made = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "core1",
            "supplier_item": f"m:{web['golive'].pk}",
            "consumer_project": "WEB1",
            "consumer_item": f"m:{web['pilot'].pk}",
            "type": "FS",
            "lag": "0",
        },
        follow=True,
    )
    dep = Dependency.objects.get()
    assert (dep.supplier_milestone, dep.consumer_milestone) == (web["golive"], web["pilot"])
    assert f"Dependency #{dep.pk} registered: WEB1 depends on CORE1." in made.content.decode()


def test_a_missing_title_is_named_by_its_label(client: Any, users: Any, web: Any) -> None:
    client.force_login(users["pm"])
    page = client.post(
        "/change-requests/new/",
        {"project": "core1", "type": "schedule", "title": " ", "slip_days": ""},
        follow=True,
    ).content.decode()
    assert "Title: is required" in page and "title: is required" not in page


def test_the_workflow_confirms_each_step_and_names_people(
    client: Any, users: Any, web: Any
) -> None:
    _golive_to_pilot(client, users, web)
    client.force_login(users["pm"])
    raised = client.post(
        "/change-requests/new/",
        {
            "project": "CORE1",
            "type": "schedule",
            "title": "Go-live slips",
            "slip_milestone": web["golive"].pk,
            "slip_days": 8,
        },
    )
    draft = client.get(raised["Location"]).content.decode()
    assert 'class="secondary" data-action="withdraw"' in draft
    assert 'data-testid="requested-by">Zhang Wei<' in draft
    Notification.objects.all().delete()
    submitted = client.post(
        raised["Location"] + "transition/", {"action": "submit", "version": 1}, follow=True
    ).content.decode()
    cr = ChangeRequest.objects.get()
    # CORE1's own manager raised it: the PM review is skipped, by nobody, saying why
    assert f"{cr.code} submitted. State: PMO review." in submitted
    assert '<td data-testid="step-actor">Zhang Wei</td>' in submitted
    skipped = submitted.split('<tr data-action="skip">')[1].split("</tr>")[0]
    assert '<td data-testid="step-actor">—</td>' in skipped
    assert "<td>Skip the PM review</td>" in skipped
    assert '<td class="wrap">raised by the project manager</td>' in skipped
    # the requester is not told of their own step; the other PMs are
    assert not Notification.objects.filter(user=users["pm"]).exists()
    client.force_login(users["member"])
    approved = client.post(
        raised["Location"] + "transition/", {"action": "approve", "version": 3}, follow=True
    ).content.decode()
    state = "Steering review" if cr.needs_steering else "Approved"
    assert f"Approval recorded. State of {cr.code}: {state}." in approved
    client.cookies["pmo_language"] = "zh-hans"
    zh = client.get(raised["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="requested-by">张伟<' in zh


def test_the_network_draws_broken_links_last_and_names_over_the_lines(
    client: Any, users: Any, web: Any
) -> None:
    from pmo.dependencies.network import network_svg
    from pmo.dependencies.selectors import list_dependencies

    for supplier, consumer, status in [("golive", "pilot", "broken"), ("build", "integration", "")]:
        body: dict[str, Any] = {
            "supplier_project": web[supplier].project.code,
            "supplier_milestone": web[supplier].pk,
            "consumer_project": web[consumer].project.code,
            "consumer_milestone": web[consumer].pk,
        }
        if status:
            body["status"] = status
        assert link(client, users["pm"], **body).status_code == 201
    svg = network_svg(list(list_dependencies(users["admin"])))
    assert svg.index('data-status="broken"') > svg.index('data-status="proposed"')
    assert svg.rindex("<path d=") < svg.index("<g data-project=")  # boxes after the edges


def test_the_agreed_date_input_is_bounded_to_the_product_s_date_range(
    client: Any, users: Any, web: Any
) -> None:
    client.force_login(users["pm"])
    page = client.get("/dependencies/").content.decode()
    assert (
        '<input type="date" name="agreed_date" min="1984-01-01" max="2149-12-31" value="">' in page
    )
    # a year typed wrong gets past an old browser: refused with the field named, nothing stored
    typo = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "CORE1",
            "supplier_item": f"m:{web['golive'].pk}",
            "consumer_project": "WEB1",
            "consumer_item": f"m:{web['pilot'].pk}",
            "agreed_date": "0202-03-25",
        },
    )
    assert typo.status_code == 422
    body = typo.content.decode()
    assert "Agreed date: enter a date from 1984-01-01 to 2149-12-31" in body
    assert 'value="0202-03-25"' in body
    assert not Dependency.objects.exists()
