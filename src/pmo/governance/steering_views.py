"""Web pages of governance: steering committee meetings. Thin: read via selectors, write
via services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pmo.accounts.models import user_of
from pmo.core.errors import DomainError, FieldError, NotFoundError, ValidationFailed
from pmo.core.http import posted_version
from pmo.core.models import as_id
from pmo.governance import selectors, steering, steering_edit
from pmo.governance.ended import ProjectEndedError
from pmo.governance.forms import (
    MeetingForm,
    MinutesForm,
    OutcomeForm,
    add_errors_at_fields,
)
from pmo.governance.meetings import AgendaSection
from pmo.governance.models import (
    SteeringMeeting,
)
from pmo.governance.steering_forms import AgendaLineForm
from pmo.portfolio.access import get_visible_project

# --- steering committee -----------------------------------------------------------------------


def _require_meeting_reader(user: Any) -> None:
    if not user.reads_whole_portfolio:
        raise PermissionDenied(
            _("steering meetings span the whole portfolio: they are for those who read all of it")
        )


def _refuse_post_unless_pmo(request: HttpRequest, user: Any) -> None:
    """A post of someone who may only read the meetings is a 403 (the pages show them no
    form): the service's words, before any form is read."""
    if request.method == "POST" and not user.is_pmo:
        raise PermissionDenied(_("only the PMO prepares steering committee meetings"))


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_meeting_reader(user)
    _refuse_post_unless_pmo(request, user)
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
        bounds = page.sections.get(item.section, (0, 0, 0))
        rows.append(
            {"item": item, "first": item.number == bounds[1], "last": item.number == bounds[2]}  # type: ignore[attr-defined]
        )
        if last[item.kind] == i and page.hidden.get(item.kind):
            rows.append({"more": page.hidden[item.kind], "kind": item.get_kind_display()})
    return rows


def _sections(page: selectors.AgendaPage) -> list[dict[str, Any]]:
    """The agenda's sections with lines, in order: to decide, to watch, for information."""
    rows = _with_more_lines(page)
    labels = dict(AgendaSection.choices)
    found = []
    for key, (count, _first, _last) in page.sections.items():
        mine, current = [], None
        for row in rows:
            if "item" in row:
                current = row["item"].section
            if current == key:
                mine.append(row)
        found.append({"key": key, "label": labels[key], "count": count, "rows": mine})
    return found


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


def _edit_agenda(
    request: HttpRequest, user: Any, meeting: SteeringMeeting
) -> tuple[str, str] | None:
    """Remove or move the line a button of the agenda names (``remove:12``, ``up:12``,
    ``down:12``); the confirmation to show and where the page opens (the moved line, so
    the next move is a click away), or ``None`` when the button is unknown."""
    op, _sep, key = request.POST.get("line", "").partition(":")
    line_id = as_id(key)
    line = meeting.agenda.filter(pk=line_id).first() if line_id is not None else None
    if line is None or op not in ("remove", "up", "down"):
        return None
    version = posted_version(request)
    if op == "remove":
        steering_edit.remove_agenda_line(
            actor=user, meeting=meeting, line_id=line.pk, version=version
        )
        return _("Line %(number)s removed from the agenda.") % {"number": line.order + 1}, ""
    order = line.order - 1 if op == "up" else line.order + 1
    steering_edit.move_agenda_line(
        actor=user, meeting=meeting, line_id=line.pk, order=order, version=version
    )
    moved = _("Line %(old)s is now line %(new)s.") % {"old": line.order + 1, "new": order + 1}
    return moved, f"#line-{line.pk}"


def _add_line(user: Any, meeting: SteeringMeeting, form: AgendaLineForm, version: Any) -> bool:
    """Add the line of a valid form; otherwise put the errors at its fields."""
    data = form.cleaned_data
    try:
        steering_edit.add_agenda_line(
            actor=user,
            meeting=meeting,
            title=data["title"],
            project=data["project"],
            section=data["section"],
            version=version,
        )
    except (FieldError, ValidationFailed, ProjectEndedError) as exc:
        add_errors_at_fields(form, exc.errors)
        return False
    return True


def _details_form(meeting: SteeringMeeting, data: Any, date_fixed: str | None) -> MeetingForm:
    """The meeting's title, date, window and place. A held meeting's date reads read-only
    with the reason (:func:`steering.date_fixed_reason`); ``readonly``, not ``disabled``,
    so the date is posted as it was and a change that slipped through is refused by the
    service at the field."""
    form = MeetingForm(
        data,
        prefix="meeting",
        initial={
            "title": meeting.title,
            "date": meeting.date,
            "window_days": meeting.window_days,
            "location": meeting.location,
        },
    )
    if date_fixed:
        form.fields["date"].widget.attrs.update(
            {"readonly": True, "aria-describedby": "date-fixed"}
        )
    return form


def _save_details(user: Any, meeting: SteeringMeeting, form: MeetingForm, version: Any) -> bool:
    try:
        steering.update_meeting(
            actor=user, meeting=meeting, data=form.cleaned_data, version=version
        )
    except (FieldError, ValidationFailed) as exc:
        add_errors_at_fields(form, exc.errors)
        if any(e.get("field") == "date" for e in exc.errors) and form.fields[
            "date"
        ].widget.attrs.get("readonly"):
            data = dict(form.data.items())  # the read-only field shows the date it keeps
            data[form.add_prefix("date")] = f"{meeting.date:%Y-%m-%d}"
            form.data = data
        return False
    return True


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = user_of(request)
    _require_meeting_reader(user)
    _refuse_post_unless_pmo(request, user)
    meeting = SteeringMeeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("no such meeting")
    minutes_form = MinutesForm(initial={"minutes": meeting.minutes})
    date_fixed = steering.date_fixed_reason(meeting)
    details_form = _details_form(meeting, None, date_fixed)
    outcome_form = OutcomeForm()
    line_form = AgendaLineForm()
    action = request.POST.get("action")
    here = reverse("governance:meeting_detail", kwargs={"meeting_id": meeting.pk})
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
                return redirect(here)  # the confirmation shows at the top
        elif request.method == "POST" and action == "details":
            details_form = _details_form(meeting, request.POST, date_fixed)
            if details_form.is_valid() and _save_details(
                user, meeting, details_form, posted_version(request)
            ):
                messages.success(request, _("Meeting details saved."))
                return redirect(here)
        elif request.method == "POST" and action == "outcome":
            outcome_form = OutcomeForm(request.POST)
            if outcome_form.is_valid() and _record_outcome(user, meeting, outcome_form):
                messages.success(request, _("Recorded in the project's RAID log."))
                return redirect(here)
        elif request.method == "POST" and action == "agenda":
            steering.regenerate_agenda(actor=user, meeting=meeting)
            messages.success(
                request,
                _("Agenda drawn up again from the portfolio; the lines added by hand are kept."),
            )
            return redirect(here)
        elif request.method == "POST" and action == "agenda_line":
            done = _edit_agenda(request, user, meeting)
            if done is None:
                messages.error(
                    request, _("This page is out of date or damaged: reload it and retry.")
                )
                return redirect(here)
            messages.success(request, done[0])
            return redirect(here + done[1])
        elif request.method == "POST" and action == "agenda_add":
            line_form = AgendaLineForm(request.POST)
            version = posted_version(request)
            if line_form.is_valid() and _add_line(user, meeting, line_form, version):
                messages.success(request, _("Line added to the agenda."))
                return redirect(here)
    except DomainError as exc:
        messages.error(request, exc.message)
    show_all = request.GET.get("all") == "1"
    page = selectors.agenda_page(meeting, None if show_all else AGENDA_PER_TOPIC)
    held = meeting.date < timezone.localdate()
    return render(
        request,
        "governance/steeringmeeting_detail.html",
        {
            "meeting": meeting,
            "sections": _sections(page),
            "agenda_total": page.total,
            "agenda_cut": bool(page.hidden),
            "agenda_ended": page.ended,
            "held": held,
            "show_all": show_all,
            "outcomes": list(meeting.outcomes.select_related("project")),
            "minutes_form": minutes_form,
            "details_form": details_form,
            "date_fixed": date_fixed,
            "outcome_form": outcome_form,
            "line_form": line_form,
            "can_edit": user.is_pmo,
            "can_edit_agenda": user.is_pmo and not held,
        },
    )
