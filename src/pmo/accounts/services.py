"""Account use-cases: tokens, language, org units and people."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.accounts.models import ApiToken, OrgUnit, Person, TokenScope, User, hash_token
from pmo.accounts.signals import org_unit_changed
from pmo.core.codes import case_clash, is_id
from pmo.core.errors import FieldError, NotFoundError, PermissionDeniedError
from pmo.core.sentences import quoted

TOKEN_PREFIX = "pmo_"


def create_token(*, username: str, name: str = "", scope: str = TokenScope.API) -> str:
    """Create a token for ``username`` and return it raw (shown once).

    ``scope`` ``calendar``: good for the iCalendar feed only, never for the API.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFoundError(_("no user named %(username)s") % {"username": quoted(username)})
    if not user.is_active:
        raise FieldError(
            "username", _("user %(username)s is inactive") % {"username": quoted(username)}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    if scope not in TokenScope.values:
        raise FieldError(
            "scope",
            _("one of %(scopes)s")
            % {"scopes": pgettext("list separator", ", ").join(TokenScope.values)},
        )
    ApiToken.objects.create(
        user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw), scope=scope
    )
    return raw


@transaction.atomic
def renew_calendar_token(*, user: User) -> str:
    """A new calendar-feed token for ``user``; their earlier calendar tokens stop working."""
    ApiToken.objects.filter(user=user, scope=TokenScope.CALENDAR, revoked=False).update(
        revoked=True
    )
    return create_token(username=user.get_username(), name="calendar", scope=TokenScope.CALENDAR)


def authenticate_token(raw: str, *, scope: str = TokenScope.API) -> User | None:
    """The active user owning ``raw`` for ``scope``, or ``None``; records when it was last used.

    A calendar token does not open the API, and an API token does not go into feed URLs.
    """
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked=False, user__is_active=True, scope=scope)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def set_user_language(*, user: User, language: str) -> None:
    """Remember the user's language (``en`` or ``zh-hans``)."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise FieldError(
            "language", _("unknown language %(language)s") % {"language": quoted(language)}
        )
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def _require_admin(actor: User) -> None:
    if not actor.is_pmo_admin:
        raise PermissionDeniedError(_("only a PMO admin may change the organisation"))


_ORG_UNIT_FIELDS = ("code", "name", "name_zh", "kind", "parent")


def _org_unit_values(unit: OrgUnit) -> dict[str, Any]:
    """What the audit trail records of an org unit (the parent by code, as the API names it)."""
    return {
        "code": unit.code,
        "name": unit.name,
        "name_zh": unit.name_zh,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent is not None else None,
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [before.get(k), after.get(k)] for k in _ORG_UNIT_FIELDS if before.get(k) != after.get(k)
    }


def _check_code(code: str) -> None:
    """A new org unit's code: not made of digits only (``?org_unit=12`` is the id 12), and
    not another unit's code in another case (ADR 0013, org units by code)."""
    if is_id(code):
        raise FieldError(
            "code",
            _("a code needs a letter, a hyphen or an underscore: digits alone read as an id"),
        )
    existing = case_clash(OrgUnit.objects.all(), code)
    if existing == code:
        raise FieldError(
            "code", _("an org unit with code %(code)s exists already") % {"code": quoted(code)}
        )
    if existing is not None:
        raise FieldError(
            "code",
            _("org unit %(code)s exists already: codes may not differ by case only")
            % {"code": quoted(existing)},
        )


def _name(value: str, field: str = "name") -> str:
    """A name without the blanks around it; one made of blanks only is refused (422)."""
    name = (value or "").strip()
    if not name and field == "name":
        raise FieldError(field, _("must not be empty"))
    return name


def _parent(code: str | None, *, unit: OrgUnit | None = None) -> OrgUnit | None:
    """The parent a body names by code (422 at ``parent`` when unknown); under ``unit``'s own
    subtree (itself or a unit below it) is a cycle, refused."""
    if not code:
        return None
    parent = OrgUnit.objects.filter(code=code).first()
    if parent is None:
        raise FieldError("parent", _("no org unit with code %(code)s") % {"code": quoted(code)})
    if unit is not None and unit.path and parent.path.startswith(unit.path):
        raise FieldError(
            "parent",
            _("%(parent)s is %(unit)s itself or below it: an org unit cannot be its own parent")
            % {"parent": quoted(parent.code), "unit": quoted(unit.code)},
        )
    return parent


@transaction.atomic
def create_org_unit(*, actor: User, data: dict[str, Any]) -> OrgUnit:
    """Create an org unit (PMO admin only; audited)."""
    _require_admin(actor)
    _check_code(data["code"])
    unit = OrgUnit(
        code=data["code"],
        name=_name(data["name"]),
        name_zh=_name(data.get("name_zh") or "", "name_zh"),
        kind=data["kind"],
        parent=_parent(data.get("parent")),
    )
    unit.save()
    org_unit_changed.send(
        sender=OrgUnit,
        unit=unit,
        actor=actor,
        action="create",
        changes=_changes({}, _org_unit_values(unit)),
    )
    return unit


@transaction.atomic
def update_org_unit(
    *, actor: User, unit: OrgUnit, data: dict[str, Any], version: int | None
) -> OrgUnit:
    """Rename an org unit, change its kind or move it under another parent (``parent``: a
    code, ``None`` for the top); a parent inside its own subtree is refused (422). PMO admin
    only; version-checked; audited. The code stays: audit trails and exports name it."""
    _require_admin(actor)
    unit = OrgUnit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    unit.check_version(version)
    before = _org_unit_values(unit)
    if "name" in data:
        unit.name = _name(data["name"])
    if "name_zh" in data:
        unit.name_zh = _name(data["name_zh"] or "", "name_zh")
    if "kind" in data:
        unit.kind = data["kind"]
    if "parent" in data:
        unit.parent = _parent(data["parent"], unit=unit)
    changes = _changes(before, _org_unit_values(unit))
    if changes:
        unit.version += 1
        unit.save()
        org_unit_changed.send(
            sender=OrgUnit, unit=unit, actor=actor, action="update", changes=changes
        )
    return unit


@transaction.atomic
def create_person(*, actor: User, data: dict[str, Any]) -> Person:
    """Create a person (PMO admin or member)."""
    if not actor.is_pmo:
        raise PermissionDeniedError(_("only the PMO may add people"))
    unit = OrgUnit.objects.filter(code=data["org_unit"]).first()
    if unit is None:
        raise FieldError(
            "org_unit", _("no org unit with code %(code)s") % {"code": quoted(data["org_unit"])}
        )
    user = None
    if data.get("username"):
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            raise FieldError(
                "username", _("no user named %(username)s") % {"username": quoted(data["username"])}
            )
        if Person.objects.filter(user=user).exists():
            raise FieldError(
                "username",
                _("user %(username)s is already linked") % {"username": quoted(data["username"])},
            )
    return Person.objects.create(
        name=data["name"],
        name_zh=data.get("name_zh") or "",
        email=data.get("email") or "",
        title=data.get("title") or "",
        org_unit=unit,
        user=user,
    )
