"""A Chinese description for lifecycle templates; the built-in ones get theirs."""

from django.db import migrations, models


def describe_builtins(apps, schema_editor):
    from pmo.governance.builtin import BUILTIN_TEMPLATES

    Template = apps.get_model("governance", "LifecycleTemplate")
    for definition in BUILTIN_TEMPLATES:
        Template.objects.filter(
            builtin=True,
            code=definition["code"],
            description=definition["description"],
            description_zh="",
        ).update(description_zh=definition["description_zh"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_deliverable_file")]

    operations = [
        migrations.AddField(
            model_name="lifecycletemplate",
            name="description_zh",
            field=models.TextField(blank=True, verbose_name="Chinese description"),
        ),
        migrations.RunPython(describe_builtins, migrations.RunPython.noop),
    ]
