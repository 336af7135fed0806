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
from io import BytesIO
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from pmo.accounts.models import User
from pmo.core.errors import FieldError, ValidationFailed
from pmo.core.sentences import join_sentences, quoted
from pmo.core.uploads import UnpackError, check_unpacked_size
from pmo.portfolio.currencies import check_currency
from pmo.resources import xlsx_cells as cells
from pmo.resources.access import require_manage
from pmo.resources.models import CapacityChange, Resource, ResourceKind
from pmo.resources.services.roles import plan_sheet_roles
from pmo.resources.xlsx_apply import apply_sheet

__all__ = ["RESOURCE_COLUMNS", "import_capacity", "sheet_name", "template"]

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
NAME_LENGTH = 200  # of the file name recorded
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


def _header(ws: Any, required: set[str], errors: cells.Errors) -> dict[str, int]:
    first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    names = {cells.text(v).lower(): i for i, v in enumerate(first) if cells.text(v)}
    for name in sorted(required):
        if name not in names:
            errors.add(ws.title, 1, None, _("missing column %(column)s") % {"column": quoted(name)})
    return names


def import_capacity(
    *,
    actor: User | None,
    stream: IO[bytes],
    name: str | None = None,
    dry_run: bool = False,
    expected: str | None = None,
) -> dict[str, Any]:
    """Create or update resources and capacity changes from a capacity sheet: all or nothing,
    each resource and capacity change created, changed or removed audited as its own event
    naming the file (``name``, else the stream's name; :mod:`pmo.resources.xlsx_apply`).

    Answers what it did per resource (:mod:`pmo.resources.xlsx_report`); a ``dry_run``
    answers the same and writes nothing. ``expected``, the ``fingerprint`` of a dry run's
    report, refuses the import when the stored rows it reads changed since
    (:class:`~pmo.resources.xlsx_apply.StaleSheet`, a 409)."""
    if actor is not None:
        require_manage(actor)
    file_name = sheet_name(stream, name)
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
    errors = cells.Errors()
    units = cells.OrgUnits()
    # a code stored before currencies were checked may come back unchanged (ADR 0016)
    stored_currency = dict(Resource.objects.values_list("code", "currency"))
    ws = book["Resources"]
    cols = _header(ws, REQUIRED, errors)
    rows: list[tuple[int, dict[str, Any]]] = []
    if not errors.items:
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            _check_rows("Resources", number)
            if not any(cells.text(v) for v in values):
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
                        parsed = cells.decimal(value)
                        if parsed is not None:  # 1/3 FTE typed as 0.333333 is 0.33
                            row[name] = cells.rounded(parsed, Resource, name)
                    elif name == "currency":
                        if currency := cells.text(value).upper():  # empty: CNY, or kept
                            row["currency"] = currency
                    elif name in {"available_from", "available_until"}:
                        row[name] = cells.date(value)
                    elif name == "org_unit":
                        row["org_unit_id"] = units.find(cells.text(value))
                    elif name == "calendar":
                        row["calendar"] = cells.calendar(value)
                    elif name == "kind":
                        kind = cells.text(value).lower()
                        if kind not in ResourceKind.values:
                            raise ValueError(
                                _("unknown kind %(value)s: enter %(person)s or %(pool)s")
                                % {
                                    "value": quoted(cells.text(value)),
                                    "person": quoted("person"),
                                    "pool": quoted("pool"),
                                }
                            )
                        row["kind"] = kind
                    else:
                        row[name] = cells.text(value)
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
            cells.check_model(row, number, cols, errors, named)
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
    roles = plan_sheet_roles(rows)
    for number, at, message in roles.errors:
        errors.add("Resources", number, cols[at] + 1, message)
    capacity: list[tuple[int, dict[str, Any]]] = []
    if "Capacity" in book.sheetnames:
        cs = book["Capacity"]
        ccols = _header(cs, {"resource", "from", "to", "fte"}, errors)
        known = set(codes) | set(Resource.objects.values_list("code", flat=True))
        if all(c in ccols for c in ("resource", "from", "to", "fte")):
            for number, values in enumerate(cs.iter_rows(min_row=2, values_only=True), start=2):
                _check_rows("Capacity", number)
                if not any(cells.text(v) for v in values):
                    continue

                def cell(name: str, vals: tuple[Any, ...] = values) -> Any:
                    i = ccols.get(name)
                    return vals[i] if i is not None and i < len(vals) else None

                entry: dict[str, Any] = {"reason": cells.text(cell("reason"))[:200]}
                code = cells.text(cell("resource"))
                if code not in known:
                    errors.add(
                        "Capacity",
                        number,
                        ccols["resource"] + 1,
                        _("unknown resource %(code)s") % {"code": quoted(code)},
                    )
                entry["resource"] = code
                for name, key, parse in (
                    ("from", "first", cells.date),
                    ("to", "last", cells.date),
                    ("fte", "fte", cells.decimal),
                ):
                    try:
                        entry[key] = parse(cell(name))
                        if key == "fte" and entry[key] is not None:
                            entry[key] = cells.rounded(entry[key], CapacityChange, "fte")
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
            cells.placed(e["field"], e["message"]) for e in errors.items[:20]
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
    return apply_sheet(
        actor=actor,
        rows=rows,
        capacity=capacity,
        roles=roles,
        sheet=file_name,
        saved=_saved(book),
        dry_run=dry_run,
        expected=expected,
    )


def _saved(book: Any) -> dt.datetime | None:
    """When the workbook says it was last saved (UTC; None when it does not say)."""
    saved = getattr(getattr(book, "properties", None), "modified", None)
    if not isinstance(saved, dt.datetime):
        return None
    return saved if saved.tzinfo else saved.replace(tzinfo=dt.UTC)


def sheet_name(stream: IO[bytes], name: str | None = None) -> str:
    """The file name the audit trail records for an import: ``name``, else the stream's own
    (an upload's, a file's without its folders), else "" (no name known)."""
    given = name if name is not None else getattr(stream, "name", None)
    return PurePath(given).name[:NAME_LENGTH] if isinstance(given, str) else ""


def template() -> bytes:
    """The capacity sheet template: the two sheets with their headers, an example sheet and
    the allowed values (:mod:`pmo.resources.xlsx_template`)."""
    from pmo.resources.xlsx_template import build_template  # it reads this module's columns

    return build_template()
