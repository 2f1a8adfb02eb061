"""Hypothesis strategies for karmayogi's documents, shared by the property tests."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid
from typing import Any

import attrs
from hypothesis import strategies as st

from karmayogi._names import name_key
from karmayogi.cbp import (
    Assignment,
    AssignmentType,
    Catalogue,
    Course,
    CourseCompetency,
    Lens,
    Pillar,
    Plan,
    PlanItem,
    PlanStatus,
)
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
from karmayogi.org import OrgTree, Person, Unit, UnitLevel
from karmayogi.periods import IST, FinancialYear
from karmayogi.progress import Enrolment, Origin, Status

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


# --- Plans ------------------------------------------------------------------------------

PLAN_YEAR = FinancialYear(2025)
COMPETENCIES = [f"KCM-B0{n}" for n in range(1, 7)]
course_ids = st.from_regex(r"do_[0-9]{4}", fullmatch=True)
durations = st.integers(60, 40 * 3600)


def courses(competencies: list[str] = COMPETENCIES) -> st.SearchStrategy[Course]:
    return st.builds(
        Course,
        id=course_ids,
        name=names,
        provider=st.none() | names,
        duration=durations,
        competencies=st.lists(
            st.builds(CourseCompetency, competency=st.sampled_from(competencies), level=levels),
            unique_by=lambda c: c.competency,
            max_size=3,
        ),
        languages=st.lists(st.sampled_from(["English", "Hindi", "Tamil"]), unique=True, max_size=2),
        content_type=st.sampled_from(["Course", "Program", "Learning Resource"]),
    )


def catalogues(max_size: int = 8) -> st.SearchStrategy[Catalogue]:
    return st.builds(
        Catalogue, courses=st.lists(courses(), unique_by=lambda c: c.id, max_size=max_size)
    )


ORGS = ["org-a", "org-b"]
DESIGNATIONS = ["Section Officer", "Under Secretary", "Tehsildar"]


def people(max_size: int = 8) -> st.SearchStrategy[list[Person]]:
    return st.lists(
        st.builds(
            Person,
            id=st.sampled_from([f"u{n}" for n in range(12)]),
            organisation=st.sampled_from(ORGS),
            designation=st.none() | st.sampled_from(DESIGNATIONS),
            active=st.booleans(),
        ),
        unique_by=lambda p: p.id,
        max_size=max_size,
    )


assignments = st.one_of(
    st.builds(Assignment, type=st.just(AssignmentType.ALL_USERS)),
    st.builds(
        Assignment,
        type=st.just(AssignmentType.DESIGNATION),
        names=st.lists(st.sampled_from(DESIGNATIONS), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        Assignment,
        type=st.just(AssignmentType.CUSTOM_USERS),
        names=st.lists(
            st.sampled_from([f"u{n}" for n in range(12)]), min_size=1, max_size=3, unique=True
        ),
    ),
)


# Bounds of hypothesis' datetimes are naive by its API; the zone comes from timezones=.
PUBLISHED = (dt.datetime(2025, 4, 1), dt.datetime(2026, 3, 1))  # noqa: DTZ001


@st.composite
def plans(draw: st.DrawFn, plan_id: str | None = None) -> Plan:
    """Valid plans of 2025-26 over a small shared set of courses, often Live."""
    status = draw(st.sampled_from(PlanStatus))
    published = (
        draw(
            st.datetimes(
                min_value=PUBLISHED[0],
                max_value=PUBLISHED[1],
                timezones=st.just(IST),
            )
        )
        if status is not PlanStatus.DRAFT
        else None
    )
    return Plan(
        id=plan_id or draw(identifiers),
        organisation=draw(st.sampled_from(ORGS)),
        year=PLAN_YEAR,
        name=draw(names),
        items=draw(
            st.lists(
                st.builds(
                    PlanItem,
                    course=st.sampled_from(["do_1", "do_2", "do_3"]),
                    mandatory=st.booleans(),
                ),
                min_size=1,
                max_size=3,
                unique_by=lambda i: i.course,
            )
        ),
        assignments=draw(
            st.lists(assignments, max_size=3, unique_by=lambda a: (a.type, tuple(sorted(a.names))))
        ),
        due=draw(st.dates(min_value=PLAN_YEAR.start, max_value=PLAN_YEAR.end)),
        lenses=draw(st.lists(st.sampled_from(Lens), unique=True, max_size=3)),
        pillar=draw(st.none() | st.sampled_from(Pillar)),
        apar=draw(st.booleans()),
        status=status,
        version=draw(st.integers(1, 3)) if status is not PlanStatus.DRAFT else 1,
        published_at=published,
    )


# --- Progress ---------------------------------------------------------------------------------


@st.composite
def org_trees(draw: st.DrawFn, max_units: int = 7) -> OrgTree:
    """A forest of up to ``max_units`` units, each deeper than its parent."""
    units = [Unit(id="u0", name="State", level=UnitLevel.STATE)]
    for i in range(1, draw(st.integers(1, max_units))):
        parents = [u for u in units if u.level < UnitLevel.OFFICE]
        parent = draw(st.none() | st.sampled_from(parents))
        if parent is None:
            units.append(Unit(id=f"u{i}", name=f"Unit {i}", level=UnitLevel.STATE))
        else:
            level = draw(st.integers(parent.level + 1, UnitLevel.OFFICE))
            units.append(Unit(id=f"u{i}", name=f"Unit {i}", level=level, parent=parent.id))
    return OrgTree(units)


LEARNERS = [f"p{n}@x.in" for n in range(8)]
COURSES = ["do_1", "do_2", "do_3"]


@st.composite
def placed_people(draw: st.DrawFn, tree: OrgTree) -> list[Person]:
    """Some of :data:`LEARNERS`, each in a unit of ``tree``, some inactive."""
    chosen = draw(st.lists(st.sampled_from(LEARNERS), min_size=1, max_size=8, unique=True))
    units = sorted(tree.units)
    return [
        Person(
            id=person,
            organisation=draw(st.sampled_from(units)),
            active=draw(st.sampled_from([True, True, False])),
        )
        for person in chosen
    ]


ZONES = [None, IST, dt.UTC, dt.timezone(dt.timedelta(hours=-4))]

# Two financial years and their edges; times come naive or in any zone.
moments = st.builds(
    lambda naive, zone: naive if zone is None else naive.replace(tzinfo=zone),
    st.datetimes(dt.datetime(2024, 3, 1), dt.datetime(2026, 4, 30)),  # noqa: DTZ001
    st.sampled_from(ZONES),
)


@st.composite
def enrolments(draw: st.DrawFn, people: list[str] = LEARNERS) -> Enrolment:
    """A consistent enrolment record of one of ``people`` on one of :data:`COURSES`."""
    status = draw(st.sampled_from(Status))
    done = status is Status.COMPLETED
    progress = {Status.NOT_STARTED: 0.0, Status.COMPLETED: 100.0}.get(
        status, float(draw(st.integers(0, 100)))
    )
    return Enrolment(
        person=draw(st.sampled_from(people)),
        course=draw(st.sampled_from(COURSES)),
        status=status,
        progress=progress,
        enrolled_at=draw(st.none() | moments),
        completed_at=draw(moments) if done else None,
        certificates=draw(st.lists(st.sampled_from(["c1", "c2", ""]), max_size=2)) if done else (),
        duration=draw(st.none() | st.integers(0, 20_000)),
        origins=(Origin("report.csv", draw(st.integers(2, 40))),),
    )


# --- CASE packages ----------------------------------------------------------------------

ASSOCIATION_TYPES = [
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
]
"""Every association type of CASE 1.1."""


@attrs.define
class DeepPackage:
    """A generated CASE 1.1 package, and what it holds as the test reads it: each
    competency's path in order, and the identifiers of the items below each
    sub-theme (by path), each before its children."""

    package: dict[str, Any]
    paths: list[str] = attrs.Factory(list)
    below: dict[str, list[str]] = attrs.Factory(dict)


@st.composite
def case_packages(draw: st.DrawFn) -> DeepPackage:
    """Deep CASE 1.1 packages: areas or bare themes at the top, sub-themes, then items
    one to three levels below them; every association type; attributes the model does
    not use, on the document, items and associations; parts it has no use for."""
    when = "2025-01-01T00:00:00+05:30"
    seed = draw(st.uuids())
    fresh = (uuid.uuid5(seed, str(n)) for n in itertools.count())
    # Names unique in the package (so the test knows each), and none an area's.
    statements = (f"{draw(names)} {n}" for n in itertools.count())
    out = DeepPackage({})
    doc_id = str(next(fresh))
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": f"https://case.example.org/uri/{doc_id}",
        "creator": draw(names),
        "title": draw(names),
        "lastChangeDateTime": when,
        "caseVersion": "1.1",
        "version": draw(st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,2})?", fullmatch=True)),
        "subject": draw(st.lists(names, max_size=2)),
        "adoptionStatus": draw(st.sampled_from(["Draft", "Adopted", "Deprecated"])),
        "extensions": {"org.example.state": {"board": draw(names)}},
    }
    items: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    seq = iter(range(1, 10_000))

    def link_to(node: dict[str, Any]) -> dict[str, str]:
        title = node.get("fullStatement", node.get("title"))
        return {"title": title, "identifier": node["identifier"], "uri": node["uri"]}

    def item(statement: str, parent: dict[str, Any], kind: str) -> dict[str, Any]:
        ident = str(next(fresh))
        node: dict[str, Any] = {
            "identifier": ident,
            "uri": f"https://case.example.org/uri/{ident}",
            "fullStatement": statement,
            "CFItemType": kind,
            "lastChangeDateTime": when,
        }
        extra = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "humanCodingScheme": st.from_regex(r"[A-Z]{2}\.[0-9]{1,3}", fullmatch=True),
                    "abbreviatedStatement": names,
                    "educationLevel": st.lists(st.sampled_from(["UG", "PG", "09"]), max_size=2),
                    "conceptKeywords": st.lists(names, max_size=2),
                    "language": st.sampled_from(["en", "hi", "ta"]),
                    "notes": names,
                    "statusStartDate": st.just("2024-04-01"),
                    "extensions": st.just({"org.example.state": {"weight": 2}}),
                },
            )
        )
        node.update(extra)
        items.append(node)
        links.append(
            {
                "identifier": str(next(fresh)),
                "uri": f"https://case.example.org/uri/assoc/{next(fresh)}",
                "associationType": "isChildOf",
                "sequenceNumber": next(seq),
                "originNodeURI": link_to(node),
                "destinationNodeURI": link_to(parent),
                "lastChangeDateTime": when,
            }
        )
        return node

    def deep(parent: dict[str, Any], depth: int, found: list[str]) -> None:
        for _ in range(draw(st.integers(0, 2 if depth else 0))):
            node = item(next(statements), parent, "Indicator")
            found.append(node["identifier"])
            deep(node, depth - 1, found)

    def theme(area: str, parent: dict[str, Any]) -> None:
        name = next(statements)
        node = item(name, parent, "Competency")
        out.paths.append(f"{area} / {name}")
        for _ in range(draw(st.integers(0, 3))):
            sub_name = next(statements)
            sub = item(sub_name, node, "Sub-competency")
            path = f"{area} / {name} / {sub_name}"
            out.paths.append(path)
            out.below[path] = []
            deep(sub, draw(st.integers(1, 3)), out.below[path])

    areas = draw(st.lists(st.sampled_from(CompetencyArea), max_size=3, unique=True))
    for top in draw(st.permutations([*areas, None, None])):
        if top is None:  # a bare theme: the Domain area's, by default
            if draw(st.booleans()):
                theme("Domain", document)
            continue
        area = item(top.value, document, "Competency Area")
        for _ in range(draw(st.integers(0, 3))):
            theme(top.value, area)

    ends = [link_to(node) for node in items] + [
        {"title": "elsewhere", "identifier": "ext-1", "uri": "https://other.example.org/ext-1"}
    ]
    if len(items) > 1:
        for kind in ASSOCIATION_TYPES[1:]:
            origin, destination = draw(st.lists(st.sampled_from(ends), min_size=2, max_size=2))
            links.append(
                {
                    "identifier": str(next(fresh)),
                    "uri": f"https://case.example.org/uri/assoc/{next(fresh)}",
                    "associationType": kind,
                    "originNodeURI": origin,
                    "destinationNodeURI": destination,
                    "lastChangeDateTime": when,
                    **draw(st.fixed_dictionaries({}, optional={"notes": names})),
                }
            )
    # The file's order is not the tree's: sequence numbers say where each item goes.
    out.package = {
        "CFDocument": document,
        "CFItems": draw(st.permutations(items)),
        "CFAssociations": draw(st.permutations(links)),
        "CFDefinitions": {
            "CFItemTypes": [
                {
                    "identifier": str(next(fresh)),
                    "title": "Indicator",
                    "uri": "https://case.example.org/types/indicator",
                    "description": "What shows a sub-competency",
                    "hierarchyCode": "3",
                    "lastChangeDateTime": when,
                }
            ]
        },
        "extensions": {"org.example.state": {"exported_by": "state LMS"}},
    }
    return out
