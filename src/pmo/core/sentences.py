"""Sentences put together from translated pieces.

English sets a space between two sentences ("P0001 moved 14 days later. 10 allocations
changed."); Chinese sets none after its full stop ("P0001 推迟了 14 个日历天。10 项分配有变化。").
The space is decided by the sentence it follows, not by the page's language: a sentence that
ends in full-width punctuation is followed directly, any other (English, or one the catalogue
does not translate yet) by a space. So the join needs no catalogue entry, whose empty
translation gettext would read as "not translated" and give back the space.

A value the reader typed is quoted inside a sentence the same way in both languages, with
typographic double quotes (Chinese sets “” too): ``“XYZ” is not a date``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

__all__ = ["FULL_WIDTH_ENDS", "QUOTED_LIMIT", "join_sentences", "quoted"]

#: The full-width marks a Chinese sentence (or clause) ends with; no space follows them.
FULL_WIDTH_ENDS = frozenset("。！？；：，、）」』】…")

#: At most this many characters of a value are quoted; a longer one is cut with an ellipsis.
QUOTED_LIMIT = 60


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


def _visible(char: str) -> str:
    """``char`` as it is, or as an escape when it would not show (a control character, a
    zero-width or direction mark, a line break): the message stays one readable line."""
    if char.isprintable() or unicodedata.category(char) == "Zs":  # spaces show between quotes
        return char
    return repr(char)[1:-1]  # Python's escape: \\n, \\t, \\x00, \\u200b


def quoted(value: object, limit: int = QUOTED_LIMIT) -> str:
    """``value`` (what the reader typed or the file holds) between typographic double quotes,
    for an error message: characters that would not show are escaped (``\\n``, ``\\x00``),
    and more than ``limit`` characters are cut with an ellipsis. ``None`` is quoted empty.

    >>> quoted("XYZ")
    '“XYZ”'
    >>> print(quoted("a\\tb\\n"))
    “a\\tb\\n”
    >>> quoted("中文")
    '“中文”'
    >>> quoted("x" * 70)
    '“xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”'
    """
    text = "" if value is None else str(value)
    pieces = [_visible(char) for char in text]
    if len(pieces) > limit:  # escapes count as one character each: none is cut in half
        pieces = [*pieces[: limit - 1], "…"]
    return f"“{''.join(pieces)}”"
