"""The plan page's other edits: the status date, links and baselines."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import (
    DomainError,
    FieldError,
    NotFoundError,
    ValidationFailed,
)
from pmo.core.http import posted_version
from pmo.core.models import as_id
from pmo.portfolio.access import can_edit_project
from pmo.portfolio.models import Project
from pmo.portfolio.views.common import refuse_reader
from pmo.scheduling import services
from pmo.scheduling.models import Plan
from pmo.scheduling.views.plan import (
    DAY,
    _context,
    _plan_or_404,
    _reader_refused,
    _render,
    _rescheduled,
)

FAR_STATUS_DATE_DAYS = 31
"""A status date more than this many days after today is set only once confirmed on the page
(a typo'd year moves every forecast); up to the end of a monthly reporting period it is not
asked (ADR 0003, Status date)."""
LINK_INPUTS = {"pred_uid": "pred", "succ_uid": "succ", "type": "type", "lag": "lag_days"}
"""The link form's input for each field a link's errors name."""


class _AskFirst(Exception):
    """Rolls back a status date set far ahead that was not confirmed yet."""


@login_required
@require_POST
def status_date_update(request: HttpRequest, code: str) -> HttpResponse:
    """Set (``status_date``, a date: work not done is scheduled from that day on) or clear
    (``clear``) the plan's status date and reschedule; shows what moved, or the error at the
    input with what was typed (a stale version: the form then carries the current one).

    A date more than :data:`FAR_STATUS_DATE_DAYS` after today is first asked about (422,
    nothing changed); it is set when posted again with ``confirm`` equal to it."""
    project, plan = _plan_or_404(request, code)
    if (refused := _reader_refused(request, project, plan)) is not None:
        return refused
    clear = bool(request.POST.get("clear"))
    typed = request.POST.get("status_date", "").strip()
    try:
        version = posted_version(request)
        if clear:
            day = None
        elif not typed:
            raise FieldError("status_date", _("Enter a date, or clear the status date."))
        else:
            try:
                day = dt.datetime.combine(dt.date.fromisoformat(typed), dt.time.min)
            except ValueError:
                raise FieldError("status_date", _("Enter a valid date.")) from None
        ahead = (day.date() - timezone.localdate()).days if day is not None else 0
        ask = ahead > FAR_STATUS_DATE_DAYS and request.POST.get("confirm") != typed
        with transaction.atomic():  # a date to ask about: checked like any, then undone
            moved = services.set_status_date(
                actor=user_of(request), plan=plan, status_date=day, version=version
            )
            if ask:
                raise _AskFirst
    except _AskFirst:
        # asked, not refused: Microsoft Project takes any date, but a mistyped year moves
        # every forecast and fires dependency risks (ADR 0003, Status date)
        plan.refresh_from_db()
        message = _(
            "%(date)s is %(days)s days after today: work not done would be scheduled from "
            "that day on, and forecasts and dependency risks would follow. Set it anyway?"
        ) % {"date": typed, "days": number_format(ahead, force_grouping=True)}
        edit = {"value": typed, "message": message, "field": "", "confirm": typed}
        context = _context(request, project, plan, status_edit=edit)
        return _render(request, context, status=422)
    except DomainError as exc:
        plan.refresh_from_db()  # a stale form gets the current version: Set again overwrites
        if not can_edit_project(user_of(request), project):
            context = _context(request, project, plan, error=exc.message)
            return _render(request, context, status=exc.status_code)
        message = exc.message
        if isinstance(exc, FieldError) and exc.field == "status_date":
            label = _("Status date")
            message = _("%(field)s: %(message)s") % {
                "field": label,
                "message": exc.errors[0]["message"],
            }
        edit = {"value": typed, "message": message, "field": getattr(exc, "field", "")}
        context = _context(request, project, plan, status_edit=edit)
        return _render(request, context, status=exc.status_code)
    return _rescheduled(request, code, moved)


def _link_inputs(posted: Any, *, remove: bool) -> tuple[int, int, float]:
    """The predecessor and successor UIDs and the lag in days typed in the link form (an
    empty lag is 0; a removal reads no lag); every input not a number is named at once."""
    errors: list[dict[str, str]] = []
    uids = []
    for name, field in (("pred", "pred_uid"), ("succ", "succ_uid")):
        uid = as_id(posted.get(name, ""))
        if uid is None:
            errors.append({"field": field, "message": _("Enter a whole number.")})
        uids.append(uid or 0)
    lag = 0.0
    if not remove:
        try:
            lag = float(posted.get("lag_days", "").strip() or 0)
        except ValueError:
            lag = math.nan
        if not math.isfinite(lag):
            errors.append({"field": "lag", "message": _("Enter a number.")})
    if errors:
        raise ValidationFailed(errors[0]["message"], errors=errors)
    return uids[0], uids[1], lag


def _link_refused(
    request: HttpRequest, project: Project, plan: Plan, exc: DomainError, typed: dict[str, str]
) -> HttpResponse:
    """The plan again with the link form as typed and the error at it: each field's message
    under its input; one message for several (a cycle names both tasks) or for none above the
    form's buttons (``role="alert"``). A missing link to remove is a 422 too, so htmx shows it."""
    labels = {
        "pred": _("Predecessor ID"),
        "succ": _("Successor ID"),
        "type": _("Type"),
        "lag_days": _("Lag (days)"),
    }
    named: dict[str, str] = {}
    for e in exc.errors:
        name = LINK_INPUTS.get(e.get("field", ""))
        if name is not None:
            named.setdefault(name, e["message"])
    shared = len(named) > 1 and len(set(named.values())) == 1
    errors = {} if shared else named
    message = "" if errors else exc.message
    if isinstance(exc, NotFoundError):
        message = _("Nothing removed: there is no link from UID %(pred)s to UID %(succ)s.") % {
            "pred": typed["pred"],
            "succ": typed["succ"],
        }
    edit = {
        "values": typed,
        "errors": {
            name: _("%(field)s: %(message)s") % {"field": labels[name], "message": text}
            for name, text in errors.items()
        },
        "invalid": list(named),
        "message": message,
    }
    status = 422 if isinstance(exc, NotFoundError) else exc.status_code
    return _render(request, _context(request, project, plan, link_edit=edit), status=status)


@login_required
@require_POST
def link_update(request: HttpRequest, code: str) -> HttpResponse:
    """Add, change or remove a link (predecessor UID, successor UID, type, lag in days).

    A refusal keeps what was typed and shows the error at the form (at the input it is
    about), not above the plan."""
    project, plan = _plan_or_404(request, code)
    if (refused := _reader_refused(request, project, plan)) is not None:
        return refused
    typed = {name: request.POST.get(name, "").strip() for name in ("pred", "succ", "lag_days")}
    typed["type"] = request.POST.get("type", "FS")
    remove = bool(request.POST.get("remove"))
    try:
        pred, succ, lag = _link_inputs(request.POST, remove=remove)
        data = None if remove else {"type": typed["type"], "lag": round(lag * DAY)}
        moved = services.update_link(
            actor=user_of(request), plan=plan, pred_uid=pred, succ_uid=succ, data=data
        )
    except DomainError as exc:
        if not can_edit_project(user_of(request), project):
            context = _context(request, project, plan, error=exc.message)
            return _render(request, context, status=exc.status_code)
        return _link_refused(request, project, plan, exc, typed)
    return _rescheduled(request, code, moved)


@login_required
@require_POST
def baseline_create(request: HttpRequest, code: str) -> HttpResponse:
    """Save the current dates as a baseline (0..10).

    Saving over a baseline that exists needs ``overwrite`` equal to its number: the page asks
    first ("Overwrite Approved plan, saved on ...?") and sends it once confirmed, so a page
    opened before someone else saved that number does not replace it unasked. The name is
    kept unless another is typed."""
    project, plan = _plan_or_404(request, code)
    if (refused := refuse_reader(request, project)) is not None:  # a post: the 403
        return refused
    number = as_id(request.POST.get("number", ""))
    if number is None:
        messages.error(request, _("Choose a baseline from the list."))
        return redirect("scheduling:plan_detail", code=code)
    existing = plan.baselines.filter(number=number).first()
    if existing is not None and request.POST.get("overwrite") != str(number):
        messages.error(
            request,
            _(
                "%(baseline)s, saved on %(saved)s, was not overwritten: choose it again and "
                "confirm to overwrite it."
            )
            % {
                "baseline": existing,
                "saved": timezone.localtime(existing.saved_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
        return redirect("scheduling:plan_detail", code=code)
    try:
        baseline = services.set_baseline(
            actor=user_of(request), plan=plan, number=number, name=request.POST.get("name", "")
        )
        messages.success(request, _("Baseline saved: %(name)s") % {"name": baseline})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("scheduling:plan_detail", code=code)
