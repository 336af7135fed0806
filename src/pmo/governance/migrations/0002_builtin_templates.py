"""Install the built-in lifecycle templates (revision 1 of each code that does not exist)."""

from types import SimpleNamespace

from django.db import migrations


def install(apps, schema_editor):
    from pmo.governance.templates_service import install_builtin_templates

    names = [
        "LifecycleTemplate",
        "PhaseDefinition",
        "GateDefinition",
        "GateCriterion",
        "GateDeliverable",
    ]
    install_builtin_templates(
        SimpleNamespace(**{n: apps.get_model("governance", n) for n in names})
    )


def remove(apps, schema_editor):
    apps.get_model("governance", "LifecycleTemplate").objects.filter(builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
