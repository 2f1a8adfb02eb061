"""Hypothesis strategies for karmayogi's documents, shared by the property tests."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import strategies as st

from karmayogi._names import name_key
from karmayogi.competency import (
    CompetencyArea,
    CompetencyProfile,
    EvidenceSource,
    Framework,
    Holding,
    Importance,
    Position,
    ProficiencyLevel,
    Requirement,
    Role,
    SubTheme,
    Theme,
)

identifiers = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,20}", fullmatch=True)
names = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
labels = st.dictionaries(
    st.sampled_from(["hi", "ta", "te", "bn", "mr", "en-IN"]), names, max_size=2
)
descriptions = st.none() | st.text(max_size=60)
levels = st.sampled_from(ProficiencyLevel)
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))


@st.composite
def frameworks(draw: st.DrawFn, max_themes: int = 6) -> Framework:
    """Valid frameworks: unique identifiers, unique names where the model needs them."""
    used_ids: set[str] = set()
    theme_keys: set[tuple[CompetencyArea, str | None, str]] = set()
    themes: list[Theme] = []
    subs: list[SubTheme] = []
    for _ in range(draw(st.integers(0, max_themes))):
        area = draw(st.sampled_from(CompetencyArea))
        owner = draw(st.none() | identifiers) if area is CompetencyArea.DOMAIN else None
        name, theme_id = draw(names), draw(identifiers)
        if (area, owner, name_key(name)) in theme_keys or theme_id in used_ids:
            continue
        theme_keys.add((area, owner, name_key(name)))
        used_ids.add(theme_id)
        theme = Theme(
            id=theme_id,
            area=area,
            name=name,
            description=draw(descriptions),
            labels=draw(labels),
            organisation=owner,
        )
        themes.append(theme)
        sub_keys: set[str] = set()
        for _ in range(draw(st.integers(0, 4))):
            sub_name, sub_id = draw(names), draw(identifiers)
            if name_key(sub_name) in sub_keys or sub_id in used_ids:
                continue
            sub_keys.add(name_key(sub_name))
            used_ids.add(sub_id)
            subs.append(
                SubTheme(
                    id=sub_id,
                    theme=theme.id,
                    name=sub_name,
                    description=draw(descriptions),
                    labels=draw(labels),
                )
            )
    return Framework(
        id=draw(identifiers),
        name=draw(names),
        version=draw(st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,3}){0,2}", fullmatch=True)),
        released_on=draw(st.none() | dates),
        publisher=draw(st.none() | names),
        description=draw(descriptions),
        themes=themes,
        sub_themes=subs,
    )


def requirements(competencies: list[str]) -> st.SearchStrategy[list[Requirement]]:
    """Requirements on distinct competencies drawn from ``competencies``."""
    return st.lists(
        st.builds(
            Requirement,
            competency=st.sampled_from(competencies),
            level=levels,
            importance=st.sampled_from(Importance),
        ),
        unique_by=lambda r: r.competency,
        max_size=8,
    )


def roles(competencies: list[str]) -> st.SearchStrategy[Role]:
    return st.builds(
        Role,
        id=identifiers,
        name=names,
        requirements=requirements(competencies),
    )


def positions(competencies: list[str]) -> st.SearchStrategy[Position]:
    return st.builds(
        Position,
        id=identifiers,
        name=names,
        organisation=st.none() | identifiers,
        roles=st.lists(roles(competencies), unique_by=lambda r: r.id, max_size=3),
    )


def holdings(competencies: list[str]) -> st.SearchStrategy[Holding]:
    @st.composite
    def one(draw: st.DrawFn) -> Holding:
        attained = draw(dates)
        expires = draw(st.none() | st.dates(min_value=attained, max_value=dt.date(2040, 1, 1)))
        return Holding(
            competency=draw(st.sampled_from(competencies)),
            level=draw(levels),
            source=draw(st.sampled_from(EvidenceSource)),
            attained_on=attained,
            expires_on=expires,
            evidence=draw(st.none() | identifiers),
        )

    return one()


def profiles(competencies: list[str]) -> st.SearchStrategy[CompetencyProfile]:
    return st.builds(
        CompetencyProfile,
        person=identifiers,
        holdings=st.lists(holdings(competencies), max_size=10),
    )


@st.composite
def spelled_differently(draw: st.DrawFn, name: str) -> str:
    """``name`` as another hand might write it: other case, spacing and punctuation,
    ``&`` for ``and`` and back."""
    if draw(st.booleans()):
        name = re.sub(r"\band\b", "&", name, flags=re.IGNORECASE)
    out = [draw(st.sampled_from(["", " ", "  "]))]
    for ch in name:
        if ch.isalpha():
            out.append(draw(st.sampled_from([ch.lower(), ch.upper()])))
        elif ch.isspace():
            out.append(draw(st.sampled_from([" ", "   ", "\t", "-", "_ ", ""])))
        elif ch == "&":
            out.append(draw(st.sampled_from(["&", " and ", " AND ", " & "])))
        elif not ch.isalnum():
            out.append(draw(st.sampled_from([ch, "", " ", ".", ","])))
        else:
            out.append(ch)
    out.append(draw(st.sampled_from(["", " ", "."])))
    return "".join(out)
