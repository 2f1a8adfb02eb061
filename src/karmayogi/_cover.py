"""Choosing courses to close gaps: a weighted set cover, exact and deterministic.

Each option (a course) covers some needs (gaps) at a cost (seconds of learning). The
best choice covers the most mandatory needs, then the most needs, then costs the least,
within an optional budget. Without a budget every coverable need is covered, so this is
the classic minimum-cost set cover. It is NP-hard in general, but a role has a few dozen
gaps and few courses per gap, so a branch-and-bound search proves the optimum quickly;
a node limit keeps the worst case bounded, and then the best choice found is returned
and marked as not proven optimal. The work at a node is in the number of gaps, not of
courses (bounds found once, each need's options in order of cost), so the node limit is
a bound on time too, and the result does not depend on the machine's speed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

__all__ = ["Cover", "Option", "choose"]

NODE_LIMIT = 200_000


@attrs.frozen
class Option:
    key: str
    cost: int
    covers: frozenset[str]


@attrs.frozen
class Cover:
    chosen: tuple[str, ...]
    covered: frozenset[str]
    cost: int
    optimal: bool


Score = tuple[int, int, int]


@attrs.define
class _Search:
    mandatory: Mapping[str, bool]
    options: list[Option]
    by_need: dict[str, list[Option]]
    budget: int | None
    best: tuple[Score, tuple[Option, ...]]
    cheapest: dict[str, int] = attrs.Factory(dict)
    """Each need's cheapest option's cost: a node's lower bound without a scan."""
    nodes: int = 0
    exhausted: bool = False

    def score(self, covered: frozenset[str], cost: int) -> Score:
        return (sum(self.mandatory[n] for n in covered), len(covered), -cost)

    def run(
        self, open_: frozenset[str], covered: frozenset[str], chosen: tuple[Option, ...], cost: int
    ) -> None:
        self.nodes += 1
        if self.nodes > NODE_LIMIT:
            self.exhausted = True
        if self.exhausted:
            return
        score = self.score(covered, cost)
        if score > self.best[0]:
            self.best = (score, chosen)
        if not open_:
            return
        reachable = self.score(covered | open_, cost)
        best = self.best[0]
        if reachable[:2] < best[:2]:
            return
        if reachable[:2] == best[:2]:
            # Reaching that coverage means covering every open need.
            floor = max(self.cheapest[n] for n in open_)
            if cost + floor >= -best[2]:
                return
        pivot = min(open_, key=lambda n: (len(self.by_need[n]), n))
        for option in self.by_need[pivot]:  # in order of cost
            if self.budget is not None and cost + option.cost > self.budget:
                break  # and so is every option after it
            if option in chosen:
                continue
            self.run(
                open_ - option.covers,
                covered | (option.covers & open_),
                (*chosen, option),
                cost + option.cost,
            )
        if self.budget is not None:  # under a budget, a need may have to stay open
            self.run(open_ - {pivot}, covered, chosen, cost)


def choose(
    mandatory: Mapping[str, bool], options: Sequence[Option], *, budget: int | None = None
) -> Cover:
    """The best options for the needs (need -> mandatory?), whatever their input order."""
    useful = [
        Option(o.key, o.cost, o.covers & mandatory.keys())
        for o in sorted(options, key=lambda o: (o.cost, o.key))
        if o.covers & mandatory.keys()
    ]
    # An option that a cheaper kept one covers as much as is left out. The cheaper one
    # covers some need of it, so only the options kept for that need are compared.
    kept: list[Option] = []
    by_need: dict[str, list[Option]] = {n: [] for n in sorted(mandatory)}
    for option in useful:
        need = min(option.covers, key=lambda n: (len(by_need[n]), n))
        if any(p.covers >= option.covers for p in by_need[need]):
            continue
        kept.append(option)
        for covered in option.covers:
            by_need[covered].append(option)
    coverable = frozenset(n for n, covering in by_need.items() if covering)
    by_need = {n: covering for n, covering in by_need.items() if covering}
    cheapest = {n: min(o.cost for o in covering) for n, covering in by_need.items()}
    search = _Search(mandatory, kept, by_need, budget, ((0, 0, 0), ()), cheapest)
    greedy = _greedy(mandatory, kept, coverable, budget)
    search.best = (search.score(_union(greedy), sum(o.cost for o in greedy)), greedy)
    search.run(coverable, frozenset(), (), 0)
    _score, chosen = search.best
    return Cover(
        chosen=tuple(sorted(o.key for o in chosen)),
        covered=_union(chosen),
        cost=sum(o.cost for o in chosen),
        optimal=not search.exhausted,
    )


def _union(options: Sequence[Option]) -> frozenset[str]:
    return frozenset().union(*(o.covers for o in options))


def _value(option: Option, mandatory: Mapping[str, bool], open_: set[str]) -> tuple[float, str]:
    """Seconds per newly covered need, a mandatory need worth a thousand others."""
    gain = sum(1000 if mandatory[n] else 1 for n in option.covers & open_)
    return (-gain / max(option.cost, 1), option.key)


def _greedy(
    mandatory: Mapping[str, bool],
    options: Sequence[Option],
    coverable: frozenset[str],
    budget: int | None,
) -> tuple[Option, ...]:
    """Cheapest per newly covered need (mandatory needs first): a good first bound."""
    chosen: list[Option] = []
    open_, cost = set(coverable), 0
    while open_:
        candidates = [
            o for o in options if o.covers & open_ and (budget is None or cost + o.cost <= budget)
        ]
        if not candidates:
            break

        pick = min(candidates, key=lambda o: _value(o, mandatory, open_))
        chosen.append(pick)
        open_ -= pick.covers
        cost += pick.cost
    return tuple(chosen)
