"""Django admin for PMO administrators: users (with their role and person), the organisation
tree, people and API tokens.

The audit app registers users, org units and people again with their changes on record
(``pmo.audit.admin``): it sits above this app, which cannot import it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import F
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from pmo.accounts.models import ApiToken, OrgUnit, Person, User
from pmo.core.admin import VersionedAdmin

_LOGIN, _PERSONAL, _PERMISSIONS, _DATES = BaseUserAdmin.fieldsets  # type: ignore[misc]
_ROLE_SECTION = _("Role in PMO Hub")
# The app's pages and API go by the role (pmo.portfolio.access), never by Django permissions:
# groups and user permissions only decide what a staff user who is not a superuser may do here.
_ADMIN_PERMISSIONS: Any = (
    _("Admin site permissions"),
    {
        "classes": ("collapse",),
        "description": _(
            "Only for staff users who are not superusers: what they may see and change on "
            "this admin site. The app's pages go by the role."
        ),
        "fields": ("groups", "user_permissions"),
    },
)


class PersonField(forms.ModelChoiceField):
    """The person a user is (their name in the top bar, their projects as manager): one
    without a user yet, or the user's own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Person.objects.filter(user__isnull=True).select_related("org_unit"),
            required=False,
            label=capfirst(Person._meta.verbose_name),  # as Django labels the model's fields
            **kwargs,
        )


class UserPersonMixin(forms.ModelForm):
    """Adds the user's person to a user form (``Person.user`` is on the person's side)."""

    person = PersonField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        if self.instance.pk:
            own = Person.objects.filter(user=self.instance).first()
            field.queryset = Person.objects.filter(user__isnull=True) | Person.objects.filter(
                user=self.instance
            )
            field.initial = own.pk if own else None


class PmoUserCreationForm(UserPersonMixin, AdminUserCreationForm):
    pass


class PmoUserChangeForm(UserPersonMixin, UserChangeForm):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = PmoUserChangeForm
    add_form = PmoUserCreationForm
    list_display = ("username", "email", "role_shown", "language", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    # the role first, Django's permissions folded away (Django's own section titles)
    fieldsets = (
        _LOGIN,
        (_ROLE_SECTION, {"fields": ("role", "person", "language")}),
        _PERSONAL,
        (_PERMISSIONS[0], {"fields": ("is_active", "is_staff", "is_superuser")}),
        _ADMIN_PERMISSIONS,
        _DATES,
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_ROLE_SECTION, {"classes": ("wide",), "fields": ("role", "person", "language")}),
    )

    @admin.display(description=User._meta.get_field("role").verbose_name, ordering="role")
    def role_shown(self, obj: User) -> str:
        """A superuser shows as PMO admin, as in the top bar."""
        return obj.get_role_display()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "person" not in form.cleaned_data:
            return
        person = form.cleaned_data["person"]
        # a user is one person: the one chosen, no other
        others = Person.objects.filter(user=obj)
        if person is not None:
            others = others.exclude(pk=person.pk)
        others.update(user=None, version=F("version") + 1)
        if person is not None and person.user_id != obj.pk:
            Person.objects.filter(pk=person.pk).update(user=obj, version=F("version") + 1)


def _tree_indent(unit: OrgUnit) -> tuple[str, str]:
    """What stands before a unit's name to show its depth in the tree, and the branch mark
    ("" for a root)."""
    depth = max(unit.path.count("/") - 2, 0)
    return ("\u2003" * (depth - 1) + "\u2002", "└ ") if depth else ("", "")


class OrgUnitTreeField(forms.ModelChoiceField):
    """A choice of org unit laid out as the tree, indented as on the list."""

    def label_from_instance(self, obj: Any) -> str:
        indent, mark = _tree_indent(obj)
        return f"{indent}{mark}{obj.name}"


@admin.register(OrgUnit)
class OrgUnitAdmin(VersionedAdmin):
    list_display = ("tree_name", "code", "name_zh", "kind", "parent")
    search_fields = ("code", "name", "name_zh")
    list_filter = ("kind",)
    list_select_related = ("parent",)
    ordering = ("path",)  # the tree: every unit under its parent

    @admin.display(description=OrgUnit._meta.get_field("name").verbose_name, ordering="path")
    def tree_name(self, obj: OrgUnit) -> SafeString:
        """The name indented by the unit's depth in the tree."""
        indent, mark = _tree_indent(obj)
        return format_html("{}{}{}", indent, mark, obj.name)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs.setdefault("form_class", OrgUnitTreeField)
            kwargs.setdefault("queryset", OrgUnit.objects.order_by("path"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Person)
class PersonAdmin(VersionedAdmin):
    list_display = ("name", "name_zh", "email", "org_unit", "user")
    search_fields = ("name", "name_zh", "email")
    list_select_related = ("org_unit", "user")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by ``pmo token`` (and a user's calendar page), which show the secret
    once: the admin makes none (one added here had no secret at all). It renames and revokes
    one; whose token it is and what it opens stay as made, and a revoked token stays revoked."""

    list_display = ("prefix", "user", "name", "scope", "created_at", "last_used_at", "revoked")
    list_filter = ("scope", "revoked")
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    exclude = ("key_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fixed = ("user", "prefix", "scope", "last_used_at")
        return (*fixed, "revoked") if obj is not None and obj.revoked else fixed
