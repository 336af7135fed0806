"""The allowed file types of a refused upload are listed with the reader's list separator."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pmo.core.errors import FieldError
from pmo.governance.attachments import _check_upload


@pytest.mark.parametrize(
    ("language", "name", "said"),
    [
        ("en", "setup.exe", ".exe files are not accepted; allowed: csv, doc, docx, "),
        ("zh-hans", "setup.exe", "不接受 .exe 文件；允许的类型：csv、doc、docx、"),
        ("zh-hans", "README", "不接受没有扩展名的文件；允许的类型：csv、doc、docx、"),
    ],
)
def test_the_allowed_types_are_a_list_in_the_reader_s_language(language, name, said):
    with translation.override(language), pytest.raises(FieldError) as refused:
        _check_upload(SimpleUploadedFile(name, b"MZ"), "file")
    message = refused.value.errors[0]["message"]
    assert message.startswith(said)
    assert (", " in message) == (language == "en")
