"""Sentences joined from translated pieces: a space after English, none after a Chinese full
stop."""

from __future__ import annotations

from django.utils.functional import lazy

from pmo.core.sentences import QUOTED_LIMIT, join_sentences, quoted


def test_english_sentences_are_joined_with_a_space() -> None:
    assert join_sentences(["P1 moved 14 days.", "10 allocations changed."]) == (
        "P1 moved 14 days. 10 allocations changed."
    )


def test_chinese_sentences_follow_their_full_stop_directly() -> None:
    pieces = ["P0001 推迟了 14 个日历天。", "10 项分配有变化。"]
    assert join_sentences(pieces) == "P0001 推迟了 14 个日历天。10 项分配有变化。"
    assert join_sentences(["已刷新：保留了 2 项修改！", "1 项已舍弃？", "好"]) == (
        "已刷新：保留了 2 项修改！1 项已舍弃？好"
    )


def test_an_untranslated_sentence_after_a_chinese_one_and_back() -> None:
    # a sentence the catalogue lacks stays English: a space after it, none after the Chinese
    assert join_sentences(["无法保存。", "Enter a date.", "请更正。"]) == (
        "无法保存。Enter a date. 请更正。"
    )


def test_empty_pieces_are_left_out_and_lazy_ones_are_read() -> None:
    lazy_text = lazy(lambda: "Saved.", str)()
    assert join_sentences(["", "  ", lazy_text, "Done."]) == "Saved. Done."
    assert join_sentences([]) == ""


def test_a_value_is_quoted_with_typographic_double_quotes() -> None:
    assert quoted("XYZ") == "“XYZ”"
    assert quoted("it's") == "“it's”"  # no backslash before the apostrophe, as repr() put
    assert quoted(42) == "“42”"
    assert quoted(None) == "“”"
    assert quoted("  padded ") == "“  padded ”"  # the quotes show the spaces


def test_chinese_passes_through_unchanged() -> None:
    assert quoted("中文 项目　一") == "“中文 项目　一”"  # the ideographic space stays too
    assert quoted("“已采用”") == "““已采用””"  # quotes inside are the value's own


def test_characters_that_would_not_show_are_escaped_on_one_line() -> None:
    assert quoted("a\nb") == "“a\\nb”"
    assert quoted("tab\there\r") == "“tab\\there\\r”"
    assert quoted("nul\x00") == "“nul\\x00”"
    assert quoted("\ufeffcode\u200b") == "“\\ufeffcode\\u200b”"  # BOM, zero-width space
    assert quoted("line 1\nline 2\u2028line 3") == "“line 1\\nline 2\\u2028line 3”"


def test_a_long_value_is_cut_with_an_ellipsis() -> None:
    assert quoted("x" * QUOTED_LIMIT) == f"“{'x' * QUOTED_LIMIT}”"
    assert quoted("x" * (QUOTED_LIMIT + 1)) == f"“{'x' * (QUOTED_LIMIT - 1)}…”"
    assert quoted("长" * 500) == f"“{'长' * (QUOTED_LIMIT - 1)}…”"
    assert quoted("abcdef", limit=4) == "“abc…”"


def test_an_escape_is_never_cut_in_half() -> None:
    assert quoted("ab\x00cd", limit=4) == "“ab\\x00…”"
