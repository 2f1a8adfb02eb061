"""An attacker against one suppressed count over the tree: knowing every published
number, which units have no people of their own, and which counts are zero (a unit with
no allocations is known to have no completions), they solve the tree's sums (a parent is
its children plus its own people) as far as they go, and must find no hidden count from
1 to N-1."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi._publish import hidden_units
from karmayogi.org import OrgTree

from .strategies import org_trees


def solved(tree: OrgTree, shown: dict[str, int], own_zero: set[str]) -> dict[str, int]:
    """Every count the sums give away: a unit's count is its children's plus its own
    people's, which the attacker knows only where there are none."""
    known = dict(shown)
    changed = True
    while changed:
        changed = False
        for unit in tree.units:
            children = list(tree.children(unit))
            if not children or unit not in own_zero:
                continue  # its own people are an unknown in the sum: nothing to solve
            unknown = [c for c in children if c not in known]
            if unit in known and len(unknown) == 1:
                known[unknown[0]] = known[unit] - sum(known[c] for c in children if c in known)
                changed = True
            elif unit not in known and not unknown:
                known[unit] = sum(known[c] for c in children)
                changed = True
    return known


@st.composite
def counts(draw: st.DrawFn) -> tuple[OrgTree, dict[str, int], set[str], int]:
    """A tree, its counts (each unit its own people's plus its children's), the units
    with no people of their own, and a threshold."""
    tree = draw(org_trees(max_units=10))
    own = {u: draw(st.sampled_from([0, 0, 1, 2, 3, 5, 8, 20])) for u in tree.units}
    values: dict[str, int] = {}
    for unit in reversed(list(tree.units)):  # children after parents: sum them first
        values[unit] = own[unit] + sum(values[c] for c in tree.children(unit))
    return tree, values, {u for u, n in own.items() if n == 0}, draw(st.integers(2, 10))


@settings(max_examples=max(500, settings.default.max_examples))
@given(counts())
def test_no_hidden_small_count_can_be_solved_from_the_published_ones(
    case: tuple[OrgTree, dict[str, int], set[str], int],
) -> None:
    tree, values, own_zero, below = case
    hidden = hidden_units(values, tree, below)
    shown = {u: v for u, v in values.items() if u not in hidden}
    assert all(not 0 < v < below for v in shown.values())
    zeros = {u: 0 for u, v in values.items() if v == 0}  # known from elsewhere
    known = solved(tree, shown | zeros, own_zero)
    for unit in hidden:
        if unit in known:
            assert known[unit] == values[unit]
            assert not 0 < values[unit] < below, (unit, values[unit], hidden)
