"""Someone who may only read a project and posts a plan file to its import gets the 403 page
saying why (as every edit page answers them), not the plan page with a message as if the
file had merely been wrong; the file is not read and the plan stays as it was."""

from __future__ import annotations

import html
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pmo.interop.mspdi_write import write_mspdi
from pmo.scheduling import services as scheduling
from pmo.scheduling.models import Plan, Task
from pmo.scheduling.tests.factories import small_plan


def test_a_readers_import_is_a_403_and_leaves_the_plan(users: Any, make_project: Any) -> None:
    project = make_project(code="RIMP")
    plan = scheduling.replace_plan(actor=users["pm"], project=project, data=small_plan())
    tasks = list(Task.objects.filter(plan__project=project).values_list("name", flat=True))
    xml = write_mspdi(small_plan())
    upload = SimpleUploadedFile("p.xml", xml, content_type="text/xml")
    client = Client(raise_request_exception=False)
    client.force_login(users["viewer"])  # reads Shanghai R&D's projects, changes none

    answer = client.post(f"/projects/{project.code}/plan/import/", {"file": upload})

    assert answer.status_code == 403
    assert answer.templates[0].name == "403.html"
    assert "You may read this project but not change it." in html.unescape(answer.content.decode())
    assert Plan.objects.get(project=project).version == plan.version
    assert list(Task.objects.filter(plan__project=project).values_list("name", flat=True)) == tasks


def test_a_readers_import_without_a_file_is_a_403_too(users: Any, make_project: Any) -> None:
    project = make_project(code="RIMP2")
    client = Client(raise_request_exception=False)
    client.force_login(users["exec"])

    answer = client.post(f"/projects/{project.code}/plan/import/", {})

    assert answer.status_code == 403
    assert "You may read this project but not change it." in html.unescape(answer.content.decode())
    assert not Plan.objects.filter(project=project).exists()
