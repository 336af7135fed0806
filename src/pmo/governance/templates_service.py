"""Lifecycle template definitions: validation and writing (one revision per call).

A *definition* is a plain dict (the API body, a built-in template or the web form's
JSON). :func:`validate_definition` reports every problem with its path
(``phases.2.gate.criteria.0.text``) so the API and the form show it next to the field.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from pmo.accounts.models import Role
from pmo.core.errors import ValidationFailed
from pmo.core.sentences import quoted
from pmo.portfolio.models import Phase, PmoType

__all__ = ["validate_definition", "write_template"]

ROLES = set(Role.values)


def _text(errors: list[dict[str, str]], where: str, value: Any, max_length: int, required=True):  # type: ignore[no-untyped-def]
    if not isinstance(value, str) or (required and not value.strip()):
        errors.append(
            {"field": where, "message": _("is required") if required else _("must be text")}
        )
        return ""
    if len(value) > max_length:
        errors.append(
            {"field": where, "message": _("at most %(max)s characters") % {"max": max_length}}
        )
    return value.strip()


def validate_definition(definition: dict[str, Any]) -> dict[str, Any]:
    """Check a definition and return it normalised; raise :class:`ValidationFailed` if invalid."""
    errors: list[dict[str, str]] = []
    clean: dict[str, Any] = {
        "code": _text(errors, "code", definition.get("code"), 40),
        "name": _text(errors, "name", definition.get("name"), 200),
        "name_zh": _text(errors, "name_zh", definition.get("name_zh") or "", 200, False),
        "description": definition.get("description") or "",
        "description_zh": definition.get("description_zh") or "",
        "pmo_type": definition.get("pmo_type") or "",
    }
    code = clean["code"]
    if code and not code.replace("-", "").replace("_", "").isalnum():
        errors.append({"field": "code", "message": _("letters, digits, '-' and '_' only")})
    if clean["pmo_type"] not in {"", *PmoType.values}:
        errors.append(
            {
                "field": "pmo_type",
                "message": _("one of %(values)s") % {"values": ", ".join(PmoType.values)},
            }
        )
    phases = definition.get("phases")
    if not isinstance(phases, list) or len(phases) < 2:
        errors.append({"field": "phases", "message": _("at least two phases (and one gate)")})
        phases = []
    keys: set[str] = set()
    clean_phases = []
    for i, phase in enumerate(phases):
        at = f"phases.{i}"
        if not isinstance(phase, dict):
            errors.append({"field": at, "message": _("must be an object")})
            continue
        key = _text(errors, f"{at}.key", phase.get("key"), 40)
        if key in keys:
            errors.append(
                {
                    "field": f"{at}.key",
                    "message": _("phase key %(key)s is used twice") % {"key": quoted(key)},
                }
            )
        keys.add(key)
        category = phase.get("category")
        if category not in Phase.values:
            errors.append(
                {
                    "field": f"{at}.category",
                    "message": _("one of %(values)s") % {"values": ", ".join(Phase.values)},
                }
            )
        days = phase.get("expected_days", 30)
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 3650:
            errors.append({"field": f"{at}.expected_days", "message": _("days between 0 and 3650")})
            days = 0
        item: dict[str, Any] = {
            "key": key,
            "name": _text(errors, f"{at}.name", phase.get("name"), 200),
            "name_zh": _text(errors, f"{at}.name_zh", phase.get("name_zh") or "", 200, False),
            "category": category,
            "expected_days": days,
        }
        gate = phase.get("gate")
        if i == 0:
            if gate:
                errors.append(
                    {"field": f"{at}.gate", "message": _("the first phase has no gate in front")}
                )
        elif not isinstance(gate, dict):
            errors.append({"field": f"{at}.gate", "message": _("every later phase needs a gate")})
        else:
            item["gate"] = _validate_gate(errors, f"{at}.gate", gate)
        clean_phases.append(item)
    if (
        clean_phases
        and clean_phases[-1].get("category") != Phase.CLOSED
        and any(p.get("category") == Phase.CLOSED for p in clean_phases)
    ):
        errors.append({"field": "phases", "message": _("only the last phase may be 'closed'")})
    last = clean_phases[-1] if clean_phases and len(clean_phases) == len(phases) else {}
    closure = last.get("gate")
    if closure and last.get("category") == Phase.CLOSED:
        for field in ("milestone", "milestone_zh"):
            if closure.get(field):
                errors.append(
                    {
                        "field": f"phases.{len(clean_phases) - 1}.gate.{field}",
                        "message": _(
                            "the closure gate is decided on the project's forecast finish, "
                            "not on a milestone"
                        ),
                    }
                )
    clean["phases"] = clean_phases
    if errors:
        raise ValidationFailed(
            "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )
    return clean


def _validate_gate(errors: list[dict[str, str]], at: str, gate: dict[str, Any]) -> dict[str, Any]:
    roles = gate.get("decider_roles", ["executive", "pmo_admin"])
    if not isinstance(roles, list) or any(r not in ROLES for r in roles):
        errors.append(
            {
                "field": f"{at}.decider_roles",
                "message": _("roles among %(roles)s") % {"roles": sorted(ROLES)},
            }
        )
        roles = []
    ids = gate.get("decider_ids") or []
    if not isinstance(ids, list) or any(not isinstance(i, int) for i in ids):
        errors.append({"field": f"{at}.decider_ids", "message": _("a list of person ids")})
        ids = []
    if not roles and not ids:
        errors.append(
            {"field": f"{at}.decider_roles", "message": _("someone must decide the gate")}
        )
    criteria = []
    for j, c in enumerate(gate.get("criteria") or []):
        where = f"{at}.criteria.{j}"
        if not isinstance(c, dict):
            errors.append({"field": where, "message": _("must be an object")})
            continue
        kind = c.get("kind", "exit")
        if kind not in {"entry", "exit"}:
            errors.append({"field": f"{where}.kind", "message": _("entry or exit")})
        criteria.append(
            {
                "text": _text(errors, f"{where}.text", c.get("text"), 300),
                "text_zh": _text(errors, f"{where}.text_zh", c.get("text_zh") or "", 300, False),
                "kind": kind,
                "mandatory": bool(c.get("mandatory", True)),
            }
        )
    deliverables = []
    for j, d in enumerate(gate.get("deliverables") or []):
        where = f"{at}.deliverables.{j}"
        if not isinstance(d, dict):
            errors.append({"field": where, "message": _("must be an object")})
            continue
        url = d.get("template_url") or ""
        if url and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            errors.append({"field": f"{where}.template_url", "message": _("an http(s) link")})
        deliverables.append(
            {
                "name": _text(errors, f"{where}.name", d.get("name"), 200),
                "name_zh": _text(errors, f"{where}.name_zh", d.get("name_zh") or "", 200, False),
                "mandatory": bool(d.get("mandatory", True)),
                "template_url": url,
            }
        )
    return {
        "code": _text(errors, f"{at}.code", gate.get("code"), 10),
        "name": _text(errors, f"{at}.name", gate.get("name"), 200),
        "name_zh": _text(errors, f"{at}.name_zh", gate.get("name_zh") or "", 200, False),
        "decider_roles": roles,
        "decider_ids": ids,
        "criteria": criteria,
        "deliverables": deliverables,
        # the milestone the gate is decided on, matched by name (ADR 0002)
        "milestone": " ".join(
            _text(errors, f"{at}.milestone", _or_empty(gate.get("milestone")), 200, False).split()
        ),
        "milestone_zh": " ".join(
            _text(
                errors, f"{at}.milestone_zh", _or_empty(gate.get("milestone_zh")), 200, False
            ).split()
        ),
    }


def _or_empty(value: Any) -> Any:
    """An optional text: absent or null is empty, anything else is checked as text."""
    return "" if value is None else value


def write_template(
    definition: dict[str, Any], *, revision: int, models: Any, builtin: bool = False, actor=None
) -> Any:  # type: ignore[no-untyped-def]
    """Create the rows of a validated definition. ``models`` names the model classes
    (the app's, or a migration's historical ones)."""
    fields = {f.name for f in models.LifecycleTemplate._meta.get_fields()}
    bilingual = {"description_zh": definition["description_zh"]}
    template = models.LifecycleTemplate.objects.create(
        code=definition["code"],
        revision=revision,
        name=definition["name"],
        name_zh=definition["name_zh"],
        pmo_type=definition["pmo_type"],
        description=definition["description"],
        # the data migration 0002 writes with models of before the field existed
        **{k: v for k, v in bilingual.items() if k in fields},
        builtin=builtin,
        created_by=actor,
    )
    for order, phase in enumerate(definition["phases"]):
        models.PhaseDefinition.objects.create(
            template=template,
            order=order,
            key=phase["key"],
            name=phase["name"],
            name_zh=phase["name_zh"],
            category=phase["category"],
            expected_days=phase["expected_days"],
        )
        gate = phase.get("gate")
        if gate is None:
            continue
        gate_fields = {f.name for f in models.GateDefinition._meta.get_fields()}
        links = {"milestone": gate["milestone"], "milestone_zh": gate["milestone_zh"]}
        row = models.GateDefinition.objects.create(
            template=template,
            order=order,
            code=gate["code"],
            name=gate["name"],
            name_zh=gate["name_zh"],
            decider_roles=gate["decider_roles"],
            # the data migration 0002 writes with models of before the milestone link existed
            **{k: v for k, v in links.items() if k in gate_fields},
        )
        if gate["decider_ids"]:
            row.deciders.set(gate["decider_ids"])
        models.GateCriterion.objects.bulk_create(
            models.GateCriterion(gate=row, order=j, **c) for j, c in enumerate(gate["criteria"])
        )
        models.GateDeliverable.objects.bulk_create(
            models.GateDeliverable(gate=row, order=j, **d)
            for j, d in enumerate(gate["deliverables"])
        )
    return template


def install_builtin_templates(models: Any = None) -> int:
    """Create revision 1 of each built-in template whose code does not exist yet.

    Used by the data migration (with its historical models) and by tests after a
    transactional test flushed the database. Returns how many were created.
    """
    from types import SimpleNamespace

    from pmo.governance import models as app_models
    from pmo.governance.builtin import BUILTIN_TEMPLATES

    if models is None:
        names = [
            "LifecycleTemplate",
            "PhaseDefinition",
            "GateDefinition",
            "GateCriterion",
            "GateDeliverable",
        ]
        models = SimpleNamespace(**{n: getattr(app_models, n) for n in names})
    created = 0
    for definition in BUILTIN_TEMPLATES:
        if models.LifecycleTemplate.objects.filter(code=definition["code"]).exists():
            continue
        write_template(validate_definition(definition), revision=1, models=models, builtin=True)
        created += 1
    return created
