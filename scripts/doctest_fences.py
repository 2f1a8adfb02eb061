"""The API reference's doctests as code: a griffe extension (named in mkdocs.yml) that
fences each doctest session in a docstring as ``pycon``. Unfenced, Markdown reads
``>>>`` as three nested quotes, and the output's brackets as links."""

from __future__ import annotations

from typing import Any

import griffe


class DoctestFences(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fenced(obj.docstring.value)


def fenced(text: str) -> str:
    """``text`` with each doctest session (a ``>>>`` line to the next blank line, as
    doctest reads it) between a line of ```` ```pycon ```` and one of ```` ``` ````, at
    the session's indent."""
    lines, out = text.splitlines(), []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.lstrip().startswith(">>>"):
            out.append(line)
            i += 1
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip():
            out.append(lines[i])
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)
