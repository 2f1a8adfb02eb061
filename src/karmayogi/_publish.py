"""Making numbers safe to publish: small counts suppressed so that no subtraction brings
them back, and person identifiers replaced by keyed pseudonyms."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from karmayogi.org import OrgTree

__all__ = ["hidden_units", "pseudonym"]

_MIN_KEY_BYTES = 16


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


def hidden_units(values: Mapping[str, int], tree: OrgTree, below: int) -> set[str]:
    """The units whose count must be hidden, for one count over the tree.

    First every count from 1 to ``below - 1``. Then, since a parent's count is its
    children's plus its own people's (the remainder), a group of a published parent needs
    two unknowns or none: a lone hidden child would be the parent minus its siblings, and a
    small remainder would show when every child is published. Such a group gets its
    smallest published child hidden too (or, with none left, the parent), until no group
    gives a hidden count away. A hidden unit must not be the sum of its published children
    either, so one of them is hidden with it.
    """
    if below < 2:  # 0 or 1 would hide nothing, and a caller would think it safe
        raise ValueError(f"counts from 1 to below-1 are hidden: below is 2 or more, got {below}")
    hidden = {unit for unit, value in values.items() if 0 < value < below}
    changed = True
    while changed:
        changed = False
        for unit in tree.units:
            children = tree.children(unit)
            if not children:
                continue
            remainder = values.get(unit, 0) - sum(values.get(child, 0) for child in children)
            hidden_children = [child for child in children if child in hidden]
            if unit in hidden:
                # A hidden unit must not show as the sum of its published children.
                exposed = not hidden_children and remainder == 0
            else:
                exposed = (len(hidden_children) == 1 and remainder == 0) or (
                    not hidden_children and 0 < remainder < below
                )
            if not exposed:
                continue
            # The complement is the smallest published child that is not zero: a zero is
            # often known from elsewhere (a unit with no allocations), and hiding it would
            # hide nothing. With none, the parent itself.
            published = sorted(
                (values.get(child, 0), child)
                for child in children
                if child not in hidden and values.get(child, 0) > 0
            )
            if published:
                hidden.add(published[0][1])
            elif unit not in hidden:
                hidden.add(unit)
            else:  # a hidden parent of zeros only: it is their sum, zero, and gives none away
                continue
            changed = True
    return hidden
