"""The status center's gate cell of a stopped lifecycle says so instead of naming a phase as
if a gate were next."""

from __future__ import annotations

from typing import Any

from pmo.governance import services
from pmo.governance.tests.conftest import tick_all


def test_a_stopped_project_reads_stopped_in_its_phase(
    client: Any, users: Any, governed: Any
) -> None:
    project = governed(code="STP1")
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(actor=users["exec"], review=review, outcome="stop", rationale="market")
    client.force_login(users["admin"])
    page = client.get("/", {"q": "STP1", "state": "cancelled"}).content.decode()
    cell = page[page.index('<td data-col="gate">') :]
    cell = cell[: cell.index("</td>")]
    assert 'data-state="stopped"' in cell and "stopped in" in cell
