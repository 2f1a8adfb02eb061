"""A state's names for competencies in its languages, as CSV: ``Competency, Language,
Label``, one row a name."""

from __future__ import annotations

import re

from karmayogi._csv import Source, read_table
from karmayogi._names import close_matches
from karmayogi.competency._model import Framework
from karmayogi.errors import Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = ["read_labels_csv"]

COLUMNS = {
    "competency": ("Competency", "Competency Id", "Competency ID", "Identifier"),
    "language": ("Language", "Lang", "Language Code"),
    "label": ("Label", "Name", "Translation"),
}
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
"""A language code as BCP 47 writes one: ``hi``, ``ta``, ``hi-Latn``."""


def read_labels_csv(
    source: Source, framework: Framework, *, limits: Limits = DEFAULT_LIMITS
) -> Framework:
    """``framework`` with a state's names for its competencies in other languages, from
    a CSV of ``Competency, Language, Label`` (one row a name; the language a code such
    as ``hi``). Every bad row is reported at once, with its row number.

    >>> import io
    >>> from karmayogi.competency import default_framework
    >>> kcm = read_labels_csv(io.StringIO("Competency,Language,Label\\nKCM-B04,hi,संचार\\n"),
    ...                       default_framework())
    >>> kcm.find("संचार").path
    'Behavioural / Communication'
    """
    table = read_table(source, COLUMNS, ("competency", "language", "label"), limits)
    problems: list[Problem] = []
    labels: dict[str, dict[str, str]] = {}
    first: dict[tuple[str, str], int] = {}
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        blank = [c for c in ("competency", "language", "label") if not values.get(c)]
        if blank:
            problems.append(Problem("is blank", table.where(row, blank[0]), code="blank"))
            continue
        competency, language, label = values["competency"], values["language"], values["label"]
        if competency not in framework:
            near = close_matches(competency, (c.id for c in framework.competencies()))
            problems.append(
                Problem(
                    f"is not a competency of framework {framework.id!r}",
                    table.where(row, "competency"),
                    expected="one of " + ", ".join(map(repr, near)) if near else None,
                    got=competency,
                    code="unknown",
                )
            )
            continue
        if not LANGUAGE.fullmatch(language):
            problems.append(
                Problem(
                    "is not a language code",
                    table.where(row, "language"),
                    expected="a code such as hi, ta or bn",
                    got=language,
                    code="malformed",
                )
            )
            continue
        key = (competency, language)
        if key in first and labels[competency][language] != label:
            problems.append(
                Problem(
                    f"gives {competency} another {language} name than row {first[key]}",
                    table.where(row, "label"),
                    expected=labels[competency][language],
                    got=label,
                    code="inconsistent",
                )
            )
            continue
        first.setdefault(key, row)
        labels.setdefault(competency, {})[language] = label
    if problems:
        raise ValidationError(problems)
    return framework.with_labels(labels)
