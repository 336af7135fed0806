"""The capacity sheet import (part of the resources API)."""

from django.http import HttpRequest
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from pmo.accounts.models import user_of
from pmo.resources import xlsx

router = Router()


class ImportOut(Schema):
    resources_created: int
    resources_updated: int
    capacity_changes: int


@router.post(
    "/capacity/import",
    response=ImportOut,
    summary="Import a capacity sheet (XLSX)",
    operation_id="pmo_resources_api_import_capacity",
)
def import_capacity(request: HttpRequest, file: File[UploadedFile]) -> object:
    return xlsx.import_capacity(actor=user_of(request), stream=file)
