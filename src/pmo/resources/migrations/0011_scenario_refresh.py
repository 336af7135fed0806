"""Refreshing a scenario from the current plan: when it copied the plan, which of its capacity
changes are copies, how far Move project moved each project, and runs made out of date.

Existing scenarios get ``copied_at`` from their creation's audit event (written after the
copies), their copied capacity changes are marked, and a project shift counts as a Move
project shift unless a leveling run of the scenario added to it (then 0: a refresh keeps
those moves where the plan's row did not change, and lists the others).
"""

import datetime as dt

from django.db import migrations, models


def backfill(apps, schema_editor):
    Scenario = apps.get_model("resources", "Scenario")
    CapacityChange = apps.get_model("resources", "CapacityChange")
    ProjectShift = apps.get_model("resources", "ProjectShift")
    LevelingRun = apps.get_model("resources", "LevelingRun")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for scenario in Scenario.objects.all():
        created = (
            AuditEvent.objects.filter(
                object_type="resources.scenario", object_id=str(scenario.pk), action="create"
            )
            .order_by("timestamp")
            .values_list("timestamp", flat=True)
            .first()
        )
        if created is None:  # the copies were made within the minute the scenario was
            soon = scenario.created_at + dt.timedelta(minutes=1)
            created = (
                CapacityChange.objects.filter(scenario=scenario, created_at__lte=soon)
                .order_by("-created_at")
                .values_list("created_at", flat=True)
                .first()
            ) or scenario.created_at
        scenario.copied_at = created
        scenario.save(update_fields=["copied_at"])
        CapacityChange.objects.filter(scenario=scenario, created_at__lte=created).update(
            copied=True
        )
        if not LevelingRun.objects.filter(scenario=scenario, state="done").exists():
            ProjectShift.objects.filter(scenario=scenario).update(moved_days=models.F("days"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("resources", "0010_allocation_task_uid"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
            name="copied_at",
            field=models.DateTimeField(
                editable=False, null=True, verbose_name="copied from the current plan"
            ),
        ),
        migrations.AddField(
            model_name="scenario",
            name="last_refresh",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name="capacitychange",
            name="copied",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="projectshift",
            name="moved_days",
            field=models.IntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="levelingrun",
            name="outdated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="out of date since"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
