"""Account use-cases: tokens, language, org units and people."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import ApiToken, OrgUnit, Person, TokenScope, User, hash_token
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
        raise FieldError("scope", _("one of %(scopes)s") % {"scopes": ", ".join(TokenScope.values)})
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


@transaction.atomic
def create_org_unit(*, actor: User, data: dict[str, Any]) -> OrgUnit:
    """Create an org unit (PMO admin only)."""
    _require_admin(actor)
    if OrgUnit.objects.filter(code=data["code"]).exists():
        raise FieldError(
            "code",
            _("an org unit with code %(code)s exists already") % {"code": quoted(data["code"])},
        )
    parent = None
    if data.get("parent"):
        parent = OrgUnit.objects.filter(code=data["parent"]).first()
        if parent is None:
            raise FieldError(
                "parent", _("no org unit with code %(code)s") % {"code": quoted(data["parent"])}
            )
    unit = OrgUnit(
        code=data["code"],
        name=data["name"],
        name_zh=data.get("name_zh") or "",
        kind=data["kind"],
        parent=parent,
    )
    unit.save()
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
