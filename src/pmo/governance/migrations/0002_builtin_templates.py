"""Install the built-in lifecycle templates (revision 1 of each code that does not exist)."""

from types import SimpleNamespace

from django.db import migrations


def install(apps, schema_editor):
    from pmo.governance.builtin import BUILTIN_TEMPLATES
    from pmo.governance.templates_service import validate_definition, write_template

    names = [
        "LifecycleTemplate",
        "PhaseDefinition",
        "GateDefinition",
        "GateCriterion",
        "GateDeliverable",
    ]
    models = SimpleNamespace(**{n: apps.get_model("governance", n) for n in names})
    for definition in BUILTIN_TEMPLATES:
        if models.LifecycleTemplate.objects.filter(code=definition["code"]).exists():
            continue
        write_template(validate_definition(definition), revision=1, models=models, builtin=True)


def remove(apps, schema_editor):
    apps.get_model("governance", "LifecycleTemplate").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
