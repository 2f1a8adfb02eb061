"""Designations as people write them: "Asst. Section Officer", "Section Officer (Asst.)"
and "Assistant Section Officer" are one designation.

Plans reach people by designation, and designations are typed by hand in every HR
system. A :class:`DesignationIndex` holds the canonical designations (those plans and
role profiles name) and matches a written one to them:

- **the same words**, in any order and case, with punctuation, the service's usual
  abbreviations (``Asst.``, ``Dy.``, ``Jt.``, ``Addl.``, ``Supdt.``…; see
  :data:`ABBREVIATIONS`) and Roman grades (``Grade-II``) read as the words they stand for;
- **an acronym** (``ASO``, ``L.D.C.``) that stands for exactly one of them;
- **an alias** that a state keeps in a table (:func:`read_aliases_csv`), for what rules
  cannot know ("Naib Tehsildar" is a "Deputy Tehsildar");
- **a near spelling** ("Tahsildar"), only when asked for with ``fuzzy`` (a score from 0
  to 100, with the ``match`` extra: rapidfuzz), and only when one designation is
  clearly nearest.

Anything else is refused, with the nearest designations to help build the alias table.

>>> index = DesignationIndex(["Assistant Section Officer", "Section Officer",
...                           "Assistant Statistical Officer"])
>>> print(index.match("Section Officer (Asst.)"))
'Section Officer (Asst.)' -> 'Assistant Section Officer' (words, 100)
>>> index.match("ASO").how  # two designations make "ASO"
'ambiguous'
>>> index.match("Statistical Officer").designation is None
True
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from karmayogi._api import presented
from karmayogi._csv import Source, read_table
from karmayogi._names import close_matches, name_key
from karmayogi.errors import Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "ABBREVIATIONS",
    "DesignationIndex",
    "DesignationMatch",
    "How",
    "read_aliases_csv",
]

ABBREVIATIONS: Mapping[str, str] = {
    "acctt": "accountant",
    "accts": "accounts",
    "addl": "additional",
    "add": "additional",
    "admn": "administrative",
    "admin": "administrative",
    "asst": "assistant",
    "asstt": "assistant",
    "assoc": "associate",
    "chf": "chief",
    "clk": "clerk",
    "commr": "commissioner",
    "dist": "district",
    "distt": "district",
    "dir": "director",
    "dy": "deputy",
    "dep": "deputy",
    "dept": "department",
    "engr": "engineer",
    "exe": "executive",
    "exec": "executive",
    "gen": "general",
    "genl": "general",
    "govt": "government",
    "gr": "grade",
    "insp": "inspector",
    "inspr": "inspector",
    "jr": "junior",
    "jt": "joint",
    "mgr": "manager",
    "offg": "officiating",
    "prl": "principal",
    "prin": "principal",
    "secy": "secretary",
    "sr": "senior",
    "spl": "special",
    "steno": "stenographer",
    "supdt": "superintendent",
    "supt": "superintendent",
    "tech": "technical",
}
"""Abbreviations of Indian government designations, and the words they stand for.
Ambiguous ones (``Sec.``: section or secretary?) are left out: an alias table says
what a state means by them."""

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7"}
_FILLERS = frozenset({"of", "the", "to", "and", "for", "in", "on", "cum"})
_WORD = re.compile(r"[^\W_]+")

How = Literal["exact", "words", "acronym", "alias", "fuzzy", "ambiguous", "none"]
"""How a written designation was matched: ``exact`` (as written, case and punctuation
aside), ``words`` (the same words: abbreviations, order, grades), ``acronym``,
``alias`` (the index's table), ``fuzzy`` (a near spelling); or not: ``ambiguous``
(more than one designation fits) and ``none``."""


@attrs.frozen
class DesignationMatch:
    """What a written designation matched, how, and how surely (0 to 100)."""

    written: str
    designation: str | None
    """The canonical designation, or None when nothing (or more than one) fits."""
    how: How
    score: float
    nearest: tuple[str, ...] = attrs.field(default=(), repr=False)
    """The designations that fit equally (``ambiguous``), or the closest ones
    (``none``), to help build an alias table."""

    @property
    def matched(self) -> bool:
        return self.designation is not None

    def __str__(self) -> str:
        if self.designation is not None:
            return f"{self.written!r} -> {self.designation!r} ({self.how}, {self.score:g})"
        near = f"; nearest: {', '.join(map(repr, self.nearest))}" if self.nearest else ""
        what = "fits more than one designation" if self.how == "ambiguous" else "matches none"
        return f"{self.written!r} {what}{near}"


def words(designation: str) -> tuple[str, ...]:
    """The words a designation is made of, abbreviations and Roman grades read out,
    fillers ("of", "the"…) left out, in the order written.

    >>> words("Dy. Secy. (Admn.), Grade-II")
    ('deputy', 'secretary', 'administrative', 'grade', '2')
    """
    text = unicodedata.normalize("NFKC", designation).replace("&", " and ").casefold()
    read = (_ROMAN.get(word, ABBREVIATIONS.get(word, word)) for word in _WORD.findall(text))
    return tuple(word for word in read if word not in _FILLERS)


def _acronym(designation: str) -> str | None:
    """The acronym a written designation is, if it is one: one word of two to six
    letters, or letters with dots ("L.D.C.")."""
    letters = re.sub(r"[.\s]", "", designation)
    if (
        2 <= len(letters) <= 6
        and letters.isalpha()
        and ("." in designation or designation.strip().isupper())
    ):
        return letters.casefold()
    return None


class DesignationIndex:
    """The canonical designations, and a state's aliases for them.

    ``aliases`` maps a written form to a canonical designation (each must be one of
    ``designations``); ``fuzzy``, a score from 0 to 100, also takes near spellings, with
    rapidfuzz (the ``match`` extra): 85 to 90 takes a letter or two wrong in a word, and
    no other word.
    """

    def __init__(
        self,
        designations: Iterable[str],
        *,
        aliases: Mapping[str, str] | None = None,
        fuzzy: float | None = None,
    ) -> None:
        self.designations: tuple[str, ...] = tuple(
            sorted({d.strip(): None for d in designations if d.strip()}, key=name_key)
        )
        self._by_key: dict[str, str] = {}
        self._by_words: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._by_acronym: dict[str, set[str]] = defaultdict(set)
        for designation in self.designations:
            self._by_key.setdefault(name_key(designation), designation)
            spelled = words(designation)
            self._by_words[tuple(sorted(spelled))].add(designation)
            if len(spelled) > 1:
                self._by_acronym["".join(w[0] for w in spelled)].add(designation)
        self._aliases = self._checked(aliases or {})
        if fuzzy is not None and not 0 <= fuzzy <= 100:
            raise ValueError(f"fuzzy is a score from 0 to 100, not {fuzzy!r}")
        self.fuzzy = fuzzy
        self._scorer = _rapidfuzz() if fuzzy is not None else None
        self._seen: dict[str, DesignationMatch] = {}  # a state writes each one many times
        self._keys: dict[str, str] = {}

    def _checked(self, aliases: Mapping[str, str]) -> dict[str | tuple[str, ...], str]:
        problems = [
            Problem(
                "is not one of the designations",
                Location(path=f"aliases[{written!r}]"),
                expected=_expected(canonical, self.designations),
                got=canonical,
                code="unknown",
            )
            for written, canonical in aliases.items()
            if canonical.strip() not in self.designations
        ]
        if problems:
            raise ValidationError(problems)
        # Found as written (case and punctuation aside), or by its words, like a designation.
        checked: dict[str | tuple[str, ...], str] = {}
        for written, canonical in aliases.items():
            checked[name_key(written)] = checked[tuple(sorted(words(written)))] = canonical.strip()
        return checked

    def __contains__(self, designation: object) -> bool:
        return isinstance(designation, str) and self.match(designation).matched

    def __len__(self) -> int:
        return len(self.designations)

    def __repr__(self) -> str:
        return (
            f"DesignationIndex({len(self.designations)} designations, "
            f"{len(set(self._aliases.values()))} with aliases, fuzzy={self.fuzzy})"
        )

    def key(self, written: str) -> str:
        """What two written designations share when they are one designation: the
        canonical one's key if ``written`` matches one, else its own (so that two ways of
        writing a designation the index does not hold still meet when only case and
        punctuation differ)."""
        key = self._keys.get(written)
        if key is None:
            meant = self.match(written).designation
            key = self._keys[written] = name_key(meant if meant is not None else written)
        return key

    def match(self, written: str) -> DesignationMatch:
        """The canonical designation ``written`` stands for, how, and how surely."""
        if written in self._seen:
            return self._seen[written]
        found = self._seen[written] = self._match(written)
        return found

    def _match(self, written: str) -> DesignationMatch:
        key = name_key(written)
        if key in self._by_key:
            return DesignationMatch(written, self._by_key[key], "exact", 100.0)
        spelled = tuple(sorted(words(written)))
        meant = self._aliases.get(key) or self._aliases.get(spelled)
        if meant is not None:
            return DesignationMatch(written, meant, "alias", 100.0)
        found = self._by_words.get(spelled, set())
        if len(found) == 1:
            return DesignationMatch(written, next(iter(found)), "words", 100.0)
        if len(found) > 1:
            return DesignationMatch(written, None, "ambiguous", 100.0, tuple(sorted(found)))
        acronym = _acronym(written)
        if acronym is not None and acronym in self._by_acronym:
            stands_for = sorted(self._by_acronym[acronym])
            if len(stands_for) == 1:
                return DesignationMatch(written, stands_for[0], "acronym", 100.0)
            return DesignationMatch(written, None, "ambiguous", 100.0, tuple(stands_for))
        return self._near(written)

    def _near(self, written: str) -> DesignationMatch:
        """A near spelling, when asked for and one designation is clearly nearest; else
        no match, with the nearest designations."""
        if self._scorer is None or not self.designations:
            return DesignationMatch(written, None, "none", 0.0, tuple(self._closest(written)))
        process, scorer = self._scorer
        mine = " ".join(sorted(words(written)))
        choices = {d: " ".join(sorted(words(d))) for d in self.designations}
        ranked = process.extract(mine, choices, scorer=scorer, limit=3)
        best_score = float(ranked[0][1])
        best = sorted(d for _text, score, d in ranked if score == ranked[0][1])
        runner_up = float(ranked[1][1]) if len(ranked) > 1 else 0.0
        nearest = tuple(d for _text, _score, d in ranked)
        if best_score < (self.fuzzy or 0):
            return DesignationMatch(written, None, "none", best_score, nearest)
        if len(best) > 1 or best_score - runner_up < _MARGIN:
            return DesignationMatch(written, None, "ambiguous", best_score, nearest[:2])
        return DesignationMatch(written, best[0], "fuzzy", round(best_score, 1))

    def _closest(self, written: str) -> list[str]:
        return close_matches(written, self.designations)


_MARGIN = 5.0
"""How much nearer than the next a near spelling must be to be taken."""


def _rapidfuzz() -> tuple[Any, Any]:
    try:
        rapidfuzz = importlib.import_module("rapidfuzz")
    except ImportError:
        raise ImportError(
            "fuzzy designation matching needs rapidfuzz: pip install 'karmayogi[match]'"
        ) from None
    return rapidfuzz.process, rapidfuzz.fuzz.ratio


def _expected(value: str, designations: Iterable[str]) -> str:
    near = close_matches(value, designations)
    return "one of " + ", ".join(map(repr, near)) if near else "one of the designations"


ALIAS_COLUMNS = {
    "alias": ("Alias", "Written", "Variant", "As Written"),
    "designation": ("Designation", "Canonical", "Canonical Designation"),
}


def read_aliases_csv(
    source: Source, designations: Iterable[str], *, limits: Limits = DEFAULT_LIMITS
) -> dict[str, str]:
    """A state's alias table (``Alias, Designation``), each designation checked against
    ``designations``: every bad row is reported at once, with its row number."""
    known = tuple(designations)
    by_key = {name_key(d): d for d in known}
    table = read_table(source, ALIAS_COLUMNS, ("alias", "designation"), limits)
    problems: list[Problem] = []
    aliases: dict[str, str] = {}
    seen: dict[str, tuple[int, str]] = {}  # an alias's key: its first row and designation
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        alias, canonical = values.get("alias", ""), values.get("designation", "")
        if not alias or not canonical:
            column = "alias" if not alias else "designation"
            problems.append(Problem("is blank", table.where(row, column), code="blank"))
            continue
        meant = by_key.get(name_key(canonical))
        if meant is None:
            problems.append(
                Problem(
                    "is not one of the designations",
                    table.where(row, "designation"),
                    expected=_expected(canonical, known),
                    got=canonical,
                    code="unknown",
                )
            )
            continue
        first, before = seen.setdefault(name_key(alias), (row, meant))
        if before != meant:
            problems.append(
                Problem(
                    f"was given another designation on row {first}",
                    table.where(row, "designation"),
                    expected=repr(before),
                    got=meant,
                    code="inconsistent",
                )
            )
            continue
        aliases[alias] = meant
    if problems:
        raise ValidationError(problems)
    return aliases


__dir__ = presented(__name__, globals(), __all__)
