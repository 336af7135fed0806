"""Scenarios remember the highest allocation and capacity-change ids they copied: a plan row
with a higher id is new since the copy, even one whose transaction began before it. Existing
scenarios keep ``None`` (``created_at`` alone, as before)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0017_role_catalogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
            name="copied_changes_up_to",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="scenario",
            name="copied_up_to",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
    ]
