"""The report's charts, drawn by matplotlib (the ``charts`` extra) as inline SVG.

Each function takes plain numbers and returns one ``<svg>`` element as text, with its
text kept as text (so it reads in the page's font and can be searched) and no external
reference, so the report opens offline. Figures are made without pyplot: pyplot keeps
global state, which a library must not touch.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

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


def departments(names: Sequence[str], rates: Sequence[float | None], hours: Sequence[float]) -> str:
    """Completion rate and learning hours, one bar per department."""
    with mpl.rc_context(_STYLE):
        figure = _figure(9, 0.45 * len(names) + 1.2)
        left, right = figure.subplots(1, 2, sharey=True)
        ys = range(len(names))
        percent = [100 * (r or 0.0) for r in rates]
        left.barh(ys, percent, color=BLUE)
        left.set_xlim(0, 100)
        left.set_title("Completion rate (% of enrolments)")
        right.barh(ys, hours, color=ORANGE)
        right.set_title("Learning hours")
        left.set_yticks(list(ys), list(names))
        left.invert_yaxis()
        for axes, values, fmt in ((left, percent, "{:.0f}%"), (right, hours, "{:,.0f}")):
            for y, value in zip(ys, values, strict=True):
                axes.annotate(
                    fmt.format(value),
                    (value, y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
            axes.margins(x=0.15)
    return _svg(figure, "Completion rate and learning hours by department")


def quarters(
    labels: Sequence[str],
    enrolments: Sequence[int],
    completions: Sequence[int],
    hours: Sequence[float],
) -> str:
    """Enrolments and completions per quarter as bars, learning hours as a line."""
    with mpl.rc_context(_STYLE):
        figure = _figure(9, 3.4)
        axes = figure.subplots()
        xs = list(range(len(labels)))
        width = 0.38
        axes.bar([x - width / 2 for x in xs], enrolments, width, color=BLUE, label="Enrolments")
        axes.bar([x + width / 2 for x in xs], completions, width, color=GREEN, label="Completions")
        axes.set_xticks(xs, list(labels))
        axes.set_ylabel("Enrolments, completions")
        twin: Any = axes.twinx()
        twin.plot(xs, hours, color=ORANGE, marker="o", label="Learning hours")
        twin.set_ylabel("Learning hours")
        twin.set_ylim(bottom=0)
        twin.spines["top"].set_visible(False)
        handles = [*axes.get_legend_handles_labels()[0], *twin.get_legend_handles_labels()[0]]
        axes.legend(handles=handles, loc="upper left", frameon=False)
        axes.set_title("Progress over the financial year, by quarter")
    return _svg(figure, "Enrolments, completions and learning hours by quarter")


def compliance(
    names: Sequence[str],
    *,
    on_time: Sequence[int],
    late: Sequence[int],
    open_: Sequence[int],
    apar_compliant: Sequence[int],
    apar_users: Sequence[int],
) -> str:
    """Plan courses by outcome (share of those allocated), and APAR compliance."""
    with mpl.rc_context(_STYLE):
        figure = _figure(9, 0.45 * len(names) + 1.4)
        left, right = figure.subplots(1, 2, sharey=True, width_ratios=(3, 2))
        ys = list(range(len(names)))
        totals = [max(1, a + b + c) for a, b, c in zip(on_time, late, open_, strict=True)]
        start = [0.0] * len(names)
        for values, colour, label in (
            (on_time, GREEN, "Completed on time"),
            (late, AMBER, "Completed late"),
            (open_, GREY, "Not completed"),
        ):
            share = [100 * v / t for v, t in zip(values, totals, strict=True)]
            left.barh(ys, share, left=start, color=colour, label=label)
            start = [s + v for s, v in zip(start, share, strict=True)]
        left.set_xlim(0, 100)
        left.set_title("Plan courses (% of those allocated)")
        left.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
        left.set_yticks(ys, list(names))
        left.invert_yaxis()
        share = [100 * c / u if u else 0.0 for c, u in zip(apar_compliant, apar_users, strict=True)]
        right.barh(ys, share, color=BLUE)
        right.set_xlim(0, 100)
        right.set_title("APAR-compliant officers (%)")
        for y, value in zip(ys, share, strict=True):
            right.annotate(
                f"{value:.0f}%",
                (value, y),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
    return _svg(figure, "Plan compliance and APAR status by department")


def heatmap(
    rows: Sequence[str], columns: Sequence[str], shares: Sequence[Sequence[float | None]]
) -> str:
    """The share of people short of each competency (rows) in each group (columns);
    blank where nobody in the group needs it."""
    import numpy as np  # matplotlib's own dependency

    with mpl.rc_context(_STYLE):
        figure = _figure(9, 0.32 * len(rows) + 2.2)
        axes = figure.subplots()
        data = np.ma.masked_invalid(
            np.array([[np.nan if v is None else 100 * v for v in row] for row in shares], float)
        )
        # A mesh of cells, not an image: it stays vector, with no embedded picture.
        image = axes.pcolormesh(
            data, cmap="OrRd", vmin=0, vmax=100, edgecolors="white", linewidth=0.5
        )
        axes.invert_yaxis()
        axes.set_xticks(
            [j + 0.5 for j in range(len(columns))], list(columns), rotation=30, ha="right"
        )
        axes.set_yticks([i + 0.5 for i in range(len(rows))], list(rows))
        for i, row in enumerate(shares):
            for j, value in enumerate(row):
                if value is not None:
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
            image, ax=axes, label="% of those who need it who are short", shrink=0.8
        )
        if bar.solids is not None:
            bar.solids.set_rasterized(False)  # vector too: no embedded picture in the page
        axes.set_title("Competency gaps: who falls short of their role's level")
    return _svg(figure, "Competency gap heat map")
