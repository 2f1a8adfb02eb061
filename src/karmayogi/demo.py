"""A fictional state to try the library on: made by code from a fixed seed, not shipped
as data.

*Madhyanchal Pradesh* does not exist. It has six departments with a directorate and
district offices each, a few thousand civil servants with the designations such
departments have, each department's own Domain competencies beside the bundled
Karmayogi Competency Model, role profiles, a course catalogue mapped to both, the
competencies people hold, one annual plan per designation for the plan year (the APAR
courses), and a year of enrolment records. The records follow the patterns real
exports show: a learning week in October when enrolments spike, a rush before the 31
March due date, completions that come after it, people who enrol and never start,
people who never come to the platform at all, and the same enrolment exported twice
(another batch).

>>> from karmayogi.demo import make_demo
>>> state = make_demo(people=300)
>>> state.name, str(state.year), state.as_of.isoformat()
('Madhyanchal Pradesh', '2025-26', '2026-04-15')
>>> len(state.people), len(state.tree.children(state.tree.roots[0]))
(300, 6)
>>> make_demo(people=300).records == state.records          # the same seed, the same state
True

Names, emails and phone numbers are made up (emails end in ``.example``, a domain
reserved for examples; phones are masked as the platform masks them).
:meth:`Demo.write_exports` writes the state as the platform's export files and as the
files the ``karmayogi`` command reads.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import attrs

from karmayogi._api import presented
from karmayogi._atomic import atomic_text, write_atomically, write_bytes_atomically
from karmayogi._csv import safe_writer
from karmayogi._demo_blended import attendance as blended_attendance
from karmayogi._demo_blended import write_blended_report
from karmayogi._names import slug
from karmayogi._platform import CBP_REPORT_HEADER, CONSUMPTION_REPORT_HEADER
from karmayogi.cbp import (
    Catalogue,
    Course,
    Plan,
    Resolution,
    build_plans,
    resolve,
    write_allocations_csv,
)
from karmayogi.competency import (
    Competency,
    CompetencyProfile,
    Framework,
    Holding,
    Position,
    ProficiencyLevel,
    Requirement,
    Role,
    default_framework,
)
from karmayogi.designations import DesignationIndex
from karmayogi.exports import PASSWORD_VARIABLE
from karmayogi.org import OrgTree, Person
from karmayogi.periods import IST, FinancialYear
from karmayogi.progress import Attendance, Campaign, Enrolment, Status, Window

if TYPE_CHECKING:
    from karmayogi.report import Report

__all__ = ["DEMO_MARK", "EXPORT_FILES", "Demo", "make_demo"]

STATE = "Madhyanchal Pradesh"
DISTRICTS = ("Amarpur", "Devgarh", "Nandanpur", "Kesarganj")

# Department: (share of the staff, its Domain theme and sub-themes, designations with
# their tier and share of the department).
_DEPARTMENTS: dict[str, tuple[float, dict[str, list[str]], list[tuple[str, str, float]]]] = {
    "School Education": (
        0.30,
        {"School Education": ["Foundational Literacy and Numeracy", "Inclusive Classrooms"]},
        [
            ("Principal", "officer", 0.05),
            ("Lecturer", "field", 0.25),
            ("Head Master", "field", 0.10),
            ("Assistant Teacher", "field", 0.55),
            ("Assistant Grade-II", "office", 0.05),
        ],
    ),
    "Home (Police)": (
        0.22,
        {"Policing": ["Criminal Procedure under BNSS", "Cyber Crime Investigation"]},
        [
            ("Deputy Superintendent of Police", "officer", 0.03),
            ("Sub-Inspector", "field", 0.12),
            ("Head Constable", "field", 0.25),
            ("Constable", "field", 0.60),
        ],
    ),
    "Health and Family Welfare": (
        0.18,
        {"Public Health": ["Maternal and Child Health", "Disease Surveillance"]},
        [
            ("Medical Officer", "officer", 0.15),
            ("Staff Nurse", "field", 0.30),
            ("Pharmacist", "office", 0.10),
            ("Auxiliary Nurse Midwife", "field", 0.35),
            ("Assistant Grade-II", "office", 0.10),
        ],
    ),
    "Revenue": (
        0.12,
        {"Land Administration": ["Land Records and Mutation", "Revenue Court Procedure"]},
        [
            ("Tehsildar", "officer", 0.04),
            ("Naib Tehsildar", "officer", 0.07),
            ("Revenue Inspector", "field", 0.14),
            ("Patwari", "field", 0.50),
            ("Assistant Grade-II", "office", 0.25),
        ],
    ),
    "Panchayat and Rural Development": (
        0.12,
        {"Rural Development": ["Gram Panchayat Development Plan", "MGNREGA Works Management"]},
        [
            ("Block Development Officer", "officer", 0.05),
            ("Panchayat Secretary", "field", 0.45),
            ("Gram Rozgar Sahayak", "field", 0.40),
            ("Assistant Grade-II", "office", 0.10),
        ],
    ),
    "Finance": (
        0.06,
        {"Public Finance": ["Treasury Operations", "Government Audit"]},
        [
            ("Treasury Officer", "officer", 0.10),
            ("Accounts Officer", "officer", 0.20),
            ("Auditor", "office", 0.40),
            ("Assistant Grade-II", "office", 0.30),
        ],
    ),
}

# (theme, sub-theme) of the bundled model that every designation needs, and those each
# tier needs, with the level a tier asks.
_COMMON = [("Service Orientation", "Empathy"), ("Office Management", "E-Office")]
_BY_TIER = {
    "officer": [
        ("Team Leadership", "Mentoring"),
        ("Decision Making", "Logical Reasoning"),
        ("Data Analytics", "Data led Decision making"),
        ("Grievance Redressal", "CPGRAMS Portal Management"),
    ],
    "field": [
        ("Personal Effectiveness", "Stress Management"),
        ("Citizen Centricity", "Citizen Partnering & Collaboration"),
        ("Communication", "Active Listening"),
    ],
    "office": [
        ("Office Management", "Office Procedures"),
        ("Handling RTI Matters", "RTI Records Management"),
        ("Data Protection", "Data Use and Governance"),
    ],
}
# How much keener (or less keen) than the state each department's people are.
_KEENNESS = {
    "School Education": 0.05,
    "Home (Police)": -0.08,
    "Health and Family Welfare": 0.12,
    "Revenue": -0.15,
    "Panchayat and Rural Development": -0.05,
    "Finance": 0.15,
}
_LEVEL = {"officer": 3, "field": 2, "office": 2}
_GROUP = {"officer": "Group A", "field": "Group C", "office": "Group C"}

_FIRST = [
    "Aarti", "Abhishek", "Ajay", "Amit", "Anita", "Anjali", "Arjun", "Asha", "Deepak", "Divya",
    "Ganesh", "Geeta", "Hemant", "Kavita", "Kiran", "Lakshmi", "Manoj", "Meena", "Mohan",
    "Neha", "Nitin", "Pooja", "Pradeep", "Priya", "Rahul", "Rajesh", "Rekha", "Ritu", "Rohit",
    "Sanjay", "Sarita", "Shalini", "Sunil", "Sunita", "Suresh", "Swati", "Uma", "Vikas",
    "Vinod", "Yamini"
]  # fmt: skip
_LAST = [
    "Agrawal", "Bhagat", "Chandrakar", "Dewangan", "Dhruw", "Gupta", "Jaiswal", "Kashyap",
    "Kaushik", "Markam", "Mishra", "Netam", "Pandey", "Patel", "Sahu", "Sharma", "Singh",
    "Sinha", "Soni", "Tandon", "Thakur", "Tiwari", "Verma", "Yadav"
]  # fmt: skip
_PROVIDERS = ("iGOT Karmayogi", "Madhyanchal Academy of Administration", "NIC")

DEMO_MARK = ".karmayogi-demo"
"""The file that says a directory's exports are the demo's, so that running it again may
write over them."""

EXPORT_FILES: Mapping[str, str] = {
    "ConsumptionReport.csv": "the platform's enrolment export",
    "CBPEnrollmentReport.csv": "the platform's CBP enrolment export (allocations)",
    "BlendedProgramReport.csv": "the platform's blended programme report: offline sessions",
    "people.csv": "people: Person (Email), Organisation, Designation, Unit, Active",
    "units.csv": "the organisation tree: Unit, Name, Level, Parent",
    "catalogue.json": "the course catalogue",
    "framework.json": "the competency framework, with each department's Domain themes",
    "roles.json": "role profiles: one position per designation and department",
    "profiles.json": "the competencies each person holds",
    "allocations.csv": "who must complete what by when, from the plans",
    "campaign.json": "the state's learning week: its days, its hours, a department's own days",
    "plans": "one plan document (JSON) per designation and department",
    "reports.zip": "the MDO's zip as the platform sends it: the two exports above and "
    "UserReport, CBPUserSummaryReport, ContentReport, ContentCompetencyMapping; encrypted "
    "with the password in KARMAYOGI_ZIP_PASSWORD, if set",
}
"""The files :meth:`Demo.write_exports` writes, and what each holds."""


@attrs.frozen(kw_only=True, eq=False)
class Demo:
    """A fictional state's competency model, people, plans and records; see the module."""

    name: str
    year: FinancialYear
    as_of: dt.date
    """The data's date: when the exports were made."""
    framework: Framework
    tree: OrgTree
    organisations: Mapping[str, str]
    """Each department's MDO id to its unit in :attr:`tree`."""
    people: tuple[Person, ...]
    positions: tuple[Position, ...]
    profiles: Mapping[str, CompetencyProfile]
    catalogue: Catalogue
    plans: tuple[Plan, ...]
    allocations: Resolution
    """Who must complete what by when, from :attr:`plans`."""
    records: tuple[Enrolment, ...]
    """One record per enrolment; the exports also repeat some (a second batch)."""
    campaign: Campaign
    """The state's learning week."""
    attendance: tuple[Attendance, ...] = ()
    """The offline sessions of the state's blended programme, attended or not."""
    _details: Mapping[str, _Details] = attrs.field(repr=False, alias="details")
    _repeats: frozenset[int] = attrs.field(repr=False, alias="repeats")

    def report(
        self, *, title: str | None = None, suppress: int | None = None, language: str | None = None
    ) -> Report:
        """The state's HTML report (see :mod:`karmayogi.report`): everything it holds,
        rolled up, with its gaps and plan compliance; ``suppress`` and ``language`` as
        :func:`~karmayogi.report.make_report` takes them."""
        from karmayogi.report import make_report

        return make_report(
            self.tree,
            self.records,
            people=self.people,
            allocations=self.allocations,
            positions=self.positions,
            profiles=self.profiles,
            framework=self.framework,
            year=self.year,
            as_of=self.as_of,
            title=title or self.name,
            suppress=suppress,
            language=language,
            campaign=self.campaign,
            attendance=self.attendance,
        )

    def write_exports(self, directory: str | Path) -> list[Path]:
        """Write the state as the platform's exports and karmayogi's input files (see
        :data:`EXPORT_FILES`) into ``directory``; returns the paths written.

        A file of those names that the demo did not write (no :data:`DEMO_MARK` beside
        it, as a real state's exports would be) is never overwritten: the demo refuses,
        naming the files, before it writes anything."""
        out = Path(directory)
        names = [*EXPORT_FILES, *(f"plans/{plan.id}.json" for plan in self.plans)]
        theirs = [n for n in names if (out / n).exists()]
        if theirs and not (out / DEMO_MARK).is_file():
            raise FileExistsError(
                f"{out} holds {', '.join(theirs[:3])}{', ...' if len(theirs) > 3 else ''}, "
                "which karmayogi demo did not write: choose another directory"
            )
        (out / "plans").mkdir(parents=True, exist_ok=True)
        write_atomically(out / DEMO_MARK, "Written by karmayogi demo: a fictional state.\n")
        for name, write in (
            ("ConsumptionReport.csv", self._write_consumption),
            ("CBPEnrollmentReport.csv", self._write_cbp),
            ("BlendedProgramReport.csv", lambda handle: write_blended_report(self, handle)),
        ):
            with atomic_text(out / name) as handle:
                write(handle)
        written = [
            out / "ConsumptionReport.csv",
            out / "CBPEnrollmentReport.csv",
            out / "BlendedProgramReport.csv",
            self._write_people(out / "people.csv"),
            self._write_units(out / "units.csv"),
        ]
        documents: dict[str, object] = {
            "campaign.json": self.campaign.model_dump(mode="json"),
            "catalogue.json": self.catalogue.model_dump(mode="json", exclude_defaults=True),
            "framework.json": self.framework.model_dump(mode="json", exclude_defaults=True),
            "roles.json": [
                p.model_dump(mode="json", exclude_defaults=True) for p in self.positions
            ],
            "profiles.json": [
                p.model_dump(mode="json", exclude_defaults=True) for p in self.profiles.values()
            ],
        }
        for plan in self.plans:
            documents[f"plans/{plan.id}.json"] = plan.model_dump(mode="json", exclude_defaults=True)
        for name, document in documents.items():
            path = out / name
            write_atomically(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            written.append(path)
        write_allocations_csv(self.allocations, out / "allocations.csv")
        written.append(out / "allocations.csv")
        written.append(self.write_zip(out / "reports.zip", os.environ.get(PASSWORD_VARIABLE)))
        return written

    def write_zip(self, path: str | Path, password: str | None = None) -> Path:
        """Write the state's reports as the platform sends an MDO its zip (one CSV per
        report, ``zip -P``): the two enrolment exports and the other reports the library
        reads (:data:`karmayogi.exports.MEMBERS`); encrypted with ``password`` as the
        platform's ``zip -P`` does, or not encrypted without one."""
        from karmayogi._demo_reports import REPORT_WRITERS
        from karmayogi._zipcrypto import write_encrypted_zip

        exports = {
            "ConsumptionReport.csv": self._write_consumption,
            "CBPEnrollmentReport.csv": self._write_cbp,
        }
        members = {}
        for name, write in exports.items():
            text = io.StringIO(newline="")
            write(text)
            members[name] = text.getvalue().encode()
        members |= {name: write(self).encode() for name, write in REPORT_WRITERS.items()}
        made = dt.datetime.combine(self.as_of, dt.time(6))  # when the platform made them
        if password:
            return write_encrypted_zip(path, members, password, made=made)
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                info = zipfile.ZipInfo(name, made.timetuple()[:6])
                archive.writestr(info, data, zipfile.ZIP_DEFLATED)
        return write_bytes_atomically(path, packed.getvalue())

    def _office(self, person: Person) -> list[str]:
        """Ministry, Department and Organization, as the exports write a person's unit."""
        return [self.tree[unit].name for unit in self.tree.path(person.place)][:3]

    def _write_consumption(self, handle: TextIO) -> None:
        people = {p.id: p for p in self.people}
        courses = {c.id: c for c in self.catalogue.courses}
        in_plan = {(a.person, a.course) for a in self.allocations.allocations}
        generated = _stamp(self.as_of, 6)
        out = safe_writer(handle)
        out.writerow(CONSUMPTION_REPORT_HEADER)
        for i, record in enumerate(self.records):
            person, course = people[record.person], courses[record.course]
            details, office = self._details[record.person], self._office(person)
            rows = [record]
            if i in self._repeats:
                rows.append(_second_batch(record))
            for row in rows:
                completed = row.status is Status.COMPLETED
                certificate = row.certificates[0] if row.certificates else ""
                assert row.enrolled_at is not None
                batch = f"{course.id}-{row.enrolled_at:%Y%m}"
                out.writerow(
                    [
                        details.name,
                        person.designation,
                        person.id,
                        details.phone,
                        office[1],
                        details.group,
                        "",
                        *office,
                        course.provider,
                        course.name,
                        course.content_type,
                        _hms(course.duration),
                        batch,
                        f"Batch {row.enrolled_at:%B %Y}",
                        f"{row.enrolled_at:%Y-%m}-01",
                        "",
                        _stamp(row.enrolled_at),
                        str(row.status),
                        f"{row.progress:g}",
                        f"{self.year.start - dt.timedelta(days=30):%Y-%m-%d}",
                        "",
                        _stamp(row.completed_at) if row.completed_at else "",
                        "Yes" if certificate else "No",
                        details.rating if completed else "",
                        details.gender,
                        "",
                        "HRMS" if details.employee_id else "",
                        details.employee_id,
                        _mdo(person.organisation),
                        certificate,
                        generated,
                        "Yes" if (row.person, row.course) in in_plan else "No",
                    ]
                )

    def _write_cbp(self, handle: TextIO) -> None:
        people = {p.id: p for p in self.people}
        courses = {c.id: c for c in self.catalogue.courses}
        records = {(r.person, r.course): r for r in self.records}
        published = {p.id: p.published_at for p in self.plans}
        out = safe_writer(handle)
        out.writerow(CBP_REPORT_HEADER)
        for a in self.allocations.allocations:
            person, details = people[a.person], self._details[a.person]
            record = records.get((a.person, a.course))
            progress = _CBP_PROGRESS[record.status] if record else "Not Enrolled"
            completed = record.completed_at if record and record.completed_at else None
            allocated = published[a.plan]
            office = self._office(person)
            out.writerow(
                [
                    details.name,
                    person.id,
                    details.phone,
                    office[1],
                    details.group,
                    person.designation,
                    *office,
                    courses[a.course].name,
                    "Yes" if a.apar else "No",
                    f"{allocated:%Y-%m-%d}" if allocated else "",
                    progress,
                    a.due.isoformat(),
                    _stamp(completed) if completed else "",
                    _mdo(person.organisation),
                    _stamp(self.as_of, 6),
                ]
            )

    def _write_people(self, path: Path) -> Path:
        with atomic_text(path) as handle:
            out = safe_writer(handle)
            out.writerow(["Person", "Organisation", "Designation", "Unit", "Active"])
            for p in self.people:
                out.writerow(
                    [p.id, p.organisation, p.designation, p.unit, "Yes" if p.active else "No"]
                )
        return path

    def _write_units(self, path: Path) -> Path:
        with atomic_text(path) as handle:
            out = safe_writer(handle)
            out.writerow(["Unit", "Name", "Level", "Parent"])
            for unit in self.tree:
                out.writerow([unit.id, unit.name, unit.level.name.lower(), unit.parent or ""])
        return path


_CBP_PROGRESS = {
    Status.NOT_STARTED: "Not Started",
    Status.IN_PROGRESS: "In Progress",
    Status.COMPLETED: "Completed",
}


@attrs.frozen
class _Details:
    """What the exports say of a person beyond what the library models."""

    name: str
    phone: str
    gender: str
    group: str
    employee_id: str
    rating: str


def make_demo(
    *, seed: int = 2025, people: int = 3000, year: str | FinancialYear = "2025-26"
) -> Demo:
    """Madhyanchal Pradesh for plan year ``year`` with about ``people`` civil servants;
    the same arguments always make the same state. The data's date is 15 April after
    the year, so that late completions show."""
    if people < 50:
        raise ValueError(f"the demo state needs at least 50 people, got {people}")
    rng = random.Random(seed)
    fy = FinancialYear.parse(year)
    as_of = fy.end + dt.timedelta(days=15)
    framework = default_framework().with_labels({k: {"hi": v} for k, v in _HINDI.items()})
    for department, (_share, domain, _jobs) in _DEPARTMENTS.items():
        framework = framework.with_domain(_mdo_id(department), domain)
    tree = OrgTree.from_paths(
        (STATE, department, office)
        for department in _DEPARTMENTS
        for office in _offices(department)
    )
    organisations = {_mdo_id(d): OrgTree.path_id((STATE, d)) or "" for d in _DEPARTMENTS}
    positions = _positions(framework)
    catalogue = _catalogue(rng, framework, positions)
    staff, details = _people(rng, people)
    profiles = _profiles(rng, staff, positions, fy)
    plans = tuple(
        plan.publish(at=dt.datetime.combine(fy.start + dt.timedelta(days=14), dt.time(10)))
        for mdo in organisations
        for plan in build_plans(
            [p for p in positions if p.organisation == mdo],
            staff,
            catalogue,
            organisation=mdo,
            year=fy,
            profiles=profiles,
            hours_cap=8,
            apar=True,
        ).plans
    )
    allocations = resolve(plans, staff)
    records = _records(rng, staff, plans, catalogue, fy=fy, as_of=as_of)
    repeats = frozenset(
        i for i, r in enumerate(records) if r.status is Status.COMPLETED and rng.random() < 0.04
    )
    return Demo(
        name=STATE,
        year=fy,
        as_of=as_of,
        framework=framework,
        tree=tree,
        organisations=organisations,
        people=staff,
        positions=positions,
        profiles=profiles,
        catalogue=catalogue,
        plans=plans,
        allocations=allocations,
        records=records,
        campaign=_campaign(fy, tree),
        attendance=blended_attendance(seed, staff, fy, _mdo_id("Revenue")),
        details=details,
        repeats=repeats,
    )


def _campaign(fy: FinancialYear, tree: OrgTree) -> Campaign:
    """The state's learning week: a week of October, as Karmayogi Saptah was, which its
    Revenue department, busy with a land-records drive, runs the week after."""
    start = dt.date(fy.start.year, 10, 13)
    revenue = OrgTree.path_id((STATE, "Revenue"))
    assert revenue is not None
    assert revenue in tree
    later = Window(start=start + dt.timedelta(days=7), end=start + dt.timedelta(days=13))
    return Campaign(
        name=f"{STATE} Karmayogi Saptah",
        start=start,
        end=start + dt.timedelta(days=6),
        hours=4,
        overrides={revenue: later},
    )


def _mdo_id(department: str) -> str:
    return "mdo-" + slug(department).lower()


def _mdo(organisation: str) -> str:
    """The platform's ``mdoid``: a number, made here from the MDO id."""
    return str(1000 + sorted(_mdo_id(d) for d in _DEPARTMENTS).index(organisation))


def _offices(department: str) -> list[str]:
    return [f"Directorate of {department}", *(f"{department} Office {d}" for d in DISTRICTS)]


def _positions(framework: Framework) -> tuple[Position, ...]:
    positions = []
    for department, (_share, domain, jobs) in _DEPARTMENTS.items():
        mdo = _mdo_id(department)
        ((theme, subs),) = domain.items()
        own = [(theme, sub) for sub in subs]
        for designation, tier, _weight in jobs:
            needs = [*_COMMON, *_BY_TIER[tier], *(own if tier != "office" else own[:1])]
            requirements = [
                Requirement(
                    competency=framework.find(theme_name, sub_name, organisation=mdo).id,
                    level=max(1, _LEVEL[tier] - (1 if (theme_name, sub_name) in _COMMON else 0)),
                    importance="desirable" if n == len(needs) - 1 else "mandatory",
                )
                for n, (theme_name, sub_name) in enumerate(needs)
            ]
            positions.append(
                Position(
                    id=slug(designation).lower(),
                    name=designation,
                    organisation=mdo,
                    roles=[
                        Role(id="duties", name=f"{designation} duties", requirements=requirements)
                    ],
                )
            )
    return tuple(positions)


_COURSE_NAMES = {1: "{}: Foundations", 2: "{} in Practice", 3: "Advanced {}"}


def _catalogue(
    rng: random.Random, framework: Framework, positions: Sequence[Position]
) -> Catalogue:
    """Courses at each level up to the highest any role asks, for every competency
    asked, and a few that no plan needs (people take them of their own accord)."""
    highest: dict[str, int] = {}
    for position in positions:
        for r in position.requirements():
            highest[r.competency] = max(highest.get(r.competency, 0), int(r.level))
    extra = [c.id for c in framework.competencies() if c.sub_theme is not None][::9]
    for competency in extra:
        highest.setdefault(competency, 1)
    courses = []
    for competency, top in sorted(highest.items()):
        name = framework.get(competency).name
        for level in range(1, top + 1):
            minutes = rng.choice((30, 45, 60, 90)) * level
            courses.append(
                Course(
                    id=f"do_11{rng.randrange(10**16, 10**17)}",
                    name=_COURSE_NAMES[level].format(name),
                    description=_description(framework.get(competency), level),
                    provider=rng.choice(_PROVIDERS),
                    duration=minutes * 60,
                    competencies=[{"competency": competency, "level": level}],
                    languages=("English", "Hindi"),
                )
            )
    return Catalogue(courses=courses)


# How some people write their designation in the HR system: every eighth holder of
# these writes it so (chosen by position in the list, not by the seed, so that the rest
# of the state is as it was). Plans and role profiles still reach them.
_AS_WRITTEN = {
    "Assistant Grade-II": "Asst. Grade-II",
    "Assistant Teacher": "Asst. Teacher",
    "Deputy Superintendent of Police": "DSP",
    "Auxiliary Nurse Midwife": "A.N.M.",
    "Block Development Officer": "B.D.O.",
    "Sub-Inspector": "Sub Inspector",
}

# A few Hindi names of the model's themes and sub-themes, as a state would load them
# (a labels file); `karmayogi demo --language hi` names them so in the report.
_HINDI = {
    "KCM-B04": "संचार",
    "KCM-B04-01": "सक्रिय श्रवण",
    "KCM-B02": "व्यक्तिगत प्रभावशीलता",
    "KCM-B02-01": "तनाव प्रबंधन",
    "KCM-B07-01": "समानुभूति",
    "KCM-F13": "कार्यालय प्रबंधन",
    "KCM-F13-01": "ई-ऑफिस",
    "KCM-F15": "सूचना का अधिकार",
    "KCM-F16": "लोक शिकायत निवारण",
}


def _description(competency: Competency, level: int) -> str:
    what = (
        f"{competency.name} ({competency.theme.name})" if competency.sub_theme else competency.name
    )
    return (
        f"A {ProficiencyLevel(level).label} course on {what} for the officials of "
        f"{STATE}: the rules, the forms and worked cases from its departments."
    )


def _people(rng: random.Random, count: int) -> tuple[tuple[Person, ...], dict[str, _Details]]:
    people: list[Person] = []
    details: dict[str, _Details] = {}
    for department, (share, _domain, jobs) in _DEPARTMENTS.items():
        offices = [OrgTree.path_id((STATE, department, office)) for office in _offices(department)]
        for _ in range(round(count * share)):
            designation, tier, _w = rng.choices(jobs, weights=[w for _d, _t, w in jobs])[0]
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            email = f"{first}.{last}.{len(people) + 1:05d}@madhyanchal.example".lower()
            if len(people) % 8 == 3:
                designation = _AS_WRITTEN.get(designation, designation)
            people.append(
                Person(
                    id=email,
                    organisation=_mdo_id(department),
                    designation=designation,
                    # Officers sit in the directorate as often as in a district.
                    unit=offices[0]
                    if tier == "officer" and rng.random() < 0.5
                    else rng.choice(offices),
                    active=rng.random() >= 0.02,
                )
            )
            details[email] = _Details(
                name=f"{first} {last}",
                phone=f"******{rng.randrange(10**4):04d}",
                gender="Female" if first in _FEMALE else "Male",
                group=_GROUP[tier],
                employee_id=f"MP{rng.randrange(10**6):06d}" if rng.random() < 0.7 else "",
                rating=str(rng.choice((3, 4, 4, 5, 5))),
            )
    return tuple(people[:count]), details


_FEMALE = frozenset([
    "Aarti", "Anita", "Anjali", "Asha", "Divya", "Geeta", "Kavita", "Kiran", "Lakshmi",
    "Meena", "Neha", "Pooja", "Priya", "Rekha", "Ritu", "Sarita", "Shalini", "Sunita",
    "Swati", "Uma", "Yamini"
])  # fmt: skip


def _profiles(
    rng: random.Random, people: Sequence[Person], positions: Sequence[Position], fy: FinancialYear
) -> dict[str, CompetencyProfile]:
    """What each person holds before the year: some of what their role asks, at a level
    around it, self-attested or from an earlier course."""
    index = DesignationIndex(p.name for p in positions)
    by_job = {(p.organisation, index.key(p.name)): p for p in positions}
    before = fy.start - dt.timedelta(days=200)
    profiles = {}
    for person in people:
        position = by_job[(person.organisation, index.key(person.designation or ""))]
        holdings = [
            Holding(
                competency=r.competency,
                level=max(1, min(5, int(r.level) + rng.choice((-2, -1, -1, 0, 0, 1)))),
                source=rng.choice(("self-attested", "course-completion")),
                attained_on=before - dt.timedelta(days=rng.randrange(700)),
            )
            for r in position.requirements()
            if rng.random() < 0.5
        ]
        profiles[person.id] = CompetencyProfile(person=person.id, holdings=holdings)
    return profiles


def _records(
    rng: random.Random,
    people: Sequence[Person],
    plans: Sequence[Plan],
    catalogue: Catalogue,
    *,
    fy: FinancialYear,
    as_of: dt.date,
) -> tuple[Enrolment, ...]:
    """A year of enrolments: the plan courses most people take, some others, a learning
    week in October, a rush before 31 March, and completions after it."""
    allocated: dict[str, list[str]] = {}
    for a in resolve(plans, people, include_inactive=True).allocations:
        allocated.setdefault(a.person, []).append(a.course)
    courses = {c.id: c for c in catalogue.courses}
    others = [c.id for c in catalogue.courses]
    learning_week = dt.date(fy.start.year, 10, 19)
    end = dt.datetime.combine(as_of, dt.time(0), IST)
    records = []
    keenness = {_mdo_id(d): k for d, k in _KEENNESS.items()}
    for person in people:
        keen = min(1.0, max(0.0, rng.random() + keenness[person.organisation]))
        if keen < 0.10:
            continue  # never comes to the platform
        idle = keen < 0.18  # enrols, never starts
        chosen = [c for c in allocated.get(person.id, []) if rng.random() < 0.45 + 0.5 * keen]
        chosen += rng.sample(others, k=min(len(others), rng.choice((0, 0, 1, 1, 2, 3))))
        for course in dict.fromkeys(chosen):
            when = rng.random()
            if when < 0.22:
                day = learning_week + dt.timedelta(days=rng.randrange(7))
            elif when < 0.35:
                day = fy.end - dt.timedelta(days=rng.randrange(25))
            else:
                day = fy.start + dt.timedelta(days=14 + rng.randrange(335))
            enrolled = dt.datetime.combine(
                day, dt.time(rng.randrange(9, 21), rng.randrange(60)), IST
            )
            duration = round(courses[course].duration.total_seconds())
            took = dt.timedelta(days=rng.expovariate(1 / 12), hours=rng.random() * 8)
            done = (enrolled + took).replace(microsecond=0)  # the exports write seconds
            if idle or rng.random() > 0.35 + 0.6 * keen:
                status, progress, completed_at = Status.NOT_STARTED, 0.0, None
                if not idle and rng.random() < 0.6:
                    status, progress = Status.IN_PROGRESS, float(rng.randrange(5, 96))
            elif done >= end:
                status, progress, completed_at = (
                    Status.IN_PROGRESS,
                    float(rng.randrange(50, 96)),
                    None,
                )
            else:
                status, progress, completed_at = Status.COMPLETED, 100.0, done
            certificate = (
                (f"cert-{rng.randrange(16**12):012x}",)
                if status is Status.COMPLETED and rng.random() < 0.96
                else ()
            )
            records.append(
                Enrolment(
                    person=person.id,
                    course=course,
                    status=status,
                    progress=progress,
                    enrolled_at=enrolled,
                    completed_at=completed_at,
                    certificates=certificate,
                    duration=duration,
                )
            )
    return tuple(records)


def _second_batch(record: Enrolment) -> Enrolment:
    """The same enrolment exported again, from a second batch the person joined a day
    later and left."""
    assert record.enrolled_at is not None
    return Enrolment(
        person=record.person,
        course=record.course,
        status=Status.IN_PROGRESS,
        progress=25.0,
        enrolled_at=record.enrolled_at + dt.timedelta(days=1),
        duration=record.duration,
    )


def _stamp(when: dt.datetime | dt.date, hour: int = 0) -> str:
    """A time as the platform writes it: ``yyyy-MM-dd HH:mm:ss``, in India."""
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(hour), IST)
    return f"{when.astimezone(IST):%Y-%m-%d %H:%M:%S}"


def _hms(duration: dt.timedelta) -> str:
    seconds = round(duration.total_seconds())
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


__dir__ = presented(__name__, globals(), __all__)
