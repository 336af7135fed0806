"""Service errors read in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.core.errors import PermissionDeniedError
from pmo.resources import services


def test_a_chinese_reader_gets_the_permission_error_in_chinese(users: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError) as refused:
        services.create_scenario(actor=users["viewer"], name="Plan B")
    assert refused.value.message == "只有 PMO 和资源经理可以修改资源、产能和情景"
