"""The project pickers' search (``GET /api/v1/lookup/projects``) and the resolution of a
project typed into a picker's box without picking (pmo.portfolio.lookup)."""

from __future__ import annotations

from typing import Any

from pmo.portfolio.lookup import PickedProject, picked_project_code, resolve_project
from pmo.portfolio.models import ProjectState

URL = "/api/v1/lookup/projects"
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _labels(client: Any, query: str = "", **params: Any) -> list[str]:
    answer = client.get(URL, {"q": query, **params})
    assert answer.status_code == 200
    return [item["label"] for item in answer.json()["items"]]


def test_the_search_finds_projects_by_code_or_name_exact_code_first(
    client: Any, users: Any, make_project: Any
) -> None:
    make_project(code="PAY10", name="Card issuing")
    make_project(code="PAY1", name="Payments hub", name_zh="支付中枢")
    make_project(code="CRM2", name="Customer payments portal")
    make_project(code="HR3", name="Hiring")
    client.force_login(users["admin"])
    # the code typed exactly first, then codes that start with it, then names containing it
    assert _labels(client, "pay1") == ["PAY1 · Payments hub", "PAY10 · Card issuing"]
    assert _labels(client, "PAYMENTS") == [
        "PAY1 · Payments hub",
        "CRM2 · Customer payments portal",
    ]
    answer = client.get(URL, {"q": "PAY1"}).json()
    assert answer["items"][0] == {"value": "PAY1", "label": "PAY1 · Payments hub"}
    assert answer["more"] is False
    # nothing typed: the first projects by code
    assert _labels(client) == [
        "CRM2 · Customer payments portal",
        "HR3 · Hiring",
        "PAY1 · Payments hub",
        "PAY10 · Card issuing",
    ]


def test_the_search_finds_chinese_names_and_labels_in_the_reader_s_language(
    client: Any, users: Any, make_project: Any
) -> None:
    make_project(code="PAY1", name="Payments hub", name_zh="支付中枢")
    make_project(code="HR3", name="Hiring", name_zh="招聘系统")
    client.force_login(users["admin"])
    assert _labels(client, "中枢") == ["PAY1 · Payments hub"]
    answer = client.get(URL, {"q": "中枢"}, **ZH).json()
    assert answer["items"] == [{"value": "PAY1", "label": "PAY1 · 支付中枢"}]
    # an English name found by a Chinese reader is labelled in Chinese too
    assert client.get(URL, {"q": "hiring"}, **ZH).json()["items"][0]["label"] == "HR3 · 招聘系统"


def test_a_user_finds_only_the_projects_they_may_see(
    client: Any, users: Any, make_project: Any
) -> None:
    make_project(code="SH1", name="Shanghai banking")  # Shanghai R&D (the PM's unit)
    make_project(code="UK1", name="London banking", manager=users["other_pm"].person)
    client.force_login(users["viewer"])  # Shanghai R&D
    assert _labels(client, "banking") == ["SH1 · Shanghai banking"]
    assert _labels(client, "UK1") == []
    client.force_login(users["uk_viewer"])  # London IT
    assert _labels(client, "banking") == ["UK1 · London banking"]
    client.force_login(users["exec"])  # reads the whole portfolio
    assert _labels(client, "banking") == ["UK1 · London banking", "SH1 · Shanghai banking"][::-1]
    client.logout()
    assert client.get(URL, {"q": "banking"}).status_code == 401


def test_the_search_leaves_ended_projects_out_when_asked_and_is_limited(
    client: Any, users: Any, make_project: Any
) -> None:
    for n in range(1, 26):
        make_project(code=f"P{n:03d}", name=f"Project {n}")
    make_project(code="P900", name="Closed one", state=ProjectState.CLOSED)
    client.force_login(users["admin"])
    everything = client.get(URL, {"q": "P"}).json()
    assert len(everything["items"]) == 20 and everything["more"] is True
    assert client.get(URL, {"q": "P900"}).json()["items"][0]["value"] == "P900"
    assert client.get(URL, {"q": "P900", "running": "true"}).json()["items"] == []
    five = client.get(URL, {"q": "P0", "limit": 5}).json()
    assert [i["value"] for i in five["items"]] == ["P001", "P002", "P003", "P004", "P005"]
    assert five["more"] is True
    # out of bounds: 422 naming the parameter, never a 500
    for params in ({"limit": 0}, {"limit": 51}, {"q": "x" * 101}):
        bad = client.get(URL, params)
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] in ("limit", "q")
    nul = client.get(URL, {"q": "P0\x0001"})  # refused like every NUL (ADR 0009), no 500
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "q"


def test_typed_text_is_resolved_to_the_visible_project_it_names(
    users: Any, make_project: Any
) -> None:
    make_project(code="PAY1", name="Payments hub", name_zh="支付中枢")
    make_project(code="PAY2", name="Twin", name_zh="孪生")
    make_project(code="PAY3", name="Twin")
    make_project(code="UK1", name="London banking", manager=users["other_pm"].person)
    viewer = users["viewer"]
    assert resolve_project(viewer, " pay1 ").code == "PAY1"
    assert resolve_project(viewer, "PAY1 · whatever the label said").code == "PAY1"
    assert resolve_project(viewer, "payments HUB").code == "PAY1"
    assert resolve_project(viewer, "支付中枢").code == "PAY1"
    # several have the name: their codes to choose from
    assert resolve_project(viewer, "twin").error == (
        "2 projects match “twin”: Twin (PAY2); Twin (PAY3) — pick one or type its code."
    )
    hidden = resolve_project(viewer, "UK1")  # exists, but not for this reader
    assert hidden.code == ""
    assert hidden.error == "no project you may see has the code or name “UK1”."
    # the picker's hidden code counts while its box shows what the picker put there
    assert picked_project_code(viewer, "PAY1", "PAY1 · Payments hub").code == "PAY1"
    # the box changed (no script): the box wins
    assert picked_project_code(viewer, "PAY1", "PAY2").code == "PAY2"
    assert picked_project_code(viewer, "PAY1", "").code == ""
    # a client posting the code alone (no box): passed on as it is, for the service to judge
    assert picked_project_code(viewer, "NOPE", None).code == "NOPE"


def test_text_that_is_part_of_several_names_lists_their_codes(
    users: Any, make_project: Any
) -> None:
    # given projects whose names contain "core" (as the picker lists them), one hidden
    make_project(code="P0061", name="Core ledger")
    make_project(code="P0001", name="Banking core", name_zh="核心银行")
    make_project(code="UK1", name="London core", manager=users["other_pm"].person)
    viewer = users["viewer"]
    # when the reader types it without picking: the visible ones, in the picker's order
    assert resolve_project(viewer, "core") == PickedProject(
        error="2 projects match “core”: Core ledger (P0061); Banking core (P0001) — pick one "
        "or type its code."
    )
    assert resolve_project(viewer, "核心").error == (
        "1 project matches “核心”: Banking core (P0001) — pick it or type its code."
    )
    # many: the first five codes, then an ellipsis
    for n in range(2, 8):
        make_project(code=f"C{n}", name=f"Corelink {n}")
    assert resolve_project(viewer, "CORE").error == (
        "8 projects match “CORE”: Corelink 2 (C2); Corelink 3 (C3); Corelink 4 (C4); "
        "Corelink 5 (C5); Corelink 6 (C6); … — pick one or type its code."
    )
    assert picked_project_code(viewer, "", "core").code == ""


def test_the_codes_that_match_are_listed_in_chinese(users: Any, make_project: Any) -> None:
    from django.utils import translation

    make_project(code="P0001", name="Core banking", name_zh="核心银行")
    make_project(code="P0061", name="Core ledger")
    with translation.override("zh-hans"):
        error = resolve_project(users["viewer"], "core").error
    # the Chinese separator of a picker's matches and brackets, whatever the catalogue says of
    # the sentence around it; the names as the reader reads them (Chinese when set)
    assert "核心银行（P0001）；Core ledger（P0061）" in error
