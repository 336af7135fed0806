"""The register form's project pickers: a project typed without picking (no script) is
resolved on the server, an unknown one is named at its field, and the page no longer lists
every project."""

from __future__ import annotations

from typing import Any

from pmo.dependencies.models import Dependency
from pmo.dependencies.tests.test_pages_languages import _named


def _box(page: str, name: str) -> str:
    return page.split(f'name="{name}_text"')[1].split(">")[0]


def test_a_typed_unknown_code_is_named_at_its_field_and_the_form_kept(
    client: Any, users: Any, web: Any
) -> None:
    client.force_login(users["pm"])
    answer = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "",
            "supplier_project_text": "CORE1",
            "supplier_item": f"m:{web['build'].pk}",
            "consumer_project": "",
            "consumer_project_text": "NOPE9",
            "consumer_item": "",
            "system": "Payments hub",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 422
    assert (
        'data-testid="consumer_project-error">Consumer project: no project you may see has '
        "the code or name “NOPE9”.</span>"
    ) in page
    box = _box(page, "consumer_project")
    assert 'value="NOPE9"' in box
    assert 'aria-invalid="true" aria-describedby="consumer-project-error"' in box
    # the supplier typed by its code is kept as found: its code, code · name in the box
    assert '<input type="hidden" name="supplier_project" value="CORE1"' in page
    assert 'value="CORE1 · ' in _box(page, "supplier_project")
    assert "aria-invalid" not in _box(page, "supplier_project")
    assert 'value="Payments hub"' in page and 'id="new-dependency" open' in page
    assert not Dependency.objects.exists()


def test_a_project_typed_by_name_is_registered_as_if_picked(
    client: Any, users: Any, web: Any
) -> None:
    _named(web)
    client.force_login(users["pm"])
    answer = client.post(
        "/dependencies/new/",
        {
            "supplier_project": "",
            "supplier_project_text": "core banking upgrade",
            "supplier_item": f"m:{web['build'].pk}",
            "consumer_project": "",
            "consumer_project_text": "APP1 · Mobile banking app",
            "consumer_item": f"m:{web['integration'].pk}",
            "type": "FS",
            "lag": "0",
        },
    )
    assert answer.status_code == 302
    dep = Dependency.objects.get()
    assert (dep.supplier_project.code, dep.consumer_project.code) == ("CORE1", "APP1")


def test_a_project_the_user_may_not_see_is_not_found_by_typing(
    client: Any, users: Any, scoped: Any
) -> None:
    # the viewer (Shanghai R&D) may not see LOAN1 (London IT's); viewers do not register
    # dependencies, but they look at a slip's impact, whose picker resolves the same way
    client.force_login(users["viewer"])
    answer = client.get("/impact/", {"project": "", "project_text": "Hidden loan origination"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "no project you may see has the code or name “Hidden loan origination”." in page
    assert "Loans live" not in page


def test_the_register_page_offers_a_search_not_every_project(
    client: Any, users: Any, web: Any
) -> None:
    client.force_login(users["pm"])
    page = client.get("/dependencies/").content.decode()
    assert '<select name="supplier_project"' not in page
    assert page.count('data-picker="/api/v1/lookup/projects?running=true"') == 2
    # the hidden code fires the endpoints' select when a project is picked (htmx)
    assert (
        '<input type="hidden" name="supplier_project" value="" data-picker-value '
        'hx-get="/dependencies/endpoints/?side=supplier" hx-trigger="change" '
        'hx-target="#supplier-item" hx-swap="outerHTML">'
    ) in page


def test_a_project_with_more_open_tasks_than_listed_gets_a_task_picker(
    client: Any, users: Any, make_project: Any, monkeypatch: Any
) -> None:
    from pmo.scheduling import services as scheduling
    from pmo.scheduling.tests.factories import small_plan

    monkeypatch.setattr("pmo.dependencies.views.what_if.TASKS_LISTED", 2)
    project = make_project(code="PLAN1", name="Branch refresh")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    client.force_login(users["pm"])
    page = client.get("/impact/?project=PLAN1").content.decode()
    # four open tasks, two listed at most: a picker instead of a cut-off select
    assert '<select name="task"' not in page
    assert 'data-picker="/api/v1/lookup/tasks?project=PLAN1"' in page
    assert "The project has more than 2 open tasks" in page
    found = client.get("/api/v1/lookup/tasks", {"project": "plan1", "q": "co"}).json()
    assert [item["label"] for item in found["items"]] == ["Code · 2026-03-11"]
    assert len(client.get("/api/v1/lookup/tasks", {"project": "PLAN1"}).json()["items"]) == 4
    # typed without picking: the task's name is the task, and the result is shown
    query = "/impact/?project=PLAN1&source=task&task=&days=5&task_text="
    typed = client.get(query + "code").content.decode()
    assert 'id="impact-projects"' in typed
    assert 'value="Code · 2026-03-11"' in typed.split('name="task_text"')[1].split(">")[0]
    unknown = client.get(query + "Paint").content.decode()
    assert (
        'data-testid="task-error">no open task of the project is called “Paint”.</span>' in unknown
    )
    assert 'id="impact-projects"' not in unknown
    # a reader who may not see the project finds none of its tasks
    client.force_login(users["uk_viewer"])
    assert client.get("/api/v1/lookup/tasks", {"project": "PLAN1"}).status_code == 404


def test_the_impact_page_lists_the_projects_that_part_of_a_name_matches(
    client: Any, users: Any, make_project: Any
) -> None:
    # given two projects with "core" in their names (what the picker would list)
    make_project(code="P0001", name="Core banking platform")
    make_project(code="P0061", name="Data core")
    client.force_login(users["pm"])
    # when "core" is typed without picking (no script) and the form sent
    page = client.get("/impact/", {"project": "", "project_text": "core"}).content.decode()
    # then the field names both to choose from, not "no project"
    assert (
        "2 projects match “core”: Core banking platform (P0001); Data core (P0061) — pick one "
        "or type its code."
    ) in page
    assert "no project you may see" not in page
    assert 'id="impact-source"' not in page


def test_the_impact_page_lists_the_open_tasks_that_part_of_a_name_matches(
    client: Any, users: Any, make_project: Any, monkeypatch: Any
) -> None:
    from pmo.scheduling import services as scheduling
    from pmo.scheduling.models import Task
    from pmo.scheduling.tests.factories import small_plan

    # given a plan whose open tasks are Design, Code, Docs and Release, and a task picker
    monkeypatch.setattr("pmo.dependencies.views.what_if.TASKS_LISTED", 2)
    project = make_project(code="PLAN1", name="Branch refresh")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    ids = dict(Task.objects.filter(plan__project=project).values_list("name", "pk"))
    client.force_login(users["pm"])
    query = "/impact/?project=PLAN1&source=task&task=&days=5&task_text="
    # when part of names is typed without picking (no script) and the form sent
    page = client.get(query + "DE").content.decode()
    # then the field lists those tasks with their ids to choose from, not "no open task"
    error = page.split('data-testid="task-error">')[1].split("</span>")[0]
    assert error == (
        f"2 open tasks match “DE”: Design · 2026-03-04 (#{ids['Design']}); "
        f"Code · 2026-03-11 (#{ids['Code']}) — pick one or type its #number."
    )
    assert 'id="impact-projects"' not in page
    # one match is listed too (the reader confirms it)
    one = client.get(query + "rele").content.decode()
    assert f"1 open task matches “rele”: Release · 2026-03-11 (#{ids['Release']}) — pick it" in one
    # an id listed there, typed with its #, is the task
    picked = client.get(query + f"%23{ids['Code']}").content.decode()
    assert 'id="impact-projects"' in picked
    assert 'value="Code · 2026-03-11"' in picked.split('name="task_text"')[1].split(">")[0]
    # two open tasks of one name: both listed
    Task.objects.filter(pk=ids["Docs"]).update(name="Design")
    twice = client.get(query + "design").content.decode()
    assert "2 open tasks match “design”: Design · " in twice
    assert f"(#{ids['Docs']})" in twice
