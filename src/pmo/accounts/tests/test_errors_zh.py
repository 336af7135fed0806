"""Service errors read in the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.accounts import services
from pmo.core.errors import FieldError


def test_a_chinese_reader_gets_the_field_error_in_chinese(users: Any) -> None:
    data = {"name": "Li Na", "org_unit": "nowhere"}
    with translation.override("zh-hans"), pytest.raises(FieldError) as refused:
        services.create_person(actor=users["admin"], data=data)
    assert refused.value.errors == [
        {"field": "org_unit", "message": "没有代码为“nowhere”的组织单元"}
    ]
    assert refused.value.message == "没有代码为“nowhere”的组织单元"  # what a page shows
    assert refused.value.payload()["detail"] == "org_unit: 没有代码为“nowhere”的组织单元"
