"""What the status center's pages share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import ConflictError, DomainError, NotFoundError
from pmo.core.forms import add_service_error
from pmo.core.http import posted_version, refuse_unless
from pmo.portfolio.access import can_edit_project, get_visible_project
from pmo.portfolio.forms import carry_opened, rebase_on_saved, stale_message


def _project_or_404(request: HttpRequest, code: str) -> Any:
    try:
        return get_visible_project(user_of(request), code)
    except NotFoundError as exc:
        raise Http404(exc.message) from None


def refuse_reader(request: HttpRequest, project: Any) -> HttpResponse | None:
    """``None`` when the user may change ``project``; otherwise a visit goes back to the
    project with a message and a post is a 403 (the same answer on every project edit page,
    also those of the other apps: :func:`pmo.core.http.refuse_unless`)."""
    return refuse_unless(
        request,
        can_edit_project(user_of(request), project),
        _("You may read this project but not change it."),
        reverse("portfolio:project_detail", kwargs={"code": project.code}),
    )


@dataclass
class Saved:
    """How a version-checked form post ended: ``saved``, or the form to show again with the
    version to post next, what was saved meanwhile (label, value) over what its user changed
    (``meanwhile``) and over what they left (``taken`` into the form), and the status code."""

    saved: bool
    version: Any
    status: int = 200
    meanwhile: list[tuple[str, str]] = field(default_factory=list)
    taken: list[tuple[str, str]] = field(default_factory=list)


def save_new(request: HttpRequest, form: forms.BaseForm, save: Callable[[], Any]) -> int | None:
    """Validate a posted ``form`` and ``save`` it (a new entry): None once saved, else the
    status to show the form again with (200 unposted, 422 invalid, a refusal's own status,
    its errors on the fields)."""
    if request.method != "POST":
        return 200
    if not form.is_valid():
        return 422
    try:
        save()
    except DomainError as exc:
        add_service_error(form, exc)
        return exc.status_code
    return None


def save_versioned(
    request: HttpRequest,
    form: forms.BaseForm,
    version: Any,
    save: Callable[[int | None], Any],
    reload: Callable[[], models.Model],
) -> Saved:
    """Validate a posted ``form`` and ``save`` it with the posted version. The form carries
    the values it was opened with: on a stale version (someone saved since the form was
    opened) the fields its user changed keep what was typed, the others take what is saved
    now (``reload``), the fields both changed are listed, and the form hands on the saved
    version, so saving again overwrites knowingly (409); another refusal goes on the form's
    fields (its status)."""
    carry_opened(form)
    if request.method != "POST":
        return Saved(False, version)
    version = request.POST.get("version", "")
    if not form.is_valid():
        return Saved(False, version, 422)
    try:
        save(posted_version(request))
    except ConflictError as exc:
        if exc.current_version is None:  # refused by the object's state, not by a version
            add_service_error(form, exc)
            return Saved(False, version, 409)
        current = reload()
        rebased = rebase_on_saved(form, current)
        form.add_error(None, stale_message(current))
        return Saved(
            False,
            current.version,  # type: ignore[attr-defined]
            409,
            rebased.conflicts,
            rebased.taken,
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return Saved(False, version, exc.status_code)
    return Saved(True, version)
