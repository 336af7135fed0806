"""Web pages of governance: steering committee meetings. Thin: read via selectors, write
via services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, FieldError, NotFoundError, ValidationFailed
from pmo.core.http import posted_version
from pmo.governance import selectors, steering
from pmo.governance.ended import ProjectEndedError
from pmo.governance.forms import (
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    add_errors_at_fields,
)
from pmo.governance.models import (
    SteeringMeeting,
)
from pmo.portfolio.access import get_visible_project

# --- steering committee -----------------------------------------------------------------------


def _require_meeting_reader(user: Any) -> None:
    if not user.reads_whole_portfolio:
        raise PermissionDenied(
            _("steering meetings span the whole portfolio: they are for those who read all of it")
        )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_meeting_reader(user)
    form = MeetingForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = steering.create_meeting(actor=user, data=form.cleaned_data)
        except DomainError as exc:
            add_errors_at_fields(form, exc.errors or [{"field": "", "message": exc.message}])
        else:
            return redirect("governance:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "governance/steeringmeeting_list.html",
        {"meetings": SteeringMeeting.objects.all()[:100], "form": form, "can_plan": user.is_pmo},
    )


AGENDA_PER_TOPIC = 50
"""Lines of each agenda topic shown before "show all" (big portfolios' agendas run long)."""


def _with_more_lines(page: selectors.AgendaPage) -> list[dict[str, Any]]:
    """The shown lines, each topic followed by a "N more" line when some are not shown."""
    last = {item.kind: i for i, item in enumerate(page.items)}
    rows: list[dict[str, Any]] = []
    for i, item in enumerate(page.items):
        rows.append({"item": item})
        if last[item.kind] == i and page.hidden.get(item.kind):
            rows.append({"more": page.hidden[item.kind], "kind": item.get_kind_display()})
    return rows


def _record_outcome(user: Any, meeting: SteeringMeeting, form: OutcomeForm) -> bool:
    """Record the outcome of a valid form; otherwise put the errors at its fields."""
    data = form.cleaned_data
    try:
        project = get_visible_project(user, data["project"])
    except NotFoundError as exc:
        form.add_error("project", exc.message)
        return False
    try:
        steering.record_outcome(
            actor=user,
            meeting=meeting,
            project=project,
            kind=data["kind"],
            title=data["title"],
            due_date=data["due_date"],
        )
    except (FieldError, ValidationFailed, ProjectEndedError) as exc:
        add_errors_at_fields(form, exc.errors)
        return False
    return True


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = user_of(request)
    _require_meeting_reader(user)
    meeting = SteeringMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("no such meeting")
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes})
    outcome_form = OutcomeForm()
    action = request.POST.get("action")
    try:
        if request.method == "POST" and action == "minutes":
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                steering.update_meeting(
                    actor=user,
                    meeting=meeting,
                    data=minutes_form.cleaned_data,
                    version=posted_version(request),
                )
                messages.success(request, _("Minutes saved."))
                return redirect("governance:meeting_detail", meeting_id=meeting.pk)
        elif request.method == "POST" and action == "outcome":
            outcome_form = OutcomeForm(request.POST)
            if outcome_form.is_valid() and _record_outcome(user, meeting, outcome_form):
                messages.success(request, _("Recorded in the project's RAID log."))
                return redirect("governance:meeting_detail", meeting_id=meeting.pk)
        elif request.method == "POST" and action == "agenda":
            steering.regenerate_agenda(actor=user, meeting=meeting)
            return redirect("governance:meeting_detail", meeting_id=meeting.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    show_all = request.GET.get("all") == "1"
    page = selectors.agenda_page(meeting, None if show_all else AGENDA_PER_TOPIC)
    return render(
        request,
        "governance/steeringmeeting_detail.html",
        {
            "meeting": meeting,
            "agenda": _with_more_lines(page),
            "agenda_total": page.total,
            "agenda_cut": bool(page.hidden),
            "agenda_ended": page.ended,
            "held": meeting.date < timezone.localdate(),
            "show_all": show_all,
            "outcomes": list(meeting.outcomes.select_related("project")),
            "minutes_form": minutes_form,
            "outcome_form": outcome_form,
            "can_edit": user.is_pmo,
        },
    )
