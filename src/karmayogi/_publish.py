"""Making numbers safe to publish: small counts suppressed so that no subtraction brings
them back, and person identifiers replaced by keyed pseudonyms."""

from __future__ import annotations

import collections
import hashlib
import hmac
import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

import attrs

from karmayogi.org import OrgTree

__all__ = ["Chain", "Sum", "hidden_cells", "hidden_units", "pseudonym", "unchained"]

_MIN_KEY_BYTES = 16

K = TypeVar("K", bound=Hashable)


def pseudonym(person: str, key: bytes | str) -> str:
    """A stable stand-in for ``person``: the same person and key give the same pseudonym,
    and without the key it cannot be traced back. The key is the caller's, never stored.

    >>> pseudonym("ravi@cg.gov.in", key=b"a secret of the state, 16+ bytes")
    'p-e069f5b933ce3c1c1230'
    """
    secret = key.encode() if isinstance(key, str) else key
    if len(secret) < _MIN_KEY_BYTES:
        raise ValueError(
            f"a pseudonym key needs at least {_MIN_KEY_BYTES} bytes, got {len(secret)}"
        )
    digest = hmac.new(secret, person.encode(), hashlib.sha256).hexdigest()
    return "p-" + digest[:20]


@attrs.frozen
class Sum(Generic[K]):
    """One thing a reader of the published numbers knows: ``total`` is its ``parts``
    plus a rest that no cell shows (a unit's own people, the flows between two
    cumulative periods, the late ones of the completed). The rest is worked out from the
    true numbers, so the rules below can ask whether it is zero or small."""

    total: K
    parts: tuple[K, ...]
    rest: float
    counts: bool = True
    """Whether the rest counts something (people, enrolments) and so must not be small."""


def hidden_cells(
    values: Mapping[K, float],
    sums: Sequence[Sum[K]],
    below: int,
    *,
    small: Callable[[K], bool],
    together: Callable[[K], Iterable[K]] = lambda key: (key,),
    hidden: Iterable[K] = (),
) -> set[K]:
    """The cells to hide so that no count from 1 to ``below - 1`` can be worked out.

    First every cell that ``small`` says is a count, from 1 to ``below - 1``, with the
    cells ``together`` says bound or determine it. Then no sum may give one away: a sum
    whose total is shown needs two hidden parts or none (with a rest of zero, a lone one
    is the total less the others), and with none hidden, a rest that is a small count
    shows; a hidden total must not be its shown parts. Such a sum gets its smallest
    shown part that is not zero hidden too (a zero is often known from elsewhere, so
    hiding one hides nothing, and a hidden zero counts as known), or with none left, its
    total; until no sum gives anything away. ``hidden`` are cells hidden already.
    """
    if below < 2:  # 0 or 1 would hide nothing, and a caller would think it safe
        raise ValueError(f"counts from 1 to below-1 are hidden: below is 2 or more, got {below}")
    touching: dict[K, list[int]] = {}
    for index, entry in enumerate(sums):
        for key in (entry.total, *entry.parts):
            touching.setdefault(key, []).append(index)
    hidden = set(hidden)
    waiting = list(range(len(sums)))  # every sum once; again when one of its cells hides

    def hide(key: K) -> None:
        for cell in (key, *together(key)):
            if cell in values and cell not in hidden:
                hidden.add(cell)
                waiting.extend(touching.get(cell, ()))

    for key, value in values.items():
        if small(key) and 0 < value < below:
            hide(key)
    while waiting:
        entry = sums[waiting.pop()]
        unknown = [p for p in entry.parts if p in hidden and values[p] != 0]
        nothing_left = abs(entry.rest) < 1e-9
        if entry.total in hidden and values[entry.total] != 0:
            exposed = not unknown and nothing_left
        else:
            exposed = (len(unknown) == 1 and nothing_left) or (
                not unknown and entry.counts and 0 < entry.rest < below
            )
        if not exposed:
            continue
        shown = sorted(
            (values[p], i) for i, p in enumerate(entry.parts) if p not in hidden and values[p] > 0
        )
        if shown:
            hide(entry.parts[shown[0][1]])
        elif entry.total not in hidden:
            hide(entry.total)
    return hidden


def hidden_units(values: Mapping[str, int], tree: OrgTree, below: int) -> set[str]:
    """The units whose count must be hidden, for one count over the tree: a parent's
    count is its children's plus its own people's, as :func:`hidden_cells` reads sums."""
    sums = [
        Sum(unit, children, values.get(unit, 0) - sum(values.get(c, 0) for c in children))
        for unit in tree.units
        if (children := tuple(tree.children(unit)))
    ]
    every = {unit: values.get(unit, 0) for unit in tree.units} | dict(values)
    return hidden_cells(every, sums, below, small=lambda _unit: True)


@attrs.frozen
class Chain(Generic[K]):
    """Numbers over time of one metric and unit, each the difference of a running total
    between two days: a flow from the day before it begins to its end, a cumulative
    period from ``origin`` (before anything) to its end. Any two days joined by shown
    numbers give away the count between them."""

    edges: tuple[tuple[K, Any, Any], ...]
    """Each cell with the days it lies between (days that sort, the origin first)."""
    origin: Any
    counts: bool = True


def unchained(
    values: Mapping[K, float],
    chains: Iterable[Chain[K]],
    hidden: set[K],
    below: int,
    hide: Callable[[K], None],
) -> bool:
    """Hide cells until no chain gives away a hidden number, or a small count between
    two consecutive days (a quarter's growth of a cumulative view): while two days are
    joined by shown numbers, the smallest shown one on the way is hidden. A zero counts
    as shown (often known from elsewhere), and days with nothing between them are one.
    Whether anything was hidden."""
    changed = False
    for chain in chains:
        level = _levels(values, chain)
        days = sorted({d for _c, a, b in chain.edges for d in (a, b)})
        targets = [(a, b) for cell, a, b in chain.edges if cell in hidden and values[cell] != 0]
        for a, b in itertools.pairwise(days):
            step = level[b] - level[a] if a in level and b in level else None
            if step is not None and chain.counts and 0 < step < below:
                targets.append((a, b))
        for a, b in targets:
            while (path := _path(_links(chain, values, hidden, level), a, b)) is not None:
                shown = sorted((values[c], i) for i, c in enumerate(path) if c not in hidden)
                shown = [(v, i) for v, i in shown if v > 0]
                if not shown:
                    break  # joined by zeros only: the number is zero, and hides nothing
                hide(path[shown[0][1]])
                changed = True
    return changed


def _levels(values: Mapping[K, float], chain: Chain[K]) -> dict[Any, float]:
    """The running total at each day, from the true numbers, where they reach it from
    the origin."""
    links: dict[Any, list[tuple[Any, float]]] = {}
    for cell, a, b in chain.edges:
        links.setdefault(a, []).append((b, values[cell]))
        links.setdefault(b, []).append((a, -values[cell]))
    level = {chain.origin: 0.0}
    waiting = [chain.origin]
    while waiting:
        day = waiting.pop()
        for other, step in links.get(day, ()):
            if other not in level:
                level[other] = level[day] + step
                waiting.append(other)
    return level


def _links(
    chain: Chain[K], values: Mapping[K, float], hidden: set[K], level: Mapping[Any, float]
) -> dict[Any, list[tuple[Any, K | None]]]:
    """The days joined by a shown number (or a zero), and those with nothing between."""
    links: dict[Any, list[tuple[Any, K | None]]] = {}
    for cell, a, b in chain.edges:
        if cell not in hidden or values[cell] == 0:
            links.setdefault(a, []).append((b, cell))
            links.setdefault(b, []).append((a, cell))
    days = sorted(level)
    for a, b in itertools.pairwise(days):
        if level[a] == level[b]:
            links.setdefault(a, []).append((b, None))
            links.setdefault(b, []).append((a, None))
    return links


def _path(links: Mapping[Any, list[tuple[Any, K | None]]], start: Any, end: Any) -> list[K] | None:
    """The cells on a shortest way from ``start`` to ``end``, or None when there is none."""
    came: dict[Any, tuple[Any, K | None]] = {start: (None, None)}
    waiting = collections.deque([start])
    while waiting:
        day = waiting.popleft()
        if day == end:
            path = []
            while day != start:
                day, cell = came[day]
                if cell is not None:
                    path.append(cell)
            return path
        for other, cell in links.get(day, ()):
            if other not in came:
                came[other] = (day, cell)
                waiting.append(other)
    return None
