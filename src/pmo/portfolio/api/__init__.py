"""REST endpoints of the status center; thin: parse, call a service or selector, serialise."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from pmo.accounts.models import user_of
from pmo.audit.selectors import list_events
from pmo.core.api import Pages
from pmo.core.errors import NotFoundError
from pmo.core.sentences import quoted
from pmo.portfolio import selectors, services
from pmo.portfolio.access import get_visible_project
from pmo.portfolio.api.lookup import router as lookup_router
from pmo.portfolio.api.rates import router as rates_router
from pmo.portfolio.api.reminders import router as reminders_router
from pmo.portfolio.api.schemas import (
    RAID_SCHEMAS,
    AuditEventOut,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    ProjectFilters,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    StatusReportIn,
    StatusReportOut,
    StatusReportPatch,
    SubmitIn,
    report_data,
)
from pmo.portfolio.api.structure import router as structure_router
from pmo.portfolio.models import Project, StatusReport
from pmo.portfolio.raid import RAID_MODELS

router = Router(tags=["projects"])


def _project(request: HttpRequest, code: str) -> Project:
    return get_visible_project(user_of(request), code)


def _annotated(request: HttpRequest, code: str) -> Project:
    project = selectors.status_center(user_of(request), {}).filter(code=code).first()
    if project is None:
        raise NotFoundError(_("no project with code %(code)s") % {"code": quoted(code)})
    return project


@router.get("/projects", response=list[ProjectOut], summary="List projects with their status")
@paginate(Pages)
def list_projects(request: HttpRequest, filters: Query[ProjectFilters]):  # type: ignore[no-untyped-def]
    return selectors.status_center(user_of(request), filters.dict())


@router.post("/projects", response={201: ProjectOut}, summary="Create a project (PMO)")
def create_project(request: HttpRequest, payload: ProjectIn):  # type: ignore[no-untyped-def]
    project = services.create_project(actor=user_of(request), data=payload.dict())
    return Status(201, _annotated(request, project.code))


@router.get("/projects/{code}", response=ProjectOut, summary="One project with its status")
def get_project(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return _annotated(request, code)


@router.patch("/projects/{code}", response=ProjectOut, summary="Change a project (version-checked)")
def update_project(request: HttpRequest, code: str, payload: ProjectPatch):  # type: ignore[no-untyped-def]
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    project = services.update_project(
        actor=user_of(request),
        project=_project(request, code),
        data=data,
        version=version,
    )
    return _annotated(request, project.code)


@router.get("/projects/{code}/audit", response=list[AuditEventOut], summary="Change history")
@paginate(Pages)
def project_audit(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return list_events(scope=services.scope_of(_project(request, code)))


# --- status reports ---------------------------------------------------------------------------


def _report(request: HttpRequest, code: str, report_id: int) -> StatusReport:
    project = _project(request, code)
    report = (
        StatusReport.objects.select_related("project", "author")
        .filter(project=project, pk=report_id)
        .first()
    )
    if report is None:
        raise NotFoundError(
            _("project %(code)s has no status report %(id)s") % {"code": code, "id": report_id}
        )
    return report


@router.get(
    "/projects/{code}/status-reports",
    response=list[StatusReportOut],
    summary="Reports, newest first",
)
@paginate(Pages)
def list_reports(request: HttpRequest, code: str, period: str = "", current_only: bool = False):  # type: ignore[no-untyped-def]
    qs = selectors.list_status_reports(_project(request, code)).select_related("project")
    if period:
        qs = qs.filter(period=period)
    if current_only:
        qs = qs.filter(is_current=True)
    return qs


@router.post(
    "/projects/{code}/status-reports", response={201: StatusReportOut}, summary="Write a report"
)
def create_report(request: HttpRequest, code: str, payload: StatusReportIn):  # type: ignore[no-untyped-def]
    data = report_data(payload, exclude={"period", "submit"})
    report = services.create_status_report(
        actor=user_of(request),
        project=_project(request, code),
        period=payload.period,
        data=data,
        submit=payload.submit,
    )
    return Status(201, _report(request, code, report.pk))


@router.get(
    "/projects/{code}/status-reports/{report_id}", response=StatusReportOut, summary="One report"
)
def get_report(request: HttpRequest, code: str, report_id: int):  # type: ignore[no-untyped-def]
    return _report(request, code, report_id)


@router.patch(
    "/projects/{code}/status-reports/{report_id}", response=StatusReportOut, summary="Edit a draft"
)
def update_report(request: HttpRequest, code: str, report_id: int, payload: StatusReportPatch):  # type: ignore[no-untyped-def]
    data = report_data(payload, exclude={"version"})
    services.update_status_report(
        actor=user_of(request),
        report=_report(request, code, report_id),
        data=data,
        version=payload.version,
    )
    return _report(request, code, report_id)


@router.post(
    "/projects/{code}/status-reports/{report_id}/submit",
    response=StatusReportOut,
    summary="Submit a draft",
)
def submit_report(request: HttpRequest, code: str, report_id: int, payload: SubmitIn):  # type: ignore[no-untyped-def]
    services.submit_status_report(
        actor=user_of(request),
        report=_report(request, code, report_id),
        version=payload.version,
    )
    return _report(request, code, report_id)


# --- milestones -------------------------------------------------------------------------------


@router.get("/projects/{code}/milestones", response=list[MilestoneOut], summary="Milestones")
def list_milestones(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return _project(request, code).milestones.order_by("baseline_date", "id")


@router.post("/projects/{code}/milestones", response={201: MilestoneOut}, summary="Add a milestone")
def create_milestone(request: HttpRequest, code: str, payload: MilestoneIn):  # type: ignore[no-untyped-def]
    milestone = services.create_milestone(
        actor=user_of(request), project=_project(request, code), data=payload.dict()
    )
    return Status(201, milestone)


@router.patch(
    "/projects/{code}/milestones/{milestone_id}",
    response=MilestoneOut,
    summary="Change a milestone",
)
def update_milestone(request: HttpRequest, code: str, milestone_id: int, payload: MilestonePatch):  # type: ignore[no-untyped-def]
    milestone = _project(request, code).milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFoundError(
            _("project %(code)s has no milestone %(id)s") % {"code": code, "id": milestone_id}
        )
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return services.update_milestone(
        actor=user_of(request), milestone=milestone, data=data, version=version
    )


# --- RAID log ---------------------------------------------------------------------------------


def _register_raid(kind: str, schema_in: Any, schema_patch: Any, schema_out: Any) -> None:
    model = RAID_MODELS[kind]
    label = kind[:-1]
    # "an action", "an issue", "an assumption"; "a risk", "a decision"
    a_label = f"{'an' if label[0] in 'aeiou' else 'a'} {label}"

    def _item(request: HttpRequest, code: str, item_id: int) -> Any:
        item = (
            model._default_manager.select_related("owner", "project")
            .filter(project=_project(request, code), pk=item_id)
            .first()
        )
        if item is None:
            raise NotFoundError(
                _("project %(code)s has no %(what)s %(id)s")
                % {"code": code, "what": model._meta.verbose_name, "id": item_id}
            )
        return item

    @router.get(
        f"/projects/{{code}}/{kind}",
        response=list[schema_out],
        summary=f"List {kind}",
        operation_id=f"list_{kind}",
        tags=["RAID"],
    )
    @paginate(Pages)
    def list_items(request: HttpRequest, code: str, status: str = ""):  # type: ignore[no-untyped-def]
        qs = selectors.list_raid_items(_project(request, code), kind)
        return qs.filter(status=status) if status else qs

    @router.post(
        f"/projects/{{code}}/{kind}",
        response={201: schema_out},
        summary=f"Add {a_label}",
        operation_id=f"create_{label}",
        tags=["RAID"],
    )
    def create_item(request: HttpRequest, code: str, payload: schema_in) -> Any:
        item = services.create_raid_item(
            actor=user_of(request),
            project=_project(request, code),
            kind=kind,
            data=payload.dict(),
        )
        return Status(201, _item(request, code, item.pk))

    @router.get(
        f"/projects/{{code}}/{kind}/{{item_id}}",
        response=schema_out,
        summary=f"One {label}",
        operation_id=f"get_{label}",
        tags=["RAID"],
    )
    def get_item(request: HttpRequest, code: str, item_id: int):  # type: ignore[no-untyped-def]
        return _item(request, code, item_id)

    @router.patch(
        f"/projects/{{code}}/{kind}/{{item_id}}",
        response=schema_out,
        summary=f"Change {a_label}",
        operation_id=f"update_{label}",
        tags=["RAID"],
    )
    def update_item(request: HttpRequest, code: str, item_id: int, payload: schema_patch) -> Any:
        data = payload.dict(exclude_unset=True)
        version = data.pop("version")
        services.update_raid_item(
            actor=user_of(request),
            item=_item(request, code, item_id),
            kind=kind,
            data=data,
            version=version,
        )
        return _item(request, code, item_id)


for _kind, (_in, _patch, _out) in RAID_SCHEMAS.items():
    _register_raid(_kind, _in, _patch, _out)


# reminders to report (the PMO's chase of missing status reports)
router.add_router("", reminders_router)
router.add_router("", rates_router)
router.add_router("", structure_router)
router.add_router("", lookup_router)
