"""People and the organisations they belong to.

A **person** is known by an identifier (a platform user id, an employee id, or an
email), belongs to one organisation (the MDO that owns users and plans), holds a
designation, and may sit in a unit below the organisation (a district office, a
directorate). Inactive people stay on the rolls but are left out of plans and counts.

>>> p = Person(id="u1", organisation="dept-revenue", designation="Tehsildar")
>>> p.active
True

The **organisation tree** places units under their parents, four levels deep at most:
a state or ministry, its departments, their organisations, and offices or districts.
Progress is rolled up over it: a unit's numbers include its descendants', each person once.

>>> tree = OrgTree.from_paths([("Chhattisgarh", "Revenue", "Collectorate Raipur")])
>>> [tree[u].name for u in tree.path("Chhattisgarh/Revenue/Collectorate-Raipur")]
['Chhattisgarh', 'Revenue', 'Collectorate Raipur']
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs

from karmayogi._api import presented
from karmayogi._csv import Source, read_table
from karmayogi._names import YES_NO, close_matches, identity, name_key, slug
from karmayogi.errors import Location, Problem, UnknownNameError, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits

__all__ = ["OrgTree", "Person", "Unit", "UnitLevel", "read_people_csv", "read_units_csv"]


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip() or None


def _identifier(value: str) -> str:
    return value.strip()


def _not_blank(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value:
        raise ValueError(f"{attribute.name!r} must not be blank")


@attrs.frozen(kw_only=True)
class Person:
    """One civil servant, as far as plans and progress need to know them."""

    id: str = attrs.field(converter=_identifier, validator=_not_blank)
    organisation: str = attrs.field(converter=_identifier, validator=_not_blank)
    designation: str | None = attrs.field(default=None, converter=_text)
    unit: str | None = attrs.field(default=None, converter=_text)
    active: bool = True

    @property
    def place(self) -> str:
        """The unit the person sits in: their unit, or else their organisation."""
        return self.unit or self.organisation

    def holds(self, designation: str) -> bool:
        """Whether this person holds ``designation``; case, spacing and punctuation do
        not matter, since designations are typed by hand in every system. For a
        designation abbreviated, reordered or written as an acronym, as plans resolve
        them, see :class:`karmayogi.designations.DesignationIndex`."""
        return self.designation is not None and name_key(self.designation) == name_key(designation)


PEOPLE_COLUMNS = {
    "id": ("Person", "Id", "User Id", "userid", "Employee Id", "Employee_Id", "Email"),
    "organisation": ("Organisation", "Organization", "MDO", "mdoid", "Org Id", "orgId"),
    "designation": ("Designation",),
    "unit": ("Unit", "Office", "District"),
    "active": ("Active", "Status", "Is Active"),
}

_ACTIVE = {**YES_NO, "active": True, "inactive": False}


def not_in_tree(unit: str, path: str) -> Problem:
    """The problem of a place (at ``path``) that is not a unit of the organisation tree:
    said alike wherever people are placed, by list, by mapping or by frame."""
    return Problem(
        "names a unit that is not in the organisation tree",
        Location(path=path),
        expected="the id of a unit",
        got=unit,
        code="unknown",
    )


def read_people_csv(
    source: Source, *, organisation: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[Person, ...]:
    """People from a CSV file with the columns ``Person, Organisation, Designation, Unit,
    Active`` (other common spellings are accepted: ``User Id``, ``Employee_Id``,
    ``Email``, ``Organization``, ``mdoid``, ``Status``). ``organisation`` fills in a file
    without that column. Every bad row is reported at once, with its row number; a
    person listed twice is an error, since one person has one designation at a time.

    >>> import io
    >>> people = read_people_csv(io.StringIO(
    ...     "Person,Designation,Active\\nu1,Tehsildar,yes\\nu2,Patwari,no\\n"),
    ...     organisation="dept-revenue")
    >>> [(p.id, p.designation, p.active) for p in people]
    [('u1', 'Tehsildar', True), ('u2', 'Patwari', False)]
    """
    required = ("id",) if organisation else ("id", "organisation")
    table = read_table(source, PEOPLE_COLUMNS, required, limits)
    problems: list[Problem] = []
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        values["id"] = identity(values["id"])
        before = len(problems)

        def problem(
            column: str,
            message: str,
            expected: str,
            code: str,
            *,
            values: dict[str, str] = values,
            row: int = row,
        ) -> None:
            where, got = table.where(row, column), values[column]
            problems.append(Problem(message, where, expected=expected, got=got, code=code))

        if not values["id"]:
            problem("id", "is blank", "a person's identifier", "blank")
        elif values["id"] in first_row:
            problem(
                "id",
                f"repeats the person of row {first_row[values['id']]}",
                "each once",
                "repeated",
            )
        else:
            first_row[values["id"]] = row
        org = values.get("organisation") or organisation
        if not org:
            problem("organisation", "is blank", "the person's organisation", "blank")
        active_text = values.get("active", "").casefold()
        active = _ACTIVE.get(active_text) if active_text else True
        if active is None:
            problem(
                "active", "is not a yes or no", "yes/no, true/false, Active/Inactive", "malformed"
            )
        if len(problems) == before and org and active is not None:
            people.append(
                Person(
                    id=values["id"],
                    organisation=org,
                    designation=values.get("designation"),
                    unit=values.get("unit"),
                    active=active,
                )
            )
    if problems:
        raise ValidationError(problems)
    return tuple(people)


def check_unique(people: Iterable[Person]) -> list[Problem]:
    """A person given twice, with different details, cannot be placed: one problem each."""
    people = list(people)
    first: dict[str, int] = {}
    problems = []
    for i, person in enumerate(people):
        seen = first.setdefault(person.id, i)
        if seen != i and people[seen] != person:
            problems.append(
                Problem(
                    f"is given again with other details than people[{seen}]",
                    Location(path=f"people[{i}].id"),
                    expected="one designation and organisation per person",
                    got=person.id,
                    code="inconsistent",
                )
            )
    return problems


# --- The organisation tree ------------------------------------------------------------------


class UnitLevel(enum.IntEnum):
    """How deep a unit sits; a child is always deeper than its parent, though a level may be
    skipped (an organisation directly under a ministry)."""

    STATE = 1
    """A state or union territory, or a central ministry."""
    DEPARTMENT = 2
    ORGANISATION = 3
    """An MDO: the unit that owns users and plans on the platform."""
    OFFICE = 4
    """An office or a district."""

    @classmethod
    def parse(cls, value: str | int | UnitLevel) -> UnitLevel:
        """A level by number (1-4) or by word (``state``, ``ministry``, ``department``,
        ``organisation``, ``organization``, ``office``, ``district``)."""
        if isinstance(value, int):
            return cls(value)
        text = value.strip().casefold()
        if text.isdigit() and 1 <= int(text) <= 4:
            return cls(int(text))
        if text in _LEVEL_WORDS:
            return _LEVEL_WORDS[text]
        raise ValueError(
            f"a unit level is 1-4 or one of {', '.join(sorted(_LEVEL_WORDS))}, got {value!r}"
        )


def _level(value: str | int | UnitLevel) -> UnitLevel:
    return UnitLevel.parse(value)


_LEVEL_WORDS = {
    "state": UnitLevel.STATE,
    "ut": UnitLevel.STATE,
    "ministry": UnitLevel.STATE,
    "department": UnitLevel.DEPARTMENT,
    "organisation": UnitLevel.ORGANISATION,
    "organization": UnitLevel.ORGANISATION,
    "mdo": UnitLevel.ORGANISATION,
    "office": UnitLevel.OFFICE,
    "district": UnitLevel.OFFICE,
}


@attrs.frozen(kw_only=True)
class Unit:
    """One unit of the tree: its id, its name, its level and its parent (None at a root)."""

    id: str = attrs.field(converter=_identifier, validator=_not_blank)
    name: str = attrs.field(converter=_identifier, validator=_not_blank)
    level: UnitLevel = attrs.field(converter=_level)
    parent: str | None = attrs.field(default=None, converter=_text)


class OrgTree:
    """Units under their parents. Every problem (a parent that is not a unit, a unit given
    twice, a cycle, a child no deeper than its parent) is reported at once.

    >>> tree = OrgTree([
    ...     Unit(id="cg", name="Chhattisgarh", level="state"),
    ...     Unit(id="rev", name="Revenue", level="department", parent="cg"),
    ...     Unit(id="raipur", name="Raipur", level="district", parent="rev"),
    ... ])
    >>> tree.path("raipur"), tree.children("cg"), tree.roots
    (('cg', 'rev', 'raipur'), ('rev',), ('cg',))
    """

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, Unit] = {}
        problems = []
        for i, unit in enumerate(units):
            if unit.id in self._units:
                problems.append(
                    Problem(
                        "repeats a unit",
                        Location(path=f"units[{i}].id"),
                        expected="each unit once",
                        got=unit.id,
                        code="repeated",
                    )
                )
            else:
                self._units[unit.id] = unit
        self._paths: dict[str, tuple[str, ...]] = {}
        children: dict[str, list[str]] = {}
        for unit in self._units.values():
            if unit.parent is None:
                continue
            parent = self._units.get(unit.parent)
            if parent is None:
                problems.append(
                    Problem(
                        "has a parent that is not a unit",
                        Location(path=f"units[{unit.id!r}].parent"),
                        expected="the id of another unit",
                        got=unit.parent,
                        code="unknown",
                    )
                )
            elif parent.level >= unit.level:
                problems.append(
                    Problem(
                        f"is no deeper than its parent {parent.id!r} ({parent.level.name})",
                        Location(path=f"units[{unit.id!r}].level"),
                        expected=f"a level below {parent.level.name}",
                        got=unit.level.name,
                        code="not-allowed",
                    )
                )
            else:
                children.setdefault(unit.parent, []).append(unit.id)
        # Levels strictly deepen, so a cycle is impossible once the checks above pass.
        if problems:
            raise ValidationError(problems)
        for unit_id in sorted(self._units, key=lambda u: self._units[u].level):
            unit = self._units[unit_id]
            above = self._paths[unit.parent] if unit.parent is not None else ()
            self._paths[unit_id] = (*above, unit_id)
        self._children = {u: tuple(sorted(c)) for u, c in children.items()}

    @classmethod
    def from_paths(cls, paths: Iterable[Sequence[str | None]]) -> OrgTree:
        """The tree that paths of names spell out, top first: ``(state or ministry,
        department, organisation, office)``, as the platform's reports give them in their
        ``Ministry, Department, Organization`` columns. A blank part is skipped (the unit
        hangs under the one above it) and a part that repeats the name above it is the same
        unit (reports often write an organisation's name as its department too). A unit's
        id is its path of names, joined by ``/``: see :meth:`path_id`.
        """
        units: dict[str, Unit] = {}
        for names in paths:
            parent: str | None = None
            for level, name in cls._levels(names):
                unit_id = f"{parent}/{slug(name)}" if parent else slug(name)
                units.setdefault(unit_id, Unit(id=unit_id, name=name, level=level, parent=parent))
                parent = unit_id
        return cls(units.values())

    @staticmethod
    def path_id(names: Sequence[str | None]) -> str | None:
        """The id :meth:`from_paths` gives the unit at the end of ``names`` (None if every
        part is blank).

        >>> OrgTree.path_id(("Chhattisgarh", "Revenue", "Revenue"))
        'Chhattisgarh/Revenue'
        """
        parts = [slug(name) for _level, name in OrgTree._levels(names)]
        return "/".join(parts) or None

    @staticmethod
    def _levels(names: Sequence[str | None]) -> Iterator[tuple[UnitLevel, str]]:
        previous = None
        for level, name in zip(UnitLevel, names, strict=False):
            text = (name or "").strip()
            if text and slug(text) and name_key(text) != previous:
                previous = name_key(text)
                yield level, text

    def __getitem__(self, unit: str) -> Unit:
        try:
            return self._units[unit]
        except KeyError:
            raise UnknownNameError("unit", unit, close_matches(unit, self._units)) from None

    def __contains__(self, unit: object) -> bool:
        return unit in self._units

    def __iter__(self) -> Iterator[Unit]:
        """Units, parents before children, then by id."""
        return iter(sorted(self._units.values(), key=lambda u: self._paths[u.id]))

    def __len__(self) -> int:
        return len(self._units)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OrgTree) and self._units == other._units

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"OrgTree({len(self)} units, {len(self.roots)} roots)"

    @property
    def units(self) -> Mapping[str, Unit]:
        return self._units

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(sorted(u for u, unit in self._units.items() if unit.parent is None))

    def path(self, unit: str) -> tuple[str, ...]:
        """The unit's ancestors from the root down, and the unit itself last."""
        if unit not in self._paths:
            self[unit]  # raises with close matches
        return self._paths[unit]

    def children(self, unit: str) -> tuple[str, ...]:
        return self._children.get(self[unit].id, ())

    def descendants(self, unit: str) -> tuple[str, ...]:
        """The unit and every unit below it."""
        found = [unit]
        for child in self.children(unit):
            found.extend(self.descendants(child))
        return tuple(found)

    def place(self, people: Iterable[Person]) -> dict[str, str]:
        """Each person's unit (:attr:`Person.place`), or every person whose unit is not in
        the tree, and every person given twice with other details, at once."""
        people = list(people)
        problems = check_unique(people)
        places = {}
        units = self._units
        for i, person in enumerate(people):
            place = places[person.id] = person.place
            if place not in units:
                field = "unit" if person.unit else "organisation"
                problems.append(not_in_tree(place, f"people[{i}].{field}"))
        if problems:
            raise ValidationError(problems)
        return places


UNIT_COLUMNS = {
    "id": ("Unit", "Id", "Unit Id"),
    "name": ("Name", "Unit Name"),
    "level": ("Level", "Type"),
    "parent": ("Parent", "Parent Id", "Parent Unit"),
}


def read_units_csv(source: Source, *, limits: Limits = DEFAULT_LIMITS) -> OrgTree:
    """An organisation tree from a CSV file with the columns ``Unit, Name, Level, Parent``
    (a level is 1-4 or a word: state, ministry, department, organisation, office,
    district). Every bad row is reported at once, with its row number.

    >>> import io
    >>> tree = read_units_csv(io.StringIO(
    ...     "Unit,Name,Level,Parent\\ncg,Chhattisgarh,state,\\nrev,Revenue,department,cg\\n"))
    >>> tree.path("rev")
    ('cg', 'rev')
    """
    table = read_table(source, UNIT_COLUMNS, ("id", "level"), limits)
    problems: list[Problem] = []
    units = []
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        try:
            units.append(
                Unit(
                    id=values["id"],
                    name=values.get("name") or values["id"],
                    level=values["level"],
                    parent=values.get("parent"),
                )
            )
        except ValueError as exc:
            field = "level" if values["id"] else "id"
            problems.append(
                Problem(str(exc), table.where(row, field), got=values[field], code="malformed")
            )
    if problems:
        raise ValidationError(problems)
    try:
        return OrgTree(units)
    except ValidationError as exc:
        raise ValidationError(
            [attrs.evolve(p, where=attrs.evolve(p.where, file=table.file)) for p in exc.problems]
        ) from None


__dir__ = presented(__name__, globals(), __all__)
