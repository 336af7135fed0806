"""A plan file the XML parser refuses is explained in the reader's language, never in the
parser's English (it read "XML 格式不正确（第 1 行第 3 列：not well-formed (invalid token)）")."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pmo.interop.errors import ImportFileError
from pmo.interop.mspdi_read import read_mspdi


def _refusal(content: bytes, language: str) -> str:
    with translation.override(language), pytest.raises(ImportFileError) as err:
        read_mspdi(content)
    return err.value.message


def test_an_invalid_character_is_explained_in_chinese() -> None:
    # needs the catalogue's 含有无效字符 (listed for the lead)
    assert (
        _refusal(b"<a>\x01</a>", "zh-hans")
        == "文件：XML 格式不正确（第 1 行第 3 列：含有无效字符）"
    )


def test_english_keeps_the_parsers_reason() -> None:
    assert _refusal(b"<a>\x01</a>", "en") == (
        "file: not well-formed XML at line 1, column 3 (not well-formed (invalid token))"
    )
    assert _refusal(b" <?xml version='1.0'?><a/>", "en") == (
        "file: not well-formed XML at line 1, column 1 "
        "(XML or text declaration not at start of entity)"
    )


def test_a_reason_with_no_translation_is_left_out_in_chinese() -> None:
    # given a file whose fault (a declaration not at the start) has no translated reason
    message = _refusal(b" <?xml version='1.0'?><a/>", "zh-hans")
    # then the Chinese reader gets where it is, not the parser's English
    assert "declaration" not in message and "entity" not in message
    assert "1" in message


@pytest.mark.parametrize("encoding", ["klingon", "utf-32"])
def test_an_unreadable_encoding_is_refused_naming_the_file(
    client: Any, make_project: Any, users: Any, encoding: str
) -> None:
    # given a file whose XML declaration names an encoding the parser cannot read
    content = f'<?xml version="1.0" encoding="{encoding}"?><Project/>'.encode()
    project = make_project()
    client.force_login(users["pm"])
    # when it is imported through the API (it was a 500: LookupError / ValueError)
    response = client.post(
        f"/api/v1/projects/{project.code}/plan/import/msproject",
        {"file": SimpleUploadedFile("plan.xml", content, "application/xml")},
    )
    # then it is refused, naming the file
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "file",
            "message": f"the XML declaration names the character encoding “{encoding}”, which "
            "cannot be read; save the file as UTF-8",
        }
    ]
