"""Import and export use-cases: plans from and to MSPDI and XLSX, all or nothing."""

from __future__ import annotations

import re
from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from pmo.accounts.models import OrgUnit, User
from pmo.audit.models import AuditAction
from pmo.audit.services import record, snapshot
from pmo.core.errors import NotFoundError
from pmo.core.sentences import join_sentences, quoted
from pmo.interop import xlsx
from pmo.interop.errors import ImportFileError
from pmo.interop.formats import detect_format
from pmo.interop.mspdi_read import read_mspdi
from pmo.interop.mspdi_write import write_mspdi
from pmo.portfolio.models import Milestone, PmoType, Portfolio, Project
from pmo.resources.services import unmatched_plan_names
from pmo.scheduling import selectors as plan_selectors
from pmo.scheduling import services as plan_services
from pmo.scheduling.models import Plan
from pmo.scheduling.planio import PlanData

__all__ = [
    "describe_import",
    "export_msproject",
    "import_msproject",
    "import_plan_data",
    "import_reporting",
    "import_upload",
    "unknown_resources",
]

DEFAULT_PMO_TYPE = PmoType.RND
"""A project an import creates: as the New project page preselects (its first choice)."""
MAX_NAMED = 20  # resources named in the warning


def _new_project(code: str, data: PlanData) -> Project:
    """A project for a command-line import of an unknown code (first portfolio, root unit)."""
    portfolio = Portfolio.objects.order_by("code").first()
    if portfolio is None:
        raise ImportFileError(
            _(
                "project %(code)s: does not exist and there is no portfolio to create it in; "
                "create a portfolio first (admin page /admin/portfolio/portfolio/add/)"
            )
            % {"code": code},
            field="project",
        )
    unit = OrgUnit.objects.filter(parent__isnull=True).order_by("code").first()
    if unit is None:
        raise ImportFileError(
            _(
                "project %(code)s: does not exist and there is no org unit to create it in; "
                "create one first (admin page /admin/accounts/orgunit/add/ or "
                "POST /api/v1/org-units)"
            )
            % {"code": code},
            field="project",
        )
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", code):
        raise ImportFileError(
            _("project %(code)s: a code has 1-40 letters, digits, . _ or -")
            % {"code": quoted(code)},
            field="project",
        )
    start = data.start.date()
    finishes = [t.finish for t in data.tasks if t.finish is not None]
    project = Project.objects.create(
        code=code,
        name=(data.name or code)[:200],
        portfolio=portfolio,
        org_unit=unit,
        pmo_type=DEFAULT_PMO_TYPE,
        phase="planning",
        start_date=start,
        planned_finish=max(finishes).date() if finishes else None,
    )
    record(
        actor=None,
        action=AuditAction.CREATE,
        instance=project,
        scope=f"project:{project.pk}",
        changes={k: [None, v] for k, v in snapshot(project).items()},
    )
    return project


def import_plan_data(
    *,
    actor: User | None,
    data: PlanData,
    code: str | None = None,
    project: Project | None = None,
    new: bool = False,
) -> Plan:
    """Store ``data`` as the plan of ``project`` (or of project ``code``, created if new).

    ``actor`` ``None`` is the trusted command line. ``new``: project ``code`` must not exist
    yet (nor one differing by case), so that an import meant to create a project never
    replaces another's plan. All or nothing.
    """
    return _import(actor=actor, data=data, code=code, project=project, new=new).plan


def import_reporting(
    *, actor: User | None, data: PlanData, code: str, new: bool = False
) -> plan_services.PlanReplaced:
    """:func:`import_plan_data`, saying also what is odd about the plan (``warnings``)."""
    return _import(actor=actor, data=data, code=code, new=new)


def _import(
    *,
    actor: User | None,
    data: PlanData,
    code: str | None = None,
    project: Project | None = None,
    new: bool = False,
) -> plan_services.PlanReplaced:
    with transaction.atomic():
        if project is None:
            if not code:
                raise ImportFileError(_("project: a project code is required"), field="project")
            if new:
                taken = Project.objects.filter(code__iexact=code).values_list("code", flat=True)
                if (existing := taken.first()) is not None:
                    raise ImportFileError(
                        _("project %(code)s already exists") % {"code": existing},
                        field="project",
                    )
            project = None if new else Project.objects.filter(code=code).first()
            if project is None:
                if actor is not None:
                    raise NotFoundError(_("no project with code %(code)s") % {"code": quoted(code)})
                project = _new_project(code, data)
        try:
            result = plan_services.replace_plan_reporting(actor=actor, project=project, data=data)
        except plan_services.ScheduleError as exc:  # a cycle, a date past the horizon: the file's
            raise exc.blaming("file") from None
    unknown = unknown_resources(result.plan)
    return replace(result, warnings=[*result.warnings, unknown] if unknown else result.warnings)


def unknown_resources(plan: Plan) -> str:
    """A warning naming the plan's assigned resources that match no resource of the capacity
    plan (by code or name, as the schedule's demand is booked): their work is not demand
    (README, capacity step 6). Empty when every name matches."""
    assigned = plan.resources.filter(assignments__isnull=False).distinct()
    names = unmatched_plan_names(assigned.values_list("name", flat=True))
    if not names:
        return ""
    shown = pgettext("list of names", ", ").join(quoted(n) for n in names[:MAX_NAMED])
    if len(names) > MAX_NAMED:
        shown = _("%(names)s and %(more)s more") % {"names": shown, "more": len(names) - MAX_NAMED}
    return ngettext(
        "%(n)s resource of the plan matches no resource of the capacity plan by code or name, "
        "so its work is not counted as demand: %(names)s.",
        "%(n)s resources of the plan match no resource of the capacity plan by code or name, "
        "so their work is not counted as demand: %(names)s.",
        len(names),
    ) % {"n": len(names), "names": shown}


def import_upload(
    *, actor: User, project: Project, content: bytes, filename: str = ""
) -> plan_services.PlanReplaced:
    """Import an uploaded MS Project XML file or XLSX workbook as the project's plan: the file's
    first bytes (else its extension) say which, whatever format a form had selected."""
    if detect_format(content, filename) == "xlsx":
        data = xlsx.read_xlsx(content)
    else:
        data = read_mspdi(content)
    return _import(actor=actor, data=data, project=project)


def _names(milestones: list[Milestone]) -> str:
    """``“Audit” (“审计”), “Sign-off”``: each name, and its Chinese one when it has one."""
    return pgettext("list of names", ", ").join(
        f"{quoted(m.name)} ({quoted(m.name_zh)})" if m.name_zh else quoted(m.name)
        for m in milestones
    )


def describe_import(result: plan_services.PlanReplaced) -> str:
    """What an import did, for the page: the tasks, and the milestones that went with it."""
    sentences = [_("Imported %(n)s tasks.") % {"n": result.tasks}]
    if result.by_hand:
        sentences.append(
            ngettext(
                "%(n)s milestone entered by hand was replaced by the plan's: %(names)s.",
                "%(n)s milestones entered by hand were replaced by the plan's: %(names)s.",
                len(result.by_hand),
            )
            % {"n": len(result.by_hand), "names": _names(result.by_hand)}
        )
    if result.dropped:
        sentences.append(
            ngettext(
                "%(n)s milestone of the replaced plan is not in the new one and was removed: "
                "%(names)s.",
                "%(n)s milestones of the replaced plan are not in the new one and were removed: "
                "%(names)s.",
                len(result.dropped),
            )
            % {"n": len(result.dropped), "names": _names(result.dropped)}
        )
    return join_sentences(sentences)


def import_msproject(
    *,
    actor: User | None,
    content: bytes,
    code: str | None = None,
    project: Project | None = None,
    new: bool = False,
) -> Plan:
    """Import an MSPDI file as the project's plan (see :func:`import_plan_data`)."""
    return import_plan_data(
        actor=actor, data=read_mspdi(content), code=code, project=project, new=new
    )


def export_msproject(plan: Plan) -> bytes:
    """The plan as an MSPDI document."""
    return write_mspdi(plan_selectors.plan_data(plan))
