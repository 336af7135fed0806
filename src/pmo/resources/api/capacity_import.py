"""The capacity sheet import (part of the resources API): what it did per resource, or with
``dry_run`` what it would do, nothing written (ADR 0006)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import AfterValidator

from pmo.accounts.models import user_of
from pmo.resources import xlsx
from pmo.resources.xlsx_apply import FINGERPRINT_PATTERN, malformed_fingerprint

router = Router()

WHO = "username of the last change's author (audit trail); null when none was recorded"
WHEN = "time of the last change (the audit trail's, else the row's own updated_at)"
OTHER = (
    "the last change was made by someone other than the importer since recent_since: the "
    "sheet may not have known it"
)


class FieldChangeOut(Schema):
    field: str = Field(description="the resource's field (org_unit as its code)")
    before: str | None = Field(description="null for a created resource")
    after: str | None


class CapacityChangeReportOut(Schema):
    action: Literal["added", "changed", "removed"]
    id: int | None = Field(description="null for one a dry run would add")
    first: dt.date
    last: dt.date
    fte: Decimal = Field(description="the sheet's, or the removed change's")
    reason: str
    fte_before: Decimal | None = Field(description="stored FTE overwritten; null if unchanged")
    reason_before: str | None = Field(description="stored reason overwritten; null if unchanged")
    last_changed_by: str | None = Field(description=WHO)
    last_changed_at: dt.datetime | None = Field(description=WHEN)
    changed_by_other: bool = Field(description=OTHER)


class ResourceReportOut(Schema):
    code: str
    name: str
    action: Literal["created", "updated", "unchanged"] = Field(
        description="unchanged: the resource itself is left as it was, its capacity changes not"
    )
    fields: list[FieldChangeOut] = Field(description="before → after (all set ones if created)")
    last_changed_by: str | None = Field(description=WHO + " (updated resources)")
    last_changed_at: dt.datetime | None = Field(description=WHEN)
    changed_by_other: bool = Field(description=OTHER)
    capacity_changes: list[CapacityChangeReportOut] = Field(
        description="the current plan's capacity changes added, changed and removed"
    )


class ImportOut(Schema):
    resources_created: int
    resources_updated: int = Field(description="rows of sheet Resources matching a resource")
    capacity_changes: int = Field(description="rows of sheet Capacity")
    resources_changed: int = Field(description="stored resources whose fields the sheet changes")
    capacity_changes_added: int
    capacity_changes_changed: int
    capacity_changes_removed: int = Field(
        description="stored capacity changes of the listed resources the sheet does not give"
    )
    dry_run: bool = Field(description="true: nothing was written, this is what would be done")
    file: str = Field(description="the file name the audit trail records")
    sheet_saved_at: dt.datetime | None = Field(description="when the workbook says it was saved")
    recent_since: dt.datetime = Field(
        description="changed_by_other counts changes since then: the day the workbook was "
        "saved, or 7 days ago if that is earlier or unknown"
    )
    fingerprint: str = Field(
        description="of the stored rows the import reads and the sheet's rows: pass it as "
        "expected to import only if nothing changed since this dry run"
    )
    resources: list[ResourceReportOut] = Field(
        description="resources created, changed, or whose capacity changes change, in the "
        "sheet's order; resources the sheet leaves as they were are not listed"
    )


def _fingerprint(value: str | None) -> str | None:
    problem = None if value is None else malformed_fingerprint(value)
    if problem:
        raise ValueError(problem)
    return value


class ImportQuery(Schema):
    dry_run: bool = Field(False, description="answer what the import would do, write nothing")
    expected: Annotated[str | None, AfterValidator(_fingerprint)] = Field(
        None,
        description="fingerprint of an earlier dry run: 409 (nothing written, the new "
        "fingerprint in the answer, and in changed_since the codes of the resources whose "
        "stored rows changed since the dry run, when the audit trail tells: empty when the "
        "sheet changed or it is another check's) if the stored rows or the sheet changed "
        "since, or it is another check's; 422 if it is not a fingerprint at all (32 "
        "characters, 0-9 and a-f)",
        json_schema_extra={"pattern": FINGERPRINT_PATTERN},
    )


@router.post(
    "/capacity/import",
    response=ImportOut,
    summary="Import a capacity sheet (XLSX), or check what it would do (dry_run)",
    description=(
        "Each resource of sheet Resources is created or updated; the capacity changes of "
        "each resource sheet Capacity names are replaced by its rows (those it does not give "
        "are removed). The answer lists every change per resource, with who last changed "
        "what is overwritten or removed."
    ),
    operation_id="pmo_resources_api_import_capacity",
)
def import_capacity(
    request: HttpRequest, file: File[UploadedFile], query: Query[ImportQuery]
) -> object:
    return xlsx.import_capacity(
        actor=user_of(request), stream=file, dry_run=query.dry_run, expected=query.expected
    )
