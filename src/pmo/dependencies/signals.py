"""Keep dependency statuses current when a milestone, gate or plan task on either side of a
link moves."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.db.models.signals import post_save

__all__ = ["connect"]


def _refresh_links_of(**side: Any) -> None:
    """Refresh the open links whose supplier *or* consumer side is ``side`` (one keyword:
    ``milestone=``, ``gate=`` or ``task__plan=``): the agreed date is held against the
    supplier's date and the margin against both sides' dates."""
    from pmo.dependencies.models import Dependency
    from pmo.dependencies.status import AUTOMATIC_STATUSES, refresh_dependency_status

    ((name, value),) = side.items()
    deps = list(
        Dependency.objects.filter(
            Q(**{f"supplier_{name}": value}) | Q(**{f"consumer_{name}": value}),
            status__in=AUTOMATIC_STATUSES,
        ).only("pk")
    )
    if deps:
        refresh_dependency_status(deps)


def _milestone_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    _refresh_links_of(milestone=instance)


def _gate_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A gate's forecast or actual date moved (review scheduled, gate passed or recycled)."""
    _refresh_links_of(gate=instance)


def _plan_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A recomputed plan (its computed dates are written before the plan row) may move
    supplier tasks past their agreed dates, or either side's tasks closer together."""
    _refresh_links_of(task__plan=instance)


def _scenario_committed(
    sender: Any,
    scenario: Any,
    actor: Any,
    plans_to_change: list[str],
    allocations_changed: dict[str, int] | None = None,
    allocations_end: dict[str, Any] | None = None,
    **kwargs: Any,
) -> None:
    """A committed capacity scenario moved work of these projects: the managers of those
    whose schedules it moved are asked to change their plans to match (schedules are theirs,
    ADR 0006); the others are told their allocations changed, and when the work now runs
    past the project's forecast finish."""
    from django.utils.translation import gettext_lazy as _

    from pmo.dependencies.notifications import manager_user
    from pmo.dependencies.services import notify
    from pmo.portfolio.models import Project

    changed, ends = allocations_changed or {}, allocations_end or {}
    projects = Project.objects.filter(code__in={*plans_to_change, *changed}).select_related(
        "manager__user"
    )
    for project in projects:
        manager = manager_user(project)
        if manager is None or manager == actor:
            continue
        params = {"scenario": scenario.name, "project": project.code}
        if project.code in plans_to_change:
            notify(
                [manager],
                _(
                    "Scenario %(scenario)s was committed and moved work of %(project)s's plan: "
                    "open it to move the plan's tasks to its dates"
                ),
                params,
                url=f"/resources/scenarios/{scenario.pk}/",
            )
            continue
        params["count"] = changed[project.code]
        last, finish = ends.get(project.code), project.forecast_finish
        if last is not None and finish is not None and last > finish:
            message = _(
                "Scenario %(scenario)s was committed and changed allocations of %(project)s "
                "(%(count)s): they now run to %(last)s, after its forecast finish %(finish)s"
            )
            params.update(last=last.isoformat(), finish=finish.isoformat())
        else:
            message = _(
                "Scenario %(scenario)s was committed and changed allocations of %(project)s "
                "(%(count)s)"
            )
        notify([manager], message, params, url=f"/projects/{project.code}/staffing/")


def _project_ended(sender: Any, project: Any, actor: Any, day: Any, **kwargs: Any) -> None:
    """A closed or cancelled project's open change requests are withdrawn. A cancelled one
    also breaks what it was to supply and no longer needs what it needed, and its manager is
    told (a closed one delivered: its dependencies stay as they are, and closing is its
    manager's own step at the closure gate; ADR 0005)."""
    from pmo.dependencies.changes.ending import withdraw_for_ended_project
    from pmo.dependencies.services import follow_cancelled_project, tell_cancelled_manager
    from pmo.portfolio.models import ProjectState

    withdraw_for_ended_project(actor=actor, project=project, day=day)
    if project.state == ProjectState.CANCELLED:
        follow_cancelled_project(actor=actor, project=project)
        tell_cancelled_manager(actor=actor, project=project, day=day)


def _reports_reminded(sender: Any, reminders: list[Any], actor: Any, **kwargs: Any) -> None:
    """The PMO (or the scheduled reminder) chased missing status reports: each reminded
    manager is told in the app, in their language, with a link to write the report."""
    from django.utils.translation import gettext_lazy as _

    from pmo.dependencies.notifications import notify, person_of

    for reminder in reminders:
        manager = reminder.manager.user if reminder.manager is not None else None
        params: dict[str, Any] = {"project": reminder.project.code, "period": reminder.period}
        if actor is not None:
            params["who"] = person_of(actor)
            message = _(
                "%(who)s reminds you that the %(period)s status report of %(project)s is "
                "missing: please write and submit it"
            )
        else:
            message = _(
                "Reminder: the %(period)s status report of %(project)s is missing: please "
                "write and submit it"
            )
        notify([manager], message, params, url=f"/projects/{reminder.project.code}/reports/new/")


def _review_submitted(
    sender: Any, deciders: list[Any], message: Any, params: dict[str, Any], url: str, **kwargs: Any
) -> None:
    """A gate review was submitted for decision: each of its deciders is told in the app."""
    from pmo.dependencies.notifications import notify

    notify(deciders, message, params, url=url)


def _review_back_to_preparation(
    sender: Any, deciders: list[Any], message: Any, params: dict[str, Any], url: str, **kwargs: Any
) -> None:
    """A change of its checklist took a review submitted for decision back to preparation:
    each of its deciders is told who did and why (what they were handed is not what they
    would decide on now)."""
    from pmo.dependencies.notifications import notify

    notify(deciders, message, params, url=url)


def _requests_listed(
    rows: list[Any], most: int = 5, asked: dict[int, dict[str, Any]] | None = None
) -> str:
    """The first ``most`` requests by resource code, dates and FTE (the same in every
    language; ``old → new`` where the decider changed what was ``asked``), then how many
    more: what was decided, since the declined rows are gone."""
    from pmo.resources.services.request_news import figure_parts, figures

    asked = asked or {}
    named = [
        " ".join(text for text, _changed in figure_parts(figures(r), asked.get(r.pk)))
        for r in sorted(rows, key=lambda r: (r.first, r.pk))[:most]
    ]
    if len(rows) > most:
        named.append(f"+{len(rows) - most}")
    return "; ".join(named)


def _requests_decided(
    sender: Any,
    actor: Any,
    committed: list[Any],
    declined: list[Any],
    reason: str,
    asked: dict[int, dict[str, Any]] | None = None,
    **kwargs: Any,
) -> None:
    """A resource manager committed or declined requests (proposed allocations): each
    project's manager is told once per outcome, the request named when it is one, with the
    reason of a decline (the declined rows are gone; the notification and the audit trail
    keep them), and what the decider changed of what was ``asked`` before committing."""
    from django.utils.translation import gettext_lazy as _

    from pmo.dependencies.notifications import manager_user, notify, person_of
    from pmo.resources.services.request_news import changes_text, figures, fte_text

    who = person_of(actor)
    asked = asked or {}
    for rows, one, many in (
        (
            committed,
            _(
                "%(who)s committed the request of %(project)s for %(resource)s "
                "(%(first)s to %(last)s, %(fte)s FTE)"
            ),
            _("%(who)s committed %(count)s requests of %(project)s: %(list)s"),
        ),
        (
            declined,
            _(
                "%(who)s declined the request of %(project)s for %(resource)s "
                "(%(first)s to %(last)s, %(fte)s FTE): %(reason)s"
            ),
            _("%(who)s declined %(count)s requests of %(project)s (%(list)s): %(reason)s"),
        ),
    ):
        by_project: dict[Any, list[Any]] = {}
        for allocation in rows:
            by_project.setdefault(allocation.project, []).append(allocation)
        for project, mine in by_project.items():
            manager = manager_user(project)
            if manager is None or manager == actor:
                continue
            params: dict[str, Any] = {"who": who, "project": project.code, "reason": reason}
            changed = sum(a.pk in asked for a in mine) if rows is committed else 0
            if len(mine) == 1:
                (row,) = mine
                params.update(
                    resource=row.resource,
                    first=row.first.isoformat(),
                    last=row.last.isoformat(),
                    fte=fte_text(row.fte),
                )
                message = one
                if changed:
                    params["changes"] = changes_text(figures(row), asked[row.pk])
                    message = _(
                        "%(who)s committed the request of %(project)s for %(resource)s with "
                        "changes: %(changes)s"
                    )
            else:
                params.update(count=len(mine), list=_requests_listed(mine, asked=asked))
                message = many
                if changed:
                    params["changed"] = changed
                    message = _(
                        "%(who)s committed %(count)s requests of %(project)s, %(changed)s of "
                        "them with changes: %(list)s"
                    )
            notify([manager], message, params, url=f"/projects/{project.code}/staffing/")


def _resource_managers(resource: Any, actor: Any) -> list[Any]:
    """Who decides requests for ``resource``: the active users of the resource-manager role
    whose person is of its org unit or of one above it; when none is (or it has no org
    unit), every one of them. Not the PMO (the heat map counts the requests for them), not
    ``actor``."""
    from pmo.accounts.models import OrgUnit, Role, User

    managers = User.objects.filter(role=Role.RESOURCE_MANAGER, is_active=True).exclude(pk=actor.pk)
    path = (
        OrgUnit.objects.filter(pk=resource.org_unit_id).values_list("path", flat=True).first()
        if resource.org_unit_id
        else None
    )
    units = [int(pk) for pk in (path or "").strip("/").split("/") if pk.isdigit()]
    near = list(managers.filter(person__org_unit_id__in=units)) if units else []
    return near or list(managers)


def _request_proposed(
    sender: Any, actor: Any, allocation: Any, before: dict[str, Any] | None, **kwargs: Any
) -> None:
    """A project's manager proposed an allocation, or changed a proposal's resource, dates or
    FTE: the resource managers responsible for the resource are told once, with who asked
    and a link to the project's requests."""
    from django.utils.translation import gettext_lazy as _

    from pmo.dependencies.notifications import notify, person_of
    from pmo.resources.services.request_news import changes_text, figures, fte_text

    project = allocation.project
    params: dict[str, Any] = {
        "who": person_of(actor),
        "project": project.code,
        "resource": allocation.resource,
        "first": allocation.first.isoformat(),
        "last": allocation.last.isoformat(),
        "fte": fte_text(allocation.fte),
    }
    if before is None:
        message = _(
            "%(who)s asks for %(resource)s on %(project)s (%(first)s to %(last)s, %(fte)s "
            "FTE): commit or decline the request"
        )
    else:
        params["changes"] = changes_text(figures(allocation), before)
        message = _(
            "%(who)s changed the request of %(project)s for %(resource)s: %(changes)s; commit "
            "or decline it"
        )
    notify(
        _resource_managers(allocation.resource, actor),
        message,
        params,
        url=f"/resources/requests/?{urlencode({'project': project.code})}",
    )


def connect() -> None:
    """Called once from ``DependenciesConfig.ready()``."""
    from pmo.governance.models import ProjectGate
    from pmo.governance.signals import review_back_to_preparation, review_submitted
    from pmo.portfolio.models import Milestone
    from pmo.portfolio.signals import project_ended, reports_reminded
    from pmo.resources.signals import request_proposed, requests_decided, scenario_committed
    from pmo.scheduling.models import Plan

    post_save.connect(_milestone_saved, sender=Milestone, dispatch_uid="dependencies.milestone")
    post_save.connect(_gate_saved, sender=ProjectGate, dispatch_uid="dependencies.gate")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="dependencies.plan")
    scenario_committed.connect(_scenario_committed, dispatch_uid="dependencies.scenario")
    requests_decided.connect(_requests_decided, dispatch_uid="dependencies.requests")
    request_proposed.connect(_request_proposed, dispatch_uid="dependencies.request_proposed")
    project_ended.connect(_project_ended, dispatch_uid="dependencies.project_ended")
    reports_reminded.connect(_reports_reminded, dispatch_uid="dependencies.reports_reminded")
    review_submitted.connect(_review_submitted, dispatch_uid="dependencies.review_submitted")
    review_back_to_preparation.connect(
        _review_back_to_preparation, dispatch_uid="dependencies.review_back_to_preparation"
    )
