"""Tokens get a scope: the API's, or the calendar feed's only (existing tokens stay API)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_alter_user_role")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[
                    ("api", "API (read and write as the user)"),
                    ("calendar", "Calendar feed (read the gate calendar only)"),
                ],
                default="api",
                max_length=10,
                verbose_name="scope",
            ),
        ),
    ]
