"""People and the organisations they belong to.

A **person** is known by an identifier (a platform user id, an employee id, or an
email), belongs to one organisation (the MDO that owns users and plans), holds a
designation, and may sit in a unit below the organisation (a district office, a
directorate). Inactive people stay on the rolls but are left out of plans and counts.

>>> p = Person(id="u1", organisation="dept-revenue", designation="Tehsildar")
>>> p.active
True
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from karmayogi._csv import Source, read_table
from karmayogi._names import name_key
from karmayogi.errors import Location, Problem, ValidationError

__all__ = ["Person", "read_people_csv"]


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

    def holds(self, designation: str) -> bool:
        """Whether this person holds ``designation``; case, spacing and punctuation do
        not matter, since designations are typed by hand in every system."""
        return self.designation is not None and name_key(self.designation) == name_key(designation)


PEOPLE_COLUMNS = {
    "id": ("Person", "Id", "User Id", "userid", "Employee Id", "Employee_Id", "Email"),
    "organisation": ("Organisation", "Organization", "MDO", "mdoid", "Org Id", "orgId"),
    "designation": ("Designation",),
    "unit": ("Unit", "Office", "District"),
    "active": ("Active", "Status", "Is Active"),
}

_ACTIVE = {"true": True, "yes": True, "y": True, "1": True, "active": True}
_INACTIVE = {"false": False, "no": False, "n": False, "0": False, "inactive": False}


def read_people_csv(source: Source, *, organisation: str | None = None) -> tuple[Person, ...]:
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
    table = read_table(source, PEOPLE_COLUMNS, required)
    problems: list[Problem] = []
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for row, cells in table.rows:
        values = table.values(row, cells, problems)
        before = len(problems)

        def problem(
            column: str,
            message: str,
            expected: str,
            values: dict[str, str] = values,
            row: int = row,
        ) -> None:
            problems.append(
                Problem(message, table.where(row, column), expected=expected, got=values[column])
            )

        if not values["id"]:
            problem("id", "is blank", "a person's identifier")
        elif values["id"] in first_row:
            problem("id", f"repeats the person of row {first_row[values['id']]}", "each once")
        else:
            first_row[values["id"]] = row
        org = values.get("organisation") or organisation
        if not org:
            problem("organisation", "is blank", "the person's organisation")
        active_text = values.get("active", "").casefold()
        active = _ACTIVE.get(active_text, _INACTIVE.get(active_text)) if active_text else True
        if active is None:
            problem("active", "is not a yes or no", "yes/no, true/false, Active/Inactive")
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
    seen: dict[str, tuple[int, Person]] = {}
    problems = []
    for i, person in enumerate(people):
        if person.id in seen and seen[person.id][1] != person:
            problems.append(
                Problem(
                    f"is given again with other details than people[{seen[person.id][0]}]",
                    Location(path=f"people[{i}].id"),
                    expected="one designation and organisation per person",
                    got=person.id,
                )
            )
        seen.setdefault(person.id, (i, person))
    return problems
