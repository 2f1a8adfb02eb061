"""``karmayogi map-courses`` and ``karmayogi coverage``: what a catalogue's courses build,
suggested from their words and reviewed by a person; and what no course builds."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from karmayogi._files import read_catalogue, read_positions
from karmayogi.competency import default_framework
from karmayogi.mapping import CourseMapper, coverage, read_review_csv, write_review_csv

__all__ = ["add_parsers", "coverage_command", "map_courses"]

MAP_EXAMPLES = """\
examples:
  karmayogi map-courses courses.csv --out review.csv
      (fill the Decision column with accepted or rejected, then run again:)
  karmayogi map-courses courses.csv --review review.csv --out review.csv
"""


def add_parsers(commands: Any) -> None:
    mapper = commands.add_parser(
        "map-courses",
        help="suggest the competencies each course builds, from its title and description",
        description="Suggest the themes of the competency model each course of a "
        "catalogue builds, with scores and the words that matched, as a review file a "
        "person fills in (accepted or rejected); decisions are kept on the next run.",
        epilog=MAP_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mapper.add_argument("catalogue", metavar="CATALOGUE", help="catalogue CSV or JSON")
    mapper.add_argument("--review", help="a review file from an earlier run, decisions filled")
    mapper.add_argument("--k", type=int, default=3, help="suggestions per course (default 3)")
    mapper.add_argument("--organisation", help="also suggest this organisation's Domain themes")
    mapper.add_argument("--out", help="write the review file here instead of standard output")
    cover = commands.add_parser(
        "coverage",
        help="the competencies roles require that no course of the catalogue builds",
    )
    cover.add_argument("--roles", required=True, help="designation-competency CSV or JSON")
    cover.add_argument("--catalogue", required=True, help="catalogue CSV or JSON")
    cover.add_argument("--organisation", help="the organisation the role profiles are of")


def map_courses(args: argparse.Namespace, note: Any) -> None:
    framework = default_framework()
    catalogue, _findings = read_catalogue(args.catalogue, framework)
    review = read_review_csv(args.review, framework) if args.review else None
    mapping = CourseMapper(framework, organisation=args.organisation).map_catalogue(
        catalogue, k=args.k, review=review
    )
    write_review_csv(mapping, args.out or sys.stdout)
    if mapping.matched is not None and mapping.matched.total:
        note(("warning: " if mapping.matched.poor else "") + str(mapping.matched))
    accepted = sum(r.status == "accepted" for r in mapping.rows)
    rejected = sum(len(v) for v in review.rejected.values()) if review else 0
    note(
        f"{len(catalogue)} courses: {len(mapping) - accepted} suggestions, {accepted} "
        f"accepted and {rejected} rejected in the review"
        + (f"; wrote {args.out}" if args.out else "")
    )


def coverage_command(args: argparse.Namespace) -> str:
    framework = default_framework()
    positions, _findings = read_positions(args.roles, framework, args.organisation)
    catalogue, _findings = read_catalogue(args.catalogue, framework)
    result = coverage(positions, catalogue, framework)
    lines = [
        f"{len(result.gaps)} of {result.required} requirements no course builds to the level "
        f"required ({result.covered:.0%} covered)"
    ]
    for gap in result.gaps:
        best = f"the best course builds level {int(gap.best)}" if gap.best else "no course"
        lines.append(
            f"  {gap.organisation or '(any)'}: {gap.competency} {gap.path} at level "
            f"{int(gap.required)} ({best}); for {', '.join(gap.positions)}"
        )
    return "\n".join(lines)
