"""How well courses are mapped to themes: top-1 and top-5 accuracy at the theme level on
the labelled set of course titles and descriptions (tests/data/courses_labelled.csv),
from titles alone and from titles with descriptions; and on a few titles of real iGOT
courses that public reports name (tests/data/courses_public.csv, titles only).

    python benchmarks/course_mapping.py
    python benchmarks/course_mapping.py --misses      # ... and each title placed wrong

Beside the mapper as it ships, it measures the same model on the framework's names
alone (no glossary), to show what the glossary adds. The set is for regressions: the
model never reads it.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Mapping
from pathlib import Path
from unittest import mock

from karmayogi import mapping
from karmayogi.mapping import CourseMapper

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def labelled(name: str = "courses_labelled.csv") -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def accuracy(
    mapper: CourseMapper, rows: list[dict[str, str]], *, descriptions: bool
) -> tuple[float, float, list[str]]:
    """Top-1 and top-5 accuracy at the theme level, and the titles placed wrong."""
    top1 = top5 = 0
    misses = []
    for row in rows:
        text = f"{row['Title']}. {row['Description']}" if descriptions else row["Title"]
        themes = [s.theme for s in mapper.suggest(text, k=5)]
        top1 += bool(themes) and themes[0] == row["Theme"]
        top5 += row["Theme"] in themes
        if not themes or themes[0] != row["Theme"]:
            misses.append(f"{row['Title']!r}: {row['Theme']}, got {themes[:3]}")
    return top1 / len(rows), top5 / len(rows), misses


def without_glossary() -> CourseMapper:
    empty: Mapping[str, tuple[str, ...]] = {}
    with mock.patch.object(mapping, "_glossary", return_value=empty):
        return CourseMapper()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each title placed wrong")
    args = parser.parse_args()
    rows = labelled()
    print(f"{len(rows)} labelled courses, {len({r['Theme'] for r in rows})} themes")
    print(f"{'model':<26}{'input':<22}{'top-1':>7}{'top-5':>7}")
    for name, mapper in (("as shipped", CourseMapper()), ("names only", without_glossary())):
        for descriptions in (False, True):
            top1, top5, misses = accuracy(mapper, rows, descriptions=descriptions)
            what = "title + description" if descriptions else "title"
            print(f"{name:<26}{what:<22}{top1:>7.3f}{top5:>7.3f}")
            if args.misses and name == "as shipped":
                for miss in misses:
                    print(f"    {miss}")
        public = labelled("courses_public.csv")
        top1, top5, _misses = accuracy(mapper, public, descriptions=False)
        print(f"{name:<26}{f'{len(public)} public titles':<22}{top1:>7.3f}{top5:>7.3f}")


if __name__ == "__main__":
    main()
