"""Names in Indian scripts and in the Latin letters people type them in, brought to one
form: "sanchar", "Sanchaar" and "संचार" meet.

The form is a consonant skeleton of the romanised name (ITRANS, by indic-transliteration,
the ``indic`` extra): the vowels after each word's first letter left out, since people
write Hindi's long vowels and its silent ``a`` as they please; aspiration (``bh``,
``dh``) and a consonant written twice kept once; the nasal mark as ``n``. It is a
look-up key, not a transliteration: two names that share it are found as ambiguous, not
guessed between.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["romanised_key"]

_INDIC = re.compile(r"[\u0900-\u0dff]")  # Devanagari to Malayalam
_MARKS = (("~N", "n"), ("~n", "n"), (".n", "n"), ("M", "n"), ("R^i", "ri"), ("R^I", "ri"))
_SOUNDS = str.maketrans({"f": "p", "w": "v", "z": "j", "q": "k"})
_VOWELS = frozenset("aeiou")


def _transliterate(text: str) -> str:
    try:
        sanscript: Any = importlib.import_module("indic_transliteration.sanscript")
    except ImportError:
        raise ImportError(
            "matching names written in Indian scripts and in Latin letters needs "
            "indic-transliteration: pip install 'karmayogi[indic]'"
        ) from None
    return str(sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.ITRANS))


def romanised_key(text: str) -> str:
    """The look-up form of a name in an Indian script or in Latin letters.

    >>> romanised_key("संचार") == romanised_key("Sanchaar") == romanised_key("sanchar")
    True
    >>> romanised_key("तनाव प्रबंधन") == romanised_key("Tanav Prabandhan")
    True
    """
    if _INDIC.search(text):
        text = _transliterate(text)
        for mark, plain in _MARKS:
            text = text.replace(mark, plain)
    words = re.findall(r"[a-z]+", text.casefold().translate(_SOUNDS))
    return " ".join(_skeleton(word) for word in words)


def _skeleton(word: str) -> str:
    out = [word[0]]
    for ch in word[1:]:
        if ch in _VOWELS or (ch == "h" and out[-1] not in _VOWELS) or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)
