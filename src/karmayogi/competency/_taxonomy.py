"""The taxonomy's parts: the three areas, the five proficiency levels, themes, sub-themes,
and a competency (a theme or a sub-theme). Everything else in the competency model, and
its formats, build on these."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

import attrs
import pydantic

from karmayogi._document import Document, Identifier, Name, Text
from karmayogi._names import name_key
from karmayogi.errors import Location, Problem, ValidationError

__all__ = [
    "Competency",
    "CompetencyArea",
    "Labels",
    "Level",
    "LevelLike",
    "ProficiencyLevel",
    "SubTheme",
    "Theme",
]


# --- Areas and levels ----------------------------------------------------------------


class CompetencyArea(enum.StrEnum):
    """The three areas of the Karmayogi Competency Model.

    >>> CompetencyArea.parse("behavioral")
    <CompetencyArea.BEHAVIOURAL: 'Behavioural'>
    >>> CompetencyArea.parse("COMAREA-000003").platform_id
    'COMAREA-000003'
    """

    BEHAVIOURAL = "Behavioural"
    FUNCTIONAL = "Functional"
    DOMAIN = "Domain"

    @property
    def platform_id(self) -> str:
        """The identifier the iGOT platform gives this area."""
        return _AREA_PLATFORM_IDS[self]

    @classmethod
    def parse(cls, value: str | CompetencyArea) -> CompetencyArea:
        """The area written as its name (any case, British or American spelling) or as
        the platform's identifier."""
        if isinstance(value, CompetencyArea):
            return value
        if not isinstance(value, str):
            raise ValueError(f"competency area must be text, got {type(value).__name__}")
        area = _AREA_BY_KEY.get(name_key(value))
        if area is None:
            names = ", ".join(a.value for a in cls)
            raise ValueError(f"competency area must be one of {names}; got {value!r}")
        return area


_AREA_PLATFORM_IDS = {
    CompetencyArea.BEHAVIOURAL: "COMAREA-000001",
    CompetencyArea.DOMAIN: "COMAREA-000002",
    CompetencyArea.FUNCTIONAL: "COMAREA-000003",
}
_AREA_BY_KEY = {name_key(area.value): area for area in CompetencyArea} | {
    "behavioral": CompetencyArea.BEHAVIOURAL,
    **{name_key(pid): area for area, pid in _AREA_PLATFORM_IDS.items()},
}


class ProficiencyLevel(enum.IntEnum):
    """Proficiency levels of the FRAC service, 1 (Basic) to 5 (Ustad).

    >>> [ProficiencyLevel.parse(v) for v in (3, "L3", "Level 3", "advanced")]
    [<ProficiencyLevel.ADVANCED: 3>, <ProficiencyLevel.ADVANCED: 3>, \
<ProficiencyLevel.ADVANCED: 3>, <ProficiencyLevel.ADVANCED: 3>]
    >>> ProficiencyLevel.USTAD.label
    'Ustad'
    """

    BASIC = 1
    PROFICIENT = 2
    ADVANCED = 3
    EXPERT = 4
    USTAD = 5

    @property
    def label(self) -> str:
        """The level's name as people write it: Basic, Proficient, ..."""
        return self.name.capitalize()

    @classmethod
    def parse(cls, value: int | float | str | ProficiencyLevel) -> ProficiencyLevel:
        """A level written as ``3``, ``"3"``, ``"L3"``, ``"Level 3"`` or ``"Advanced"``
        (or ``3.0``, as spreadsheets write numbers)."""
        if isinstance(value, ProficiencyLevel):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value in (1, 2, 3, 4, 5):
                return cls(int(value))
        elif isinstance(value, str):
            match = _LEVEL_TEXT.fullmatch(value.strip())
            if match:
                return cls(int(match.group(1)))
            by_name = _LEVEL_BY_NAME.get(name_key(value))
            if by_name is not None:
                return by_name
        raise ValueError(
            "proficiency level must be 1-5, written as 3, 'L3', 'Level 3' or a name "
            f"(Basic, Proficient, Advanced, Expert, Ustad); got {value!r}"
        )


_LEVEL_TEXT = re.compile(r"(?:l|lvl|level)?\s*[-:.]?\s*([1-5])(?:\.0+)?", re.IGNORECASE)
_LEVEL_BY_NAME = {name_key(level.name): level for level in ProficiencyLevel}


def _parse_level(value: Any) -> ProficiencyLevel:
    return ProficiencyLevel.parse(value)


def _parse_area(value: Any) -> CompetencyArea:
    return CompetencyArea.parse(value)


Level: TypeAlias = Annotated[ProficiencyLevel, pydantic.BeforeValidator(_parse_level)]
LevelLike: TypeAlias = ProficiencyLevel | int | str
"""A level as a caller may write it: ``3``, ``"L3"``, ``"Advanced"``."""
Area: TypeAlias = Annotated[CompetencyArea, pydantic.BeforeValidator(_parse_area)]
Labels: TypeAlias = dict[Annotated[str, pydantic.StringConstraints(min_length=2)], Name]
"""Names in other languages, keyed by language code (``"hi"`` for Hindi)."""


# --- Themes, sub-themes, competencies -------------------------------------------------


class Theme(Document):
    """A theme of one area (``Communication`` in Behavioural). A Domain theme may belong
    to one organisation, named by ``organisation``."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            area: CompetencyArea | str,
            name: str,
            description: str | None = ...,
            labels: Mapping[str, str] = ...,
            organisation: str | None = ...,
        ) -> None: ...

    id: Identifier
    area: Area
    name: Name
    description: Text = None
    labels: Labels = pydantic.Field(default_factory=dict)
    organisation: Identifier | None = None

    def __hash__(self) -> int:  # labels is a dict; equal themes share an identifier
        return hash((Theme, self.id))

    @pydantic.model_validator(mode="after")
    def _only_domain_has_owner(self) -> Theme:
        if self.organisation is not None and self.area is not CompetencyArea.DOMAIN:
            raise ValidationError(
                [
                    Problem(
                        "only Domain themes belong to an organisation",
                        Location(path="organisation"),
                        expected="no organisation for a " + self.area.value + " theme",
                        got=self.organisation,
                        code="not-allowed",
                    )
                ]
            )
        return self


class SubTheme(Document):
    """A sub-theme, under the theme named by ``theme`` (its identifier)."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            theme: str,
            name: str,
            description: str | None = ...,
            labels: Mapping[str, str] = ...,
        ) -> None: ...

    id: Identifier
    theme: Identifier
    name: Name
    description: Text = None
    labels: Labels = pydantic.Field(default_factory=dict)

    def __hash__(self) -> int:  # labels is a dict; equal sub-themes share an identifier
        return hash((SubTheme, self.id))


@attrs.frozen
class Competency:
    """A theme or a sub-theme of a framework, found by identifier or by name."""

    theme: Theme
    sub_theme: SubTheme | None = None

    @property
    def id(self) -> str:
        """The identifier of the sub-theme, or of the theme when there is none."""
        return self.sub_theme.id if self.sub_theme is not None else self.theme.id

    @property
    def name(self) -> str:
        """The name of the sub-theme, or of the theme when there is none."""
        return self.sub_theme.name if self.sub_theme is not None else self.theme.name

    @property
    def area(self) -> CompetencyArea:
        """The area the competency's theme is in."""
        return self.theme.area

    @property
    def path(self) -> str:
        """``Area / Theme / Sub-theme``, as people read it."""
        parts = [self.area.value, self.theme.name]
        if self.sub_theme is not None:
            parts.append(self.sub_theme.name)
        return " / ".join(parts)

    def label(self, language: str) -> str:
        """The name in ``language`` (a code such as ``"hi"``), where the framework has
        one; else the name."""
        labels = (self.sub_theme or self.theme).labels
        return labels.get(language, self.name)
