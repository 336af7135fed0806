"""One margin a PMO reads the same way as the status (browser audit 2): it is counted to the
earlier of the agreed date (the supplier's commitment) and the consumer's need, so a
supplier past its agreed date reads late, is at risk and is in the "late" filter; a link
whose consumer's item is done (or that is resolved) has no margin. And milestones are named
in the reader's language throughout the dependencies pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext

from pmo.dependencies import adapters
from pmo.dependencies.models import Dependency
from pmo.dependencies.services import create_dependency
from pmo.dependencies.tests.conftest import auth

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _link(users: Any, web: Any, sup: str, con: str, con_project: str, **extra: Any) -> Dependency:
    return create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": web[sup].pk,
            "consumer_project": con_project,
            "consumer_milestone": web[con].pk,
            **extra,
        },
    )


def _row(page: str, dep: Dependency) -> str:
    return page.split(f'<tr id="dep-{dep.pk}"')[1].split("</tr>")[0]


def _ids(page: str) -> list[int]:
    return [int(part.split('"')[0]) for part in page.split('<tr id="dep-')[1:]]


def _dates(dep: Dependency) -> adapters.DependencyDates:
    dep = Dependency.objects.select_related(*adapters.MARGIN_RELATED).get(pk=dep.pk)
    return adapters.dependency_dates([dep])[dep.pk]


def test_a_supplier_past_its_agreed_date_reads_late_however_far_the_consumer_is(
    client: Any, users: Any, web: Any
) -> None:
    # Go-live (Fri 03-20) was agreed for Fri 03-13; the Pilot (Mon 06-01) could wait 47 days
    dep = _link(users, web, "golive", "pilot", "WEB1", agreed_date=dt.date(2026, 3, 13))
    dep.refresh_from_db()
    assert dep.status == "at_risk"
    client.force_login(users["pm"])
    page = client.get("/dependencies/?project=CORE1").content.decode()
    row = _row(page, dep)
    assert 'data-margin="-5"' in row
    assert 'data-margin-kind="late">late by 5 working days</span>' in row
    assert 'data-margin-to="agreed">to the agreed date</span>' in row
    assert "to spare" not in row
    # the filters read the same number as the status
    assert _ids(client.get("/dependencies/?project=CORE1&margin=late").content.decode()) == [dep.pk]
    assert _ids(client.get("/dependencies/?project=CORE1&margin=tight").content.decode()) == [
        dep.pk
    ]
    api = client.get(f"/api/v1/dependencies/{dep.pk}", headers=auth(users["pm"])).json()
    assert (api["margin_days"], api["margin_to"], api["status"]) == (-5, "agreed", "at_risk")
    dates = _dates(dep)
    assert (dates.margin, dates.margin_to, dates.late_by) == (-5, "agreed", 5)
    # in Chinese too
    client.cookies["pmo_language"] = "zh-hans"
    zh = _row(client.get("/dependencies/?project=CORE1", **ZH).content.decode(), dep)
    with translation.override("zh-hans"):
        late = ngettext("late by %(n)s working day", "late by %(n)s working days", 5) % {"n": 5}
        to_agreed = gettext("to the agreed date")
    assert f'data-margin-kind="late">{late}</span>' in zh
    assert f'data-margin-to="agreed">{to_agreed}</span>' in zh


def test_back_before_the_agreed_date_the_margin_is_to_the_earlier_limit(
    users: Any, web: Any
) -> None:
    dep = _link(users, web, "golive", "pilot", "WEB1", agreed_date=dt.date(2026, 3, 13))
    golive = web["golive"]
    golive.forecast_date = dt.date(2026, 3, 11)  # Wed: two working days before the Friday
    golive.save()
    dep.refresh_from_db()
    assert dep.status == "agreed"
    assert (_dates(dep).margin, _dates(dep).margin_to) == (2, "agreed")
    dep.agreed_date = dt.date(2026, 12, 31)  # a late commitment: the Pilot's need binds
    dep.save()
    assert (_dates(dep).margin, _dates(dep).margin_to) == (54, "consumer")


def test_an_agreed_date_on_a_weekend_is_counted_in_working_days(users: Any, web: Any) -> None:
    dep = _link(users, web, "golive", "pilot", "WEB1", agreed_date=dt.date(2026, 3, 21))  # Sat
    assert (_dates(dep).margin, _dates(dep).margin_to) == (0, "agreed")  # Fri: no margin
    golive = web["golive"]
    golive.forecast_date = dt.date(2026, 3, 22)  # Sunday, past the agreed Saturday: late
    golive.save()
    assert _dates(dep).margin == -1
    dep.refresh_from_db()
    assert dep.status == "at_risk"


def test_a_consumer_already_done_has_no_margin_and_is_not_late(
    client: Any, users: Any, web: Any
) -> None:
    # the Integration (Mon 03-16) happened without Go-live (Fri 03-20)
    integration = web["integration"]
    integration.actual_date = dt.date(2026, 3, 16)
    integration.save()
    dep = _link(users, web, "golive", "integration", "APP1")
    dep.refresh_from_db()
    assert dep.status != "at_risk"
    client.force_login(users["pm"])
    row = _row(client.get("/dependencies/?project=CORE1").content.decode(), dep)
    assert 'data-margin=""><span class="muted" data-margin-kind="settled">—</span>' in row
    assert "late by" not in row
    assert _ids(client.get("/dependencies/?project=CORE1&margin=late").content.decode()) == []
    api = client.get(f"/api/v1/dependencies/{dep.pk}", headers=auth(users["pm"])).json()
    assert (api["margin_days"], api["margin_to"], api["consumer_done"]) == (None, None, True)
    dates = _dates(dep)
    assert (dates.margin, dates.settled, dates.late) == (None, True, False)


def test_a_resolved_link_has_no_margin(users: Any, web: Any) -> None:
    dep = _link(users, web, "golive", "pilot", "WEB1")
    assert _dates(dep).margin == 47
    dep.status = "resolved"
    dep.save()
    assert (_dates(dep).margin, _dates(dep).settled) == (None, True)


def _chinese_names(web: Any) -> None:
    for key, zh in (("golive", "上线"), ("pilot", "试点")):
        web[key].name_zh = zh
        web[key].save()


def test_the_register_and_its_critical_chain_name_milestones_in_the_readers_language(
    client: Any, users: Any, web: Any
) -> None:
    _chinese_names(web)
    pilot = web["pilot"]
    pilot.forecast_date, pilot.is_key = dt.date(2026, 3, 23), True  # right after Go-live
    pilot.save()
    dep = _link(users, web, "golive", "pilot", "WEB1")
    client.force_login(users["pm"])
    target = f"/dependencies/?target=m:{pilot.pk}"
    en = client.get(target).content.decode()
    assert "CORE1 · Go-live</td>" in _row(en, dep)
    assert "WEB1 · Pilot</td>" in _row(en, dep)
    assert f'<option value="m:{pilot.pk}" selected>WEB1 · Pilot</option>' in en
    assert "CORE1 · Go-live · 2026-03-20</li>" in en
    client.cookies["pmo_language"] = "zh-hans"
    zh = client.get(target, **ZH).content.decode()
    row = _row(zh, dep)
    assert "CORE1 · 上线</td>" in row
    assert "WEB1 · 试点</td>" in row
    assert f'<option value="m:{pilot.pk}" selected>WEB1 · 试点</option>' in zh
    chain = zh.split("<ol>")[1].split("</ol>")[0]
    assert "CORE1 · 上线 · 2026-03-20</li>" in chain
    assert "WEB1 · 试点 · 2026-03-23</li>" in chain
    assert "CORE1 · Build done" in chain  # no Chinese name: as it is
    endpoints = client.get(
        "/dependencies/endpoints/?side=supplier&supplier_project=CORE1", **ZH
    ).content.decode()
    assert f'value="m:{web["golive"].pk}">上线 · 2026-03-20' in endpoints
    # the API keeps its names as stored and its ids
    api = client.get(f"/api/v1/dependencies/{dep.pk}", headers=auth(users["pm"])).json()
    assert (api["supplier_milestone"], api["consumer_milestone"]) == (
        web["golive"].pk,
        pilot.pk,
    )


def test_the_impact_page_names_milestones_in_the_readers_language(
    client: Any, users: Any, web: Any
) -> None:
    _chinese_names(web)
    pilot = web["pilot"]
    pilot.forecast_date = dt.date(2026, 3, 23)
    pilot.save()
    _link(users, web, "golive", "pilot", "WEB1", agreed_date=dt.date(2026, 3, 25))
    client.force_login(users["pm"])
    url = f"/impact/?project=CORE1&source=milestone&milestone={web['golive'].pk}&days=5"
    en = client.get(url).content.decode()
    assert ">Go-live · 2026-03-20</option>" in en
    assert "<td>Pilot</td>" in en.split('id="impact-items"')[1]
    client.cookies["pmo_language"] = "zh-hans"
    zh = client.get(url, **ZH).content.decode()
    assert ">上线 · 2026-03-20</option>" in zh
    items = zh.split('id="impact-items"')[1]
    assert "<td>试点</td>" in items
    assert "<td>Pilot</td>" not in items
    breached = zh.split('id="impact-dependencies"')[1].split("</section>")[0]
    assert "<td>CORE1 · 上线</td>" in breached


def test_a_delivery_notice_names_the_milestone_in_the_readers_language(
    users: Any, web: Any
) -> None:
    from pmo.dependencies.models import Notification

    build = web["build"]
    build.name_zh = "构建完成"
    build.save()
    _link(users, web, "build", "integration", "APP1")
    Notification.objects.all().delete()
    build.actual_date = dt.date(2026, 3, 6)
    build.save()
    told = Notification.objects.get()
    with translation.override("en"):
        assert "CORE1 delivered Build done on 2026-03-06" in told.text
    with translation.override("zh-hans"):
        assert "构建完成" in told.text
        assert "Build done" not in told.text
