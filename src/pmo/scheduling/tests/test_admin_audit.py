"""Plans and baselines changed in the Django admin are in the project's history."""

from __future__ import annotations

from typing import Any

from django.test import Client

from pmo.audit.models import AuditEvent
from pmo.scheduling import services
from pmo.scheduling.models import Plan
from pmo.scheduling.tests.factories import small_plan


def test_a_plan_renamed_in_the_admin_is_recorded(make_project: Any, users: dict[str, Any]) -> None:
    project = make_project(code="PLA")
    services.replace_plan(actor=users["pm"], project=project, data=small_plan())
    plan = Plan.objects.get(project=project)
    version = plan.version
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    url = f"/admin/scheduling/plan/{plan.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="version"' not in page  # the lock counter is shown, not typed in
    # what the page shows, submitted unchanged except for the name
    start = [page.split(f'name="start_{i}" value="')[1].split('"')[0] for i in (0, 1)]
    form = {
        "name": "Renamed plan",
        "start_0": start[0],
        "start_1": start[1],
        "status_date_0": "",
        "status_date_1": "",
        "minutes_per_day": plan.minutes_per_day,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.filter(object_type="scheduling.plan").latest("id")
    assert (event.action, event.actor, event.scope) == ("update", admin, f"project:{project.pk}")
    assert event.changes == {"name": [plan.name, "Renamed plan"]}
    plan.refresh_from_db()
    assert plan.version == version + 1
