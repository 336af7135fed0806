"""Projects can be "Cancelled" (stopped before their end), apart from "Closed" (completed).

Moving the projects stopped by a gate decision to the new state is governance's migration
(``governance.0007_cancel_stopped_projects``): only governance knows a lifecycle was stopped.
"""

from django.db import migrations, models


def cancelled_back_to_closed(apps, schema_editor):
    """Backwards: before this migration a cancelled project could only be "closed"."""
    Project = apps.get_model("portfolio", "Project")
    Project.objects.filter(state="cancelled").update(state="closed")


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0002_report_phase")]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="state",
            field=models.CharField(
                choices=[
                    ("active", "Active"),
                    ("on_hold", "On hold"),
                    ("closed", "Closed"),
                    ("cancelled", "Cancelled"),
                ],
                default="active",
                max_length=10,
                verbose_name="state",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, cancelled_back_to_closed, elidable=False),
    ]
