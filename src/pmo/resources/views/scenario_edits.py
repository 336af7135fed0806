"""Changing a draft scenario: move a project, change capacity, refresh it from the
current plan, reset one project, commit or discard it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from pmo.accounts.models import user_of
from pmo.core.errors import ConflictError, DomainError, FieldError
from pmo.core.http import posted_version
from pmo.core.sentences import join_sentences
from pmo.portfolio.access import get_visible_project
from pmo.resources import refresh, selectors, services
from pmo.resources.forms import CapacityChangeForm
from pmo.resources.models import ProjectShift, Scenario
from pmo.resources.services.capacity import Carved
from pmo.resources.views.capacity import carved_sentences, saved_message, show_overlap
from pmo.resources.views.common import _scenario, refuse_non_manager
from pmo.resources.views.scenario_pickers import in_scenario, not_in_scenario, picked
from pmo.resources.views.scenario_seen import changed_since, last_move, refuse_stale
from pmo.resources.views.scenarios import _scenario_page

__all__ = [
    "scenario_capacity",
    "scenario_close",
    "scenario_refresh",
    "scenario_reset",
    "scenario_shift",
]


@login_required
@require_POST
def scenario_shift(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a project (and change its priority) in a scenario; say what changed.

    The page's form sets the project's move in all (``in_all``: its box shows the move as
    the page was opened, ``opened_days`` of ``opened_project``): entered twice, it moves the
    project once. A box left as shown (or empty) leaves the move alone; a box typed over a
    move someone else changed since is refused, and so is a priority from an out-of-date page
    (the scenario's ``version`` and ``seen``), and a box that still showed the move of the
    project chosen before another was typed in the picker (no script: it followed no pick).
    A post without ``in_all`` moves by ``days``. The project is the picker's
    (:func:`.scenario_pickers.picked`)."""
    scenario = _scenario(request, str(pk))
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[pk]))  # a post: 403
    user = user_of(request)
    # the project picked, or what was typed in the picker's box (no script)
    chose = picked(request, "project")
    refused = chose.error or ("" if chose.code else _("Choose a project."))
    if not refused and not in_scenario(scenario, chose.code):
        refused = not_in_scenario(chose.code)  # no work here: a move would change nothing
    if refused:
        messages.error(request, _("The project was not moved: correct the form below."))
        return _scenario_page(
            request,
            scenario,
            CapacityChangeForm(),
            status=422,
            errors={"shift": refused},
            typed={"shift": request.POST.get("project_text", "")},
            move_days=request.POST.get("days", "").strip() if "days" in request.POST else None,
        )
    code = chose.code
    here = (
        f"{reverse('resources:scenario_detail', args=[scenario.pk])}?{urlencode({'project': code})}"
    )
    try:
        project = get_visible_project(user, code)
        typed_days = request.POST.get("days", "").strip()
        days = int(typed_days or 0)
        priority = request.POST.get("priority")
        in_all = request.POST.get("in_all") == "1"
        before = (
            ProjectShift.objects.filter(scenario=scenario, project=project)
            .values_list("days", flat=True)
            .first()
            or 0
        )
        if in_all:
            shown = request.POST.get("opened_days", "").strip()
            opened = int(shown or 0)
            same = request.POST.get("opened_project") == project.code
            if not typed_days or (same and days == opened):
                # left empty or as shown: the move stays as it is now (set again, the total
                # would put rows leveling delayed back at the plan's dates plus it)
                days, in_all = 0, False
            elif same and opened != before:
                return refuse_stale(
                    request,
                    scenario,
                    _moved_meanwhile(scenario, project.code, before, opened),
                    changed_since(request, scenario),
                    project=project.code,
                )
            elif shown and days == opened and opened != before:
                # another project was chosen without script: the box still showed the move
                # of the one chosen first, so whether it was meant for this one is unknown
                messages.error(
                    request,
                    _(
                        "The days box showed the move of %(shown_code)s (%(shown)s days), not "
                        "of %(code)s: nothing was changed. The move in all of %(code)s is in "
                        "the box now; enter the days again."
                    )
                    % {
                        "shown_code": request.POST.get("opened_project", ""),
                        "shown": opened,
                        "code": project.code,
                    },
                )
                return redirect(here)
        if priority and (since := changed_since(request, scenario)) is not None:
            return refuse_stale(
                request,
                scenario,
                _(
                    "The scenario changed since you opened the page: nothing was changed. "
                    "Check what changed, then set the priority again."
                ),
                since,
                project=project.code,
            )
        rows = selectors.list_allocations(scenario_id=scenario.pk).filter(project=project)
        dates = dict(rows.values_list("pk", "first"))  # the flash counts the rows moved
        shift = services.shift_project(
            actor=user,
            scenario=scenario,
            project=project,
            days=days,
            priority=int(priority) if priority else None,
            total=in_all,
            version=posted_version(request) if priority else None,
        )
    except ValueError:
        messages.error(request, _("Enter a whole number of days."))
        return redirect(here)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(here)
    moved = sum(1 for pk, first in rows.values_list("pk", "first") if dates.get(pk) != first)
    for message in _shift_messages(
        project.code, shift.days - before, shift.priority if priority else None, moved, shift.days
    ):
        messages.success(request, message)
    return redirect(here)


def _moved_meanwhile(scenario: Scenario, code: str, days: int, shown: int) -> str:
    """Why a Move project was refused: someone else moved ``code`` to ``days`` in all since
    the page showed ``shown``, named with when (the scenario's history) and, when they also
    set it, the project's priority now."""
    change, priority_changed = last_move(scenario, code)
    if change is None:
        return _(
            "%(code)s was moved %(days)s calendar days in all by someone else "
            "since you opened the page (the box showed %(shown)s): nothing was "
            "changed. Its move in all is in the box now; enter yours again."
        ) % {"code": code, "days": days, "shown": shown}
    said = [
        _(
            "%(code)s was moved by %(who)s at %(when)s to %(days)s calendar days in all since "
            "you opened the page (the box showed %(shown)s): nothing was changed. Its move in "
            "all is in the box now; enter yours again."
        )
        % {"code": code, "days": days, "shown": shown, **change.named()}
    ]
    if priority_changed:
        priority = (
            ProjectShift.objects.filter(scenario=scenario, project__code=code)
            .values_list("priority", flat=True)
            .first()
        )
        said.append(
            _("Its priority in this scenario is %(priority)s now (1 = highest, 5 = lowest).")
            % {"priority": priority}
            if priority
            else _("Its priority in this scenario was cleared.")
        )
    return join_sentences(said)


def _shift_messages(
    code: str, days: int, priority: int | None, count: int, total: int = 0
) -> list[str]:
    """What a Move project did, for the flash: the move, the ``count`` allocations it moved
    (a total after leveling moves only the rows not already there), and the priority set;
    when nothing changed, the move in all (``total``) the project keeps, if any."""
    said = []
    if days:
        moved = (
            ngettext(
                "%(code)s moved %(days)s calendar day later.",
                "%(code)s moved %(days)s calendar days later.",
                days,
            )
            if days > 0
            else ngettext(
                "%(code)s moved %(days)s calendar day earlier.",
                "%(code)s moved %(days)s calendar days earlier.",
                -days,
            )
        ) % {"code": code, "days": abs(days)}
        changed = ngettext(
            "%(count)s allocation changed.", "%(count)s allocations changed.", count
        ) % {"count": count}
        said.append(join_sentences([moved, changed]))
    if priority:
        said.append(
            _("Priority of %(code)s set to %(priority)s (1 = highest, 5 = lowest).")
            % {"code": code, "priority": priority}
        )
    if said:
        return said
    if total:  # the box showed the move it has: saved again as it was
        return [
            ngettext(
                "Nothing changed: %(code)s already moves %(days)s calendar day in this "
                "scenario. Enter other days to move it by, or a priority.",
                "Nothing changed: %(code)s already moves %(days)s calendar days in this "
                "scenario. Enter other days to move it by, or a priority.",
                abs(total),
            )
            % {"code": code, "days": f"{total:+d}"}
        ]
    return [_("Nothing changed: enter days to move the project by, or a priority.")]


@login_required
@require_POST
def scenario_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a resource's capacity for a window in a scenario (e.g. hire, leave); a refused
    change comes back as the page with the form's values and errors beside its fields."""
    scenario = _scenario(request, str(pk))
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[pk]))  # a post: 403
    form = CapacityChangeForm(request.POST)
    status = 422
    if form.is_valid():
        data = dict(form.cleaned_data)  # add_error takes a field out of cleaned_data
        carved: list[Carved] = []
        try:
            change = services.add_capacity_change(
                actor=user_of(request),
                resource=data["resource"],
                first=data["first"],
                last=data["last"],
                fte=data["fte"],
                reason=data["reason"],
                scenario=scenario,
                replace_overlap=data["replace_overlap"],
                seen=data["seen"],
                carved=carved,
            )
        except FieldError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, exc.errors[0]["message"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status_code if exc.status_code == 409 else 422
        else:
            said = [saved_message(data["resource"], change), *carved_sentences(carved)]
            messages.success(request, join_sentences(said))
            return redirect("resources:scenario_detail", pk=scenario.pk)
        show_overlap(form, data["resource"], scenario, data)
    messages.error(request, _("The capacity was not changed: correct the form below."))
    return _scenario_page(request, scenario, form, status=status)


@login_required
@require_POST
def scenario_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Refresh a draft scenario from the current plan; the page lists what was dropped."""
    scenario = _scenario(request, str(pk))
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[pk]))  # a post: 403
    try:
        result = refresh.refresh_scenario(
            actor=user_of(request), scenario=scenario, version=posted_version(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("resources:scenario_detail", pk=scenario.pk)
    said = _("Refreshed from the current plan: %(kept)s of the scenario's changes kept.") % {
        "kept": result.kept
    }
    if result.dropped:
        dropped = ngettext(
            "%(count)s no longer applies and was dropped (listed below).",
            "%(count)s no longer apply and were dropped (listed below).",
            len(result.dropped),
        ) % {"count": len(result.dropped)}
        said = join_sentences([said, dropped])
    messages.success(request, said)
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def scenario_reset(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Reset one project of a draft scenario to the current plan."""
    scenario = _scenario(request, str(pk))
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[pk]))  # a post: 403
    user = user_of(request)
    try:
        result = refresh.reset_project(
            actor=user,
            scenario=scenario,
            project=get_visible_project(user, code),
            version=posted_version(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("resources:scenario_detail", pk=scenario.pk)
    messages.success(
        request,
        ngettext(
            "%(code)s is as in the current plan again: %(count)s allocation copied from it.",
            "%(code)s is as in the current plan again: %(count)s allocations copied from it.",
            result.copied,
        )
        % {"code": result.project, "count": result.copied},
    )
    return redirect("resources:scenario_detail", pk=scenario.pk)


@login_required
@require_POST
def scenario_close(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Commit or discard a scenario; from an out-of-date page (its ``version`` and ``seen``,
    :mod:`.scenario_seen`) neither: the page again (409) saying what changed since."""
    if action not in ("commit", "discard"):
        raise Http404("unknown action")
    scenario = _scenario(request, str(pk))
    refuse_non_manager(request, reverse("resources:scenario_detail", args=[pk]))  # a post: 403
    user = user_of(request)
    stale = _(
        "This scenario changed since you opened the page: nothing was committed. Check what "
        "changed (listed below), then commit again."
    )
    try:
        if action == "commit":
            if (since := changed_since(request, scenario)) is not None:
                return refuse_stale(request, scenario, stale, since)
            try:
                result = services.commit_scenario(
                    actor=user, scenario=scenario, version=posted_version(request)
                )
            except ConflictError as exc:
                if exc.current_version is None:
                    raise
                scenario.refresh_from_db()
                return refuse_stale(request, scenario, stale, [exc.message])
            messages.success(request, _("Scenario committed: it is now the current plan."))
            if result.plans_to_change:
                messages.info(
                    request,
                    _("Change these plans to match the scenario: %(codes)s")
                    % {"codes": pgettext("list separator", ", ").join(result.plans_to_change)},
                )
        else:
            # as a commit: nobody discards changes made after they opened the page
            stale_discard = _(
                "This scenario changed since you opened the page: nothing was "
                "discarded. Check what changed (listed below), then discard it again "
                "if it is still not needed."
            )
            if (since := changed_since(request, scenario)) is not None:
                return refuse_stale(request, scenario, stale_discard, since)
            try:
                services.discard_scenario(
                    actor=user, scenario=scenario, version=posted_version(request)
                )
            except ConflictError as exc:
                if exc.current_version is None:
                    raise
                scenario.refresh_from_db()
                return refuse_stale(request, scenario, stale_discard, [exc.message])
            messages.success(request, _("Scenario discarded."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("resources:scenario_detail", pk=scenario.pk)
