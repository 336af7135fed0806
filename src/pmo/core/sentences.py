"""Sentences put together from translated pieces.

English sets a space between two sentences ("P0001 moved 14 days later. 10 allocations
changed."); Chinese sets none after its full stop ("P0001 推迟了 14 个日历天。10 项分配有变化。").
The space is decided by the sentence it follows, not by the page's language: a sentence that
ends in full-width punctuation is followed directly, any other (English, or one the catalogue
does not translate yet) by a space. So the join needs no catalogue entry, whose empty
translation gettext would read as "not translated" and give back the space.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FULL_WIDTH_ENDS", "join_sentences"]

#: The full-width marks a Chinese sentence (or clause) ends with; no space follows them.
FULL_WIDTH_ENDS = frozenset("。！？；：，、）」』】…")


def join_sentences(sentences: Iterable[object]) -> str:
    """The sentences one after the other, empty ones left out: a space after one that ends
    in half-width punctuation, none after a full-width one.

    >>> join_sentences(["P1 moved.", "2 allocations changed."])
    'P1 moved. 2 allocations changed.'
    >>> join_sentences(["P1 推迟了 14 个日历天。", "10 项分配有变化。", ""])
    'P1 推迟了 14 个日历天。10 项分配有变化。'
    """
    text = ""
    for sentence in sentences:
        piece = str(sentence).strip()
        if not piece:
            continue
        if text and text[-1] not in FULL_WIDTH_ENDS:
            text += " "
        text += piece
    return text
