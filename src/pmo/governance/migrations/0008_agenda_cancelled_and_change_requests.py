"""Agenda lines say when their project was cancelled after the agenda was drawn up, and
change requests are a kind of their own (ADR 0002, fifteenth session).

- ``project_cancelled_on``: the gate, red and overdue-condition lines of a cancelled project
  in meetings not held yet (dated today or later) are marked, dated the day its lifecycle
  stopped (the day of the migration for a project without a lifecycle). Held meetings keep
  their agendas as they were.
- ``kind``: lines of the change-control app (``ref`` ``change_request:<id>``) were
  ``other``; they become ``change_request`` (and back, backwards).
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import Max

MOOT = ("gate", "red", "condition")


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    PhaseEntry = apps.get_model("governance", "PhaseEntry")
    AgendaItem.objects.filter(kind="other", ref__startswith="change_request:").update(
        kind="change_request"
    )
    today = dt.date.today()
    lines = AgendaItem.objects.filter(
        meeting__date__gte=today, project__state="cancelled", kind__in=MOOT
    )
    projects = set(lines.values_list("project_id", flat=True))
    stopped = dict(
        PhaseEntry.objects.filter(lifecycle__project_id__in=projects, lifecycle__state="stopped")
        .values("lifecycle__project_id")
        .annotate(day=Max("left_on"))
        .values_list("lifecycle__project_id", "day")
    )
    for project_id in projects:
        lines.filter(project_id=project_id).update(
            project_cancelled_on=stopped.get(project_id) or today
        )


def backwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    AgendaItem.objects.filter(kind="change_request").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0007_cancel_stopped_projects"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="project_cancelled_on",
            field=models.DateField(blank=True, null=True, verbose_name="project cancelled on"),
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="kind",
            field=models.CharField(
                choices=[
                    ("gate", "Gate due"),
                    ("red", "Red for 2+ periods"),
                    ("escalated", "Escalated issue"),
                    ("condition", "Gate condition overdue"),
                    ("decided", "Gate decided (for information)"),
                    ("change_request", "Change request"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
