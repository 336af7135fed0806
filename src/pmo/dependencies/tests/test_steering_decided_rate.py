"""A change request's page converts its cost at the rate its stored ``needs_steering`` was
decided with (the rate in force on the day of its last raise or change), and adds today's
conversion when today's rate differs, so "needs the steering committee" never stands above
a conversion under the threshold without saying why (ADR 0016). In Chinese the sentences
follow each other with no space after 。."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from pmo.audit.models import AuditEvent
from pmo.dependencies import changes
from pmo.dependencies.models import ChangeRequest
from pmo.portfolio.models import ExchangeRate

RAISED = dt.date(2026, 11, 2)

# The Chinese proposed for the new sentences, used only while the catalogue lacks them (the
# catalogue's own translation wins once it has one).
PROPOSED_CHINESE = {
    "Decided on %(day)s at 1 %(currency)s = %(rate)s %(base)s: the cost is %(amount)s.": (
        "于 %(day)s 按 1 %(currency)s = %(rate)s %(base)s 判定：成本为 %(amount)s。"
    ),
    "At today's rate (1 %(currency)s = %(rate)s %(base)s) it is %(amount)s; the request is "
    "compared again only when it is changed.": (
        "按今日汇率（1 %(currency)s = %(rate)s %(base)s）为 %(amount)s；"
        "变更请求修改后才会重新比较。"
    ),
}


@pytest.fixture
def proposed_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    with translation.override("zh-hans"):
        catalog = translation.trans_real.translation("zh-hans")._catalog  # type: ignore[attr-defined]
    for msgid, msgstr in PROPOSED_CHINESE.items():
        if msgid not in catalog:
            monkeypatch.setitem(catalog._catalogs[0], msgid, msgstr)


def _backdate(cr: ChangeRequest, day: dt.date) -> None:
    """As if ``cr`` had been raised (and last changed) on ``day``."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    AuditEvent.objects.filter(
        object_id=str(cr.pk), object_type="dependencies.changerequest"
    ).update(timestamp=moment)
    ChangeRequest.objects.filter(pk=cr.pk).update(created_at=moment, steering_compared_on=day)
    cr.refresh_from_db()


@pytest.fixture
def raised(users: Any, make_project: Any) -> ChangeRequest:
    """A cost change of 120,000 GBP raised on 2026-11-02, when 1 GBP was 9.1 CNY: 1,092,000
    CNY, above the 1,000,000 CNY threshold (no slip: only the cost counts)."""
    make_project(code="GBP1", currency="GBP")
    ExchangeRate.objects.create(currency="GBP", rate=Decimal("9.1"), valid_from=dt.date(2026, 1, 1))
    cr = changes.create_change_request(
        actor=users["pm"],
        data={"project": "GBP1", "type": "cost", "title": "Licences", "cost_impact": "120000"},
    )
    assert cr.needs_steering is True
    _backdate(cr, RAISED)
    return cr


def _line(page: str) -> str:
    """The threshold's line, its entities read (today&#x27;s is today's)."""
    return html.unescape(
        page.split('<p class="muted" data-testid="thresholds">')[1].split("</p>")[0]
    )


def _page(client: Any, users: Any, cr: ChangeRequest, **headers: Any) -> str:
    client.force_login(users["pm"])
    return client.get(f"/change-requests/{cr.pk}/", **headers).content.decode()


def test_a_lower_rate_since_is_shown_beside_the_rate_the_flag_was_decided_with(
    client: Any, users: Any, raised: ChangeRequest
) -> None:
    # given GBP fell to 8.0 CNY after the request was raised (960,000 CNY: under the threshold)
    ExchangeRate.objects.create(
        currency="GBP", rate=Decimal("8.0"), valid_from=RAISED.replace(day=20)
    )
    # when its page is read
    page = _page(client, users, raised)
    # then it still needs the steering committee, and says so with the rate it was decided
    # with, and today's conversion as well, with when it is compared again
    assert (
        '<span class="badge info" data-testid="steering">needs the steering committee</span>'
        in page
    )
    assert _line(page).endswith(
        'or 200 person-days. <span data-testid="cost-in-base">Decided on 2026-11-02 at 1 GBP = '
        "9.1 CNY: the cost is 1,092,000.00\u00a0CNY. At today's rate (1 GBP = 8 CNY) it is "
        "960,000.00\u00a0CNY; the request is compared again only when it is changed.</span>"
    )


def test_the_same_rate_today_gives_one_sentence(
    client: Any, users: Any, raised: ChangeRequest
) -> None:
    page = _page(client, users, raised)
    assert _line(page).endswith(
        '<span data-testid="cost-in-base">Decided on 2026-11-02 at 1 GBP = 9.1 CNY: the cost '
        "is 1,092,000.00\u00a0CNY.</span>"
    )
    assert "today's rate" not in page


def test_a_flag_decided_without_a_rate_says_so_and_gives_today_s_conversion(
    client: Any, users: Any, raised: ChangeRequest
) -> None:
    # given the GBP rate was only entered after the request was raised (from 2026-11-10)
    ExchangeRate.objects.filter(currency="GBP").update(valid_from=dt.date(2026, 11, 10))
    page = _page(client, users, raised)
    assert 'data-testid="cost-in-base"' not in page
    warning = page.split('<p class="flash warn" data-testid="rate-missing">')[1].split("</p>")[0]
    assert warning == (
        "Decided on 2026-11-02 without an exchange rate for GBP: the cost could not be "
        "compared with the threshold, so any cost took the request to the steering committee. "
        "At today&#x27;s rate (1 GBP = 9.1 CNY) it is 1,092,000.00\u00a0CNY; the request is "
        "compared again only when it is changed."
    )


def test_the_flag_s_day_is_that_of_the_last_change_not_of_a_workflow_step(
    users: Any, raised: ChangeRequest
) -> None:
    assert raised.steering_compared_on == RAISED
    # a change of the cost recomputes the flag today
    cr = changes.update_change_request(
        actor=users["pm"], cr=raised, data={"cost_impact": "130000"}, version=raised.version
    )
    cr.refresh_from_db()
    assert cr.steering_compared_on == timezone.localdate()
    _backdate(cr, RAISED)
    # a workflow step (submit) does not
    changes.transition(actor=users["pm"], cr=cr, action="submit", version=cr.version)
    cr.refresh_from_db()
    assert (cr.state, cr.steering_compared_on) == ("pmo_review", RAISED)  # PM review skipped


@pytest.mark.usefixtures("proposed_chinese")
def test_in_chinese_no_space_follows_the_full_stop(
    client: Any, users: Any, raised: ChangeRequest
) -> None:
    ExchangeRate.objects.create(
        currency="GBP", rate=Decimal("8.0"), valid_from=RAISED.replace(day=20)
    )
    client.cookies["pmo_language"] = "zh-hans"
    page = _page(client, users, raised, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert _line(page).endswith(
        '需指导委员会审批。<span data-testid="cost-in-base">于 2026-11-02 按 1 GBP = 9.1 CNY '
        "判定：成本为 1,092,000.00\u00a0CNY。按今日汇率（1 GBP = 8 CNY）为 960,000.00\u00a0CNY；"
        "变更请求修改后才会重新比较。</span>"
    )
