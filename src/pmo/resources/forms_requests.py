"""The forms of the "Requests to commit" page (:mod:`pmo.resources.views.requests`): which
requests to list (read from the query string) and which to decide (posted)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pmo.accounts.models import OrgUnit
from pmo.core.errors import NotFoundError
from pmo.core.sentences import quoted
from pmo.portfolio.access import get_visible_project
from pmo.resources.forms import _OrgUnitChoice, offer_all

__all__ = ["DecisionForm", "RequestsFilterForm"]


class RequestsFilterForm(forms.Form):
    """Which requests are listed: of one project (its code: a project manager's own), of
    resources of a role, org unit or skill, as the "Who is free?" page narrows them. A project the
    reader cannot see or a role no resource has is named at its field."""

    project = forms.CharField(label=gettext_lazy("Project"), max_length=50, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)
    org_unit = _OrgUnitChoice(
        OrgUnit.objects.order_by("path"), label=gettext_lazy("Org unit"), required=False
    )
    # the heat map's skill filter, which its "Requests to commit (N)" link carries
    skill = forms.CharField(label=gettext_lazy("Skill"), max_length=100, required=False)

    def __init__(self, *args: Any, roles: list[tuple[str, str]], user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        offer_all(self, roles)

    def clean_project(self) -> Any:
        """The project of the code typed (``None`` for every project)."""
        code = (self.cleaned_data.get("project") or "").strip()
        if not code:
            return None
        try:
            return get_visible_project(self.user, code)
        except NotFoundError:
            raise forms.ValidationError(
                _("No project %(code)s: type the code of a project you can see.")
                % {"code": quoted(code)}
            ) from None


class DecisionForm(forms.Form):
    """What a resource manager posts: the requests ticked (``request``, each ``id:version``,
    the version the page read), the button pressed, and the reason of a decline. The service
    checks the rest (a choice, the reason's presence and length), all or none."""

    action = forms.ChoiceField(
        choices=[("commit", "commit"), ("decline", "decline")],
        error_messages={"required": gettext_lazy("Press Commit selected or Decline selected.")},
    )
    reason = forms.CharField(required=False, strip=True)

    def chosen(self) -> list[tuple[int, int | None]]:  # the service's Choice
        """The ticked requests as (id, version); ``ValueError`` naming one garbled."""
        picked: list[tuple[int, int | None]] = []
        for value in self._ticked_values():
            pk, _sep, version = str(value).partition(":")
            # both parts, as the page wrote them: an id a database key holds (a longer one
            # would be the database's error, not the reader's) and the version it read
            readable = pk.isdigit() and version.isdigit() and len(pk) <= 18 and len(version) <= 9
            if not readable:
                raise ValueError(
                    _("The request %(value)s could not be read: reload the page.")
                    % {"value": quoted(str(value)[:40])}
                )
            picked.append((int(pk), int(version)))
        return picked

    def _ticked_values(self) -> list[str]:
        """The ``request`` values posted (a query dict holds several)."""
        getlist = getattr(self.data, "getlist", None)
        return [str(v) for v in getlist("request")] if getlist else []

    def ticked(self) -> set[int]:
        """The ids ticked (the page again, after a refusal, keeps them ticked)."""
        ids = (v.partition(":")[0] for v in self._ticked_values())
        return {int(pk) for pk in ids if pk.isdigit() and len(pk) < 20}
