"""What a scenario page's forms were opened with, and what changed in the scenario since.

Each form of a draft scenario's page that acts on the whole scenario (commit, discard,
level, move a project) posts the scenario's ``version`` and ``seen``, the newest event of
the scenario's history the page showed. A post whose version is no longer the scenario's, or
after which the history has new events (an allocation changed in the scenario does not
change the scenario's version), is out of date: it is refused with the events since, so
that nobody commits, discards, unpins or reprioritises what they never saw (issue #6).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pmo.audit.display import ShownEvent, actor_name, shown_events
from pmo.audit.last import LastChange, local_minute
from pmo.audit.models import AuditEvent
from pmo.core.models import as_id

__all__ = ["SINCE_LIMIT", "changed_since", "last_move", "refuse_stale", "seen_mark"]

SINCE_LIMIT = 10  # the newest events said; the history has them all
# a leveling run's own events (queued, cancelled, failed) change nothing in the scenario; a
# run that moves work changes the scenario's version
_NOT_CHANGES = ["resources.levelingrun"]


def _events(scenario: Any) -> Any:
    return AuditEvent.objects.filter(scope=f"scenario:{scenario.pk}").exclude(
        object_type__in=_NOT_CHANGES
    )


def seen_mark(scenario: Any) -> int:
    """The newest event of ``scenario``'s history (0 for none): what its page shows."""
    return int(_events(scenario).aggregate(newest=Max("id"))["newest"] or 0)


def last_move(scenario: Any, code: str) -> tuple[LastChange | None, bool]:
    """Who moved project ``code`` in ``scenario`` last and when (``None``: the history has no
    move of it), and whether that change or one after it also set its priority."""
    events = _events(scenario).filter(object_type="resources.scenario")
    moved = (
        events.filter(changes__has_key=f"{code}.days")
        .select_related("actor__person")
        .order_by("-id")
        .first()
    )
    if moved is None:
        return None, False
    priority = events.filter(id__gte=moved.id, changes__has_key=f"{code}.priority").exists()
    change = LastChange(event=moved, who=actor_name(moved), when=local_minute(moved.timestamp))
    return change, priority


def changed_since(request: HttpRequest, scenario: Any) -> list[str] | None:
    """None when the posted form is as up to date as ``scenario`` (or carried no version, as
    a script's post may); else what changed since it was opened, newest first, one sentence
    each (a version changed with no event said says so)."""
    version = as_id(request.POST.get("version"))
    seen = as_id(request.POST.get("seen"))
    if version is None and seen is None:
        return None
    newer = _events(scenario).filter(id__gt=seen) if seen is not None else None
    stale = version is not None and version != scenario.version
    if not stale and (newer is None or not newer.exists()):
        return None
    said: list[str] = []
    if newer is not None:
        events = list(newer.select_related("actor__person").order_by("-id")[:SINCE_LIMIT])
        for shown in shown_events(events):
            said.extend(_sentences(shown))
    return said or [
        _("The scenario was changed (your version %(yours)s, now %(current)s).")
        % {"yours": version, "current": scenario.version}
    ]


def refuse_stale(
    request: HttpRequest,
    scenario: Any,
    message: str,
    since: list[str] | None = None,
    *,
    project: str = "",
) -> HttpResponse:
    """The scenario's page again (409), up to date, saying ``message`` and listing ``since``
    (what changed since the refused form was opened); ``project`` chosen in its forms."""
    from pmo.resources.forms import CapacityChangeForm
    from pmo.resources.views.scenarios import _scenario_page  # it imports this module

    messages.error(request, message)
    return _scenario_page(
        request, scenario, CapacityChangeForm(), status=409, since=since or [], chosen=project
    )


def _sentences(shown: ShownEvent) -> list[str]:
    """One event as the refusal says it: a pin, a move and a priority of a project by name,
    anything else as the history lists it."""
    event = shown.event
    values = {
        "who": shown.actor,
        "when": date_filter(timezone.localtime(event.timestamp), "Y-m-d H:i"),
    }
    said = []
    rest = False
    if event.object_type == "resources.scenario":
        for key, pair in sorted(event.changes.items()):
            code, _dot, what = key.rpartition(".")
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, None)
            named = {**values, "code": code, "before": before or 0, "after": after or 0}
            if code and what == "pinned":
                said.append(
                    (
                        _("%(code)s was pinned by %(who)s at %(when)s.")
                        if after
                        else _("%(code)s was unpinned by %(who)s at %(when)s.")
                    )
                    % named
                )
            elif code and what == "days":
                said.append(
                    _(
                        "%(code)s was moved by %(who)s at %(when)s: %(after)s calendar days "
                        "in all (it was %(before)s)."
                    )
                    % named
                )
            elif code and what == "priority":
                said.append(
                    (
                        _("%(who)s set the priority of %(code)s to %(after)s at %(when)s.")
                        if after
                        else _("%(who)s cleared the priority of %(code)s at %(when)s.")
                    )
                    % named
                )
            else:
                rest = True
        if not rest:
            return said
    sep = pgettext("label separator", ": ")
    changes = [
        f"{c.label}{sep}{c.before} → {c.after}"
        if c.before is not None
        else f"{c.label}{sep}{c.after}"
        for c in shown.changes
    ]
    what = _("%(who)s at %(when)s: %(action)s %(object)s") % {
        **values,
        "action": event.get_action_display(),
        "object": shown.label or event.object_repr,
    }
    if changes:
        what = f"{what}{sep}{pgettext('list of problems', '; ').join(changes)}"
    return [*said, what]
