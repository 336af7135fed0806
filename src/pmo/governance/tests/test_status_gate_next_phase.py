"""The status center's gate cell says the gate leads into which phase: on the R&D lifecycle a
project's Phase column read "Idea" and its Next gate cell "Concept" (the lifecycle phase that
counts as Idea), with nothing to say what either was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo.governance import services
from pmo.governance.models import LifecycleTemplate


def gate_cell(page: str, code: str) -> str:
    row = page[page.index(f'data-code="{code}"') :]
    cell = row[row.index('<td data-col="gate">') :]
    return cell[: cell.index("</td>")]


def on_rnd(users: Any, make_project: Any, code: str) -> Any:
    project = make_project(code=code)
    rnd = LifecycleTemplate.objects.get(code="rnd", revision=1)
    services.start_lifecycle(
        actor=users["admin"], project=project, template=rnd, started_on=dt.date(2026, 11, 2)
    )
    return project


def test_the_cell_names_the_phase_the_gate_leads_into(client: Any, users: Any, make_project: Any):
    on_rnd(users, make_project, "ERP2")
    client.force_login(users["admin"])
    cell = gate_cell(client.get("/", {"q": "ERP2"}).content.decode(), "ERP2")
    # the lifecycle phase, said to be one, then the gate and the phase it leads into
    assert 'title="Lifecycle phase" data-testid="lifecycle-phase">Concept</span>' in cell
    assert ">G1</a> → Feasibility</span>" in cell
    assert 'title="Gate G1 (Business case) leads into Feasibility"' in cell


def test_the_phase_it_leads_into_is_in_chinese(client: Any, users: Any, make_project: Any):
    on_rnd(users, make_project, "ERP3")
    client.force_login(users["admin"])
    page = client.get("/", {"q": "ERP3"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    cell = gate_cell(page, "ERP3")
    rnd = LifecycleTemplate.objects.get(code="rnd", revision=1)
    feasibility = rnd.phases.get(order=1)
    assert feasibility.name_zh  # the built-in template names its phases in Chinese
    assert f">G1</a> → {feasibility.name_zh}</span>" in cell


def test_after_a_gate_the_cell_moves_on(client: Any, users: Any, governed: Any):
    from pmo.governance.tests.conftest import pass_gate

    project = governed(code="GEN1")  # generic: idea → (G1) planning → (G2) execution
    pass_gate(users, project)
    client.force_login(users["admin"])
    cell = gate_cell(client.get("/", {"q": "GEN1"}).content.decode(), "GEN1")
    assert 'data-testid="lifecycle-phase">Planning</span>' in cell
    assert ">G2</a> → Execution</span>" in cell
