"""``ChangeRequest.steering_compared_on``: the day its ``needs_steering`` was last compared
with the thresholds (ADR 0016), stored instead of read from the audit trail by the page.

Existing requests get the day the page computed until now: the day of the request's last
audit event ``create`` or ``update`` that is not the re-pointing of its slipping item to a
re-imported plan's (``changes`` holding ``plan``), else the day it was created, else today.
Backwards the column goes with the field (nothing else to undo)."""

import django.utils.timezone
from django.db import migrations, models
from django.utils import timezone

CHANGE_REQUEST = "dependencies.changerequest"


def fill_compared_on(apps, schema_editor):
    """Set every request's day from its audit trail, as the page's template tag did."""
    ChangeRequest = apps.get_model("dependencies", "ChangeRequest")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    db = schema_editor.connection.alias if schema_editor is not None else "default"
    days = {}
    events = (
        AuditEvent.objects.using(db)
        .filter(object_type=CHANGE_REQUEST, action__in=["create", "update"])
        .order_by("-timestamp", "-id")
        .values_list("object_id", "timestamp", "changes")
    )
    for object_id, timestamp, changes in events.iterator(chunk_size=2000):
        if object_id not in days and "plan" not in (changes or {}):
            days[object_id] = timezone.localdate(timestamp)
    today = timezone.localdate()
    # read all first: SQLite does not isolate a cursor from writes to the table it reads
    rows = list(ChangeRequest.objects.using(db).only("pk", "created_at").order_by("pk"))
    for cr in rows:
        day = days.get(str(cr.pk))
        if day is None:
            day = timezone.localdate(cr.created_at) if cr.created_at else today
        cr.steering_compared_on = day
    ChangeRequest.objects.using(db).bulk_update(rows, ["steering_compared_on"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_alter_auditevent_action"),
        ("dependencies", "0007_notification_verbose_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="changerequest",
            name="steering_compared_on",
            field=models.DateField(
                default=django.utils.timezone.localdate,
                editable=False,
                verbose_name="compared with the steering thresholds on",
            ),
        ),
        migrations.RunPython(fill_compared_on, migrations.RunPython.noop, elidable=False),
    ]
