"""The register and the API show each link's supplier date (done or forecast), the date the
consumer needs it and the margin between them in working days, in words as well as colour,
in English and Chinese; the register sorts and filters by margin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, ngettext

from pmo.dependencies.models import Dependency
from pmo.dependencies.services import create_dependency
from pmo.dependencies.tests.conftest import auth

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _row(page: str, dep: Dependency) -> str:
    return page.split(f'<tr id="dep-{dep.pk}"')[1].split("</tr>")[0]


def _cell(row: str, col: str) -> str:
    """The content of the row's cell ``col`` (after its ``data-col`` attribute)."""
    return row.split(f'data-col="{col}"')[1].split("</td>")[0]


def _three_links(users: Any, web: Any) -> dict[str, Dependency]:
    """``late``: Launch (moved to Thu 03-26) needs Go-live (Fri 03-20) + 4 working days of lag:
    late by 1 (agreed Fri 03-27: 5 to spare there, so the consumer's date binds); ``done``:
    Integration (Mon 03-16) needed the Build, done Wed 03-11: settled, no margin;
    ``spare``: Pilot (Mon 06-01) needs Go-live: 47 working days to spare."""
    launch = web["launch"]
    launch.forecast_date = dt.date(2026, 3, 26)
    launch.save()
    build = web["build"]
    build.actual_date = build.forecast_date = dt.date(2026, 3, 11)
    build.save()

    def link(sup: str, con: str, con_project: str, **extra: Any) -> Dependency:
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

    return {
        "late": link("golive", "launch", "APP1", lag=4, agreed_date=dt.date(2026, 3, 27)),
        "done": link("build", "integration", "APP1"),
        "spare": link("golive", "pilot", "WEB1"),
    }


def test_the_register_shows_the_dates_and_the_margin_in_words(
    client: Any, users: Any, web: Any
) -> None:
    links = _three_links(users, web)
    client.force_login(users["pm"])
    page = client.get("/dependencies/?project=CORE1").content.decode()
    for header in ("Supplier's date", "Consumer's date", "Margin"):
        assert f"<th>{header}</th>" in page
    late = _row(page, links["late"])
    assert 'data-status="at_risk"' in late
    assert _cell(late, "supplier-date").endswith(">2026-03-20")
    assert "Done" not in _cell(late, "supplier-date")
    assert _cell(late, "consumer-date").endswith(">2026-03-26")
    margin = _cell(late, "margin")
    assert margin.startswith(' data-margin="-1">')
    assert '<span class="badge warn" data-margin-kind="late">late by 1 working day</span>' in margin
    assert '<span class="muted" data-margin-to="consumer">to the consumer\'s date' in margin
    done = _row(page, links["done"])
    assert 'data-status="resolved"' in done  # delivered: the link did its job
    assert '2026-03-11 <span class="badge ok" data-done="supplier">Done</span>' in done
    # delivered: no margin any more (it would read "2 to spare" against a need long past)
    assert _cell(done, "margin").startswith(
        ' data-margin=""><span class="muted" data-margin-kind="settled">—'
    )
    assert "to spare" not in done
    spare = _row(page, links["spare"])
    assert 'data-margin="47"' in spare
    assert 'class="badge ok" data-margin-kind="spare">47 working days to spare' in spare
    assert 'id="margin-note"' in page


def test_the_register_columns_read_in_chinese(client: Any, users: Any, web: Any) -> None:
    links = _three_links(users, web)
    client.force_login(users["pm"])
    client.cookies["pmo_language"] = "zh-hans"
    page = client.get("/dependencies/?project=CORE1", **ZH).content.decode()
    with translation.override("zh-hans"):
        headers = [gettext("Supplier's date"), gettext("Consumer's date"), gettext("Margin")]
        late_words = ngettext("late by %(n)s working day", "late by %(n)s working days", 1)
        spare_words = ngettext("%(n)s working day to spare", "%(n)s working days to spare", 47)
        done_word = gettext("Done")
    assert done_word == "已完成"
    for header in headers:
        assert f"<th>{header}</th>" in page
    late = _row(page, links["late"])
    assert _cell(late, "supplier-date").endswith(">2026-03-20")
    assert f'data-margin-kind="late">{late_words % {"n": 1}}</span>' in late
    with translation.override("zh-hans"):
        to_consumer = gettext("to the consumer's date")
    assert f'data-margin-to="consumer">{to_consumer}</span>' in late.replace("&#x27;", "'")
    done = _row(page, links["done"])
    assert f'data-done="supplier">{done_word}</span>' in done
    assert f'data-margin-kind="spare">{spare_words % {"n": 47}}</span>' in _row(
        page, links["spare"]
    )


def test_the_register_sorts_and_filters_by_margin(client: Any, users: Any, web: Any) -> None:
    links = _three_links(users, web)
    client.force_login(users["pm"])

    def order(query: str) -> list[int]:
        page = client.get(f"/dependencies/?project=CORE1{query}").content.decode()
        return [int(part.split('"')[0]) for part in page.split('<tr id="dep-')[1:]]

    # tightest first; the delivered link has no margin: last
    assert order("&sort=margin") == [links[k].pk for k in ("late", "spare", "done")]
    # late: still to be delivered with a margin below 0 (the done build is left out)
    assert order("&margin=late") == [links["late"].pk]
    assert order("&margin=tight&sort=margin") == [links["late"].pk]
    page = client.get("/dependencies/?project=CORE1&margin=late&sort=margin").content.decode()
    assert '<option value="late" selected>' in page
    assert '<option value="margin" selected>' in page


def test_the_api_answers_with_the_dates_and_the_margin(client: Any, users: Any, web: Any) -> None:
    links = _three_links(users, web)
    headers = auth(users["other_pm"])
    one = client.get(f"/api/v1/dependencies/{links['late'].pk}", headers=headers).json()
    assert {k: one[k] for k in one if k.startswith(("supplier_d", "consumer_d", "margin"))} == {
        "supplier_date": "2026-03-20",
        "supplier_done": False,
        "consumer_date": "2026-03-26",
        "consumer_done": False,
        "margin_days": -1,
        "margin_to": "consumer",
    }
    assert one["status"] == "at_risk"
    listed = client.get("/api/v1/dependencies?project=APP1", headers=headers).json()["items"]
    by_id = {row["id"]: row for row in listed}
    done = by_id[links["done"].pk]
    assert (done["supplier_date"], done["supplier_done"], done["margin_days"]) == (
        "2026-03-11",
        True,
        None,
    )
    assert done["margin_to"] is None
    assert done["status"] == "resolved"
    # a change of lag over the API answers with the new margin (and the status it gives)
    patched = client.patch(
        f"/api/v1/dependencies/{links['late'].pk}",
        {"version": one["version"], "lag": 2},
        content_type="application/json",
        headers=headers,
    ).json()
    assert (patched["margin_days"], patched["status"]) == (1, "agreed")
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["DependencyOut"]
    assert {"supplier_date", "consumer_date", "margin_days"} <= set(schema["required"])
