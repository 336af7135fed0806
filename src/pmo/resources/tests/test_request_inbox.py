"""The heat map's "Requests to commit (N)" counts the requests of the resources the map is
narrowed to (role, org unit, skill), follows the map's htmx filters (swapped out of band) and
links to the requests page with the same filters, which narrows by skill too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from pmo.resources.tests.factories import MON, allocate, pool

FRI = MON + dt.timedelta(days=4)
MAP = "/resources/heatmap/"


@pytest.fixture
def world(org: dict[str, Any], make_project: Any, on_mon: None) -> dict[str, Any]:
    """Two requests on the Java pool of Shanghai, one on Ann (a tester in London who knows
    Selenium), one committed allocation (no request)."""
    java = pool(org)
    ann = pool(
        org,
        code="ann",
        name="Ann Lee",
        kind="person",
        role="Tester",
        fte=Decimal("1"),
        org_unit=org["it"],
        skills="Selenium, Python",
    )
    project = make_project()
    allocate(java, project, MON, FRI, "0.5")
    allocate(java, project, MON, FRI, "1")
    allocate(java, project, MON, FRI, "1", status="committed")
    allocate(ann, project, MON, FRI, "0.5")
    return {"java": java, "ann": ann, "project": project}


def _link(html: str) -> str:
    start = html.index('<a id="heatmap-requests"')
    return html[start : html.index("</a>", start) + 4]


def test_the_count_and_its_link_follow_the_maps_filters(
    client: Any, users: dict[str, Any], org: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["pm"])
    every = client.get(MAP).content.decode()
    assert _link(every) == (
        '<a id="heatmap-requests" href="/resources/requests/" data-testid="heatmap-requests">'
        "Requests to commit (3)</a>"
    )
    london = client.get(f"{MAP}?org_unit={org['uk'].pk}").content.decode()  # London IT below
    assert _link(london) == (
        f'<a id="heatmap-requests" href="/resources/requests/?org_unit={org["uk"].pk}" '
        'data-testid="heatmap-requests">Requests to commit (1)</a>'
    )
    java = client.get(f"{MAP}?role=java+DEVELOPER&skill=").content.decode()
    assert "Requests to commit (2)</a>" in _link(java)
    assert 'href="/resources/requests/?role=Java+developer"' in _link(java)


def test_an_htmx_filter_swaps_the_count_out_of_band(
    client: Any, users: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["pm"])
    swapped = client.get(f"{MAP}?skill=selenium", HTTP_HX_REQUEST="true").content.decode()
    assert _link(swapped) == (
        '<a id="heatmap-requests" hx-swap-oob="true" href="/resources/requests/?skill=selenium" '
        'data-testid="heatmap-requests">Requests to commit (1)</a>'
    )
    # the full page has it once, not swapped
    page = client.get(f"{MAP}?skill=selenium").content.decode()
    assert page.count('<a id="heatmap-requests"') == 1
    assert "hx-swap-oob" not in _link(page)


def test_the_requests_page_takes_the_links_filters(
    client: Any, users: dict[str, Any], org: dict[str, Any], world: dict[str, Any]
) -> None:
    client.force_login(users["member"])
    page = client.get("/resources/requests/?skill=selenium")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="request-row"') == 1
    assert "Ann Lee" in html
    assert 'name="skill" maxlength="100" value="selenium"' in html
    narrowed = client.get(f"/resources/requests/?org_unit={org['sh'].pk}&role=Java+developer")
    assert narrowed.content.decode().count('data-testid="request-row"') == 2
