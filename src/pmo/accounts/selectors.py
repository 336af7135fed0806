"""Account reads."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pmo.accounts.models import OrgUnit, Person, User
from pmo.core.codes import is_id
from pmo.core.errors import NotFoundError
from pmo.core.models import MAX_ID
from pmo.core.sentences import quoted


def list_org_units() -> QuerySet[OrgUnit]:
    """Every org unit in tree order."""
    return OrgUnit.objects.select_related("parent").order_by("path")


def get_org_unit(ref: str | int) -> OrgUnit:
    """The org unit ``ref`` names, or :class:`NotFoundError`: its code, or its id (an int, or
    text of digits only: ids came first, and codes of digits only are refused since)."""
    units = OrgUnit.objects.select_related("parent")
    text = str(ref).strip()
    unit = None
    if is_id(text):
        if int(text) <= MAX_ID:
            unit = units.filter(pk=int(text)).first()
    elif text:  # the exact code, else the one code equal but for case
        unit = units.filter(code=text).first() or units.filter(code__iexact=text).first()
    if unit is None:
        raise NotFoundError(_("no org unit with code or id %(ref)s") % {"ref": quoted(text)})
    return unit


def list_people(*, search: str = "") -> QuerySet[Person]:
    """People, optionally filtered by a text in either name or the email."""
    qs = Person.objects.select_related("org_unit", "user").order_by("name")
    if search:
        qs = qs.filter(
            Q(name__icontains=search) | Q(name_zh__icontains=search) | Q(email__icontains=search)
        )
    return qs


def org_unit_paths_of(user: User) -> list[str]:
    """Materialised paths of the org units whose projects a viewer may read.

    Remembered on the user object: a request asks several times, the answer is the same.
    """
    cached: list[str] | None = getattr(user, "_pmo_org_unit_paths", None)
    if cached is not None:
        return cached
    person = Person.objects.filter(user=user).select_related("org_unit").first()
    paths = [person.org_unit.path] if person is not None else []
    user._pmo_org_unit_paths = paths  # type: ignore[attr-defined]
    return paths
