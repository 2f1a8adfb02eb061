"""How a public module presents what its private modules define (svcs' and packaging's
habits): ``dir()`` lists ``__all__``, and each class says the public path it is reached
by, so reprs, pickles, tracebacks and the API reference show that path."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["DEFINED_IN", "presented"]

DEFINED_IN: dict[type, str] = {}
"""Each class given a public path, to the private module that defines it (where its
doctests and its methods' globals are)."""


def presented(module: str, names: Mapping[str, Any], public: list[str]) -> Callable[[], list[str]]:
    """The module's ``__dir__``, once each public class defined in a private module is
    given ``module`` as its own (a class already on a public path keeps it)."""
    for name in public:
        value = names[name]
        if isinstance(value, type) and any(
            part.startswith("_") for part in value.__module__.split(".")
        ):
            DEFINED_IN[value] = value.__module__
            value.__module__ = module
    listed = sorted(public)

    def __dir__() -> list[str]:
        return list(listed)

    return __dir__
