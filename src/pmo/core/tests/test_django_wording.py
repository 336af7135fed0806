"""Our Chinese wording of Django's form messages (``pmo.core.django_wording``) reaches forms."""

from __future__ import annotations

import ast
import inspect
import re

import django.core.validators
import django.db.models.fields
import django.forms.fields
import django.forms.models
from django import forms
from django.utils import translation

from pmo.core import django_wording


class _Form(forms.Form):
    name = forms.CharField(max_length=5)
    count = forms.IntegerField(max_value=10)
    share = forms.DecimalField(max_digits=4, decimal_places=1)


def _errors(data: dict[str, str]) -> dict[str, list[str]]:
    with translation.override("zh-hans"):
        form = _Form(data)
        form.is_valid()
        return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


def test_django_still_uses_each_message_we_word_again() -> None:
    # Django's source with its implicitly concatenated string literals joined again
    django_source = re.sub(
        r'"\s*\n\s*"',
        "",
        "".join(
            inspect.getsource(module)
            for module in (
                django.core.validators,
                django.forms.fields,
                django.forms.models,
                django.db.models.fields,
            )
        ),
    )
    tree = ast.parse(inspect.getsource(django_wording))
    msgids = [
        node.value
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        for node in call.args
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value
    ]
    assert len(msgids) == len(django_wording.SINGLE) + 2 * len(django_wording.PLURAL)
    for msgid in msgids:
        assert f'"{msgid}"' in django_source, msgid


def test_a_chinese_form_reads_our_wording() -> None:
    assert _errors({}) == {
        "name": ["此项为必填项。"],
        "count": ["此项为必填项。"],
        "share": ["此项为必填项。"],
    }
    assert _errors({"name": "abcdefg", "count": "x", "share": "123.45"}) == {
        "name": ["最多 5 个字符（当前 7 个）。"],
        "count": ["请输入整数。"],
        "share": ["总共最多 4 位数字。"],
    }
    assert _errors({"name": "ab", "count": "11", "share": "1.25"}) == {
        "count": ["请输入不大于 10 的值。"],
        "share": ["最多 1 位小数。"],
    }
