"""The web pages: templates, lifecycle, gate review flow, calendar + iCalendar, meetings."""

import datetime as dt
import json
import re

from pmo.accounts.models import Role, User
from pmo.accounts.services import create_token
from pmo.governance import services
from pmo.governance.builtin import GENERIC
from pmo.governance.models import GateCondition, GateDecision, LifecycleTemplate
from pmo.governance.tests.conftest import tick_all


def login(client, user):
    client.force_login(user)
    return client


def test_template_pages_list_show_and_define_revisions(client, users, generic):
    login(client, users["admin"])
    page = client.get("/lifecycle-templates/")
    assert page.status_code == 200
    assert 'data-code="rnd"' in page.content.decode()
    detail = client.get(f"/lifecycle-templates/{generic.pk}/").content.decode()
    assert 'data-gate="G1"' in detail and "Sponsor confirms the need" in detail
    assert "Decided by: Executive, PMO admin" in detail
    form = client.get(f"/lifecycle-templates/new/?mode=json&from={generic.pk}")
    assert "&quot;code&quot;: &quot;generic&quot;" in form.content.decode()
    response = client.post(
        "/lifecycle-templates/new/",
        {"mode": "json", "definition": json.dumps({**GENERIC, "name": "Generic v2"})},
    )
    new = LifecycleTemplate.objects.get(code="generic", revision=2)
    assert response.status_code == 302
    assert response["Location"] == f"/lifecycle-templates/{new.pk}/"


def test_a_bad_definition_is_shown_with_its_field(client, users):
    login(client, users["admin"])
    response = client.post(
        "/lifecycle-templates/new/", {"mode": "json", "definition": '{"code": "x"}'}
    )
    assert response.status_code == 200
    assert "Name: is required" in response.content.decode()
    response = client.post("/lifecycle-templates/new/", {"mode": "json", "definition": "{oops"})
    assert "Not valid JSON" in response.content.decode()


def structured_post(definition, **header):
    """The POST data of the structured editor for ``definition`` (as a browser sends it)."""
    from pmo.governance.forms import initial_from_definition

    head, rows = initial_from_definition(definition)
    data = {"mode": "form", **{k: v or "" for k, v in head.items()}, **header}
    data.update({"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"})
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value if key == "decider_roles" else str(value)
    return data


def test_the_structured_editor_round_trips_a_template(client, users, generic):
    from pmo.governance.selectors import template_definition

    login(client, users["admin"])
    page = client.get(f"/lifecycle-templates/new/?from={generic.pk}").content.decode()
    assert 'value="generic"' in page
    assert "Sponsor confirms the need | 发起人确认需求" in page
    rnd = LifecycleTemplate.objects.get(code="rnd")
    rnd.gates.get(code="G2").deciders.set([users["pm"].person])
    response = client.post("/lifecycle-templates/new/", structured_post(template_definition(rnd)))
    assert response.status_code == 302
    copy = LifecycleTemplate.objects.get(code="rnd", revision=2)
    assert template_definition(copy) == template_definition(rnd)
    assert template_definition(copy)["phases"][2]["gate"]["decider_ids"] == [users["pm"].person.pk]


def test_the_structured_editor_reads_optional_and_entry_markers(client, users, generic):
    login(client, users["admin"])
    data = structured_post({"code": "mini", "name": "Mini", "phases": []})
    data.update({"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0"})
    rows = [
        {"key": "a", "name": "A", "category": "idea", "expected_days": "10"},
        {
            "key": "b",
            "name": "B",
            "category": "execution",
            "expected_days": "20",
            "gate_code": "G1",
            "gate_name": "Go",
            "decider_roles": ["executive"],
            "criteria": "Sponsor ok | 发起人同意\n? Nice to have\n> Team ready",
            "deliverables": "Charter | 章程 | https://t/charter\n? Memo",
        },
        {},  # an empty row is ignored
    ]
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = value
    data["form-2-category"] = "idea"
    data["form-2-expected_days"] = "30"
    response = client.post("/lifecycle-templates/new/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    gate = LifecycleTemplate.objects.get(code="mini").gates.get()
    assert [(c.text, c.text_zh, c.mandatory, c.kind) for c in gate.criteria.all()] == [
        ("Sponsor ok", "发起人同意", True, "exit"),
        ("Nice to have", "", False, "exit"),
        ("Team ready", "", True, "entry"),
    ]
    assert [(d.name, d.mandatory, d.template_url) for d in gate.deliverables.all()] == [
        ("Charter", True, "https://t/charter"),
        ("Memo", False, ""),
    ]
    data["code"] = "mini2"
    data["form-1-gate_code"] = ""
    page = client.post("/lifecycle-templates/new/", data).content.decode()
    assert "Phase row 2, Gate: is required" in page  # as on screen, not "phases.1.gate.code"


def test_a_pm_cannot_define_templates_in_the_ui(client, users):
    login(client, users["pm"])
    response = client.get("/lifecycle-templates/new/")
    assert (response.status_code, response["Location"]) == (302, "/lifecycle-templates/")


def test_the_pmo_starts_a_lifecycle_from_the_project(client, users, make_project, generic):
    project = make_project()
    login(client, users["member"])
    page = client.get(f"/projects/{project.code}/lifecycle/").content.decode()
    assert 'id="start-lifecycle"' in page
    for damaged in ("abc", "1e400", "10000000000000000000000000"):  # were 500s
        refused = client.post(
            f"/projects/{project.code}/lifecycle/start/", {"template": damaged}, follow=True
        )
        assert "Choose a lifecycle template." in refused.content.decode()
    client.post(f"/projects/{project.code}/lifecycle/start/", {"template": generic.pk})
    page = client.get(f"/projects/{project.code}/lifecycle/").content.decode()
    assert 'id="current-phase">Idea<' in page


def test_web_flow_request_prepare_and_decide_with_conditions(client, users, governed):
    project = governed()
    login(client, users["pm"])
    response = client.post(f"/projects/{project.code}/gate-reviews/new/", {"notes": "Ready"})
    review_url = response["Location"]
    review_id = int(review_url.rstrip("/").split("/")[-1])
    page = client.get(review_url).content.decode()
    assert 'id="save-checklist"' in page and 'id="record-decision"' not in page
    review = services.GateReview.objects.get(pk=review_id)
    post = {"action": "prepare", "version": review.version}
    for check in review.checks.all():
        post[f"met_{check.criterion_id}"] = "on"
        post[f"evidence_{check.criterion_id}"] = "https://wiki/evidence"
    for link in review.deliverables.all():
        post[f"url_{link.deliverable_id}"] = "https://wiki/charter"
    client.post(review_url, post)
    review.refresh_from_db()
    assert (review.version, all(c.met for c in review.checks.all())) == (2, True)
    login(client, users["exec"])
    page = client.get(review_url).content.decode()
    assert 'id="record-decision"' in page
    response = client.post(
        review_url,
        {
            "action": "decide",
            "version": review.version,
            "outcome": "go_conditions",
            "rationale": "Good case",
            "condition_0": "Sign the vendor contract",
            "owner_0": users["pm"].person.pk,
            "due_0": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    decision = GateDecision.objects.get(review_id=review_id)
    assert (decision.outcome, decision.decided_by_name) == ("go_conditions", "exec")
    page = client.get(review_url).content.decode()
    assert 'data-outcome="go_conditions"' in page and "Sign the vendor contract" in page
    # The project page shows the lifecycle panel; the status center the gate and the flag.
    page = client.get(f"/projects/{project.code}/").content.decode()
    assert 'id="lifecycle"' in page and "1 condition open" in page
    page = client.get("/", {"flag": "conditions_open"}).content.decode()
    assert f'data-code="{project.code}"' in page and 'data-flag="conditions"' in page
    condition = GateCondition.objects.get()
    login(client, users["pm"])
    client.post(f"/projects/{project.code}/gate-conditions/{condition.pk}/close/")
    condition.refresh_from_db()
    assert condition.status == "closed"


def test_decision_errors_are_shown_in_the_form(client, users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    login(client, users["exec"])
    url = f"/projects/{project.code}/gate-reviews/{review.pk}/"
    response = client.post(url, {"action": "decide", "outcome": "go"})
    assert response.status_code == 200
    assert "unmet mandatory requirements" in response.content.decode()
    assert GateDecision.objects.count() == 0


def test_status_center_gate_column_and_overdue_filter(client, users, governed, make_project):
    overdue = governed()  # G1 forecast 2026-02-04, long past
    make_project(code="NOLC")
    login(client, users["exec"])
    page = client.get("/", {"flag": "gate_overdue"}).content.decode()
    assert f'data-code="{overdue.code}"' in page and 'data-code="NOLC"' not in page
    assert 'data-flag="gate-overdue"' in page
    page = client.get("/", {"sort": "-gate"}).content.decode()
    assert page.count('data-col="gate"') == 2


def test_status_center_query_count_is_bounded(
    client, users, governed, django_assert_max_num_queries
):
    for _ in range(12):
        project = governed()
    tick_all(users, services.request_review(actor=users["pm"], project=project))
    login(client, users["exec"])
    client.get("/")  # warm the session / language caches
    with django_assert_max_num_queries(12):
        response = client.get("/")
    assert response.content.decode().count('data-col="gate"') == 12


def test_gate_calendar_pages_a_long_list_and_keeps_the_window(client, users, governed, monkeypatch):
    from pmo.governance import calendar_views

    monkeypatch.setattr(calendar_views, "CALENDAR_PAGE_SIZE", 2)
    projects = [governed() for _ in range(2)]  # three gates each
    login(client, users["exec"])
    window = {"start": "2026-01-01", "days": "400"}
    first = client.get("/gate-calendar/", window).content.decode()
    assert first.count("data-gate=") == 2
    assert "6 gates due until 2027-02-05" in first
    assert "Page 1 of 3" in first
    assert 'href="?start=2026-01-01&amp;days=400&amp;page=2"' in first
    assert 'name="days" value="400"' in first  # the window chosen, not the default
    shown = []
    for number in (1, 2, 3):
        page = client.get("/gate-calendar/", {**window, "page": number}).content.decode()
        shown += re.findall(r'data-code="(\w+)" data-gate="(\w+)"', page)
    assert sorted(shown) == sorted((p.code, g) for p in projects for g in ("G1", "G2", "G3"))


def test_gate_calendar_page_and_ical_feed_parse_back(client, users, governed):
    project = governed()
    login(client, users["exec"])
    page = client.get("/gate-calendar/", {"start": "2026-01-01", "days": "400"}).content.decode()
    assert f'data-code="{project.code}" data-gate="G1"' in page
    response = client.get("/gate-calendar.ics", {"start": "2026-01-01", "days": "400"})
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_ics(response.content.decode())
    assert [(e["DTSTART;VALUE=DATE"], e["SUMMARY"][:6]) for e in events] == [
        ("20260204", "⚠ G1 A"),
        ("20260321", "G2 Pla"),
        ("20261231", "G3 Clo"),  # the closure gate: on the project's forecast finish
    ]
    assert events[0]["UID"] == f"gate-{project.pk}-{events[0]['UID'].split('-')[2]}"


def test_ical_feed_takes_a_calendar_token_and_refuses_anonymous(client, users, governed):
    governed()
    assert client.get("/gate-calendar.ics").status_code == 401
    token = create_token(username="exec", scope="calendar")
    response = client.get("/gate-calendar.ics", {"token": token, "start": "2026-01-01"})
    assert response.status_code == 200
    assert response.content.decode().startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    # a feed URL ends up in calendar apps and logs: it opens the feed and nothing else,
    # and a full API token is not accepted in a URL
    api = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    full = create_token(username="exec")
    assert client.get("/gate-calendar.ics", {"token": full}).status_code == 401


def test_subscribing_makes_a_private_link_and_retires_the_old_one(client, users, governed):
    governed()
    login(client, users["exec"])
    first = client.post("/gate-calendar/").content.decode()
    link = first.split('data-testid="subscription-url">')[1].split("</code>")[0]
    assert link.startswith("http://testserver/gate-calendar.ics?token=pmo_")
    token = link.split("token=")[1]
    client.logout()
    assert client.get("/gate-calendar.ics", {"token": token}).status_code == 200
    login(client, users["exec"])
    second = client.post("/gate-calendar/").content.decode()
    assert token not in second
    client.logout()
    assert client.get("/gate-calendar.ics", {"token": token}).status_code == 401


def parse_ics(text):
    """Unfold (RFC 5545 §3.1) and read the VEVENTs back as dicts, unescaping TEXT values."""
    assert text.endswith("\r\n")
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines:
        assert len(line.encode()) <= 75 or line.startswith(("SUMMARY", "DESCRIPTION"))
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    return events


def test_long_chinese_lines_are_folded_on_character_boundaries():
    from pmo.governance.ical import escape, fold

    line = "SUMMARY:" + "阶段门评审" * 20
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_meeting_pages_plan_agenda_minutes_and_outcomes(client, users, governed):
    project = governed()
    login(client, users["member"])
    response = client.post(
        "/steering-meetings/",
        {"title": "SteerCo", "date": "2026-02-01", "window_days": "14", "location": "HQ"},
    )
    url = response["Location"]
    page = client.get(url).content.decode()
    assert f'data-kind="gate" data-code="{project.code}"' in page
    client.post(url, {"action": "minutes", "version": "1", "minutes": "Discussed G1."})
    client.post(
        url,
        {"action": "outcome", "project": project.code, "kind": "decision", "title": "Fund pilot"},
    )
    page = client.get(url).content.decode()
    assert "Discussed G1." in page and "Fund pilot" in page
    # the agenda is a snapshot, but a gate decided since says so on its line
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(actor=users["exec"], review=review, outcome="go")
    page = client.get(url).content.decode()
    assert "Gate G1" in page and "decided: Go" in page
    assert project.decisions.get().decided_by == "SteerCo"
    # directors read the whole portfolio, so its steering meetings too; viewers read their
    # unit only: no link in the top bar, and the page says why
    director = User.objects.create_user(username="dir", role=Role.RESOURCE_MANAGER)
    login(client, director)
    assert client.get(url).status_code == 200
    assert 'href="/steering-meetings/"' in client.get("/").content.decode()
    login(client, users["viewer"])
    denied = client.get(url)
    assert denied.status_code == 403 and b"span the whole portfolio" in denied.content
    assert 'href="/steering-meetings/"' not in client.get("/").content.decode()


def test_pages_render_in_chinese(client, users, governed):
    project = governed()
    users["exec"].language = "zh-hans"
    users["exec"].save()
    login(client, users["exec"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.get(f"/projects/{project.code}/lifecycle/").content.decode()
    assert "构想" in page and "阶段门评审" in page
    page = client.get("/gate-calendar/", {"start": "2026-01-01"}).content.decode()
    assert "阶段门日历" in page
    review = services.request_review(actor=users["pm"], project=project)
    page = client.get(f"/projects/{project.code}/gate-reviews/{review.pk}/").content.decode()
    assert "标准：发起人确认需求" in page  # the unmet criterion as the checklist shows it
    rnd = LifecycleTemplate.objects.get(code="rnd")
    page = client.get(f"/lifecycle-templates/{rnd.pk}/").content.decode()
    assert "从概念到发布的研发交付" in page and "Concept to launch" not in page
    assert "criterion:" not in page
    assert dt.date(2026, 1, 1)


def test_admin_lists_governance_records_read_only(client, users, governed):
    project = governed()
    services.request_review(actor=users["pm"], project=project)
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    login(client, users["admin"])
    for name in ("lifecycletemplate", "projectlifecycle", "gatereview", "gatedecision"):
        response = client.get(f"/admin/governance/{name}/")
        assert response.status_code == 200, name
    assert client.get("/admin/governance/lifecycletemplate/add/").status_code == 403


def test_status_center_export_has_the_gate_columns(client, users, governed, make_project):
    import csv
    import io

    governed(code="GOV1")
    make_project(code="NOLC")
    login(client, users["exec"])
    response = client.get("/projects/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    at = rows[0].index("Lifecycle phase")  # higher apps may add columns after these
    assert rows[0][at : at + 5] == [
        "Lifecycle phase",
        "Next gate",
        "Next gate due",
        "Gate overdue",
        "Open gate conditions",
    ]
    assert [r[at : at + 5] for r in rows[1:]] == [
        ["Idea", "G1", "2026-02-04", "yes", "0"],
        ["", "", "", "no", "0"],
    ]


def test_api_project_filter_accepts_governance_flags_and_refuses_unknown(client, users, governed):
    governed(code="GOV1")
    token = create_token(username="exec")
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/projects", {"flag": "gate_overdue"}, headers=headers).json()
    assert [p["code"] for p in body["items"]] == ["GOV1"]
    response = client.get("/api/v1/projects", {"flag": "nonsense"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "flag"
