"""Stored project currencies in ISO form: " usd" and "usd" become "USD" (ADR 0016).

A code that is not ISO 4217 even then ("RMB", "XX") is left as it is: it stays readable and is
refused only when someone changes a project's currency to another unknown code.
"""

from django.db import migrations


def normalize_codes(apps, schema_editor):  # type: ignore[no-untyped-def]
    from babel.numbers import list_currencies

    iso = set(list_currencies())
    Project = apps.get_model("portfolio", "Project")
    for pk, code in Project.objects.values_list("pk", "currency").iterator():
        clean = (code or "").strip().upper()
        if clean != code and clean in iso:
            Project.objects.filter(pk=pk).update(currency=clean)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0005_exchange_rates")]

    operations = [migrations.RunPython(normalize_codes, migrations.RunPython.noop)]
