"""Import and export of plans over the API (MSPDI and XLSX)."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Status
from ninja.files import UploadedFile

from pmo.accounts.models import user_of
from pmo.core.errors import NotFoundError
from pmo.interop import services, xlsx
from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_read import MAX_BYTES
from pmo.portfolio.access import get_visible_project, require_edit
from pmo.scheduling import selectors
from pmo.scheduling.api import PlanOut, plan_out

router = Router(tags=["scheduling"])

Format = Literal["msproject", "xlsx"]
CONTENT_TYPES = {
    "msproject": "application/xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SUFFIX = {"msproject": "xml", "xlsx": "xlsx"}


class PlanImportOut(PlanOut):
    warnings: list[str] = Field(
        default_factory=list,
        description="What is odd about the imported plan, which is stored all the same: its "
        "start more than 90 days before the project's planned start, its finish more than a "
        "year after the project's planned finish (ADR 0003); its assigned resources whose names "
        "match no resource of the capacity plan by code or name, so their work is not demand",
    )


@router.post(
    "/projects/{code}/plan/import/{fmt}",
    response={201: PlanImportOut},
    summary="Replace the plan by an uploaded MS Project XML or XLSX file (all or nothing)",
)
def import_plan(request: HttpRequest, code: str, fmt: Format, file: File[UploadedFile]):  # type: ignore[no-untyped-def]
    project = get_visible_project(user_of(request), code)
    require_edit(user_of(request), project)  # before reading: a reader must not make us unpack
    if file.size and file.size > MAX_BYTES:
        raise ImportFileError(_("file: too large"))
    # the file's first bytes (else its extension) decide how it is read, not ``fmt``: an
    # XLSX sent to .../import/msproject is read as the workbook it is
    result = services.import_upload(
        actor=user_of(request), project=project, content=file.read(), filename=file.name or ""
    )
    return Status(201, {**plan_out(result.plan), "warnings": result.warnings})


@router.get(
    "/projects/{code}/plan/export/{fmt}",
    summary="The plan as MS Project XML or XLSX",
    response={200: None},
)
def export_plan(request: HttpRequest, code: str, fmt: Format) -> HttpResponse:
    project = get_visible_project(user_of(request), code)
    plan = selectors.get_plan(project)
    if plan is None:
        raise NotFoundError(_("project %(code)s has no plan yet (import one)") % {"code": code})
    content = services.export_msproject(plan) if fmt == "msproject" else xlsx.write_xlsx(plan)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{code}-plan.{SUFFIX[fmt]}"'
    return response
