"""Gate forecasts after a decision: the template's days, reconciled with the project's
forecast finish (ADR 0002, "Gate forecasts").

Generic: idea (30 days) -(G1)-> planning (45) -(G2)-> execution (180) -(G3)-> closed;
started 2026-01-05, so planned G1 2026-02-04, G2 2026-03-21, G3 2026-09-17.
"""

import datetime as dt

from pmo.governance import services
from pmo.governance.builtin import GENERIC
from pmo.governance.models import ProjectGate, ProjectLifecycle
from pmo.governance.tests.conftest import START, pass_gate, tick_all


def _gates(project):
    rows = ProjectGate.objects.filter(lifecycle__project=project).order_by("gate__order")
    return {row.gate.code: row for row in rows}


def _forecasts(project):
    return {code: row.forecast for code, row in _gates(project).items()}


def _next_due(project):
    return ProjectLifecycle.objects.get(project=project).next_gate_due


def test_an_early_decision_never_forecasts_the_closure_gate_after_the_forecast_finish(
    users, governed
):
    # given a project that forecasts to finish on 30 June
    project = governed(forecast_finish=dt.date(2026, 6, 30))
    # when it passes G1 and G2 early (G2 on 10 February, planned 21 March)
    pass_gate(users, project, on=dt.date(2026, 1, 20))
    pass_gate(users, project, on=dt.date(2026, 2, 10))
    # then the closure gate is due on the forecast finish, not 10 Feb + 180 days (9 August)
    assert _forecasts(project)["G3"] == dt.date(2026, 6, 30)
    assert _next_due(project) == dt.date(2026, 6, 30)


def test_the_closure_gate_follows_the_forecast_finish_when_the_template_is_quicker(users, governed):
    # given a project that forecasts to finish on 31 December
    project = governed(forecast_finish=dt.date(2026, 12, 31))
    pass_gate(users, project, on=dt.date(2026, 1, 20))
    # when it enters execution on 10 February
    pass_gate(users, project, on=dt.date(2026, 2, 10))
    # then the closure review is expected when the work ends, not after the template's 180 days
    assert _forecasts(project)["G3"] == dt.date(2026, 12, 31)
    assert _next_due(project) == dt.date(2026, 12, 31)


def test_the_gates_before_closure_keep_the_templates_days(users, governed):
    project = governed(forecast_finish=dt.date(2026, 12, 31))
    # when G1 is passed ten days late
    pass_gate(users, project, on=dt.date(2026, 2, 14))
    # then planning's 45 days run from the decision: G2 on 31 March
    assert _forecasts(project) == {
        "G1": dt.date(2026, 2, 14),
        "G2": dt.date(2026, 3, 31),
        "G3": dt.date(2026, 12, 31),
    }
    assert _next_due(project) == dt.date(2026, 3, 31)


def test_no_gate_is_forecast_after_the_forecast_finish(users, governed):
    # given a project that forecasts to finish on 1 March
    project = governed(forecast_finish=dt.date(2026, 3, 1))
    # when G1 is passed on 14 February (planning's 45 days would end on 31 March)
    pass_gate(users, project, on=dt.date(2026, 2, 14))
    # then G2 and the closure gate are both due on the finish, in order
    assert _forecasts(project) == {
        "G1": dt.date(2026, 2, 14),
        "G2": dt.date(2026, 3, 1),
        "G3": dt.date(2026, 3, 1),
    }


def test_an_out_of_date_forecast_finish_is_not_used(users, governed):
    # given a forecast finish nobody moved: 31 January, already behind the decision
    project = governed(forecast_finish=dt.date(2026, 1, 31))
    pass_gate(users, project, on=dt.date(2026, 2, 14))
    # then the template's days apply from the decision
    assert _forecasts(project) == {
        "G1": dt.date(2026, 2, 14),
        "G2": dt.date(2026, 3, 31),
        "G3": dt.date(2026, 9, 27),
    }


def test_without_a_forecast_finish_the_templates_days_apply(users, governed):
    project = governed(forecast_finish=None)
    assert _forecasts(project)["G3"] == dt.date(2026, 9, 17)
    pass_gate(users, project, on=dt.date(2026, 2, 14))
    assert _forecasts(project)["G3"] == dt.date(2026, 9, 27)


def test_starting_a_lifecycle_forecasts_the_closure_gate_on_the_finish(users, governed):
    # the plan stays the template's; the forecast is the project's
    project = governed(forecast_finish=dt.date(2026, 11, 30))
    gates = _gates(project)
    assert [(c, g.planned, g.forecast) for c, g in gates.items()] == [
        ("G1", dt.date(2026, 2, 4), dt.date(2026, 2, 4)),
        ("G2", dt.date(2026, 3, 21), dt.date(2026, 3, 21)),
        ("G3", dt.date(2026, 9, 17), dt.date(2026, 11, 30)),
    ]


def test_a_recycle_reforecasts_from_the_decision_with_the_same_rule(users, governed):
    project = governed(forecast_finish=dt.date(2026, 12, 31))
    pass_gate(users, project, on=dt.date(2026, 1, 20))
    pass_gate(users, project, on=dt.date(2026, 2, 10))
    # when the closure review sends the project back to planning on 1 June
    review = tick_all(users, services.request_review(actor=users["pm"], project=project))
    services.decide_gate(
        actor=users["exec"],
        review=review,
        outcome="recycle",
        recycle_to="planning",
        rationale="scope reopened",
        decided_on=dt.date(2026, 6, 1),
    )
    # then G2 is planning's 45 days from then, the closure gate still the forecast finish
    forecasts = _forecasts(project)
    assert (forecasts["G2"], forecasts["G3"]) == (dt.date(2026, 7, 16), dt.date(2026, 12, 31))
    assert _gates(project)["G2"].actual is None


def test_a_lifecycle_without_a_closed_phase_caps_its_last_gate_only(users, make_project):
    # given a template that ends in execution (no closure gate)
    open_ended = services.create_template(
        actor=users["admin"],
        definition={**GENERIC, "code": "open", "phases": GENERIC["phases"][:3]},
    )
    late = make_project(code="LATE", forecast_finish=dt.date(2026, 12, 31))
    soon = make_project(code="SOON", forecast_finish=dt.date(2026, 3, 1))
    for project in (late, soon):
        services.start_lifecycle(
            actor=users["admin"], project=project, template=open_ended, started_on=START
        )
    # then the last gate keeps the template's date unless that is after the forecast finish
    assert _forecasts(late) == {"G1": dt.date(2026, 2, 4), "G2": dt.date(2026, 3, 21)}
    assert _forecasts(soon) == {"G1": dt.date(2026, 2, 4), "G2": dt.date(2026, 3, 1)}


def _move_finish(users, project, finish):
    """The PM changes the forecast finish (a report or a plan recompute save it the same way)."""
    from pmo.portfolio.services import update_project

    project.refresh_from_db()
    update_project(
        actor=users["pm"],
        project=project,
        data={"forecast_finish": finish},
        version=project.version,
    )


def test_the_gates_follow_a_new_forecast_finish_without_a_decision(users, governed):
    # given a project in its first phase; G3 sits on its forecast finish (31 December)
    project = governed()
    assert _forecasts(project)["G3"] == dt.date(2026, 12, 31)
    # when the forecast finish slips to 15 February next year
    _move_finish(users, project, dt.date(2027, 2, 15))
    # then the closure gate follows it and the earlier gates keep their dates
    assert _forecasts(project) == {
        "G1": dt.date(2026, 2, 4),
        "G2": dt.date(2026, 3, 21),
        "G3": dt.date(2027, 2, 15),
    }
    # and when it comes in before G2, no gate stays after it
    _move_finish(users, project, dt.date(2026, 3, 1))
    assert _forecasts(project) == {
        "G1": dt.date(2026, 2, 4),
        "G2": dt.date(2026, 3, 1),
        "G3": dt.date(2026, 3, 1),
    }


def test_a_finish_before_the_phase_began_moves_no_gate(users, governed):
    project = governed()
    before = _forecasts(project)
    # out of date: the project service refuses it now, but a row saved so (a report's forecast,
    # data from before the check) must still move no gate
    project.refresh_from_db()
    project.forecast_finish = START - dt.timedelta(days=1)
    project.save(update_fields=["forecast_finish"])
    assert _forecasts(project) == before


def test_the_status_centers_next_gate_date_follows_when_the_next_gate_is_the_closure(
    users, governed
):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 1, 20))
    pass_gate(users, project, on=dt.date(2026, 2, 10))
    _move_finish(users, project, dt.date(2027, 1, 29))
    assert _forecasts(project)["G3"] == dt.date(2027, 1, 29)
    assert _next_due(project) == dt.date(2027, 1, 29)


def test_a_gate_under_review_keeps_its_review_date(users, governed):
    project = governed()
    pass_gate(users, project, on=dt.date(2026, 1, 20))
    pass_gate(users, project, on=dt.date(2026, 2, 10))
    services.request_review(actor=users["pm"], project=project, scheduled_for=dt.date(2026, 11, 30))
    _move_finish(users, project, dt.date(2027, 1, 29))
    assert _forecasts(project)["G3"] == dt.date(2026, 11, 30)
