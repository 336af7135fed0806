"""Sentences joined from translated pieces: a space after English, none after a Chinese full
stop."""

from __future__ import annotations

from django.utils.functional import lazy

from pmo.core.sentences import join_sentences


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
