"""What a Chinese reader sees around labels, numbers and lists: full-width punctuation with no
space after it (“原因：…”, “（+5天）”, “（第 1 版）”, “高管、PMO 管理员”), while English reads
as it always did. The Chinese half needs the catalogue's entries for the separators."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(reported_project: Any) -> Any:
    """The root conftest's project five days late with one submitted report."""
    return reported_project


def _client(users: dict[str, Any], who: str, language: str) -> Client:
    client = Client()
    client.force_login(users[who])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_english_pages_read_as_before(users: dict[str, Any], reported: Any) -> None:
    en = _client(users, "pm", "en")
    center = _get(en, reverse("portfolio:project_list") + "?scope=mine")  # a PM's landing
    assert 'data-testid="slip">(+5d)</span>' in center
    assert (
        "(projects asking for one in their latest report: 0; with one pending in the RAID log: 0;"
        " a project can be in both)</span>"
    ) in center
    detail = _get(en, reverse("portfolio:project_detail", args=[reported.code]))
    assert "<strong>Summary: </strong>" in detail
    assert "All reports (1)" in detail
    report = reported.reports.get()
    page = _get(en, reverse("portfolio:statusreport_detail", args=[reported.code, report.pk]))
    assert "2026-W40 (revision 1) ·" in page


def test_the_status_center_brackets_are_full_width(users: dict[str, Any], reported: Any) -> None:
    html = _get(_client(users, "pm", "zh-hans"), reverse("portfolio:project_list") + "?scope=mine")
    assert 'data-testid="slip">（+5天）</span>' in html
    assert (
        "（最新报告中请求决策的项目：0 个；RAID 日志中有待决事项的项目：0 个；"
        "一个项目可能两者都有）</span>"
    ) in html


def test_labels_end_in_a_full_width_colon_with_no_space(
    users: dict[str, Any], reported: Any
) -> None:
    zh = _client(users, "pm", "zh-hans")
    detail = _get(zh, reverse("portfolio:project_detail", args=[reported.code]))
    assert "<strong>概述：</strong>" in detail
    assert "全部报告（1）" in detail
    report = reported.reports.get()
    page = _get(zh, reverse("portfolio:statusreport_detail", args=[reported.code, report.pk]))
    assert "2026-W40（第 1 版）" in page
    assert "<strong>概述：</strong>" in page


def test_the_403_reason_follows_the_colon_directly(users: dict[str, Any]) -> None:
    page = _get(_client(users, "viewer", "zh-hans"), "/resources/new/", status=403)
    assert "原因：只有 PMO 和资源经理可以修改资源" in page


def test_a_gates_deciders_are_a_chinese_list(users: dict[str, Any]) -> None:
    from pmo.governance.models import LifecycleTemplate

    generic = LifecycleTemplate.objects.get(code="generic", revision=1)
    en = _get(_client(users, "admin", "en"), f"/lifecycle-templates/{generic.pk}/")
    assert "Decided by: Executive, PMO admin" in en
    assert "generic (revision 1)</h1>" in en
    zh = _get(_client(users, "admin", "zh-hans"), f"/lifecycle-templates/{generic.pk}/")
    assert "决策人：高管、PMO 管理员" in zh
    assert "generic（第 1 版）</h1>" in zh


def test_chinese_sets_no_space_before_an_aside_or_between_sentences(
    users: dict[str, Any], reported: Any
) -> None:
    # given a project five days late: English "2027-01-05 (+5d)", Chinese "2027-01-05（+5天）"
    en, zh = _client(users, "exec", "en"), _client(users, "exec", "zh-hans")
    english = _get(en, reverse("portfolio:project_detail", args=[reported.code]))
    chinese = _get(zh, reverse("portfolio:project_detail", args=[reported.code]))
    assert re.search(r"2027-01-05 <span[^>]*>\(\+5d\)", english)
    assert re.search(r"2027-01-05<span[^>]*>（\+5天）", chinese)
