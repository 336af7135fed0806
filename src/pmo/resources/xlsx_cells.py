"""The cells of a capacity sheet (:mod:`pmo.resources.xlsx`) read one by one: numbers, dates,
calendars and org units parsed with what is wrong said in the sheet's words, and the model's
own rules checked per cell; each problem is kept with its cell (``Resources!G3``)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from pmo.accounts.models import OrgUnit
from pmo.core.dates import date_out_of_range
from pmo.core.sentences import join_sentences, quoted
from pmo.resources.models import Resource

__all__ = [
    "CALENDAR_NAMES",
    "Errors",
    "OrgUnits",
    "calendar",
    "check_model",
    "date",
    "decimal",
    "placed",
    "rounded",
    "text",
]


class Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, sheet: str, row: int, column: int | None, message: str) -> None:
        where = f"{sheet}!{get_column_letter(column)}{row}" if column else f"{sheet}!{row}"
        self.items.append({"field": where, "message": message})


def placed(where: str, problem: str) -> str:
    """``Resources!H3: problem``, with the label separator of the language (``：``)."""
    return f"{where}{pgettext('label separator', ': ')}{problem}"


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def decimal(value: Any) -> Decimal | None:
    if value is None or text(value) == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(_("not a number")) from None
    if not number.is_finite() or number < 0 or number > 99999:
        raise ValueError(_("a number from 0 to 99999"))
    return number


def rounded(number: Decimal, model: type[models.Model], field: str) -> Decimal:
    """``number`` rounded half up to the decimal places the model stores for ``field``."""
    places = model._meta.get_field(field).decimal_places  # type: ignore[union-attr]
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def date(value: Any) -> dt.date | None:
    if value is None or text(value) == "":
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(text(value))
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


def calendar(value: Any) -> str:
    code = CALENDAR_NAMES.get(text(value).lower())
    if code is None:
        raise ValueError(
            _(
                "unknown calendar %(value)s: enter %(cn)s (mainland China), or %(weekdays)s or "
                "nothing (Monday to Friday)"
            )
            % {"value": quoted(text(value)), "cn": quoted("CN"), "weekdays": quoted("Mon-Fri")}
        )
    return code


class OrgUnits:
    """The org units a sheet may name, read once: by code or by exact English or Chinese
    name, the code winning when a name is also another unit's code. A code is matched
    exactly first, then regardless of case; codes stored before those differing by case only
    were refused may make the second ambiguous, which the cell is refused for, naming them."""

    def __init__(self) -> None:
        rows = list(OrgUnit.objects.order_by("path").values_list("pk", "code", "name", "name_zh"))
        self.exact = {code: pk for pk, code, _name, _zh in rows}
        self.codes: dict[str, list[tuple[int, str]]] = {}
        for pk, code, _name, _zh in rows:
            self.codes.setdefault(code.lower(), []).append((pk, code))
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
        if (pk := self.exact.get(text)) is not None:
            return pk
        cased = self.codes.get(text.lower(), [])
        if len(cased) == 1:
            return cased[0][0]
        if cased:
            codes = pgettext("list separator", ", ").join(quoted(code) for _pk, code in cased)
            raise ValueError(
                _(
                    "org unit %(value)s is ambiguous: the codes %(codes)s differ only by case; "
                    "enter one of them exactly"
                )
                % {"value": quoted(text), "codes": codes}
            )
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


def check_model(
    row: dict[str, Any], number: int, cols: dict[str, int], errors: Errors, named: set[str]
) -> None:
    """The model's own rules (hours per day from 0.5 to 24, slug codes, lengths), per cell,
    in the same pass as the cells' own checks: the cells already named (``named``) are left
    out, so one value is never reported twice."""
    # the org unit is one :class:`OrgUnits` found (or named as wrong): not looked up again,
    # a query per row
    try:
        Resource(**row).full_clean(
            exclude=sorted(named | {"org_unit"}), validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for field, problems in exc.error_dict.items():
            column = cols[field] + 1 if field in cols else None
            text = join_sentences([_model_problem(field, problem) for problem in problems])
            errors.add("Resources", number, column, text if column else placed(field, text))


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
