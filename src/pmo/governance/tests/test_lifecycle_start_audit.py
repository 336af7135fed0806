"""Starting a lifecycle is recorded as the project starting it ("started Generic lifecycle
(revision 1)"), not as "created …", which read as if the template had been created."""

from __future__ import annotations

from typing import Any

import lxml.html
from django.test import Client

from pmo.audit.models import AuditAction, AuditEvent


def test_the_project_history_says_the_lifecycle_was_started(
    client: Client, users: Any, governed: Any
) -> None:
    project = governed()
    (event,) = AuditEvent.objects.filter(object_type="governance.projectlifecycle")
    assert event.action == AuditAction.START
    client.force_login(users["admin"])
    page = lxml.html.fromstring(client.get(f"/projects/{project.code}/").content.decode())
    whats = [
        " ".join(row.xpath("./td")[2].text_content().split())
        for row in page.get_element_by_id("audit").xpath(".//tr[td]")
    ]
    assert "started Generic lifecycle (revision 1)" in whats
    assert not any(w.startswith("created Generic lifecycle") for w in whats)
