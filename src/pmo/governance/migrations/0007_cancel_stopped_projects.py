"""Projects stopped by a gate decision become "Cancelled" instead of "Closed" (ADR 0002).

Before, a "stop" decision closed the project in the phase it was stopped in, and readers
told a kill from a completion by "closed in a phase other than Closed". The projects whose
lifecycle was stopped and that are still closed move to the new state; one stopped and
reopened by hand since (active, on hold) keeps its state.
"""

from django.db import migrations
from django.db.models import F


def stopped_to_cancelled(apps, schema_editor):
    Project = apps.get_model("portfolio", "Project")
    Project.objects.filter(state="closed", lifecycle__state="stopped").update(
        state="cancelled", version=F("version") + 1
    )


def cancelled_to_closed(apps, schema_editor):
    Project = apps.get_model("portfolio", "Project")
    Project.objects.filter(state="cancelled", lifecycle__state="stopped").update(
        state="closed", version=F("version") + 1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_agenda_item_ref"),
        ("portfolio", "0003_project_state_cancelled"),
    ]

    operations = [migrations.RunPython(stopped_to_cancelled, cancelled_to_closed, elidable=False)]
