"""A small bank web: core upgrade (no plan) supplies two channel projects."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pmo.accounts.services import create_token


def auth(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(username=user.username)}"}


@pytest.fixture
def web(make_project: Any, users: Any) -> dict[str, Any]:
    """CORE (PM ``pm``): Build done 2026-03-06 (Fri) -> Go-live 2026-03-20 -> finish 03-31.
    APP (PM ``other_pm``): Integration 2026-03-16 (Mon) needs CORE Build (FS, 5 d slack),
    Launch 2026-04-10; WEB: Pilot 2026-06-01 needs CORE Go-live (lots of slack)."""
    from pmo.portfolio.models import Milestone

    core = make_project(code="CORE1", forecast_finish=dt.date(2026, 3, 31))
    app = make_project(
        code="APP1", manager=users["other_pm"].person, forecast_finish=dt.date(2026, 4, 30)
    )
    web_ = make_project(code="WEB1", forecast_finish=dt.date(2026, 6, 30))
    m = {
        "build": Milestone.objects.create(
            project=core, name="Build done", forecast_date=dt.date(2026, 3, 6)
        ),
        "golive": Milestone.objects.create(
            project=core, name="Go-live", forecast_date=dt.date(2026, 3, 20)
        ),
        "integration": Milestone.objects.create(
            project=app, name="Integration", forecast_date=dt.date(2026, 3, 16)
        ),
        "launch": Milestone.objects.create(
            project=app, name="Launch", forecast_date=dt.date(2026, 4, 10)
        ),
        "pilot": Milestone.objects.create(
            project=web_, name="Pilot", forecast_date=dt.date(2026, 6, 1)
        ),
    }
    return {"core": core, "app": app, "web": web_, **m}


def link(client: Any, user: Any, **body: Any) -> Any:
    return client.post(
        "/api/v1/dependencies", body, content_type="application/json", headers=auth(user)
    )


@pytest.fixture
def scoped(make_project: Any, users: Any, web: dict[str, Any]) -> dict[str, Any]:
    """The bank web as the viewer (Shanghai R&D) sees it: APP1 and LOAN1 are London IT's.

    CORE1 Build -(FS, lag 5: no room)-> APP1 Integration -> APP1 Launch (Fri 04-10) -(FS, no
    room)-> WEB1 Pilot (Mon 04-13): the critical chain to Pilot runs through a hidden project.
    CORE1 Go-live (03-20) -(FS, 2 days of room)-> LOAN1 Loans live (03-25). Launch and Pilot
    are key milestones."""
    from pmo.dependencies.services import create_dependency
    from pmo.portfolio.models import Milestone

    loans = make_project(
        code="LOAN1",
        name="Hidden loan origination",
        name_zh="隐藏贷款",
        manager=users["other_pm"].person,
        forecast_finish=dt.date(2026, 5, 29),
    )
    live = Milestone.objects.create(
        project=loans, name="Loans live", forecast_date=dt.date(2026, 3, 25)
    )
    web["pilot"].forecast_date = dt.date(2026, 4, 13)  # the Monday after APP1's Launch
    for m in (web["launch"], web["pilot"]):
        m.is_key = True
        m.save()
    deps = {}
    for name, (sup, sup_m, con, con_m, lag) in {
        "build_integration": (web["core"], web["build"], web["app"], web["integration"], 5),
        "launch_pilot": (web["app"], web["launch"], web["web"], web["pilot"], 0),
        "golive_loans": (web["core"], web["golive"], loans, live, 0),
    }.items():
        deps[name] = create_dependency(
            actor=users["admin"],
            data={
                "supplier_project": sup.code,
                "supplier_milestone": sup_m.pk,
                "consumer_project": con.code,
                "consumer_milestone": con_m.pk,
                "lag": lag,
            },
        )
    return {**web, "loans": loans, "live": live, "deps": deps}
