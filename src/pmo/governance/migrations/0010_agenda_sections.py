"""Agendas read in sections and the PMO edits them (ADR 0002, "Editing an agenda").

- ``kind``: a new kind, ``report_decision`` (a decision asked in a status report); backwards
  such lines become ``other`` (their ``title`` is the report's text).
- ``section``: the existing lines get the section of their kind (red projects and overdue
  conditions *to watch*, gate decisions *for information*, the rest *to decide*). The
  agendas of meetings not held yet (today or later) are renumbered section by section
  (keeping the order inside a section), so each section's lines follow each other as an
  edit expects; held meetings keep their numbers (the minutes refer to them).
- ``by_hand``: no line was added by hand before.
"""

import datetime as dt

from django.db import migrations, models

WATCH = ("red", "condition")
INFO = ("decided",)
RANK = {"decide": 0, "watch": 1, "info": 2}


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    AgendaItem.objects.filter(kind__in=WATCH).update(section="watch")
    AgendaItem.objects.filter(kind__in=INFO).update(section="info")
    SteeringMeeting = apps.get_model("governance", "SteeringMeeting")
    for meeting_id in SteeringMeeting.objects.filter(date__gte=dt.date.today()).values_list(
        "pk", flat=True
    ):
        lines = list(AgendaItem.objects.filter(meeting_id=meeting_id).order_by("order", "pk"))
        lines.sort(key=lambda line: RANK[line.section])
        moved = []
        for order, line in enumerate(lines):
            if line.order != order:
                line.order = order
                moved.append(line)
        AgendaItem.objects.bulk_update(moved, ["order"], batch_size=1000)


def backwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    AgendaItem.objects.filter(kind="report_decision").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [("governance", "0009_agenda_project_ended")]

    operations = [
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
                    ("report_decision", "Decision asked in a status report"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="section",
            field=models.CharField(
                choices=[
                    ("decide", "To decide"),
                    ("watch", "To watch"),
                    ("info", "For information"),
                ],
                default="decide",
                max_length=10,
                verbose_name="section",
            ),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="by_hand",
            field=models.BooleanField(default=False, verbose_name="added by hand"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
