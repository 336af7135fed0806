"""A gate may name the project milestone it is decided on (ADR 0002, "Gates tied to
milestones"); the built-in templates' launch and build gates get theirs, and the running
projects on them have those gates forecast on their milestone at once.

- ``milestone`` / ``milestone_zh``: new, empty for every gate of a template defined by hand.
- The built-in revisions (``builtin``) get the links of :mod:`pmo.governance.builtin`, written
  out here so that a later change of the built-ins does not rewrite this step.
- Gates ahead of a running project on those revisions (not passed, no review requested) are
  forecast on the milestone's date (actual, else forecast) when it is on or after the day the
  current phase began, never after the project's forecast finish (when that is not out of
  date either); the lifecycle's next-gate date follows. Written with ``update()``: nothing
  listens to a migration, the dependency statuses are re-checked by the next change.

Backwards the fields go (the forecasts stay where they are).
"""

from django.db import migrations, models

LINKS = {
    ("rnd", "G3"): ("Design approved", "设计评审通过"),
    ("rnd", "G4"): ("Go-live", "上线"),
    ("business", "G4"): ("Go-live", "上线"),
    ("delivery", "G4"): ("Customer acceptance", "客户验收"),
}


def _key(name):
    return " ".join(name.split()).casefold()


def link_builtins(apps, schema_editor):
    Gate = apps.get_model("governance", "GateDefinition")
    linked = []
    for (code, gate_code), (name, name_zh) in LINKS.items():
        rows = Gate.objects.filter(
            template__builtin=True,
            template__code=code,
            code=gate_code,
            milestone="",
            milestone_zh="",
        )
        linked += list(rows.values_list("pk", flat=True))
        rows.update(milestone=name, milestone_zh=name_zh)
    if linked:
        _follow(apps, Gate.objects.filter(pk__in=linked))


def _follow(apps, gates):
    Lifecycle = apps.get_model("governance", "ProjectLifecycle")
    PhaseEntry = apps.get_model("governance", "PhaseEntry")
    ProjectGate = apps.get_model("governance", "ProjectGate")
    GateReview = apps.get_model("governance", "GateReview")
    Milestone = apps.get_model("portfolio", "Milestone")
    by_template: dict[int, list] = {}
    for gate in gates:
        by_template.setdefault(gate.template_id, []).append(gate)
    lifecycles = Lifecycle.objects.filter(
        template_id__in=list(by_template), state="active"
    ).select_related("current_phase", "project")
    for lifecycle in lifecycles.iterator():
        since = (
            PhaseEntry.objects.filter(lifecycle=lifecycle, left_on__isnull=True)
            .values_list("entered_on", flat=True)
            .first()
        ) or lifecycle.started_on
        finish = lifecycle.project.forecast_finish
        if finish is not None and finish < since:
            finish = None
        reviewed = set(
            GateReview.objects.filter(lifecycle=lifecycle, state="requested").values_list(
                "gate_id", flat=True
            )
        )
        milestones = [
            ({_key(n), _key(z)} - {""}, actual or forecast)
            for n, z, forecast, actual in Milestone.objects.filter(
                project_id=lifecycle.project_id
            ).values_list("name", "name_zh", "forecast_date", "actual_date")
            if actual or forecast
        ]
        moved = False
        for gate in by_template[lifecycle.template_id]:
            if gate.order <= lifecycle.current_phase.order or gate.pk in reviewed:
                continue
            names = {_key(gate.milestone), _key(gate.milestone_zh)} - {""}
            dates = [when for keys, when in milestones if keys & names]
            if not dates or max(dates) < since:
                continue
            when = min(max(dates), finish) if finish is not None else max(dates)
            moved |= bool(
                ProjectGate.objects.filter(lifecycle=lifecycle, gate=gate, actual__isnull=True)
                .exclude(forecast=when)
                .update(forecast=when)
            )
        if moved and lifecycle.next_gate_id is not None:
            due = (
                ProjectGate.objects.filter(lifecycle=lifecycle, gate_id=lifecycle.next_gate_id)
                .values_list("forecast", flat=True)
                .first()
            )
            Lifecycle.objects.filter(pk=lifecycle.pk).update(next_gate_due=due)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0010_agenda_sections"),
        ("portfolio", "0003_project_state_cancelled"),
    ]

    operations = [
        migrations.AddField(
            model_name="gatedefinition",
            name="milestone",
            field=models.CharField(blank=True, max_length=200, verbose_name="decided on milestone"),
        ),
        migrations.AddField(
            model_name="gatedefinition",
            name="milestone_zh",
            field=models.CharField(
                blank=True, max_length=200, verbose_name="decided on milestone (Chinese name)"
            ),
        ),
        migrations.RunPython(link_builtins, migrations.RunPython.noop),
    ]
