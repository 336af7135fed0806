"""What a viewer sees of impacts, change requests and critical chains: only the projects they
may read, the others counted (the security audit's paths a-d).

The scenario (``scoped``): the viewer reads Shanghai R&D's CORE1 and WEB1; APP1 and LOAN1 are
London IT's. CORE1 Build drives APP1 (Integration, Launch), which drives WEB1's Pilot; CORE1
Go-live drives LOAN1's Loans live.
"""

from __future__ import annotations

from typing import Any

from pmo.dependencies.tests.conftest import auth

#: Text of the hidden projects that must never reach the viewer.
SECRETS = ("APP1", "LOAN1", "Test project 2", "Hidden loan origination", "隐藏贷款", "Loans live")
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _impact(client: Any, user: Any, scoped: Any) -> Any:
    return client.post(
        "/api/v1/impact",
        {"project": "CORE1", "milestone": scoped["build"].pk, "days": 20},
        content_type="application/json",
        headers=auth(user),
    )


def _raise(client: Any, users: Any, body: dict[str, Any], who: str = "pm") -> dict[str, Any]:
    response = client.post(
        "/api/v1/change-requests",
        {"type": "schedule", "title": "Vendor patch late", "slip_days": 20, **body},
        content_type="application/json",
        headers=auth(users[who]),
    )
    assert response.status_code == 201, response.content
    created: dict[str, Any] = response.json()
    return created


# a) the what-if impact


def test_the_impact_api_lists_only_the_projects_a_viewer_may_read(
    client: Any, users: Any, scoped: Any
) -> None:
    # when CORE1's Build slips 20 working days, asked by the Shanghai viewer
    response = _impact(client, users["viewer"], scoped)
    # then only CORE1 and WEB1 are listed, APP1 and LOAN1 are counted
    assert response.status_code == 200, response.content
    body = response.json()
    assert _leaks(response.content.decode()) == []
    assert [(i["project"], i["name"], i["delay"]) for i in body["items"]] == [
        ("CORE1", "Build done", 20),
        ("CORE1", "Go-live", 20),
        ("CORE1", "CORE1", 20),
        ("WEB1", "Pilot", 20),  # pushed through APP1: the delay stays right
        ("WEB1", "WEB1", 20),
    ]
    assert [p["project"] for p in body["projects"]] == ["CORE1", "WEB1"]
    assert body["hidden_projects"] == 2


def test_the_impact_api_shows_the_whole_network_to_who_reads_the_portfolio(
    client: Any, users: Any, scoped: Any
) -> None:
    body = _impact(client, users["exec"], scoped).json()
    assert [p["project"] for p in body["projects"]] == ["APP1", "CORE1", "WEB1", "LOAN1"]
    assert len(body["items"]) == 10
    assert body["hidden_projects"] == 0


def test_the_impact_page_shows_a_viewer_only_readable_projects_and_counts_the_rest(
    client: Any, users: Any, scoped: Any
) -> None:
    client.force_login(users["viewer"])
    url = f"/impact/?project=CORE1&source=milestone&milestone={scoped['build'].pk}&days=20"
    page = client.get(url).content.decode()
    assert 'data-project="CORE1"' in page and 'data-project="WEB1"' in page
    assert _leaks(page) == []
    assert "And 2 projects you cannot see are affected." in page
    client.cookies["pmo_language"] = "zh-hans"
    chinese = client.get(url, **ZH).content.decode()
    assert "另有 2 个您无权查看的项目受到影响。" in chinese
    assert _leaks(chinese) == []


def test_the_impact_page_shows_everything_to_a_pm(client: Any, users: Any, scoped: Any) -> None:
    client.force_login(users["pm"])
    url = f"/impact/?project=CORE1&source=milestone&milestone={scoped['build'].pk}&days=20"
    page = client.get(url).content.decode()
    assert 'data-project="APP1"' in page and 'data-project="LOAN1"' in page
    assert 'id="impact-hidden"' not in page


# b) change requests: the stored impact is filtered per reader


def test_a_change_request_shows_a_viewer_only_readable_affected_projects(
    client: Any, users: Any, scoped: Any
) -> None:
    # given CORE1's PM raises the 20-day slip of Build
    cr = _raise(client, users, {"project": "CORE1", "slip_milestone": scoped["build"].pk})
    assert cr["affected_projects"] == ["APP1", "LOAN1", "WEB1"]
    # when the viewer reads it
    response = client.get(f"/api/v1/change-requests/{cr['id']}", headers=auth(users["viewer"]))
    # then APP1 and LOAN1 are only counted
    assert response.status_code == 200
    body = response.json()
    assert _leaks(response.content.decode()) == []
    assert body["affected_projects"] == ["WEB1"]
    assert body["hidden_projects"] == 2
    assert [p["project"] for p in body["impact"]["projects"]] == ["CORE1", "WEB1"]
    assert {i["project"] for i in body["impact"]["items"]} == {"CORE1", "WEB1"}
    assert body["impact"]["hidden_projects"] == 2
    # and an executive reads it all
    full = client.get(f"/api/v1/change-requests/{cr['id']}", headers=auth(users["exec"])).json()
    assert full["affected_projects"] == ["APP1", "LOAN1", "WEB1"]
    assert full["hidden_projects"] == 0
    assert len(full["impact"]["projects"]) == 4


def test_a_change_request_page_shows_a_viewer_only_readable_projects(
    client: Any, users: Any, scoped: Any
) -> None:
    cr = _raise(client, users, {"project": "CORE1", "slip_milestone": scoped["build"].pk})
    client.force_login(users["viewer"])
    page = client.get(f"/change-requests/{cr['id']}/").content.decode()
    assert 'data-project="CORE1"' in page and 'data-project="WEB1"' in page
    assert _leaks(page) == []
    assert "And 2 projects you cannot see are affected." in page
    client.force_login(users["exec"])
    page = client.get(f"/change-requests/{cr['id']}/").content.decode()
    assert 'data-project="APP1"' in page and 'data-project="LOAN1"' in page
    assert 'id="impact-hidden"' not in page


def test_an_applied_change_lists_to_a_viewer_only_the_updates_they_may_read(
    client: Any, users: Any, scoped: Any
) -> None:
    # given the slip approved by the PM, the PMO and the steering committee, and applied
    cr = _raise(client, users, {"project": "CORE1", "slip_milestone": scoped["build"].pk})
    for who, action in [
        ("pm", "submit"),  # the PM review of the PM's own request is skipped
        ("member", "approve"),
        ("exec", "approve"),
        ("pm", "apply"),
    ]:
        response = client.post(
            f"/api/v1/change-requests/{cr['id']}/transitions",
            {"action": action},
            content_type="application/json",
            headers=auth(users[who]),
        )
        assert response.status_code == 200, (action, response.content)
    assert response.json()["state"] == "applied"
    # when the viewer reads it, only CORE1's and WEB1's updates are listed
    body = client.get(f"/api/v1/change-requests/{cr['id']}", headers=auth(users["viewer"])).json()
    milestones = {("milestone", scoped[k].pk) for k in ("build", "golive", "pilot")}
    readable = milestones | {("project", scoped[k].pk) for k in ("core", "web")}
    assert {(a["kind"], a["id"]) for a in body["impact"]["applied"]} == readable
    full = client.get(f"/api/v1/change-requests/{cr['id']}", headers=auth(users["exec"])).json()
    assert len(full["impact"]["applied"]) == 10


def test_a_program_change_slipping_a_hidden_project_hides_its_source(
    client: Any, users: Any, scoped: Any
) -> None:
    # given a program-level request (program CORE, readable for the viewer through CORE1)
    # slipping APP1's Launch 5 days: it pushes WEB1's Pilot
    cr = _raise(
        client,
        users,
        {"program": "CORE", "slip_milestone": scoped["launch"].pk, "slip_days": 5},
        who="member",
    )
    cr_id = cr["id"]
    assert cr["affected_projects"] == ["APP1", "WEB1"]
    # when the viewer reads it: the slipping milestone and its project are not named
    response = client.get(f"/api/v1/change-requests/{cr_id}", headers=auth(users["viewer"]))
    body = response.json()
    assert _leaks(response.content.decode()) == []
    assert (body["slip_milestone"], body["slip_task"]) == (None, None)
    assert body["impact"]["source"] == {"key": "", "name": "", "project": ""}
    assert body["affected_projects"] == ["WEB1"]
    assert body["hidden_projects"] == 1
    full = client.get(f"/api/v1/change-requests/{cr_id}", headers=auth(users["exec"])).json()
    assert full["slip_milestone"] == scoped["launch"].pk


def test_change_requests_cannot_be_filtered_by_a_hidden_affected_project(
    client: Any, users: Any, scoped: Any
) -> None:
    cr = _raise(client, users, {"project": "CORE1", "slip_milestone": scoped["build"].pk})
    url = "/api/v1/change-requests?project=APP1"
    assert client.get(url, headers=auth(users["viewer"])).json()["count"] == 0
    assert [r["id"] for r in client.get(url, headers=auth(users["exec"])).json()["items"]] == [
        cr["id"]
    ]


# c) the critical chain on the dependency page


def test_the_critical_chain_of_a_hidden_project_is_not_found(
    client: Any, users: Any, scoped: Any
) -> None:
    client.force_login(users["viewer"])
    for target in (
        f"m:{scoped['launch'].pk}",
        f"m:{scoped['live'].pk}",
        f"p:{scoped['app'].pk}",
    ):
        response = client.get(f"/dependencies/?target={target}")
        assert response.status_code == 404, target
        assert _leaks(response.content.decode()) == [], target
    client.force_login(users["pm"])
    assert client.get(f"/dependencies/?target=m:{scoped['launch'].pk}").status_code == 200


def test_a_critical_chain_through_a_hidden_project_shows_only_readable_steps(
    client: Any, users: Any, scoped: Any
) -> None:
    # when the viewer asks for the chain to WEB1's Pilot (CORE1 -> APP1 -> WEB1)
    client.force_login(users["viewer"])
    page = client.get(f"/dependencies/?target=m:{scoped['pilot'].pk}").content.decode()
    chain = page.split('id="chain"')[1].split("</section>")[0]
    # then the APP1 steps and the links' numbers are left out, the crossing still marked
    assert _leaks(page) == []
    assert chain.count("<li") == 2
    assert "CORE1 · Build done · 2026-03-06" in chain
    assert '<li class="cross"><span class="badge info">cross-project</span> WEB1 · Pilot' in chain
    assert "data-dependency" not in chain
    for dep in scoped["deps"].values():
        assert f"#{dep.pk}" not in chain
    assert 'id="chain-local"' not in chain
    assert "The chain also runs through 1 project you cannot see." in chain
    # and a PM sees every step and link
    client.force_login(users["pm"])
    page = client.get(f"/dependencies/?target=m:{scoped['pilot'].pk}").content.decode()
    chain = page.split('id="chain"')[1].split("</section>")[0]
    assert chain.count("<li") == 4
    assert f'data-dependency="{scoped["deps"]["launch_pilot"].pk}"' in chain
    assert 'id="chain-hidden"' not in chain


# d) the target list of the dependency page


def test_the_chain_targets_are_key_milestones_of_readable_projects(
    client: Any, users: Any, scoped: Any
) -> None:
    client.force_login(users["viewer"])
    page = client.get("/dependencies/").content.decode()
    assert f'<option value="m:{scoped["pilot"].pk}">WEB1 · Pilot</option>' in page
    assert f'value="m:{scoped["launch"].pk}"' not in page
    assert _leaks(page) == []
    client.force_login(users["pm"])
    page = client.get("/dependencies/").content.decode()
    assert f'<option value="m:{scoped["launch"].pk}">APP1 · Launch</option>' in page
