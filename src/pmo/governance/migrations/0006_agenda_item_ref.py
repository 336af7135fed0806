"""Agenda lines of higher apps keep a reference, so they read in the reader's language."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_template_description_zh")]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="ref",
            field=models.CharField(blank=True, max_length=60, verbose_name="reference"),
        ),
    ]
