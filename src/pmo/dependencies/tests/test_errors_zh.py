"""Service errors read in the reader's language: a Chinese user gets Chinese messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from pmo.core.errors import ConflictError, PermissionDeniedError
from pmo.dependencies import changes


def test_a_refused_workflow_step_reads_in_chinese(users: Any, web: Any) -> None:
    # given a draft change request on CORE1, raised by its PM
    cr = changes.create_change_request(
        actor=users["pm"], data={"project": "CORE1", "type": "scope", "title": "Small"}
    )
    # when the PM tries to apply it while the UI is in Chinese
    with translation.override("zh-hans"), pytest.raises(ConflictError) as info:
        changes.transition(actor=users["pm"], cr=cr, action="apply")
    # then the sentence is Chinese, the state by its label; the actions stay the API's codes,
    # listed with the language's list separator
    assert info.value.message == (
        f"变更请求 {cr.code} 处于“草稿”状态，无法执行 apply；当前可执行：submit，withdraw"
    )


def test_approving_ones_own_change_is_refused_in_chinese(users: Any, web: Any) -> None:
    # given a change a PMO member raised, through the PM review
    cr = changes.create_change_request(
        actor=users["member"], data={"project": "CORE1", "type": "scope", "title": "Small"}
    )
    cr = changes.transition(actor=users["member"], cr=cr, action="submit")
    cr = changes.transition(actor=users["pm"], cr=cr, action="approve")
    # when the requester approves it at the PMO review in Chinese
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError) as info:
        changes.transition(actor=users["member"], cr=cr, action="approve")
    # then the reason reads in Chinese
    assert info.value.message == f"{cr.code} 是您提出的，须由另一位 PMO 成员审核"


def test_deleting_a_dependency_one_may_not_is_refused_in_chinese(users: Any, web: Any) -> None:
    from pmo.dependencies import services

    # given a link between CORE1 and APP1
    dep = services.create_dependency(
        actor=users["pm"],
        data={
            "supplier_project": "CORE1",
            "supplier_milestone": web["build"].pk,
            "consumer_project": "APP1",
            "consumer_milestone": web["integration"].pk,
        },
    )
    # when an executive (who manages neither project) deletes it in Chinese
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError) as info:
        services.delete_dependency(actor=users["exec"], dep=dep, version=dep.version)
    # then the refusal reads in Chinese
    assert info.value.message == "只有 PMO 或两个项目之一的项目经理可以删除此依赖"
