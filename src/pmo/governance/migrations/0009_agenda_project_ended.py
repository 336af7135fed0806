"""Agenda lines say when their project ended after the agenda was drawn up, cancelled or
closed by hand (ADR 0002, sixteenth session): ``project_cancelled_on`` becomes
``project_ended_on`` with ``project_ended_as`` saying how; the lines marked before were all
cancelled projects' (and become cancelled ones again backwards; a closed project's marks are
dropped then). Lines of projects closed by hand before this migration stay unmarked;
regenerating such an agenda leaves them out as before.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    AgendaItem.objects.filter(project_ended_on__isnull=False).update(project_ended_as="cancelled")


def backwards(apps, schema_editor):
    AgendaItem = apps.get_model("governance", "AgendaItem")
    AgendaItem.objects.filter(project_ended_as="closed").update(project_ended_on=None)


class Migration(migrations.Migration):
    dependencies = [("governance", "0008_agenda_cancelled_and_change_requests")]

    operations = [
        migrations.RenameField("agendaitem", "project_cancelled_on", "project_ended_on"),
        migrations.AlterField(
            model_name="agendaitem",
            name="project_ended_on",
            field=models.DateField(blank=True, null=True, verbose_name="project ended on"),
        ),
        migrations.AddField(
            model_name="agendaitem",
            name="project_ended_as",
            field=models.CharField(
                blank=True,
                choices=[("closed", "closed"), ("cancelled", "cancelled")],
                max_length=10,
                verbose_name="project ended as",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
