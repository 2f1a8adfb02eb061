"""Tolerant name matching: the same name written by different hands matches."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

__all__ = ["YES_NO", "close_matches", "identity", "name_key", "printable", "slug"]

YES_NO = {
    "yes": True, "y": True, "true": True, "1": True,
    "no": False, "n": False, "false": False, "0": False,
}  # fmt: skip
"""The words files write for yes and no, folded to lower case: every reader of a flag
takes these (and says what a blank cell means itself)."""


def name_key(name: str) -> str:
    """The form of a name that look-ups compare: case, spacing, punctuation and
    ``&`` versus ``and`` do not matter.

    Letters, digits and combining marks are kept (so names in Indian scripts keep their
    vowel signs); everything else is dropped.

    >>> name_key("Reading & Comprehension") == name_key("reading and  comprehension.")
    True
    >>> name_key("Self-Analysis") == name_key("self analysis")
    True
    """
    text = unicodedata.normalize("NFKC", name).replace("&", " and ").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def close_matches(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """Candidates that look like ``name`` (compared by :func:`name_key`), best first."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(name_key(candidate), candidate)
    keys = difflib.get_close_matches(name_key(name), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in keys]


def slug(text: str) -> str:
    """A name turned into identifier material: runs of anything but letters, digits and
    marks become one hyphen; case is kept.

    >>> slug("Under Secretary (Admin)")
    'Under-Secretary-Admin'
    """
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text)
    return "-".join(kept.split())


def printable(text: str) -> str:
    """Text safe to show on a terminal: each control character (an escape sequence's
    start, a carriage return, a bell) written as its code, so that a name in a file
    cannot move the cursor, recolour the screen or hide what follows. Line breaks and
    tabs stay.

    >>> printable("Revenue\\x1b[2J")
    'Revenue\\\\x1b[2J'
    """
    if text.isprintable():
        return text
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) != "Cc" else f"\\x{ord(ch):02x}"
        for ch in text
    )


def identity(text: str) -> str:
    """A person's identifier as it is compared: one Unicode form (NFC), without invisible
    characters (a zero-width space pasted with an email) or surrounding spaces. Case is
    the caller's to fold: emails compare without it, ids with it.

    >>> identity(" asha@cg.gov.in\u200b ") == identity("asha@cg.gov.in")
    True
    """
    if text.isascii():
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").strip()
