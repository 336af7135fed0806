"""The change-request, impact, register and notification pages in English and Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest, Notification
from pmo.dependencies.tests.conftest import link
from pmo.dependencies.tests.test_changes import _wire

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _chinese(client: Any) -> None:
    client.cookies["pmo_language"] = "zh-hans"


def _named(web: Any) -> None:
    for key, en, zh in [
        ("core", "Core banking upgrade", "核心银行升级"),
        ("app", "Mobile banking app", "手机银行"),
    ]:
        web[key].name, web[key].name_zh = en, zh
        web[key].save()


def _raise(users: Any, web: Any, **extra: Any) -> ChangeRequest:
    """CORE1's build slips 12 working days (above the 10-day threshold)."""
    return changes.create_change_request(
        actor=users["pm"],
        data={
            "project": "CORE1",
            "type": "schedule",
            "title": "Vendor patch late",
            "slip_milestone": web["build"].pk,
            "slip_days": 12,
            "cost_impact": "380000",
            **extra,
        },
    )


def _run(users: Any, cr: ChangeRequest, *steps: tuple[str, str]) -> ChangeRequest:
    for who, action in steps:
        cr = changes.transition(actor=users[who], cr=cr, action=action, note="")
    return cr


ALL_THE_WAY = [
    ("pm", "submit"),  # the PM review of the PM's own request is skipped
    ("member", "approve"),
    ("exec", "approve"),
    ("pm", "apply"),
]


def test_change_request_page_shows_names_labels_and_counts_in_english(
    client: Any, users: Any, web: Any
) -> None:
    # given a change above the thresholds, taken through the steering committee and applied
    _wire(client, users, web)
    _named(web)
    cr = _run(users, _raise(users, web), *ALL_THE_WAY)
    assert cr.state == "applied" and len(cr.impact["applied"]) == 6
    # when its page is read in English
    client.force_login(users["pm"])
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    # then the impact names the projects, the history reads in words, the count is plural
    assert "<td>CORE1 · Core banking upgrade</td>" in page
    assert "<td>APP1 · Mobile banking app</td>" in page
    assert "<td>Submit</td><td>Draft → PM review</td>" in page
    assert "<td>Approve</td><td>Steering review → Approved</td>" in page
    assert '<td class="wrap">6 items updated</td>' in page
    assert "pm_review" not in page.split('id="change-steps"')[1].replace('data-action="', "")
    # and it is no longer waiting for the committee: it was decided there
    assert 'data-testid="steering">needs the steering committee' not in page
    assert '<span class="badge" data-testid="steering">decided at steering</span>' in page
    assert '<span data-testid="cost">380,000.00 CNY</span>' in page
    listing = client.get("/change-requests/").content.decode()
    assert 'data-steering="decided"' in listing and 'data-steering="pending"' not in listing


def test_change_request_page_in_chinese(client: Any, users: Any, web: Any) -> None:
    # given the same applied change
    _wire(client, users, web)
    _named(web)
    cr = _run(users, _raise(users, web), *ALL_THE_WAY)
    # when its page is read in Chinese
    client.force_login(users["pm"])
    _chinese(client)
    page = client.get(f"/change-requests/{cr.pk}/", **ZH).content.decode()
    # then the Chinese project names, workflow words and state labels show
    assert "<td>CORE1 · 核心银行升级</td>" in page
    assert "<td>APP1 · 手机银行</td>" in page
    assert "<th>操作</th>" in page and "行动项" not in page
    assert "<td>提交</td><td>草稿 → 项目经理审核</td>" in page
    assert "<td>实施到计划</td><td>已批准 → 已实施</td>" in page
    assert '<td class="wrap">更新了 6 项</td>' in page
    assert 'data-testid="steering">需指导委员会审批' not in page
    assert '<span class="badge" data-testid="steering">已由指导委员会决策</span>' in page
    assert '<span data-testid="cost">380,000.00 CNY</span>' in page


def test_a_pending_change_still_needs_the_steering_committee(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    cr = _run(users, _raise(users, web), ("pm", "submit"))
    client.force_login(users["pm"])
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    assert 'data-testid="steering">needs the steering committee</span>' in page
    _chinese(client)
    page = client.get(f"/change-requests/{cr.pk}/", **ZH).content.decode()
    assert 'data-testid="steering">需指导委员会审批</span>' in page


def test_a_change_rejected_before_the_committee_shows_no_steering_badge(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    cr = _run(users, _raise(users, web), ("pm", "submit"))
    cr = changes.transition(actor=users["member"], cr=cr, action="reject", note="not now")
    client.force_login(users["pm"])
    page = client.get(f"/change-requests/{cr.pk}/").content.decode()
    assert "needs the steering committee" not in page and "decided at steering" not in page


def test_the_impact_page_names_projects_in_the_page_language(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    _named(web)
    client.force_login(users["pm"])
    url = f"/impact/?project=CORE1&milestone={web['build'].pk}&days=15"
    english = client.get(url).content.decode()
    assert '<tr data-project="APP1"><td>APP1 · Mobile banking app</td>' in english
    _chinese(client)
    chinese = client.get(url, **ZH).content.decode()
    assert '<tr data-project="APP1"><td>APP1 · 手机银行</td>' in chinese
    assert '<tr data-project="CORE1"><td>CORE1 · 核心银行升级</td>' in chinese


def test_the_steering_agenda_line_translates_the_unit_and_formats_the_cost(
    users: Any, web: Any
) -> None:
    from pmo.dependencies.status_center import agenda_title

    cr = _raise(users, web)
    assert agenda_title(cr) == "CR-00001 Vendor patch late (+12 working days, 380,000.00 CNY)"
    with translation.override("zh-hans"):
        assert agenda_title(cr) == "CR-00001 Vendor patch late（延误 12 个工作日，380,000.00 CNY）"
    cr.slip_days, cr.cost_impact = 1, Decimal("1234567.5")
    assert agenda_title(cr) == "CR-00001 Vendor patch late (+1 working day, 1,234,567.50 CNY)"


@pytest.mark.parametrize(
    ("language", "lag", "slip"),
    [
        ("en", "Lag must be a whole number.", "Slip or added work (working days) must be a whole"),
        ("zh-hans", "“延隔”必须是整数。", "“延误或新增工作量（工作日）”必须是整数。"),
    ],
)
def test_a_number_field_that_is_not_a_number_is_named_in_the_message(
    client: Any, users: Any, web: Any, language: str, lag: str, slip: str
) -> None:
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = language
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    page = client.post(
        "/dependencies/new/",
        {"supplier_project": "CORE1", "consumer_project": "APP1", "lag": "two"},
        follow=True,
        **headers,
    ).content.decode()
    assert lag in page
    page = client.post(
        "/change-requests/new/",
        {"project": "CORE1", "type": "schedule", "title": "x", "slip_days": "ten"},
        follow=True,
        **headers,
    ).content.decode()
    assert slip in page
    assert ChangeRequest.objects.count() == 0


def test_a_bad_cost_is_a_message_not_an_error_page(client: Any, users: Any, web: Any) -> None:
    client.force_login(users["pm"])
    response = client.post(
        "/change-requests/new/",
        {"project": "CORE1", "type": "cost", "title": "x", "cost_impact": "lots"},
        follow=True,
    )
    assert response.status_code == 422
    assert "Cost impact must be a number." in response.content.decode()


def test_notifications_read_in_the_language_of_the_moment(
    client: Any, users: Any, web: Any
) -> None:
    # given notifications written while the PMO member had no language set (English)
    _wire(client, users, web)
    cr = _run(users, _raise(users, web), ("pm", "submit"))
    small = changes.create_change_request(
        actor=users["pm"], data={"project": "CORE1", "type": "cost", "title": "Licences"}
    )
    small = _run(users, small, ("pm", "submit"), ("member", "approve"))
    assert Notification.objects.get(user=users["member"], change=cr).message == (
        f"{cr.code} awaits the PMO review"
    )
    # when they read the list in English and then in Chinese
    client.force_login(users["member"])
    english = client.get("/notifications/").content.decode()
    client.force_login(users["pm"])
    _chinese(client)
    requester = client.get("/notifications/", **ZH).content.decode()
    client.force_login(users["member"])
    chinese = client.get("/notifications/", **ZH).content.decode()
    # then each reads in the language of the page, state labels included
    assert f"{cr.code} awaits the PMO review</a>" in english
    assert f"{cr.code} 等待 PMO 审核</a>" in chinese
    assert f"{small.code}：已批准</a>" in requester


def test_network_shows_the_code_once_and_names_cut_at_a_word(
    client: Any, users: Any, web: Any
) -> None:
    _wire(client, users, web)
    long = "Core banking platform upgrade with the migration of every legacy ledger"
    web["core"].name = long
    web["core"].name_zh = "核心银行系统升级改造项目暨全部历史账簿迁移工程"
    web["core"].save()
    client.force_login(users["pm"])
    page = client.get("/dependencies/").content.decode()
    assert f'<g data-project="CORE1"><title>CORE1 {long}</title>' in page
    # few programs: the columns widen to fill the card, so more of a name fits
    assert 'width="310" height="30"' in page
    assert ">CORE1 Core banking platform upgrade with the…</text>" in page
    assert "CORE1 CORE1" not in page
    _chinese(client)
    chinese = client.get("/dependencies/", **ZH).content.decode()
    assert "<title>CORE1 核心银行系统升级改造项目暨全部历史账簿迁移工程</title>" in chinese
    assert ">CORE1 核心银行系统升级改造项目暨全部历史账簿迁…</text>" in chinese


def test_shorten_cuts_at_a_word_boundary() -> None:
    from pmo.dependencies.network import shorten

    assert shorten("Core banking upgrade") == "Core banking upgrade"
    assert shorten("Customer 360 CRM replacement programme") == "Customer 360 CRM…"
    assert shorten("Supercalifragilisticexpialidocious") == "Supercalifragilisti…"
    assert shorten("核心银行系统升级改造项目") == "核心银行系统升级改…"
    assert shorten("Digital identity and KYC") == "Digital identity…"


def test_the_critical_chain_lists_each_step_once_and_keeps_the_target(
    client: Any, users: Any, web: Any
) -> None:
    from pmo.portfolio.models import Milestone
    from pmo.scheduling import services as scheduling
    from pmo.scheduling.models import Task
    from pmo.scheduling.tests.factories import small_plan

    # given CORE1's plan (Design -> Code -> Release, Wed 03-11), its Release milestone driven
    # by the Release task, and APP1's Integration (Mon 03-16) needing it with no room left
    scheduling.replace_plan(actor=users["pm"], project=web["core"], data=small_plan())
    release = Milestone.objects.get(project=web["core"], name="Release")
    assert Task.objects.filter(portfolio_milestone=release).exists()
    web["launch"].is_key = True
    web["launch"].save()
    response = link(
        client,
        users["pm"],
        supplier_project="CORE1",
        supplier_milestone=release.pk,
        consumer_project="APP1",
        consumer_milestone=web["integration"].pk,
        lag=2,
    )
    assert response.status_code == 201, response.content
    dep = response.json()["id"]
    client.force_login(users["pm"])
    # when the chain to CORE1's own Release is shown
    page = client.get(f"/dependencies/?target=m:{release.pk}").content.decode()
    chain = page.split('id="chain"')[1].split("</section>")[0]
    # then the Release task and the milestone it drives are one step, and the page says no
    # other project drives it
    assert chain.count("CORE1 · Release ·") == 1
    assert chain.count("<li") == 3  # Design, Code, Release
    assert 'id="chain-local"' in chain and "stays within CORE1" in chain
    # when the chain to APP1's Launch is shown
    target = f"m:{web['launch'].pk}"
    page = client.get(f"/dependencies/?target={target}").content.decode()
    chain = page.split('id="chain"')[1].split("</section>")[0]
    # then the cross-project link is marked and points at its row; the select keeps the target
    assert f'<li class="cross" data-dependency="{dep}"><a href="#dep-{dep}"' in chain
    assert "APP1 · Integration" in chain and 'id="chain-local"' not in chain
    assert f'<option value="{target}" selected>APP1 · Launch</option>' in page
    assert f'<tr id="dep-{dep}"' in page


def test_english_notifications_written_before_the_key_read_in_chinese_too(users: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "pmo.dependencies.migrations.0003_notification_key_and_step_choices"
    )
    # given notifications stored as English text only, and one in Chinese
    for text in [
        "CR-00009 awaits the PMO review",
        "CR-00009: Approved",
        "Dependency #7 at risk: P0001 forecasts 2026-12-29, after the agreed 2026-12-22",
        "CR-00009 等待 PMO 审核",
    ]:
        Notification.objects.create(user=users["pm"], message=text)
    # when the migration keys them
    migration.key_english_notifications(apps, None)
    # then the English ones read in Chinese; the Chinese one keeps its text
    with translation.override("zh-hans"):
        texts = [n.text for n in Notification.objects.order_by("id")]
    assert texts == [
        "CR-00009 等待 PMO 审核",
        "CR-00009：已批准",
        "依赖 #7 有风险：P0001 预测日期 2026-12-29，晚于约定的 2026-12-22",
        "CR-00009 等待 PMO 审核",
    ]
