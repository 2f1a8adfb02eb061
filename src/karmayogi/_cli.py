"""The ``karmayogi`` command."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence

from karmayogi import __version__
from karmayogi.competency import Competency, CompetencyArea, Framework, default_framework
from karmayogi.errors import KarmayogiError

__all__ = ["main"]

EXAMPLES = """\
examples:
  karmayogi taxonomy                      the bundled taxonomy as an indented tree
  karmayogi taxonomy --area functional    one area only
  karmayogi taxonomy --format csv > kcm.csv
  karmayogi taxonomy --format json        the framework document, as JSON
"""

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 bad input, 2 bad usage)."""
    parser = argparse.ArgumentParser(
        prog="karmayogi",
        description="Mission Karmayogi in Python: the competency model, plans and progress.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"karmayogi {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    taxonomy = commands.add_parser(
        "taxonomy",
        help="print the bundled Karmayogi Competency Model",
        description="Print the bundled Karmayogi Competency Model: areas, themes, sub-themes.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    taxonomy.add_argument("--area", help="only this area (Behavioural, Functional, Domain)")
    taxonomy.add_argument("--format", choices=("tree", "csv", "json"), default="tree")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        area = CompetencyArea.parse(args.area) if args.area else None
        print_taxonomy(default_framework(), area=area, output_format=args.format)
    except (KarmayogiError, ValueError) as exc:
        print(f"karmayogi: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def print_taxonomy(
    framework: Framework, *, area: CompetencyArea | None, output_format: str
) -> None:
    """Write the framework to standard output as a tree, CSV or JSON."""
    competencies = list(framework.competencies(area))
    if output_format == "json":
        print(framework.to_json())
    elif output_format == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["Identifier", "Competency Area", "Competency Theme", "Competency SubTheme"])
        for c in competencies:
            sub = c.sub_theme.name if c.sub_theme else ""
            out.writerow([c.id, c.area.value, c.theme.name, sub])
    else:
        sys.stdout.write(_tree(framework, competencies))


def _tree(framework: Framework, competencies: list[Competency]) -> str:
    themes = sum(1 for c in competencies if c.sub_theme is None)
    lines = [
        f"{framework.name} {framework.version} ({framework.id}): "
        f"{themes} themes, {len(competencies) - themes} sub-themes"
    ]
    area: CompetencyArea | None = None
    for c in competencies:
        if c.area is not area:
            area = c.area
            lines.append(f"{area.value}")
        indent = "  " if c.sub_theme is None else "    "
        lines.append(f"{indent}{c.id:<11} {c.name}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
