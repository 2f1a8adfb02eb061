"""The hostile-input corpus: for every reader, the inputs that people editing by hand and
systems exporting carelessly produce, each with the outcome it must have. An outcome is
either :class:`Refused` (a typed karmayogi error naming the place) or :class:`Read` (the
rows that were used, merged and rejected, adding up to the rows read).

``tests/test_hostile.py`` runs every case; ``docs/hostile-input.md`` holds the table this
module prints, and a test keeps the two the same::

    python -m tests.hostile > docs/hostile-input.md
"""

from __future__ import annotations

import contextlib
import functools
import json
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

from karmayogi.cbp import Catalogue, Plan, read_allocations_csv, read_catalogue_csv
from karmayogi.competency import Framework, default_framework, read_designation_csv
from karmayogi.org import read_people_csv, read_units_csv
from karmayogi.progress import read_cbp_report, read_consumption_report, read_xapi


@attrs.frozen
class Refused:
    """The whole input refused: a ValidationError (a LimitExceeded, if ``limit``), one of
    whose problems says ``message`` at ``row`` and ``field`` (when given)."""

    message: str
    row: int | None = None
    field: str | None = None
    limit: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row is not None else "",
                f"field {self.field!r}" if self.field else "",
            )
            if part
        )
        kind = f"refused over the {self.limit} limit" if self.limit else "refused"
        return f"{kind}: “{self.message}”" + (f" ({where})" if where else "")


@attrs.frozen
class Read:
    """The input read: ``used`` rows taken, ``duplicates`` merged, ``rejected`` rejected
    (each with ``reason`` among its problems), adding up to the rows read. For a reader that
    gives things rather than an account (people, units, allocations, positions, courses,
    documents), ``used`` is how many it gave."""

    used: int
    duplicates: int = 0
    rejected: int = 0
    reason: str | None = None

    def __str__(self) -> str:
        text = f"read: {self.used} used"
        if self.duplicates:
            text += f", {self.duplicates} merged"
        if self.rejected:
            text += f", {self.rejected} rejected (“{self.reason}”)"
        return text


Outcome = Refused | Read


@attrs.frozen
class Case:
    reader: str
    name: str
    data: bytes
    outcome: Outcome
    suffix: str = ".csv"

    @property
    def id(self) -> str:
        return f"{self.reader}: {self.name}"


# --- The readers, each with a good file of two rows --------------------------------------------


@functools.cache
def _kcm() -> Framework:
    return default_framework()


def _frames(path: Path) -> Any:
    from karmayogi.columnar import read_consumption_frame  # the columnar extra

    return read_consumption_frame(path)


FRAMES = "ConsumptionReport.csv, into frames"
"""The columnar engine's reader of the export: held to the same outcomes."""

READERS: dict[str, Callable[[Path], Any]] = {
    "ConsumptionReport.csv": read_consumption_report,
    FRAMES: _frames,
    "CBPEnrollmentReport.csv": read_cbp_report,
    "designation CSV": lambda path: read_designation_csv(path, _kcm()),
    "catalogue CSV": read_catalogue_csv,
    "catalogue JSON": Catalogue.from_file,
    "people CSV": read_people_csv,
    "units CSV": read_units_csv,
    "allocations CSV": read_allocations_csv,
    "plan JSON": Plan.from_file,
    "xAPI": read_xapi,
    "CASE": Framework.from_case,
}

_CONSUMPTION = (
    "Full_Name,Email,Phone_Number,Ministry,Department,Organization,Content_Name,"
    "Content_Duration,Enrolled_On,Status,Content_Progress_Percentage,Completed_On,"
    "Certificate_Generated\n"
    "Asha Rao,asha@mp.gov.in,9800000001,Madhyanchal Pradesh,Revenue,,RTI Act,01:30:00,"
    "2025-04-05 10:30:00,Completed,100,2025-05-01 17:30:00,Yes\n"
    "Ravi Das,ravi@mp.gov.in,9800000002,Madhyanchal Pradesh,Revenue,,RTI Act,01:30:00,"
    "2025-04-07 09:00:00,In-Progress,40,,No\n"
)
_CBP = (
    "Email,Ministry,Department,Organization,Name of CBP Allocated Course,isapar,"
    "Allocated On,Current Progress,Due Date of Completion,Actual Date of Completion\n"
    "asha@mp.gov.in,Madhyanchal Pradesh,Revenue,,RTI Act,Yes,2025-04-15,Completed,"
    "2026-03-31,2025-05-01 17:30:00\n"
    "ravi@mp.gov.in,Madhyanchal Pradesh,Revenue,,RTI Act,No,2025-04-15,Not Enrolled,"
    "2026-03-31,\n"
)
_DESIGNATION = (
    "Designation,Competency Area,Competency Theme,Competency SubTheme\n"
    "Tehsildar,Behavioural,Communication,Active Listening\n"
    "Patwari,Behavioural,Communication,Active Listening\n"
)
_CATALOGUE_CSV = (
    "Course Id,Course Name,Provider,Duration,Competency\n"
    "do_1,RTI Act,iGOT,01:30:00,KCM-B04-01\n"
    "do_2,Land Records,iGOT,02:00:00,KCM-B04-01\n"
)
_PEOPLE = (
    "Person,Organisation,Designation,Active\n"
    "u1,mdo-revenue,Tehsildar,yes\nu2,mdo-revenue,Patwari,no\n"
)
_UNITS = "Unit,Name,Level,Parent\nmp,Madhyanchal Pradesh,state,\nrev,Revenue,department,mp\n"
_ALLOCATIONS = (
    "Person,Course,Due Date,Plan,Mandatory,APAR\n"
    "u1,do_1,2026-03-31,plan-1,Yes,No\nu2,do_1,2026-03-31,plan-1,Yes,Yes\n"
)
_CATALOGUE_JSON = {
    "courses": [
        {
            "id": "do_1",
            "name": "RTI Act",
            "duration": "01:30:00",
            "competencies": [{"competency": "KCM-B04-01", "level": 1}],
        },
        {"id": "do_2", "name": "Land Records", "duration": "02:00:00"},
    ]
}
_PLAN = {
    "id": "plan-1",
    "organisation": "mdo-revenue",
    "year": "2025-26",
    "name": "Annual CBP 2025-26: Tehsildar",
    "items": [{"course": "do_1"}, {"course": "do_2"}],
    "assignments": [{"type": "Designation", "names": ["Tehsildar"]}],
    "due": "2026-03-31",
}
_XAPI = [
    {
        "id": f"00000000-0000-4000-8000-00000000000{n}",
        "actor": {"mbox": f"mailto:{who}@mp.gov.in"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": "do_1"},
        "timestamp": "2025-05-01T12:00:00Z",
    }
    for n, who in ((1, "asha"), (2, "ravi"))
]
_CASE = {
    "CFDocument": {
        "identifier": "6f0b1d2e-1111-4a2b-9c3d-000000000001",
        "uri": "urn:case:mp",
        "creator": "Madhyanchal Pradesh",
        "title": "Revenue competencies",
        "lastChangeDateTime": "2025-04-01T00:00:00Z",
        "caseVersion": "1.1",
    },
    "CFItems": [
        {
            "identifier": f"6f0b1d2e-1111-4a2b-9c3d-00000000001{n}",
            "uri": f"urn:case:{n}",
            "fullStatement": name,
            "lastChangeDateTime": "2025-04-01T00:00:00Z",
        }
        for n, name in ((1, "Land Records"), (2, "Mutation"))
    ],
    "CFAssociations": [
        {
            "identifier": "6f0b1d2e-1111-4a2b-9c3d-000000000021",
            "uri": "urn:case:a1",
            "associationType": "isChildOf",
            "lastChangeDateTime": "2025-04-01T00:00:00Z",
            "originNodeURI": {
                "identifier": "6f0b1d2e-1111-4a2b-9c3d-000000000012",
                "uri": "urn:case:2",
                "title": "Mutation",
            },
            "destinationNodeURI": {
                "identifier": "6f0b1d2e-1111-4a2b-9c3d-000000000011",
                "uri": "urn:case:1",
                "title": "Land Records",
            },
        },
    ],
}

CSV_BASES = {
    "ConsumptionReport.csv": _CONSUMPTION,
    FRAMES: _CONSUMPTION,
    "CBPEnrollmentReport.csv": _CBP,
    "designation CSV": _DESIGNATION,
    "catalogue CSV": _CATALOGUE_CSV,
    "people CSV": _PEOPLE,
    "units CSV": _UNITS,
    "allocations CSV": _ALLOCATIONS,
}
JSON_BASES: dict[str, Any] = {
    "catalogue JSON": _CATALOGUE_JSON,
    "plan JSON": _PLAN,
    "xAPI": _XAPI,
    "CASE": _CASE,
}
ACCOUNTED = {"ConsumptionReport.csv", FRAMES, "CBPEnrollmentReport.csv", "xAPI"}
"""The readers that read what they can and account for every row; the others refuse a
file with a bad row, listing every problem."""

GOOD = {
    FRAMES: 2,
    "ConsumptionReport.csv": 2,
    "CBPEnrollmentReport.csv": 2,
    "designation CSV": 2,
    "catalogue CSV": 2,
    "people CSV": 2,
    "units CSV": 2,
    "allocations CSV": 2,
    "catalogue JSON": 2,
    "plan JSON": 1,
    "xAPI": 2,
    "CASE": 1,
}
"""What each reader makes of its good file: rows used, or things given."""


def _replace(text: str, old: str, new: str, row: int = 2) -> str:
    """The text with ``old`` replaced by ``new`` in record ``row`` only."""
    lines = text.splitlines(keepends=True)
    assert old in lines[row - 1], (old, lines[row - 1])
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    return "".join(lines)


REQUIRED_COLUMN = {
    FRAMES: "Email",
    "ConsumptionReport.csv": "Email",
    "CBPEnrollmentReport.csv": "Email",
    "designation CSV": "Designation",
    "catalogue CSV": "Course Id",
    "people CSV": "Person",
    "units CSV": "Unit",
    "allocations CSV": "Person",
}

KEY_CELL = {
    FRAMES: "asha@mp.gov.in",
    "ConsumptionReport.csv": "asha@mp.gov.in",
    "CBPEnrollmentReport.csv": "asha@mp.gov.in",
    "designation CSV": "Tehsildar",
    "catalogue CSV": "do_1",
    "people CSV": "u1",
    "units CSV": "mp",
    "allocations CSV": "u1",
}
"""A cell of row 2 that must not be blank: the person, course, designation or unit."""

TEXT_CELL = {
    FRAMES: "Asha Rao",
    "ConsumptionReport.csv": "Asha Rao",
    "CBPEnrollmentReport.csv": "RTI Act",
    "designation CSV": "Tehsildar",
    "catalogue CSV": "RTI Act",
    "people CSV": "Tehsildar",
    "units CSV": "Madhyanchal Pradesh",
    "allocations CSV": "plan-1",
}
"""A cell of row 2 that holds free text, kept as written."""


def _csv_cases(reader: str, base: str) -> Iterator[Case]:
    header = base.splitlines()[0]
    good = GOOD[reader]
    cell, key = TEXT_CELL[reader], KEY_CELL[reader]

    def case(name: str, data: str | bytes, outcome: Outcome) -> Case:
        return Case(reader, name, data.encode() if isinstance(data, str) else data, outcome)

    def bad_row(message: str, field: str | None = None) -> Outcome:
        if reader in ACCOUNTED:
            return Read(good - 1, rejected=1, reason=message)
        return Refused(message, row=2, field=field)

    yield case("the good file", base, Read(good))
    yield case("an empty file", b"", Refused("is empty"))
    yield case("only a header", header + "\n", Read(0))
    yield case(
        "separated by semicolons",
        base.replace(",", ";"),
        Refused("is it separated by commas?", row=1),
    )
    yield case("a UTF-8 byte-order mark", b"\xef\xbb\xbf" + base.encode(), Read(good))
    yield case("Windows line endings", base.replace("\n", "\r\n"), Read(good))
    latin = _replace(base, cell, cell + "é").encode("latin-1")
    yield case("Latin-1 bytes", latin, Refused("it reads as Windows-1252", row=2))
    cp1252 = _replace(base, cell, cell + "\N{RIGHT SINGLE QUOTATION MARK}").encode("cp1252")
    yield case("Windows-1252 bytes", cp1252, Refused("it reads as Windows-1252", row=2))
    invalid = base.encode().replace(cell.encode(), cell.encode() + b"\x81", 1)
    yield case("invalid UTF-8", invalid, Refused("is not UTF-8 text", row=2))
    index = header.split(",").index(REQUIRED_COLUMN[reader])
    lines = [line.split(",") for line in base.splitlines()]
    missing = "".join(",".join(c[:index] + c[index + 1 :]) + "\n" for c in lines)
    yield case("a required column missing", missing, Refused("is missing columns", row=1))
    extra = "\n".join(f"{line},extra" for line in base.splitlines()) + "\n"
    yield case("an extra column", extra, Read(good))
    doubled = "".join(",".join([*c, c[index]]) + "\n" for c in lines)
    yield case(
        "a column given twice",
        doubled,
        Refused("repeats column", row=1, field=REQUIRED_COLUMN[reader]),
    )
    yield case("blank lines between rows", base.replace("\n", "\n\n,,\n", 1), Read(good))
    yield case(
        "a quoted newline in a cell", _replace(base, cell, f'"{cell}\nof the office"'), Read(good)
    )
    yield case(
        "an unterminated quote",
        _replace(base, cell, f'"{cell}'),
        Refused("has a quoted field that never ends", row=2),
    )
    yield case(
        "a quote inside a quoted field",
        _replace(base, cell, f'"{cell}"x'),
        Refused("has a quote inside a quoted field", row=2),
    )
    yield case("a quote inside an unquoted field", _replace(base, cell, f'{cell}"x'), Read(good))
    yield case(
        "a row longer than the header", base.rstrip("\n") + ",surplus\n", _longer(reader, good)
    )
    yield case(
        "a 10 MB field",
        _replace(base, cell, "x" * 10_000_000),
        Refused("is over the limit on field size", row=2, limit="field_size"),
    )
    yield case(
        "a 10 MB quoted field",
        _replace(base, cell, '"' + "x" * 10_000_000 + '"'),
        Refused("is over the limit on field size", row=2, limit="field_size"),
    )
    yield case(
        "a million columns",
        ",".join(f"c{i}" for i in range(1_000_000)) + "\n",
        Refused("is over the limit on columns", row=1, limit="columns"),
    )
    yield case("a blank key cell", _replace(base, key + ",", ","), bad_row("blank"))
    yield from _specific(reader, base, case, bad_row)


def _longer(reader: str, good: int) -> Outcome:
    if reader in ACCOUNTED:
        return Read(good - 1, rejected=1, reason="has more cells than the header has columns")
    return Refused("has more cells than the header has columns", row=3)


def _specific(
    reader: str,
    base: str,
    case: Callable[[str, str | bytes, Outcome], Case],
    bad_row: Callable[..., Outcome],
) -> Iterator[Case]:
    """The cases that only some readers' columns allow."""
    if reader in {"ConsumptionReport.csv", FRAMES}:
        good = GOOD[reader]
        bad = functools.partial(Read, good - 1, rejected=1)
        yield case(
            "an impossible date",
            _replace(base, "2025-04-05 10:30", "2025-02-30 10:30"),
            bad(reason="is not a time"),
        )
        year_1 = _replace(base, "2025-04-05 10:30:00", "0001-01-01T00:00:00+05:30")
        yield case("the year 0001", year_1, bad(reason="is not a time"))
        yield case(
            "the year 9999, behind UTC",
            _replace(base, "2025-05-01 17:30:00", "9999-12-31T23:59:59-05:00"),
            bad(reason="is not a time"),
        )
        future = _replace(base, "2025-04-07 09:00:00", "2099-04-07 09:00:00", 3)
        yield case("a date in 2099", future, Read(good))
        # Kept: a later batch's enrolment can follow a completion, and the ledger keeps both.
        yield case(
            "completed before enrolled",
            _replace(base, "2025-05-01 17:30:00", "2025-04-01 17:30:00"),
            Read(good),
        )
        yield case(
            "a negative duration",
            _replace(base, "01:30:00", "-01:30:00"),
            bad(reason="is not a duration"),
        )
        yield case(
            "an absurd duration",
            _replace(base, "01:30:00", "99999:00:00"),
            bad(reason="is not a duration"),
        )
        yield case(
            "a duration of 10^17 hours",
            _replace(base, "01:30:00", "99999999999999999:00:00"),
            bad(reason="is not a duration"),
        )
        yield case(
            "a duration of 1.5 (hours, typed by hand)",
            _replace(base, "01:30:00", "1.5"),
            bad(reason="is not a duration"),
        )
        yield case("progress above 100", _replace(base, ",40,", ",150,", 3), bad(reason="progress"))
        yield case("progress NaN", _replace(base, ",40,", ",nan,", 3), bad(reason="progress"))
        yield case(
            "an unknown status word",
            _replace(base, "Completed", "Finished"),
            bad(reason="is not a status"),
        )
        yield case(
            "a number for a status", _replace(base, "Completed", "7"), bad(reason="is not a status")
        )
        yield case(
            "words for a progress",
            _replace(base, ",40,", ",forty,", 3),
            bad(reason="is not a number"),
        )
        yield case(
            "the same row twice", base + base.splitlines()[2] + "\n", Read(good, duplicates=1)
        )
        yield case(
            "the same row again, its email with a zero-width space",
            base + base.splitlines()[2].replace("ravi@mp.gov.in", "ravi@mp.gov.in\u200b") + "\n",
            Read(good, duplicates=1),
        )
        yield case(
            "a row of Unicode spaces",
            base + "\u3000" + "," * (base.splitlines()[0].count(",")) + "\n",
            Read(good),
        )
        yield case(
            "a trailing comma on a last line without a line end",
            base.rstrip("\n") + ",",
            bad(reason="has more cells than the header has columns"),
        )
        yield case(
            "a date of 2205 (for 2025)",
            _replace(base, "2025-04-07 09:00:00", "2205-04-07 09:00:00", 3),
            Read(good),
        )
    elif reader == "CBPEnrollmentReport.csv":
        yield case(
            "an impossible due date",
            _replace(base, "2026-03-31", "2026-02-30"),
            bad_row("is not a date"),
        )
        yield case(
            "an unknown progress word",
            _replace(base, "Completed", "Finished"),
            bad_row("is not a progress"),
        )
    elif reader == "designation CSV":
        yield case(
            "a 600-character designation",
            _replace(base, "Tehsildar", "x" * 600),
            Refused("at most 500 characters", row=2, field="Designation"),
        )
        yield case(
            "an unknown competency",
            _replace(base, "Active Listening", "Active Listning"),
            bad_row("Active Listening"),
        )
    elif reader == "catalogue CSV":
        yield case(
            "a negative duration", _replace(base, "01:30:00", "-01:30:00"), bad_row("duration")
        )
        yield case("an unknown competency id", _replace(base, "KCM-B04-01", "KCM-Z99-99"), Read(2))
    elif reader == "people CSV":
        yield case("a word for Active", _replace(base, ",yes", ",maybe"), bad_row("active"))
        yield case(
            "a person twice",
            base + base.splitlines()[1] + "\n",
            Refused("repeats the person of row 2", row=4),
        )
        yield case(
            "the header again, as two files joined",
            base + base.splitlines()[0] + "\n",
            Refused("repeats the header", row=4),
        )
        yield case(
            "a zero-width space after an id",
            _replace(base, "u1,", "u1\u200b,") + base.splitlines()[1] + "\n",
            Refused("repeats the person of row 2", row=4),
        )
    elif reader == "units CSV":
        yield case("an unknown level", _replace(base, "state", "galaxy"), bad_row("level"))
        yield case(
            "a parent that is not there",
            _replace(base, ",mp", ",nowhere", 3),
            Refused("has a parent that is not a unit"),
        )
    elif reader == "allocations CSV":
        yield case(
            "an impossible due date",
            _replace(base, "2026-03-31", "2026-02-30"),
            bad_row("is not a date"),
        )
        yield case(
            "a word for APAR", _replace(base, ",No\n", ",Perhaps\n"), bad_row("is not Yes or No")
        )


def _json_cases(reader: str, base: Any) -> Iterator[Case]:
    text = json.dumps(base, indent=1)
    good = GOOD[reader]

    def case(name: str, data: str | bytes, outcome: Outcome) -> Case:
        data = data.encode() if isinstance(data, str) else data
        return Case(reader, name, data, outcome, ".json")

    yield case("the good file", text, Read(good))
    yield case("an empty file", b"", Refused("is not JSON"))
    yield case("a UTF-8 byte-order mark", b"\xef\xbb\xbf" + text.encode(), Read(good))
    latin = text.replace(': "', ': "é', 1).encode("latin-1")
    yield case("Latin-1 bytes", latin, Refused("is not UTF-8 text"))
    yield case("invalid UTF-8", b"\x81" + text.encode(), Refused("is not UTF-8 text", row=1))
    yield case("not JSON", text[: len(text) // 2], Refused("is not JSON"))
    yield case("deeply nested", "[" * 100_000 + "]" * 100_000, Refused("nested more deeply"))
    yield case(
        "a key given twice",
        text.replace("{", '{"id": "twice", "id": "again", ', 1),
        Refused("repeats a key within one object"),
    )
    yield case("a 10 MB string", _big_string(base), _json_big(reader))
    yield case(
        "a number of 5,000 digits",
        text.replace("[", "[" + "9" * 5000 + ", ", 1)
        if text.startswith("[")
        else text.replace("{", '{"n": ' + "9" * 5000 + ", ", 1),
        Refused("has a number longer than Python reads"),
    )
    yield case(
        "the wrong kind of document",
        "[1, 2, 3]" if reader != "xAPI" else '"a string"',
        Refused("has no CFDocument" if reader == "CASE" else "is not"),
    )
    yield from _json_specific(reader, base, case)


def _big_string(base: Any) -> str:
    data = json.loads(json.dumps(base))
    if isinstance(data, list):
        data[0]["object"]["id"] = "x" * 10_000_000
    elif "courses" in data:
        data["courses"][0]["name"] = "x" * 10_000_000
    elif "CFDocument" in data:
        data["CFDocument"]["title"] = "x" * 10_000_000
    else:
        data["name"] = "x" * 10_000_000
    return json.dumps(data)


def _json_big(reader: str) -> Outcome:
    if reader == "xAPI":
        return Read(2)  # an activity id has no length rule: it is used as written
    if reader == "CASE":
        return Refused("at most 500 characters")
    return Refused("at most 500 characters")


def _json_specific(
    reader: str, base: Any, case: Callable[[str, str | bytes, Outcome], Case]
) -> Iterator[Case]:
    data = json.loads(json.dumps(base))
    if reader == "catalogue JSON":
        data["courses"][0]["name"] = 12345
        yield case("a number for a name", json.dumps(data), Refused("valid string"))
        data = json.loads(json.dumps(base))
        data["courses"][0]["duration"] = "ninety minutes"
        yield case("words for a duration", json.dumps(data), Refused("duration"))
        data = json.loads(json.dumps(base))
        data["courses"][0]["duration"] = 1e14
        yield case("a duration of 10^14 seconds", json.dumps(data), Refused("at most 1000 hours"))
        data = json.loads(json.dumps(base))
        data["courses"][0]["colour"] = "blue"
        yield case("a field that is not defined", json.dumps(data), Refused("Extra inputs"))
    elif reader == "plan JSON":
        data["due"] = "2026-02-30"
        yield case("an impossible due date", json.dumps(data), Refused("due"))
        data = json.loads(json.dumps(base))
        data["items"] = "do_1"
        yield case("a string for a list", json.dumps(data), Refused("items"))
    elif reader == "xAPI":
        lines = "\n".join(json.dumps(s) for s in data) + "\n"
        yield case("JSON lines", lines, Read(2))
        data[0]["verb"]["id"] = "http://adlnet.gov/expapi/verbs/teleported"
        yield case("an unknown verb", json.dumps(data), Read(1, rejected=1, reason="verb"))
        data = json.loads(json.dumps(base))
        data[0]["timestamp"] = "0001-01-01T00:00:00+05:30"
        yield case("the year 0001", json.dumps(data), Read(1, rejected=1, reason="is not a time"))
        data = json.loads(json.dumps(base))
        data[1]["id"] = data[0]["id"]
        yield case(
            "one id on two different statements",
            json.dumps(data),
            Read(1, rejected=1, reason="was given to another statement, at row 1: a conflict"),
        )
        data = json.loads(json.dumps(base))
        data[1] = data[0]
        yield case("the same statement twice", json.dumps(data), Read(1, duplicates=1))
        data = json.loads(json.dumps(base))
        data[0]["actor"] = 42
        yield case(
            "a number for an actor", json.dumps(data), Read(1, rejected=1, reason="is not an actor")
        )
    elif reader == "CASE":
        data["CFDocument"]["title"] = 12345
        yield case("a number for the title", json.dumps(data), Refused("has no CFDocument"))
        data = json.loads(json.dumps(base))
        data["CFAssociations"][0]["sequenceNumber"] = 10**400
        yield case("a sequenceNumber of 401 digits", json.dumps(data), Read(GOOD[reader]))


@contextlib.contextmanager
def no_hang(seconds: int) -> Iterator[None]:
    """Fail, rather than wait for ever, if the block runs longer than ``seconds``."""

    def hung(signum: int, frame: Any) -> None:
        raise AssertionError(f"still reading after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def corpus() -> list[Case]:
    """Every case, reader by reader."""
    cases: list[Case] = []
    for reader, base in CSV_BASES.items():
        cases.extend(_csv_cases(reader, base))
    for reader, document in JSON_BASES.items():
        cases.extend(_json_cases(reader, document))
    return cases


def table() -> str:
    """The corpus as the Markdown page docs/hostile-input.md."""
    lines = [
        "# Hostile input",
        "",
        "Every reader is run on the inputs below in the tests (`tests/test_hostile.py`);",
        "each has the outcome shown, and nothing else: a typed error that says where, or",
        "rows read with each rejected row's reason, the counts adding up to the rows read.",
        "Never an unexpected exception, never a hang. The corpus is `tests/hostile.py`,",
        "and this page is its output (`python -m tests.hostile`), checked by a test.",
        "Fuzzing runs beside it: see [the fuzz run](start-maintainer.md#fuzzing).",
    ]
    for reader in READERS:
        lines += ["", f"## {reader}", "", "| input | outcome |", "|---|---|"]
        lines += [f"| {c.name} | {c.outcome} |" for c in corpus() if c.reader == reader]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(), end="")
