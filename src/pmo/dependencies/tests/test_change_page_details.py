"""A change request's page names what slips (milestone or task, its project, its dates
before and after) and the steering threshold's currency; the impact page picks the project
from a list of names in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import ngettext

from pmo.dependencies import changes
from pmo.dependencies.tests.test_pages_languages import ZH, _chinese, _named, _raise
from pmo.portfolio.models import ExchangeRate, Project, ProjectState
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Task
from pmo.scheduling.tests.factories import small_plan


def _slip_line(page: str) -> str:
    return page.split('<p data-testid="slip">')[1].split("</p>")[0]


def test_the_page_names_the_slipping_milestone_its_project_and_its_dates(
    client: Any, users: Any, web: Any
) -> None:
    # given CORE1's Build done (Fri 03-06) slips 12 working days in a change request
    _named(web)
    cr = _raise(users, web)
    moved = next(i for i in cr.impact["items"] if i["key"] == f"m:{web['build'].pk}")
    assert moved["date"] == "2026-03-06" and moved["new_date"] > "2026-03-20"
    client.force_login(users["pm"])
    # when its page is read
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    # then it says which milestone of which project moves, by how much, from when to when
    assert _slip_line(page) == (
        "Milestone Build done of CORE1 · Core banking upgrade slips 12 working days: "
        f'<span class="nowrap" data-testid="slip-dates">2026-03-06 → {moved["new_date"]}</span>'
    )
    # and in Chinese, with the project's Chinese name
    _chinese(client)
    chinese = client.get(f"/change-requests/{cr.pk}/", **ZH).content.decode()
    with translation.override("zh-hans"):
        words = ngettext(
            "Milestone %(item)s of %(project)s slips %(n)s working day",
            "Milestone %(item)s of %(project)s slips %(n)s working days",
            12,
        ) % {"item": "Build done", "project": "CORE1 · 核心银行升级", "n": 12}
    assert _slip_line(chinese).startswith(words + "：")
    assert f"2026-03-06 → {moved['new_date']}</span>" in _slip_line(chinese)


def test_a_scope_change_names_the_task_that_gets_more_work(
    client: Any, make_project: Any, users: Any
) -> None:
    project = make_project(code="PLAN1", name="Branch refresh")
    scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    code = Task.objects.get(plan__project=project, uid=3)  # finishes Wed 2026-03-11
    cr = changes.create_change_request(
        actor=users["pm"],
        data={
            "project": "PLAN1",
            "type": "scope",
            "title": "More tests",
            "slip_task": code.pk,
            "slip_days": 2,
        },
    )
    client.force_login(users["pm"])
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    assert _slip_line(page) == (
        "Task Code of PLAN1 · Branch refresh gets 2 working days of added work: "
        '<span class="nowrap" data-testid="slip-dates">2026-03-11 → 2026-03-13</span>'
    )


def test_the_steering_threshold_names_the_request_s_currency(
    client: Any, users: Any, web: Any
) -> None:
    cr = _raise(users, web)
    client.force_login(users["pm"])
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    assert (
        "Steering committee above 10 working days of delay, a cost of 1,000,000\u00a0CNY "
        "or 200 person-days."
    ) in page
    # the threshold is in the base currency; a cost in another one without a rate is said so
    Project.objects.filter(pk=web["core"].pk).update(currency="GBP")
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    assert "a cost of 1,000,000\u00a0CNY or 200 person-days" in page
    assert '<span data-testid="cost">380,000.00 GBP</span>' in page
    assert "There is no exchange rate for GBP" in page
    # with a rate, the cost is shown converted (ADR 0016)
    ExchangeRate.objects.create(currency="GBP", rate="9.1", valid_from=dt.date(2020, 1, 1))
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    assert "There is no exchange rate" not in page
    # (at the rate of the day its steering need was decided: raised today, so today's)
    day = timezone.localdate().isoformat()
    assert f"Decided on {day} at 1 GBP = 9.1 CNY: the cost is 3,458,000.00\u00a0CNY." in page


def _project_box(page: str) -> str:
    return page.split('name="project_text"')[1].split(">")[0]


def _offered(client: Any, page: str, query: str = "", **extra: Any) -> list[str]:
    """The labels the impact page's project picker offers for ``query`` (its search)."""
    url = page.split('data-picker="')[1].split('"')[0].replace("&amp;", "&")
    answer = client.get(f"{url}&q={query}", **extra).json()
    return [item["label"] for item in answer["items"]]


def test_the_impact_page_picks_the_project_by_name_in_the_reader_s_language(
    client: Any, users: Any, web: Any
) -> None:
    _named(web)
    Project.objects.filter(pk=web["web"].pk).update(state=ProjectState.CANCELLED)
    client.force_login(users["pm"])
    page = client.get("/impact/").content.decode()
    # a searchable picker, not a list of every project: its search offers the running ones
    assert '<select name="project"' not in page
    offered = _offered(client, page)
    assert "CORE1 · Core banking upgrade" in offered
    assert "APP1 · Mobile banking app" in offered
    assert not any(label.startswith("WEB1") for label in offered)  # cancelled
    assert _offered(client, page, "mobile") == ["APP1 · Mobile banking app"]
    # chosen (typed in the address as "app1"), the box shows the project by its code
    chosen = client.get("/impact/?project=app1").content.decode()
    assert 'value="APP1 · Mobile banking app"' in _project_box(chosen)
    assert '<input type="hidden" name="project" value="APP1"' in chosen
    # a cancelled project named in the address stays shown, with the page's reason
    ended = client.get("/impact/?project=WEB1").content.decode()
    assert 'value="WEB1 · ' in _project_box(ended)
    assert "was cancelled on" in ended
    # in Chinese the names are the Chinese ones, and a Chinese name finds the project
    _chinese(client)
    chinese = client.get("/impact/", **ZH).content.decode()
    assert "CORE1 · 核心银行升级" in _offered(client, chinese, **ZH)
    assert _offered(client, chinese, "手机", **ZH) == ["APP1 · 手机银行"]
    # a reader sees only the projects they may read (the viewer: Shanghai's, not London's)
    client.force_login(users["viewer"])
    seen = _offered(client, client.get("/impact/").content.decode())
    assert any(label.startswith("CORE1") for label in seen)
    assert not any(label.startswith("APP1") for label in seen)


def test_the_impact_page_takes_a_project_typed_without_picking(
    client: Any, users: Any, web: Any
) -> None:
    """Without JavaScript the picker's box is sent alone: a code or a whole name is the
    project; anything else is said at the box."""
    _named(web)
    client.force_login(users["pm"])
    by_name = client.get("/impact/?project=&project_text=mobile+banking+app").content.decode()
    assert '<input type="hidden" name="project" value="APP1"' in by_name
    assert 'id="impact-source"' in by_name  # the project's milestones and tasks to choose
    unknown = client.get("/impact/?project=&project_text=NOPE9")
    body = unknown.content.decode()
    assert 'aria-invalid="true" aria-describedby="impact-project-error"' in _project_box(body)
    assert "no project you may see has the code or name “NOPE9”." in body
    assert 'value="NOPE9"' in _project_box(body)
    assert 'id="impact-source"' not in body
