"""The report's charts, drawn by matplotlib (the ``charts`` extra) as inline SVG.

Each function takes plain numbers and returns one ``<svg>`` element as text, with its
text kept as text (so it reads in the page's font and can be searched) and no external
reference, so the report opens offline. Figures are made without pyplot: pyplot keeps
global state, which a library must not touch.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

from karmayogi._figures import hours_text

BLUE, ORANGE, GREEN, AMBER, GREY = "#1f5fa8", "#e07b39", "#1b7837", "#f1a340", "#d0d0d0"
"""The palette; the screenshot test looks for these colours on the page."""

_STYLE: Any = {
    "svg.fonttype": "none",  # text as <text>, not paths
    "svg.hashsalt": "karmayogi",  # the same ids every run
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
}


def _svg(figure: Figure, label: str) -> str:
    out = io.StringIO()
    with mpl.rc_context(_STYLE):
        figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = out.getvalue()
    # Inline SVG needs neither the XML declaration nor the DOCTYPE, nor matplotlib's
    # metadata block: all three name web addresses, which a page that opens offline
    # should not hold even where nothing would fetch them.
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    return re.sub(r"<svg ", f'<svg role="img" aria-label="{label}" ', text, count=1)


def _figure(width: float, height: float) -> Figure:
    """A figure laid out to fit; callers hold the style's context while they draw."""
    return Figure(figsize=(width, height), layout="constrained")


def departments(
    names: Sequence[str],
    rates: Sequence[float | None],
    hours: Sequence[float | None],
    *,
    narrow: bool = False,
) -> str:
    """Completion rate and learning hours, one bar per department; a number suppression
    hid has no bar, and a * where it would be. ``narrow``: for a phone, the two panels
    one above the other."""
    with mpl.rc_context(_STYLE):
        tall = 0.45 * len(names) + 1.2
        figure = _figure(*((_NARROW, 2 * tall) if narrow else (9, tall)))
        left, right = figure.subplots(2, 1) if narrow else figure.subplots(1, 2, sharey=True)
        ys = range(len(names))
        percent = [None if r is None else 100 * r for r in rates]
        left.barh(ys, _bars(percent), color=BLUE)
        left.set_xlim(0, 100)
        left.set_title("Completion rate (% of enrolments)")
        right.barh(ys, _bars(hours), color=ORANGE)
        right.set_title("Learning hours")
        shown = [_wrapped(n) for n in names] if narrow else list(names)
        for axes in (left, right) if narrow else (left,):
            axes.set_yticks(list(ys), shown)
            axes.invert_yaxis()
        for axes, values, write in ((left, percent, _percent), (right, hours, hours_text)):
            for y, value in zip(ys, values, strict=True):
                axes.annotate(
                    _HIDDEN if value is None else write(value),
                    (value or 0, y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
            axes.margins(x=0.25 if narrow else 0.15)
    return _svg(figure, "Completion rate and learning hours by department")


_NARROW = 4.2
"""A phone's chart width, in inches: about the width of its screen, so that its text
stays the size it was drawn at."""


def _wrapped(name: str, width: int = 18) -> str:
    """A long name over lines, for a narrow chart's axis."""
    return "\n".join(textwrap.wrap(name, width)) or name


def _percent(value: float) -> str:
    return f"{value:.0f}%"


_HIDDEN = "*"
"""Where a suppressed number would be: never drawn as a zero."""


def _bars(values: Sequence[float | None]) -> list[float]:
    """Bar lengths, a hidden number drawn as no bar at all (NaN), not as a zero."""
    return [float("nan") if v is None else v for v in values]


def quarters(
    labels: Sequence[str],
    enrolments: Sequence[float | None],
    completions: Sequence[float | None],
    hours: Sequence[float | None],
    *,
    narrow: bool = False,
) -> str:
    """Enrolments and completions per quarter as bars, learning hours as a line; a
    hidden number has no bar (a * marks it) and breaks the line."""
    with mpl.rc_context(_STYLE):
        figure = _figure(_NARROW if narrow else 9, 3.8 if narrow else 3.4)
        axes = figure.subplots()
        xs = list(range(len(labels)))
        width = 0.38
        for shift, values, colour, label in (
            (-width / 2, enrolments, BLUE, "Enrolments"),
            (width / 2, completions, GREEN, "Completions"),
        ):
            at = [x + shift for x in xs]
            axes.bar(at, _bars(values), width, color=colour, label=label)
            for x, value in zip(at, values, strict=True):
                if value is None:
                    axes.annotate(_HIDDEN, (x, 0), ha="center", va="bottom", fontsize=9)
        axes.set_xticks(xs, [_wrapped(label, 8) for label in labels] if narrow else list(labels))
        axes.set_ylabel("Enrolments, completions")
        twin: Any = axes.twinx()
        twin.plot(xs, _bars(hours), color=ORANGE, marker="o", label="Learning hours")
        twin.set_ylabel("Learning hours")
        twin.set_ylim(bottom=0)
        twin.spines["top"].set_visible(False)
        handles = [*axes.get_legend_handles_labels()[0], *twin.get_legend_handles_labels()[0]]
        if narrow:
            axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.28),
                        ncol=3, frameon=False, fontsize=8)  # fmt: skip
        else:
            axes.legend(handles=handles, loc="upper left", frameon=False)
        axes.set_title("Progress over the year, by quarter" if narrow else
                       "Progress over the financial year, by quarter")  # fmt: skip
    return _svg(figure, "Enrolments, completions and learning hours by quarter")


def compliance(
    names: Sequence[str],
    *,
    on_time: Sequence[int | None],
    late: Sequence[int | None],
    open_: Sequence[int | None],
    apar_compliant: Sequence[int | None],
    apar_users: Sequence[int | None],
    narrow: bool = False,
) -> str:
    """Plan courses by outcome (share of those allocated), and APAR compliance; a
    department whose numbers suppression hid has no bar, and a * where it would be.
    ``narrow``: for a phone, the two panels one above the other."""
    with mpl.rc_context(_STYLE):
        tall = 0.45 * len(names) + 1.4
        if narrow:
            figure = _figure(_NARROW, 2 * tall + 0.6)
            left, right = figure.subplots(2, 1)
        else:
            figure = _figure(9, tall)
            left, right = figure.subplots(1, 2, sharey=True, width_ratios=(3, 2))
        ys = list(range(len(names)))
        outcomes = list(zip(on_time, late, open_, strict=True))
        start = [0.0] * len(names)
        for i, colour, label in (
            (0, GREEN, "Completed on time"),
            (1, AMBER, "Completed late"),
            (2, GREY, "Not completed"),
        ):
            share = [_share_of(row, i) for row in outcomes]
            left.barh(ys, _bars(share), left=start, color=colour, label=label)
            start = [s + (v or 0.0) for s, v in zip(start, share, strict=True)]
        for y, row in zip(ys, outcomes, strict=True):
            if None in row:
                left.annotate(_HIDDEN, (0, y), xytext=(3, 0), textcoords="offset points")
        left.set_xlim(0, 100)
        left.set_title("Plan courses (% of those allocated)")
        below = -0.25 if narrow else -0.12
        left.legend(loc="upper center", bbox_to_anchor=(0.5, below), ncol=3, frameon=False,
                    fontsize=8 if narrow else None)  # fmt: skip
        shown = [_wrapped(n) for n in names] if narrow else list(names)
        for axes in (left, right) if narrow else (left,):
            axes.set_yticks(ys, shown)
            axes.invert_yaxis()
        apar = [
            None if c is None or u is None else (100 * c / u if u else 0.0)
            for c, u in zip(apar_compliant, apar_users, strict=True)
        ]
        right.barh(ys, _bars(apar), color=BLUE)
        right.set_xlim(0, 100)
        right.set_title("APAR-compliant officers (%)")
        for y, value in zip(ys, apar, strict=True):
            right.annotate(
                _HIDDEN if value is None else f"{value:.0f}%",
                (value or 0, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
    return _svg(figure, "Plan compliance and APAR status by department")


def _share_of(row: tuple[int | None, ...], i: int) -> float | None:
    """Part ``i`` of a row as a percentage of the row; None when any part is hidden."""
    known = [v for v in row if v is not None]
    if len(known) < len(row):
        return None
    return 100 * known[i] / max(1, sum(known))


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    *,
    narrow: bool = False,
) -> str:
    """The share of people short of each competency (rows) in each group (columns);
    blank where nobody in the group needs it, a * where suppression hid it (NaN). The
    figure is as wide as its columns need (about three quarters of an inch each), not the
    page, so that each row's label stays beside its cells."""
    import numpy as np  # matplotlib's own dependency

    with mpl.rc_context(_STYLE):
        if narrow:
            rows = [_wrapped(r, 22) for r in rows]
            columns = [_wrapped(c, 16) for c in columns]
        width = _NARROW if narrow else min(9.0, 3.4 + 0.8 * len(columns) + 1.2)
        figure = _figure(width, (0.42 if narrow else 0.32) * len(rows) + 2.4)
        axes = figure.subplots()
        data = np.ma.masked_invalid(
            np.array([[np.nan if v is None else 100 * v for v in row] for row in shares], float)
        )
        # A mesh of cells, not an image: it stays vector, with no embedded picture.
        image = axes.pcolormesh(
            data, cmap="OrRd", vmin=0, vmax=100, edgecolors="white", linewidth=0.5
        )
        axes.invert_yaxis()
        turn: dict[str, Any] = {"rotation": 90, "ha": "center"} if narrow else {
            "rotation": 30, "ha": "right"
        }  # fmt: skip
        axes.set_xticks([j + 0.5 for j in range(len(columns))], list(columns), **turn)
        axes.set_yticks([i + 0.5 for i in range(len(rows))], list(rows))
        for i, row in enumerate(shares):
            for j, value in enumerate(row):
                if value is not None and math.isnan(value):  # hidden: a mark, no colour
                    axes.text(j + 0.5, i + 0.5, _HIDDEN, ha="center", va="center", fontsize=7)
                elif value is not None:
                    axes.text(
                        j + 0.5,
                        i + 0.5,
                        f"{100 * value:.0f}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if value > 0.6 else "black",
                    )
        axes.spines[:].set_visible(False)
        bar = figure.colorbar(
            image,
            ax=axes,
            label="% of those who need it who are short",
            shrink=0.8,
            orientation="horizontal" if narrow else "vertical",
        )
        if bar.solids is not None:
            bar.solids.set_rasterized(False)  # vector too: no embedded picture in the page
        axes.set_title("Competency gaps: who falls short of their role's level")
    return _svg(figure, "Competency gap heat map")
