"""Courses mapped to competencies from their words, offline, with the reasons shown; and
a catalogue's coverage of what roles require.

A catalogue from a state's own institutes names courses, not competencies. A
:class:`CourseMapper` reads a course's title (and description) and suggests the themes
of the competency model it builds, best first, each with a score and the words that
matched, for a person to accept or reject. Their choices are kept in a :class:`Review`
(a CSV file) and respected on the next run: a rejected competency is not suggested
again, and accepted ones are applied to the catalogue.

The model is lexical and runs where the data is: TF-IDF over words and over character
n-grams (scikit-learn, the ``mapping`` extra), fitted on the framework itself: each
theme's name, its sub-themes' names, descriptions and labels, and a glossary of the
words course titles use for it (``data/kcm_glossary.json``). No network, no downloaded
model; the same inputs give the same suggestions.

>>> mapper = CourseMapper()
>>> best = mapper.suggest("RTI Act 2005 for Public Information Officers")[0]
>>> best.path, best.words
('Functional / Handling RTI Matters', ('rti act', 'public information'))
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any, Literal

import attrs

from karmayogi._api import presented
from karmayogi._catalogue_csv import level_in
from karmayogi._csv import Source, opened, read_table, safe_writer
from karmayogi._html import Tabular
from karmayogi.cbp import Catalogue, Course, CourseCompetency
from karmayogi.competency import (
    Framework,
    Position,
    ProficiencyLevel,
    Theme,
    default_framework,
)
from karmayogi.errors import Match, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "CourseMapper",
    "CourseMapping",
    "Coverage",
    "Decision",
    "Gap",
    "MappedRow",
    "Review",
    "Suggestion",
    "coverage",
    "read_review_csv",
    "write_review_csv",
]

Decision = Literal["accepted", "rejected"]
WORD_SHARE = 0.5
"""How much of a score the word model gives; the character model gives the rest."""


@functools.cache
def _glossary() -> dict[str, tuple[str, ...]]:
    text = resources.files("karmayogi").joinpath("data/kcm_glossary.json").read_text("utf-8")
    return {k: tuple(v) for k, v in json.loads(text)["themes"].items()}


def _sklearn() -> tuple[Any, Any]:
    try:
        text = importlib.import_module("sklearn.feature_extraction.text")
        pairwise = importlib.import_module("sklearn.metrics.pairwise")
    except ImportError:
        raise ImportError(
            "mapping courses to competencies needs scikit-learn: pip install 'karmayogi[mapping]'"
        ) from None
    return text.TfidfVectorizer, pairwise.cosine_similarity


@attrs.frozen
class Suggestion:
    """A competency a course may build: the theme (and the sub-theme whose words it
    shares, if one), how close (0 to 1), and the words that matched."""

    theme: str
    sub_theme: str | None
    path: str
    score: float
    words: tuple[str, ...]

    @property
    def competency(self) -> str:
        """The sub-theme, where one matched; else the theme."""
        return self.sub_theme or self.theme

    def __str__(self) -> str:
        matched = f" (matched: {', '.join(self.words)})" if self.words else ""
        return f"{self.competency} {self.path}: {self.score:.2f}{matched}"


class CourseMapper:
    """Suggests the themes a course builds, from its title and description.

    ``framework`` defaults to the bundled model, and every theme of it is a candidate;
    with ``organisation``, only the national themes and that organisation's Domain
    themes are. ``glossary`` adds words for themes (by identifier) to the bundled
    glossary, for a state's own vocabulary.
    """

    def __init__(
        self,
        framework: Framework | None = None,
        *,
        organisation: str | None = None,
        glossary: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        vectorizer, self._cosine = _sklearn()
        self.framework = framework if framework is not None else default_framework()
        words = dict(_glossary())
        for theme, extra in (glossary or {}).items():
            words[theme] = (*words.get(theme, ()), *extra)
        self.themes: tuple[Theme, ...] = tuple(
            c.theme
            for c in self.framework.competencies(organisation=organisation)
            if c.sub_theme is None
        )
        documents = [self._document(theme, words.get(theme.id, ())) for theme in self.themes]
        self._words = vectorizer(
            ngram_range=(1, 2), sublinear_tf=True, stop_words="english", token_pattern=_TOKEN
        )
        self._chars = vectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self._theme_words = self._words.fit_transform(documents)
        self._theme_chars = self._chars.fit_transform(documents)
        self._vocabulary = self._words.get_feature_names_out()
        self._names_with: defaultdict[str, int] = defaultdict(int)  # competencies, by word
        for competency in self.framework.competencies(organisation=organisation):
            for word in set(_words_of(competency.name)):
                self._names_with[word] += 1

    def _document(self, theme: Theme, glossary: Iterable[str]) -> str:
        subs = self.framework.sub_themes_of(theme)
        parts = [theme.name, theme.name, theme.description or ""]
        parts += [f"{s.name}. {s.description or ''}" for s in subs]
        parts += [*theme.labels.values(), *(v for s in subs for v in s.labels.values())]
        parts += list(glossary)
        return " . ".join(p for p in parts if p)

    def suggest(self, course: Course | str, *, k: int = 5) -> tuple[Suggestion, ...]:
        """The ``k`` themes ``course`` (a course, or its title) most likely builds, best
        first; ties go to the theme first in the framework."""
        return self._suggest_all([_text(course)], k)[0]

    def _suggest_all(self, texts: Sequence[str], k: int) -> list[tuple[Suggestion, ...]]:
        word_vectors = self._words.transform(texts)
        scores = WORD_SHARE * self._cosine(word_vectors, self._theme_words) + (
            1 - WORD_SHARE
        ) * self._cosine(self._chars.transform(texts), self._theme_chars)
        out = []
        for n, text in enumerate(texts):
            row = scores[n]
            ranked = sorted(range(len(self.themes)), key=lambda i: (-row[i], i))[:k]
            out.append(
                tuple(
                    self._suggestion(self.themes[i], float(row[i]), word_vectors[n], text, i)
                    for i in ranked
                    if row[i] > 0
                )
            )
        return out

    def _suggestion(self, theme: Theme, score: float, vector: Any, text: str, i: int) -> Suggestion:
        shared = vector.multiply(self._theme_words[i])
        weight = {
            str(self._vocabulary[j]): float(w)
            for j, w in zip(shared.indices, shared.data, strict=True)
        }
        # A phrase that matched says more than its words; its words are not repeated.
        phrases = [t for t in weight if " " in t]
        covered = {w for t in phrases for w in t.split()}
        terms = phrases + [t for t in weight if " " not in t and t not in covered]
        words = sorted(terms, key=lambda t: (-weight[t], t))[:5]
        sub = self._sub_theme(theme, text)
        competency = self.framework.get(sub or theme.id)
        return Suggestion(theme.id, sub, competency.path, round(score, 4), tuple(words))

    def _sub_theme(self, theme: Theme, text: str) -> str | None:
        """The sub-theme of ``theme`` whose own words (those no other competency's name
        has) the text uses most, if it uses any."""
        said = set(_words_of(text))
        best, best_shared = None, 0
        for sub in self.framework.sub_themes_of(theme):
            own = {w for w in _words_of(sub.name) if self._names_with[w] == 1}
            shared = len(said & own)
            if shared > best_shared:
                best, best_shared = sub.id, shared
        return best

    def map_catalogue(
        self, catalogue: Catalogue, *, k: int = 5, review: Review | None = None
    ) -> CourseMapping:
        """Suggestions for every course of ``catalogue``: what ``review`` accepted first,
        then the best ``k`` it did not reject."""
        review = review or Review()
        matched = review.match(catalogue).check()
        texts = [_text(course) for course in catalogue.courses]
        rows: list[MappedRow] = []
        for course, suggestions in zip(
            catalogue.courses, self._suggest_all(texts, k + 10), strict=True
        ):
            accepted = review.accepted.get(course.id, {})
            rejected = review.rejected.get(course.id, frozenset())
            for competency in accepted:
                path = self.framework.get(competency).path if competency in self.framework else ""
                rows.append(
                    MappedRow(course.id, course.name, competency, path, None, (), "accepted")
                )
            kept = [
                s for s in suggestions
                if s.competency not in rejected and s.theme not in rejected
                and s.competency not in accepted and s.theme not in accepted
            ][:k]  # fmt: skip
            rows += [
                MappedRow(
                    course.id, course.name, s.competency, s.path, s.score, s.words, "suggested"
                )
                for s in kept
            ]
        return CourseMapping(tuple(rows), matched)


_TOKEN = r"(?u)\b\w[\w&]*\b"
_STOP = frozenset(("a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "at"))


def _words_of(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.casefold()) if w not in _STOP]


def _text(course: Course | str) -> str:
    if isinstance(course, str):
        return course
    return f"{course.name}. {course.description}" if course.description else course.name


@attrs.frozen
class MappedRow:
    """One competency for one course: accepted in a review, or suggested (with the
    score and the words that matched)."""

    course: str
    name: str
    competency: str
    path: str
    score: float | None
    words: tuple[str, ...]
    status: Literal["accepted", "suggested"]


@attrs.frozen
class CourseMapping(Tabular):
    """A catalogue's suggested (and accepted) competencies, a row each, by course.
    :func:`write_review_csv` writes it as the review file a person fills in."""

    rows: tuple[MappedRow, ...]
    matched: Match | None = None
    """How the review's courses met the catalogue's."""

    def __len__(self) -> int:
        return len(self.rows)

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = ["course", "name", "competency", "path", "score", "words", "status"]
        return header, [
            [r.course, r.name, r.competency, r.path, r.score, ", ".join(r.words), r.status]
            for r in self.rows
        ]

    def _html_title(self) -> str:
        return "Courses mapped to competencies"


@attrs.frozen
class Review:
    """A person's decisions on suggestions: accepted competencies (with the level the
    course builds them to, where said) and rejected ones, by course."""

    accepted: Mapping[str, Mapping[str, ProficiencyLevel | None]] = attrs.Factory(dict)
    rejected: Mapping[str, frozenset[str]] = attrs.Factory(dict)

    def match(self, catalogue: Catalogue) -> Match:
        """How many of the courses this review decides on ``catalogue`` has: a review
        made for another catalogue (or naming courses by title) meets nothing."""
        decided = sorted(set(self.accepted) | set(self.rejected))
        missed = [c for c in decided if c not in catalogue]
        return Match(
            join="the review's courses in the catalogue",
            matched=len(decided) - len(missed),
            total=len(decided),
            unmatched=tuple(missed[:3]),
            hint="a review names courses by the catalogue's Course Id: is it this catalogue's?",
        )

    def apply(
        self, catalogue: Catalogue, *, level: ProficiencyLevel | int = ProficiencyLevel.BASIC
    ) -> Catalogue:
        """``catalogue`` with each accepted competency added to its course (at the level
        the review says, else ``level``); competencies a course already has are kept. A
        review none of whose courses the catalogue has is a
        :class:`~karmayogi.errors.NoMatchError`."""
        self.match(catalogue).check()
        default = ProficiencyLevel.parse(level)
        courses = []
        for course in catalogue.courses:
            have = {c.competency for c in course.competencies}
            added = [
                CourseCompetency(competency=c, level=lv or default)
                for c, lv in self.accepted.get(course.id, {}).items()
                if c not in have
            ]
            courses.append(
                course.model_copy(update={"competencies": course.competencies + tuple(added)})
                if added
                else course
            )
        return Catalogue(courses=courses)


REVIEW_COLUMNS = {
    "course": ("Course Id", "Course ID", "Course"),
    "competency": ("Competency", "Competency Id"),
    "decision": ("Decision",),
    "level": ("Level", "Proficiency Level"),
}


def read_review_csv(
    source: Source, framework: Framework | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> Review:
    """A review file (``Course Id, Competency, Decision, Level``; other columns, such
    as the suggestions' ``Path`` and ``Score``, are read past). A blank decision is
    undecided; every bad row is reported at once."""
    framework = framework if framework is not None else default_framework()
    table = read_table(source, REVIEW_COLUMNS, ("course", "competency", "decision"), limits)
    problems: list[Problem] = []
    accepted: dict[str, dict[str, ProficiencyLevel | None]] = defaultdict(dict)
    rejected: defaultdict[str, set[str]] = defaultdict(set)
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        decision = values.get("decision", "").casefold()
        if not decision:
            continue
        if decision not in ("accepted", "rejected"):
            problems.append(
                Problem(
                    "is not a decision",
                    table.where(row, "decision"),
                    expected="accepted, rejected or blank",
                    got=values["decision"],
                    code="malformed",
                )
            )
            continue
        competency = values.get("competency", "")
        if competency not in framework:
            problems.append(
                Problem(
                    f"is not in framework {framework.id!r}",
                    table.where(row, "competency"),
                    got=competency,
                    code="unknown",
                )
            )
            continue
        level = level_in(table, row, values["level"]) if values.get("level") else None
        if isinstance(level, Problem):
            problems.append(level)
            continue
        if decision == "accepted":
            accepted[values["course"]][competency] = level
        else:
            rejected[values["course"]].add(competency)
    if problems:
        raise ValidationError(problems)
    return Review(dict(accepted), {c: frozenset(v) for c, v in rejected.items()})


def write_review_csv(mapping: CourseMapping, target: Source) -> None:
    """The mapping as a review file: a row per suggestion with a blank ``Decision`` for
    a person to fill with ``accepted`` or ``rejected``; accepted rows say so."""
    with opened(target, "w") as (_file, handle):
        out = safe_writer(handle)
        out.writerow(
            [
                "Course Id",
                "Course Name",
                "Competency",
                "Path",
                "Score",
                "Words",
                "Decision",
                "Level",
            ]
        )
        for r in mapping.rows:
            out.writerow(
                [
                    r.course,
                    r.name,
                    r.competency,
                    r.path,
                    "" if r.score is None else f"{r.score:.3f}",
                    ", ".join(r.words),
                    "accepted" if r.status == "accepted" else "",
                    "",
                ]
            )


# --- Coverage ---------------------------------------------------------------------------


@attrs.frozen
class Gap:
    """A competency some position requires that no course of the catalogue builds to
    the level required."""

    organisation: str | None
    competency: str
    path: str
    required: ProficiencyLevel
    positions: tuple[str, ...]
    best: ProficiencyLevel | None
    """The highest level some course builds it to, if any builds it at all."""


@attrs.frozen
class Coverage(Tabular):
    """What the catalogue does not build of what positions require, by organisation."""

    gaps: tuple[Gap, ...]
    required: int
    """How many (organisation, competency) requirements there are in all."""

    def __len__(self) -> int:
        return len(self.gaps)

    @property
    def covered(self) -> float:
        """The share of requirements some course builds to the level required."""
        return 1.0 if not self.required else 1 - len(self.gaps) / self.required

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = ["organisation", "competency", "path", "required", "best", "positions"]
        return header, [
            [
                g.organisation,
                g.competency,
                g.path,
                int(g.required),
                None if g.best is None else int(g.best),
                ", ".join(g.positions),
            ]
            for g in self.gaps
        ]

    def _html_title(self) -> str:
        return f"Not built by the catalogue ({self.covered:.0%} covered)"


def coverage(
    positions: Iterable[Position], catalogue: Catalogue, framework: Framework | None = None
) -> Coverage:
    """The competencies positions require that no course builds to the level required,
    by organisation (the highest level any position of it requires), with the highest
    level a course does build them to."""
    framework = framework if framework is not None else default_framework()
    needed: dict[tuple[str | None, str], tuple[ProficiencyLevel, set[str]]] = {}
    for position in positions:
        for requirement in position.requirements():
            key = (position.organisation, requirement.competency)
            level, names = needed.get(key, (requirement.level, set()))
            needed[key] = (max(level, requirement.level), names | {position.name})
    built: dict[str, ProficiencyLevel] = {}
    for course in catalogue.courses:
        for c in course.competencies:
            built[c.competency] = max(c.level, built.get(c.competency, c.level))
    gaps = [
        Gap(
            organisation,
            competency,
            framework.get(competency).path if competency in framework else "",
            level,
            tuple(sorted(names)),
            built.get(competency),
        )
        for (organisation, competency), (level, names) in sorted(
            needed.items(), key=lambda item: (item[0][0] or "", item[0][1])
        )
        if built.get(competency, 0) < level
    ]
    return Coverage(tuple(gaps), len(needed))


__dir__ = presented(__name__, globals(), __all__)
