"""Capacity sheet import (XLSX): all or nothing, errors name sheet, row and column.

Sheet ``Resources`` (header row, then one row per resource; matched by ``code``):
code, name, name_zh, kind (person/pool), role, role_zh, skills, org_unit (code or exact
English or Chinese name), fte,
hours_per_day, cost_rate, currency, calendar, available_from, available_until.
Optional sheet ``Capacity``: resource (code), from, to, fte, reason; the rows given for a
resource replace its capacity changes in the current plan. Numbers are rounded half up to the
places stored (0.333333 FTE is 0.33); an empty currency is CNY for a new resource and keeps an
existing resource's. The template (:func:`template`) adds an ``Example`` sheet and an
``Allowed values`` sheet, which the import never reads; ``docs/xlsx-capacity-template.md``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pmo.accounts.models import OrgUnit, User
from pmo.audit.models import AuditAction
from pmo.audit.services import record
from pmo.core.dates import date_out_of_range
from pmo.core.errors import FieldError, ValidationFailed
from pmo.core.sentences import join_sentences, quoted
from pmo.core.uploads import UnpackError, check_unpacked_size
from pmo.portfolio.currencies import check_currency
from pmo.resources.access import require_manage
from pmo.resources.models import CapacityChange, Resource, ResourceKind

__all__ = ["RESOURCE_COLUMNS", "OrgUnits", "import_capacity", "template"]

RESOURCE_COLUMNS = [
    "code",
    "name",
    "name_zh",
    "kind",
    "role",
    "role_zh",
    "skills",
    "org_unit",
    "fte",
    "hours_per_day",
    "cost_rate",
    "currency",
    "calendar",
    "available_from",
    "available_until",
]
REQUIRED = {"code", "name", "kind", "role", "org_unit"}
CAPACITY_COLUMNS = ["resource", "from", "to", "fte", "reason"]
MAX_BYTES = 10 * 1024 * 1024
MAX_ERRORS = 200  # listed in the answer; a sheet with more has a systematic mistake
MAX_ROWS = 50_000  # per sheet; 20,000 resources import in about 13 s


def _check_rows(sheet: str, number: int) -> None:
    if number - 1 > MAX_ROWS:
        raise ValidationFailed(
            _("Nothing was imported: sheet %(sheet)s has more than %(rows)s rows; split it")
            % {"sheet": quoted(sheet), "rows": f"{MAX_ROWS:,}"},
            errors=[
                {
                    "field": sheet,
                    "message": _("more than %(rows)s rows") % {"rows": f"{MAX_ROWS:,}"},
                }
            ],
        )


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, sheet: str, row: int, column: int | None, message: str) -> None:
        where = f"{sheet}!{get_column_letter(column)}{row}" if column else f"{sheet}!{row}"
        self.items.append({"field": where, "message": message})


def _placed(where: str, problem: str) -> str:
    """``Resources!H3: problem``, with the label separator of the language (``：``)."""
    return f"{where}{pgettext('label separator', ': ')}{problem}"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not number.is_finite() or number < 0 or number > 99999:
        raise ValueError(_("a number from 0 to 99999"))
    return number


def _rounded(number: Decimal, model: type[models.Model], field: str) -> Decimal:
    """``number`` rounded half up to the decimal places the model stores for ``field``."""
    places = model._meta.get_field(field).decimal_places  # type: ignore[union-attr]
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _date(value: Any) -> dt.date | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(_text(value))
        except ValueError:
            raise ValueError(_("a date like 2026-03-31")) from None
    problem = date_out_of_range(day)
    if problem:
        raise ValueError(problem)
    return day


CALENDAR_NAMES = {
    "cn": "CN",
    "china": "CN",
    "中国": "CN",
    "中国大陆": "CN",
    "": "",
    "mon-fri": "",
    "monday to friday": "",
    "weekdays": "",
    "standard": "",
}


def _calendar(value: Any) -> str:
    code = CALENDAR_NAMES.get(_text(value).lower())
    if code is None:
        raise ValueError(
            _(
                "unknown calendar %(value)s: enter %(cn)s (mainland China), or %(weekdays)s or "
                "nothing (Monday to Friday)"
            )
            % {"value": quoted(_text(value)), "cn": quoted("CN"), "weekdays": quoted("Mon-Fri")}
        )
    return code


class OrgUnits:
    """The org units a sheet may name, read once: by code (any case) or by exact English or
    Chinese name, the code winning when a name is also another unit's code."""

    def __init__(self) -> None:
        rows = list(OrgUnit.objects.order_by("path").values_list("pk", "code", "name", "name_zh"))
        self.codes = {code.lower(): pk for pk, code, _name, _zh in rows}
        self.names: dict[str, list[tuple[int, str]]] = {}
        for pk, code, name, name_zh in rows:
            for label in {name.strip(), name_zh.strip()} - {""}:
                self.names.setdefault(label, []).append((pk, code))
        # the example the messages give: the last by path, a department or team rather than
        # the group at the top; its name in the reader's language
        zh = (get_language() or "").startswith("zh")
        self.sample = (rows[-1][1], (zh and rows[-1][3]) or rows[-1][2]) if rows else None

    def find(self, text: str) -> int:
        """The primary key of the org unit ``text`` names; :class:`ValueError` saying what
        is expected (a code or an exact name, with one of each of this installation)."""
        if not text:
            raise ValueError(_("%(column)s is required") % {"column": "org_unit"})
        if (pk := self.codes.get(text.lower())) is not None:
            return pk
        named = self.names.get(text, [])
        if len(named) == 1:
            return named[0][0]
        if named:
            codes = pgettext("list separator", ", ").join(quoted(code) for _pk, code in named)
            raise ValueError(
                _("several org units are named %(value)s: enter the code of one (%(codes)s)")
                % {"value": quoted(text), "codes": codes}
            )
        if self.sample is None:
            raise ValueError(
                _("unknown org unit %(value)s: this installation has no org units yet")
                % {"value": quoted(text)}
            )
        raise ValueError(
            _(
                "unknown org unit %(value)s: enter the code of an org unit, such as %(code)s, "
                "or its exact name, such as %(name)s"
            )
            % {
                "value": quoted(text),
                "code": quoted(self.sample[0]),
                "name": quoted(self.sample[1]),
            }
        )


def _check_model(
    row: dict[str, Any], number: int, cols: dict[str, int], errors: _Errors, named: set[str]
) -> None:
    """The model's own rules (hours per day from 0.5 to 24, slug codes, lengths), per cell,
    in the same pass as the cells' own checks: the cells already named (``named``) are left
    out, so one value is never reported twice."""
    try:
        Resource(**row).full_clean(
            exclude=sorted(named), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, problems in exc.error_dict.items():
            column = cols[field] + 1 if field in cols else None
            text = join_sentences([_model_problem(field, problem) for problem in problems])
            errors.add("Resources", number, column, text if column else _placed(field, text))


def _model_problem(field: str, error: ValidationError) -> str:
    """A model's error in the words of the sheet's other cells ("a number from 0.5 to 24")."""
    if error.code in {"min_value", "max_value", "max_digits", "max_whole_digits"}:
        low, high = _limits(field)
        return _("a number from %(min)s to %(max)s") % {"min": low, "max": high}
    if error.code == "max_length":
        return _("at most %(max)s characters") % {"max": (error.params or {})["limit_value"]}
    if error.code == "invalid" and field == "code":
        return _("letters, digits, '-' and '_' only")
    return " ".join(error.messages)


def _limits(field: str) -> tuple[str, str]:
    """The smallest and largest number the model takes for ``field`` (``99999`` the sheet's
    own bound where the model sets none)."""
    low, high = "0", "99999"
    for validator in Resource._meta.get_field(field).validators:  # type: ignore[union-attr]
        if isinstance(validator, MinValueValidator):
            low = f"{validator.limit_value:f}"
        elif isinstance(validator, MaxValueValidator):
            high = f"{validator.limit_value:f}"
    return low, high


def _header(ws: Any, required: set[str], errors: _Errors) -> dict[str, int]:
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    names = {_text(v).lower(): i for i, v in enumerate(first) if _text(v)}
    for name in sorted(required):
        if name not in names:
            errors.add(ws.title, 1, None, _("missing column %(column)s") % {"column": quoted(name)})
    return names


def import_capacity(*, actor: User | None, stream: IO[bytes]) -> dict[str, int]:
    """Create or update resources and capacity changes from a capacity sheet."""
    if actor is not None:
        require_manage(actor)
    raw = stream.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationFailed(_("the file is larger than 10 MB"), errors=[])
    try:
        check_unpacked_size(raw)
    except UnpackError as exc:
        raise ValidationFailed(str(exc), errors=[{"field": "file", "message": str(exc)}]) from None
    try:
        book = load_workbook(BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a file that is not XLSX
        raise ValidationFailed(
            _("the file is not an XLSX workbook"),
            errors=[{"field": "file", "message": _("not an XLSX workbook")}],
        ) from None
    if "Resources" not in book.sheetnames:
        raise ValidationFailed(
            _("the workbook has no sheet %(sheet)s") % {"sheet": quoted("Resources")},
            errors=[{"field": "Resources", "message": _("missing sheet")}],
        )
    errors = _Errors()
    units = OrgUnits()
    # a code stored before currencies were checked may come back unchanged (ADR 0016)
    stored_currency = dict(Resource.objects.values_list("code", "currency"))
    ws = book["Resources"]
    cols = _header(ws, REQUIRED, errors)
    rows: list[tuple[int, dict[str, Any]]] = []
    if not errors.items:
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            _check_rows("Resources", number)
            if not any(_text(v) for v in values):
                continue
            row: dict[str, Any] = {}
            named: set[str] = set()  # the cells of the row with an error already
            for name, index in cols.items():
                if name not in RESOURCE_COLUMNS:
                    continue
                value = values[index] if index < len(values) else None
                column = index + 1
                try:
                    if name in {"fte", "hours_per_day", "cost_rate"}:
                        parsed = _decimal(value)
                        if parsed is not None:  # 1/3 FTE typed as 0.333333 is 0.33
                            row[name] = _rounded(parsed, Resource, name)
                    elif name == "currency":
                        if currency := _text(value).upper():  # empty: CNY, or kept
                            row["currency"] = currency
                    elif name in {"available_from", "available_until"}:
                        row[name] = _date(value)
                    elif name == "org_unit":
                        row["org_unit_id"] = units.find(_text(value))
                    elif name == "calendar":
                        row["calendar"] = _calendar(value)
                    elif name == "kind":
                        kind = _text(value).lower()
                        if kind not in ResourceKind.values:
                            raise ValueError(
                                _("unknown kind %(value)s: enter %(person)s or %(pool)s")
                                % {
                                    "value": quoted(_text(value)),
                                    "person": quoted("person"),
                                    "pool": quoted("pool"),
                                }
                            )
                        row["kind"] = kind
                    else:
                        row[name] = _text(value)
                except ValueError as exc:
                    errors.add("Resources", number, column, str(exc))
                    named.add(name)
            typed = row.get("currency")
            if typed and typed != stored_currency.get(str(row.get("code", ""))):
                try:
                    check_currency(typed)
                except FieldError as exc:
                    errors.add("Resources", number, cols["currency"] + 1, exc.errors[0]["message"])
                    named.add("currency")
            for name in ("code", "name", "role"):
                if name in cols and not row.get(name):
                    errors.add(
                        "Resources",
                        number,
                        cols[name] + 1,
                        _("%(column)s is required") % {"column": name},
                    )
                    named.add(name)
            if (
                row.get("available_from")
                and row.get("available_until")
                and row["available_until"] < row["available_from"]
            ):
                errors.add(
                    "Resources",
                    number,
                    cols["available_until"] + 1,
                    _("before %(column)s") % {"column": quoted("available_from")},
                )
                named.add("available_until")
            _check_model(row, number, cols, errors, named)
            rows.append((number, row))
    codes = [r["code"] for _n, r in rows if r.get("code")]
    repeated = {code for code, times in Counter(codes).items() if times > 1}
    for number, row in rows:
        if row.get("code") in repeated:
            errors.add(
                "Resources",
                number,
                cols["code"] + 1,
                _("code %(code)s repeated") % {"code": quoted(row["code"])},
            )
    capacity: list[tuple[int, dict[str, Any]]] = []
    if "Capacity" in book.sheetnames:
        cs = book["Capacity"]
        ccols = _header(cs, {"resource", "from", "to", "fte"}, errors)
        known = set(codes) | set(Resource.objects.values_list("code", flat=True))
        if all(c in ccols for c in ("resource", "from", "to", "fte")):
            for number, values in enumerate(cs.iter_rows(min_row=2, values_only=True), start=2):
                _check_rows("Capacity", number)
                if not any(_text(v) for v in values):
                    continue

                def cell(name: str, vals: tuple[Any, ...] = values) -> Any:
                    i = ccols.get(name)
                    return vals[i] if i is not None and i < len(vals) else None

                entry: dict[str, Any] = {"reason": _text(cell("reason"))[:200]}
                code = _text(cell("resource"))
                if code not in known:
                    errors.add(
                        "Capacity",
                        number,
                        ccols["resource"] + 1,
                        _("unknown resource %(code)s") % {"code": quoted(code)},
                    )
                entry["resource"] = code
                for name, key, parse in (
                    ("from", "first", _date),
                    ("to", "last", _date),
                    ("fte", "fte", _decimal),
                ):
                    try:
                        entry[key] = parse(cell(name))
                        if key == "fte" and entry[key] is not None:
                            entry[key] = _rounded(entry[key], CapacityChange, "fte")
                    except ValueError as exc:
                        errors.add("Capacity", number, ccols[name] + 1, str(exc))
                        continue
                    if entry[key] is None:
                        errors.add(
                            "Capacity",
                            number,
                            ccols[name] + 1,
                            _("%(column)s is required") % {"column": name},
                        )
                if entry.get("first") and entry.get("last") and entry["last"] < entry["first"]:
                    errors.add(
                        "Capacity",
                        number,
                        ccols["to"] + 1,
                        _("before %(column)s") % {"column": quoted("from")},
                    )
                capacity.append((number, entry))
        by_resource: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for number, entry in capacity:
            by_resource.setdefault(entry["resource"], []).append((number, entry))
        for items in by_resource.values():
            spans = sorted(
                (e["first"], e["last"], n) for n, e in items if e.get("first") and e.get("last")
            )
            for (_f1, l1, _n1), (f2, _l2, n2) in itertools.pairwise(spans):
                if f2 <= l1:
                    errors.add("Capacity", n2, ccols["from"] + 1, _("overlaps an earlier row"))
    if errors.items:
        summary = pgettext("list of problems", "; ").join(
            _placed(e["field"], e["message"]) for e in errors.items[:20]
        )
        if len(errors.items) > MAX_ERRORS:
            summary = join_sentences(
                [
                    summary,
                    _("(the first %(shown)s of %(total)s errors are listed)")
                    % {"shown": MAX_ERRORS, "total": len(errors.items)},
                ]
            )
        raise ValidationFailed(
            _("Nothing was imported: %(reason)s") % {"reason": summary},
            errors=errors.items[:MAX_ERRORS],
        )
    return _apply(actor, rows, capacity)


@transaction.atomic
def _apply(
    actor: User | None,
    rows: list[tuple[int, dict[str, Any]]],
    capacity: list[tuple[int, dict[str, Any]]],
) -> dict[str, int]:
    existing = {r.code: r for r in Resource.objects.filter(code__in=[r["code"] for _n, r in rows])}
    created = updated = 0
    for _number, row in rows:
        resource = existing.get(row["code"])
        if resource is None:
            resource = Resource(**row)
            resource.save()
            existing[row["code"]] = resource
            created += 1
            action = AuditAction.CREATE
        else:
            for key, value in row.items():
                setattr(resource, key, value)
            resource.version += 1
            resource.save()
            updated += 1
            action = AuditAction.UPDATE
        record(
            actor=actor,
            action=action,
            instance=resource,
            scope="resources",
            changes={"import": [None, "capacity sheet"]},
        )
    ids = dict(
        Resource.objects.filter(code__in={e["resource"] for _n, e in capacity}).values_list(
            "code", "pk"
        )
    )
    CapacityChange.objects.filter(scenario=None, resource_id__in=ids.values()).delete()
    CapacityChange.objects.bulk_create(
        [
            CapacityChange(
                resource_id=ids[e["resource"]],
                first=e["first"],
                last=e["last"],
                fte=e["fte"],
                reason=e["reason"],
            )
            for _n, e in capacity
        ]
    )
    return {
        "resources_created": created,
        "resources_updated": updated,
        "capacity_changes": len(capacity),
    }


def template() -> bytes:
    """The capacity sheet template: the two sheets with their headers, an example sheet and
    the allowed values (:mod:`pmo.resources.xlsx_template`)."""
    from pmo.resources.xlsx_template import build_template  # it reads this module's columns

    return build_template()
