"""Service errors read in the reader's language (Chinese here); the record stays English."""

import pytest
from django.utils import translation

from pmo.core.errors import ConflictError
from pmo.governance import services
from pmo.governance.models import GateDecision


def test_a_chinese_reader_reads_why_a_gate_cannot_pass_in_chinese(users, governed):
    project = governed()
    review = services.request_review(actor=users["pm"], project=project)
    with translation.override("zh-hans"), pytest.raises(ConflictError) as raised:
        services.decide_gate(actor=users["exec"], review=review, outcome="go")
    assert raised.value.message == (
        "阶段门 G1 有未满足的强制要求：标准：发起人确认需求；标准：预算与资源已承诺；"
        "交付物：项目章程。请满足这些要求，或说明理由明确予以豁免。"
    )
    assert GateDecision.objects.count() == 0
