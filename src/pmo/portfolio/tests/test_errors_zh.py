"""Service errors read in the reader's language: a Chinese user gets Chinese messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.core.errors import PermissionDeniedError
from pmo.portfolio import services


def test_editing_someone_elses_project_is_refused_in_chinese(users: Any, make_project: Any) -> None:
    # given a project another PM manages
    project = make_project(manager=users["other_pm"].person)
    # when a PM tries to change it while the UI is in Chinese
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError) as info:
        services.update_project(actor=users["pm"], project=project, data={"name": "x"}, version=1)
    # then the refusal is in Chinese and names the project by its code
    assert info.value.message == (
        f"您可以查看项目 {project.code}，但不能修改（只有 PMO 和该项目的项目经理可以修改）"
    )
