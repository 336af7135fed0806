"""Users and their roles, the organisation tree, people and API tokens."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pmo.core.models import BilingualNameModel, TimeStampedModel, VersionedModel
from pmo.core.sentences import quoted


class Role(models.TextChoices):
    """What a user may do; scope rules live in ``pmo.portfolio.access``."""

    PMO_ADMIN = "pmo_admin", _("PMO admin")
    PMO_MEMBER = "pmo_member", _("PMO member")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    RESOURCE_MANAGER = "resource_manager", _("Director / resource manager")
    EXECUTIVE = "executive", _("Executive")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    """A person who signs in; ``role`` decides what they may see and change."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")  # type: ignore[assignment]
        verbose_name_plural = _("users")  # type: ignore[assignment]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A superuser created with the default role (``pmo createsuperuser``) is a PMO admin:
        they have every right, so the stored role says so too (ADR 0001, Roles)."""
        if self._state.adding and self.is_superuser and self.role == Role.VIEWER:
            self.role = Role.PMO_ADMIN
        super().save(*args, **kwargs)

    def get_role_display(self) -> str:
        """The role's name; a superuser's is "PMO admin" whatever role is stored, since they
        may do everything (:attr:`is_pmo_admin`)."""
        role = Role.PMO_ADMIN if self.is_superuser else self.role
        return str(Role(role).label) if role in Role.values else str(role)

    @property
    def is_pmo_admin(self) -> bool:
        """PMO admins (and Django superusers) may do everything."""
        return self.is_superuser or self.role == Role.PMO_ADMIN

    @property
    def is_pmo(self) -> bool:
        """PMO admins and members edit every project."""
        return self.is_pmo_admin or self.role == Role.PMO_MEMBER

    @property
    def reads_whole_portfolio(self) -> bool:
        """Every project and what spans projects (steering meetings); viewers read their unit."""
        return self.is_pmo or self.role in (
            Role.EXECUTIVE,
            Role.RESOURCE_MANAGER,
            Role.PROJECT_MANAGER,
        )


class OrgUnitKind(models.TextChoices):
    GROUP = "group", _("Group")
    REGION = "region", _("Region")
    DEPARTMENT = "department", _("Department")
    PLANT = "plant", _("Plant / site")
    TEAM = "team", _("Team")


class OrgUnit(BilingualNameModel, VersionedModel):
    """A node of the organisation tree (group → region → department → plant/team).

    ``path`` is the materialised path of primary keys (``/1/4/9/``) so that a
    whole subtree is one indexed ``startswith`` query.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def clean(self) -> None:
        """A parent inside the unit's own subtree (itself or a unit below it) would make a
        cycle and corrupt every path below: refused at ``parent`` (the admin's form; the API's
        service says the same)."""
        super().clean()
        parent = self.parent if self.parent_id else None
        if parent is not None and self.path and parent.path.startswith(self.path):
            raise ValidationError(
                {
                    "parent": gettext(
                        "%(parent)s is %(unit)s itself or below it: an org unit cannot be "
                        "its own parent"
                    )
                    % {"parent": quoted(parent.code), "unit": quoted(self.code)}
                }
            )

    def save(self, *args: object, **kwargs: object) -> None:
        """Keep ``path`` in step with ``parent`` (two writes on creation: the pk comes first)."""
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        path = f"{prefix}{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)
            if old:
                for child in OrgUnit.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    OrgUnit.objects.filter(pk=child.pk).update(path=path + child.path[len(old) :])


class Person(BilingualNameModel, VersionedModel):
    """Someone who appears in projects (sponsor, PM, owner), optionally a user."""

    email = models.EmailField(_("email"), blank=True)
    title = models.CharField(_("job title"), max_length=120, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="people"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]


def hash_token(raw: str) -> str:
    """SHA-256 of a raw token: only hashes are stored, so a database leak leaks no token."""
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    API = "api", _("API (read and write as the user)")
    CALENDAR = "calendar", _("Calendar feed (read the gate calendar only)")


class ApiToken(TimeStampedModel):
    """A bearer token for the REST API (``Authorization: Bearer <token>``), or, with scope
    ``calendar``, for the iCalendar feed only (its URL ends up in calendar apps and logs)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.API
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


def user_of(request: object) -> User:
    """The signed-in user of a request (views and API endpoints require authentication)."""
    return request.user  # type: ignore[attr-defined, no-any-return]
