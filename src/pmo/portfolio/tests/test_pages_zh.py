"""Every web page renders in Simplified Chinese, with the slip, revision and plural texts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation


@pytest.fixture
def zh_client(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = "zh-hans"
    return client


@pytest.fixture
def project(reported_project: Any) -> Any:
    """The root conftest's project five days late with one submitted report."""
    return reported_project


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert "%%" not in html, url
    return html


def test_status_center_in_chinese(zh_client: Client, project: Any) -> None:
    # a project manager's bare visit opens "My projects" (``?scope=mine``, a redirect)
    html = _page(zh_client, reverse("portfolio:project_list") + "?scope=mine")
    assert "项目组合状态中心" in html
    assert "1 个项目" in html
    assert "完成度" in html
    assert "（+5天）" in html  # the brackets are the translation's (full-width in Chinese)


def test_project_page_in_chinese(zh_client: Client, project: Any, users: dict[str, Any]) -> None:
    html = _page(zh_client, reverse("portfolio:project_detail", args=[project.code]))
    for text in ("项目集", "阶段", "基线完成日期", "预测完成日期", "变更记录", "概率×影响"):
        assert text in html, text
    assert "（+5天）" in html  # the brackets are the translation's (full-width in Chinese)
    assert "由 张伟 于 " in html  # the author's name in the reader's language, not the username


def test_forms_in_chinese(zh_client: Client, project: Any) -> None:
    html = _page(zh_client, reverse("portfolio:statusreport_create", args=[project.code]))
    assert "保存草稿" in html
    assert "完成百分比" in html
    # the period choices bracket their dates the Chinese way: 2026-W49（11-30 – 12-06）
    assert re.search(r"<option[^>]*>\d{4}-W\d\d（\d\d-\d\d – \d\d-\d\d）</option>", html)
    # the browser's date picker takes ISO dates only; Chinese formats (2027/01/05) left it empty
    assert 'type="date" name="forecast_finish" value="2027-01-05"' in html
    html = _page(zh_client, reverse("portfolio:raid_create", args=[project.code, "risks"]))
    assert "新增风险" in html


def test_service_conflict_shown_in_chinese(zh_client: Client, project: Any, green: Any) -> None:
    """A second draft for the same period: the service's conflict reaches the form translated."""
    url = reverse("portfolio:statusreport_create", args=[project.code])
    period = zh_client.get(url).context["form"].fields["period"].choices[0][0]
    body = {**green(), "period": period, "action": "draft"}
    assert zh_client.post(url, body).status_code == 302
    html = zh_client.post(url, body).content.decode()
    assert f"{period} 已有一份草稿报告" in html


def test_lazy_labels_plural_and_context_in_chinese() -> None:
    from pmo.audit.models import AuditEvent
    from pmo.portfolio.models import DIMENSION_LABELS, Project, Rag

    projects = ("%(n)s project", "%(n)s projects")  # not a literal gettext call: not extracted
    with translation.override("zh-hans"):
        assert str(Project._meta.verbose_name) == "项目"
        assert str(Rag.RED.label) == "红灯"
        assert str(DIMENSION_LABELS["schedule"]) == "进度"
        assert str(AuditEvent._meta.get_field("action").verbose_name) == "操作"
        assert translation.ngettext(*projects, 3) % {"n": 3} == "3 个项目"
