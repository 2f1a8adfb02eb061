"""Errors, problems and findings: how karmayogi says that something is wrong.

The hierarchy::

    KarmayogiError                 anything karmayogi raises on purpose
    ├── ValidationError            input that breaks the rules (also a ValueError);
    │   │                          carries every Problem found, not just the first
    │   ├── LimitExceeded          input larger than a reader's limits allow
    │   └── NoMatchError           two inputs that were joined and met nowhere
    └── LookupFailed               a look-up that could not be answered (also a LookupError)
        ├── UnknownNameError       nothing matched; carries close matches ("did you mean")
        └── AmbiguousNameError     more than one thing matched; carries the candidates

A :class:`Problem` is one thing wrong with the input, at one place (file, row, field or
dotted path), with what was expected and what was got. A :class:`Finding` is advice, not
an error: a rule of thumb not met, or a part of an imported file that could not be mapped.

>>> err = ValidationError([
...     Problem("must be 1..5", Location(file="roles.csv", row=3, field="Level"),
...             expected="1..5", got="7", code="out-of-range"),
...     Problem("is blank", Location(file="roles.csv", row=9, field="Designation"),
...             code="blank"),
... ])
>>> print(err)
2 problems:
  roles.csv, row 3, field 'Level': must be 1..5 (expected 1..5, got '7')
  roles.csv, row 9, field 'Designation': is blank
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from karmayogi._api import presented

__all__ = [
    "AmbiguousNameError",
    "Finding",
    "KarmayogiError",
    "LimitExceeded",
    "Location",
    "LookupFailed",
    "Match",
    "NoMatchError",
    "Problem",
    "UnknownNameError",
    "ValidationError",
]


@attrs.frozen(kw_only=True)
class Location:
    """Where a problem is: any of a file, a row (1-based, the header is row 1), a field
    (a column) and a dotted path into a document (``themes[3].name``)."""

    file: str | None = None
    row: int | None = None
    field: str | None = None
    path: str | None = None

    def within(self, prefix: str) -> Location:
        """This location, with its path placed under ``prefix``."""
        if not prefix:
            return self
        if self.path is None:
            return attrs.evolve(self, path=prefix)
        joiner = "" if self.path.startswith("[") else "."
        return attrs.evolve(self, path=f"{prefix}{joiner}{self.path}")

    def __str__(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field {self.field!r}")
        if self.path is not None:
            parts.append(f"at {self.path!r}")
        return ", ".join(parts) or "(input)"


@attrs.frozen
class Problem:
    """One thing wrong with the input: what, where, what was expected and what was got.

        ``code`` says the kind of problem and is stable across releases, so that tests and
        portals match on it rather than on the message: ``blank``, ``malformed`` (not a date,
        a number, a status...), ``out-of-range``, ``unknown`` (names what is not there),
        ``repeated``, ``inconsistent`` (fields or rows that disagree), ``missing-column``,
        ``extra-cells``, ``encoding``, ``not-allowed`` (a rule of the model or a plan's
        lifecycle), ``empty``, ``limit-exceeded``, ``no-match``, ``password`` (a zip that is
    encrypted, and no password, or not this one, opens it); for a document's fields,
        pydantic's own error type (``missing``, ``int_parsing``...). Every problem karmayogi
        reports names its code; ``invalid`` is left for problems a caller builds without one.
    """

    message: str
    where: Location = attrs.field(factory=Location)
    expected: str | None = attrs.field(default=None, kw_only=True)
    got: str | None = attrs.field(default=None, kw_only=True)
    code: str = attrs.field(default="invalid", kw_only=True)

    def __str__(self) -> str:
        detail = []
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        if self.got is not None and repr(self.got) not in self.message:  # said once
            detail.append(f"got {self.got!r}")
        suffix = f" ({', '.join(detail)})" if detail else ""
        return f"{self.where}: {self.message}{suffix}"


@attrs.frozen
class Finding:
    """Advice rather than an error: a rule of thumb not met, or input that was bent to fit.

    ``code`` is stable across releases, so that portals and tests can match on it.
    """

    code: str
    message: str
    where: Location = attrs.field(factory=Location)

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]"


class KarmayogiError(Exception):
    """Base class of every error karmayogi raises on purpose."""


class ValidationError(KarmayogiError, ValueError):
    """The input breaks the rules; :attr:`problems` lists every problem found."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a ValidationError needs at least one problem")
        super().__init__(self.problems)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)


class LimitExceeded(ValidationError):
    """An input over one of a reader's :class:`~karmayogi.limits.Limits`, refused whole:
    :attr:`limit` names the measure (``file_size``, ``rows``, ``field_size`` or
    ``columns``) and :attr:`allowed` its cap."""

    def __init__(self, limit: str, allowed: int, where: Location, got: str) -> None:
        self.limit = limit
        self.allowed = allowed
        unit = _UNITS.get(limit, "")
        super().__init__(
            [
                Problem(
                    f"is over the limit on {limit.replace('_', ' ')}",
                    where,
                    expected=f"at most {allowed:,} {unit}".rstrip(),
                    got=got,
                    code="limit-exceeded",
                )
            ]
        )


_UNITS = {
    "file_size": "bytes",
    "rows": "rows",
    "field_size": "characters",
    "columns": "columns",
    "periods": "periods",
}


@attrs.frozen(kw_only=True)
class Match:
    """How well two inputs met where they were joined: how many of ``total`` (the
    left side's keys or rows) found a partner. Every join karmayogi makes on the user's
    behalf reports one, so that a number is never zero because two files did not meet.

    >>> m = Match(join="allocations to records, by course", matched=3, total=4,
    ...           unmatched=("do_9",))
    >>> print(m)
    allocations to records, by course: 3 of 4 matched (75%); unmatched: 'do_9'
    >>> m.poor, Match(join="j", matched=0, total=0).poor
    (True, False)
    """

    join: str
    """Which inputs were joined, and on what."""
    matched: int
    total: int
    unmatched: tuple[str, ...] = ()
    """Some of the keys that met nothing (a few, for the message), sorted."""
    hint: str | None = None
    """What to pass or check when the match is poor."""

    POOR = 0.1
    """The unmatched share above which a match is worth a warning."""

    @property
    def missed(self) -> int:
        return self.total - self.matched

    @property
    def poor(self) -> bool:
        """More than :attr:`POOR` of the total met nothing."""
        return self.total > 0 and self.missed > self.POOR * self.total

    def check(self) -> Match:
        """This match, or :class:`NoMatchError` if there was something to join and
        nothing met."""
        if self.total and not self.matched:
            raise NoMatchError(self)
        return self

    def __str__(self) -> str:
        text = f"{self.join}: {self.matched:,} of {self.total:,} matched"
        if self.total:
            text += f" ({self.matched / self.total:.0%})"
        if self.unmatched:
            text += "; unmatched: " + ", ".join(repr(k) for k in self.unmatched)
            if self.missed > len(self.unmatched):
                text += ", ..."
        if self.hint and self.poor:
            text += f"; {self.hint}"
        return text


class NoMatchError(ValidationError):
    """Two inputs were joined and nothing met: :attr:`match` says which, with some of
    the keys that did not meet and what to pass.

    >>> print(NoMatchError(Match(join="allocations to records, by course", matched=0,
    ...     total=2, unmatched=("do_1", "do_2"), hint="pass a catalogue")))
    allocations to records, by course: none of 2 matched (unmatched: 'do_1', 'do_2'); \
pass a catalogue
    """

    def __init__(self, match: Match) -> None:
        self.match = match
        super().__init__([Problem(self._sentence(), Location(path=match.join), code="no-match")])

    def _sentence(self) -> str:
        m = self.match
        text = f"{m.join}: none of {m.total:,} matched"
        if m.unmatched:
            more = ", ..." if m.missed > len(m.unmatched) else ""
            text += f" (unmatched: {', '.join(repr(k) for k in m.unmatched)}{more})"
        return text + (f"; {m.hint}" if m.hint else "")

    def __str__(self) -> str:
        return self._sentence()


class LookupFailed(KarmayogiError, LookupError):
    """A look-up by identifier or name could not be answered."""


class UnknownNameError(LookupFailed):
    """Nothing matched ``name``; :attr:`suggestions` holds close matches, best first."""

    def __init__(self, what: str, name: str, suggestions: Sequence[str] = ()) -> None:
        self.what = what
        self.name = name
        self.suggestions = tuple(suggestions)
        super().__init__(what, name, self.suggestions)

    def __str__(self) -> str:
        message = f"no {self.what} matches {self.name!r}"
        if self.suggestions:
            message += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        return message


class AmbiguousNameError(LookupFailed):
    """More than one thing matched ``name``; :attr:`candidates` lists them."""

    def __init__(self, what: str, name: str, candidates: Sequence[str]) -> None:
        self.what = what
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(what, name, self.candidates)

    def __str__(self) -> str:
        listed = ", ".join(repr(c) for c in self.candidates)
        return f"{self.name!r} matches more than one {self.what}: {listed}; name it more fully"


__dir__ = presented(__name__, globals(), __all__)
