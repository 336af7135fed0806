"""Shared fixtures: an organisation, users of every role and a project factory."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# No per-example deadline: two cores shared with browsers and servers make timings noisy.
# In CI the examples are derandomised, so a run is reproducible and cannot flake.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, database=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _english_by_default() -> Any:
    """Each test starts in English: a request that switched language must not leak."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _builtin_lifecycles(request: pytest.FixtureRequest) -> None:
    """Data migrations' rows (built-in lifecycle templates) for every database test.

    A transactional test (browser tests, live server) flushes the database when it ends,
    data migrations included; the next database test in that process gets them back here.
    """
    names = set(request.fixturenames)
    if not ({"db", "transactional_db"} & names or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    from pmo.governance.templates_service import install_builtin_templates

    install_builtin_templates()


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    """Group → China region → Shanghai R&D; Group → London HQ → London IT."""
    from pmo.accounts.models import OrgUnit

    group = OrgUnit(code="grp", kind="group", name="Group", name_zh="集团")
    group.save()
    cn = OrgUnit(code="cn", kind="region", name="China", name_zh="中国区", parent=group)
    cn.save()
    sh = OrgUnit(code="sh", kind="department", name="Shanghai R&D", name_zh="上海研发", parent=cn)
    sh.save()
    uk = OrgUnit(code="uk", kind="region", name="London HQ", name_zh="伦敦总部", parent=group)
    uk.save()
    it = OrgUnit(code="uk-it", kind="department", name="London IT", name_zh="伦敦IT", parent=uk)
    it.save()
    return {"group": group, "cn": cn, "sh": sh, "uk": uk, "it": it}


@pytest.fixture
def users(org: dict[str, Any]) -> dict[str, Any]:
    """One user per role; the PM and the viewer have a person in Shanghai R&D."""
    from pmo.accounts.models import Person, Role, User

    made = {}
    for name, role in [
        ("admin", Role.PMO_ADMIN),
        ("member", Role.PMO_MEMBER),
        ("pm", Role.PROJECT_MANAGER),
        ("other_pm", Role.PROJECT_MANAGER),
        ("exec", Role.EXECUTIVE),
        ("viewer", Role.VIEWER),
        ("uk_viewer", Role.VIEWER),
    ]:
        user = User.objects.create_user(username=name, password="pw-12345", role=role)
        made[name] = user
    Person.objects.create(name="Zhang Wei", name_zh="张伟", org_unit=org["sh"], user=made["pm"])
    Person.objects.create(name="Emma Clarke", org_unit=org["it"], user=made["other_pm"])
    Person.objects.create(name="Wang Fang", name_zh="王芳", org_unit=org["sh"], user=made["viewer"])
    Person.objects.create(name="Harry Patel", org_unit=org["it"], user=made["uk_viewer"])
    return made


@pytest.fixture
def admin_client(users: dict[str, Any]) -> Any:
    """A test client signed in as the ``admin`` user made a superuser and staff, so the
    Django admin (``/admin/``) opens (replaces pytest-django's fixture of that name)."""
    from django.test import Client

    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client = Client()
    client.force_login(users["admin"])
    return client


@pytest.fixture
def portfolio(db: Any) -> Any:
    from pmo.portfolio.models import Portfolio, Program

    p = Portfolio.objects.create(code="STRAT", name="Strategic", name_zh="战略")
    Program.objects.create(code="CORE", name="Core systems", name_zh="核心系统", portfolio=p)
    Program.objects.create(code="DIGI", name="Digital", portfolio=p)
    return p


@pytest.fixture
def make_project(users: dict[str, Any], portfolio: Any, org: dict[str, Any]) -> Callable[..., Any]:
    """Create a project directly (bypassing services); the PM is ``pm`` unless given."""
    from pmo.portfolio.models import Program, Project

    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Project:
        n = next(counter)
        manager = fields.pop("manager", users["pm"].person)
        values: dict[str, Any] = {
            "code": f"T{n:03d}",
            "name": f"Test project {n}",
            "portfolio": portfolio,
            "program": Program.objects.get(code="CORE"),
            "pmo_type": "rnd",
            "org_unit": manager.org_unit if manager else org["sh"],
            "manager": manager,
            "start_date": dt.date(2026, 1, 5),
            "planned_finish": dt.date(2026, 12, 31),
            "baseline_finish": dt.date(2026, 12, 31),
            "forecast_finish": dt.date(2026, 12, 31),
        }
        values.update(fields)
        return Project.objects.create(**values)

    return make


def report_data(**overrides: Any) -> dict[str, Any]:
    """A valid all-green report body for the services."""
    data: dict[str, Any] = {
        "overall": 1,
        "schedule": 1,
        "cost": 1,
        "scope": 1,
        "resources": 1,
        "quality": 1,
        "summary": "On plan.",
        "percent_complete": 40,
    }
    data.update(overrides)
    return data


@pytest.fixture
def green() -> Callable[..., dict[str, Any]]:
    return report_data


@pytest.fixture
def reported_project(make_project: Callable[..., Any], users: dict[str, Any], green: Any) -> Any:
    """A project five days late (forecast 2027-01-05) with one submitted status report, for
    2026-W40 (revision 1), by ``pm``."""
    import datetime as dt

    from pmo.portfolio import services

    project = make_project(forecast_finish=dt.date(2027, 1, 5))
    services.create_status_report(
        actor=users["pm"],
        project=project,
        period="2026-W40",
        data=green(),
        today=dt.date(2026, 10, 10),
    )
    return project
