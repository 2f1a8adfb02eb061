"""The enrolment export read into a frame means what the reference reader makes of it: the
same rows accounted for the same way, the same rejections in the same words, the same
people in the same units, the same tree, and records that join into the same ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from karmayogi._platform import CONSUMPTION_REPORT_HEADER
from karmayogi.cbp import Catalogue, Course
from karmayogi.errors import ValidationError
from karmayogi.limits import NO_LIMITS
from karmayogi.org import OrgTree
from karmayogi.periods import IST
from karmayogi.progress import Import, Rollup, read_consumption_report

pl = pytest.importorskip("polars", reason="the columnar extra is not installed")
columnar = pytest.importorskip("karmayogi.columnar")

# Cells as exports (and the people who edit them) write them: the platform's forms, the
# spreadsheet's, padding, other cases, and wrong ones.
EMAILS = ["ravi@cg.gov.in", "RAVI@cg.gov.in ", " asha@cg.gov.in", "Straße@cg.gov.in",
          "STRASSE@cg.gov.in", "", "  ", "\u00a0om@cg.gov.in", "om@cg.gov.in\u200b"]  # fmt: skip
COURSES = ["RTI Act, 2005", "Ethics", " ethics ", "", 'Noting "and" drafting', "\u3000Ethics",
           "\u0928\u0948\u0924\u093f\u0915\u0924\u093e", "\x1cEthics"]  # fmt: skip
UNQUOTED = {"RTI Act, 2005": "RTI Act 2005", 'Noting "and" drafting': "Noting and drafting"}
STATUSES = ["completed", "in-progress", "not-started", "Completed", " In Progress ",
            "Not Started", "2", "1", "0", "finished", "", "COMPLETED", "In_Progress",
            "\u00a0completed"]  # fmt: skip
TIMES = ["2025-04-05 10:30:00", "2025-04-05 10:30:00", "2026-03-31 23:59:59",
         "2025-06-30 18:30:00", " 2025-07-01 09:00:00 ", "06/04/2025", "01/05/2025 17:30",
         "2025-04-05T10:30:00Z", "2025-02-30 10:00:00", "2025-04-05 24:00:00",
         "0000-01-01 00:00:00", "yesterday", ""]  # fmt: skip
PROGRESS = ["", "0", "40", "100", "100.0", " 50 ", "-5", "x", "nan", "1e2"]
CERTIFICATES = ["Yes", "No", "", "yes", " TRUE ", "maybe", "\u00a0Yes", "N"]
DURATIONS = ["", "01:30:00", "00:30:00", "-1", "bad", "1000:00:01", "5400", " 5400 ", "1:30:00",
             "5400.0", "PT1H30M", "3600000", "3600001", "999:59:59", "01:30:00\u00a0"]  # fmt: skip
PLACES = [
    ("Chhattisgarh", "Revenue", "Collectorate Raipur", "Revenue"),
    ("Chhattisgarh", "Revenue", "Revenue", "Revenue"),
    (" Chhattisgarh", "", "Tehsil Durg ", "Revenue"),
    ("", "", "", "Forest"),
    ("", "", "", ""),
]


def mostly(draw: st.DrawFn, good: list[str], every: list[str]) -> str:
    """Mostly a good cell, so that rows are used and joined; sometimes any cell."""
    return draw(st.sampled_from(good) if draw(st.integers(0, 7)) else st.sampled_from(every))


@st.composite
def export_row(draw: st.DrawFn, *, quoted: bool = True) -> dict[str, str]:
    """A row; without quotes where ``quoted`` is false (no comma or quote in a cell), as
    most exports are, so that polars reads the columns used alone."""
    ministry, department, organisation, mdo = draw(st.sampled_from(PLACES))
    status = mostly(draw, STATUSES[:9], STATUSES)
    course = mostly(draw, COURSES[:3], COURSES)
    done = status.strip().lower() in ("completed", "2")
    started = status.strip().lower() in ("in-progress", "in progress", "1")
    return {
        "Email": mostly(draw, EMAILS[:5], EMAILS),
        "Ministry": ministry,
        "Department": department,
        "Organization": organisation,
        "MDO_Name": mdo,
        "Content_Name": course if quoted else UNQUOTED.get(course, course),
        "Content_Id": draw(st.sampled_from(["", "do_1", "do_2"])),
        "Content_Duration": mostly(draw, DURATIONS[:3], DURATIONS),
        "Enrolled_On": mostly(draw, TIMES[:8], TIMES),
        "Status": status,
        "Content_Progress_Percentage": mostly(
            draw,
            ["100", "", "100.0"] if done else ["40", " 50 "] if started else ["0", ""],
            PROGRESS,
        ),
        "Completed_On": mostly(draw, TIMES[:8] if done else [""], TIMES),
        "Certificate_Generated": mostly(draw, ["Yes", "No"] if done else ["No", ""], CERTIFICATES),
    }


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    """An export's text as written: rows, sometimes blank lines, rows short or long, a
    quoted field over two lines, a byte-order mark, Windows line ends; and how to read it."""
    header = list(CONSUMPTION_REPORT_HEADER)
    if draw(st.booleans()):
        header.append("Content_Id")
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerow(header)
    quoted = draw(st.booleans())
    for values in draw(st.lists(export_row(quoted=quoted), max_size=25)):
        if quoted and draw(st.integers(0, 9)) == 0:
            values["Organization"] += "\nDurg"  # a quoted field over two lines
        cells = [values.get(column, "") for column in header]
        shape = draw(st.integers(0, 19))
        if shape == 0:
            cells = cells[: draw(st.integers(1, len(cells)))]  # short: the rest are blank
        elif shape == 1:
            cells += ["extra"]  # long: rejected
        elif shape == 2:
            buffer.write(draw(st.sampled_from(["", ",,,", " , "])) + ending)  # blank lines
        elif shape == 3:
            cells = ["Ravi Kumar"]  # a name alone, in a column not read: not a blank row
        writer.writerow(cells)
    text = buffer.getvalue()
    if draw(st.booleans()):
        text = "\ufeff" + text
    options: dict[str, Any] = {}
    if draw(st.integers(0, 3)) == 0:
        options["person_key"] = "External_System_Id"
    if draw(st.integers(0, 3)) == 0:
        options["catalogue"] = Catalogue(
            courses=[Course(id="do_9", name="Ethics", provider="iGOT", duration="01:00:00")]
        )
    return text, options


def same_import(framed: Any, reference: Import) -> None:
    """Everything the frame reader says is what the reference reader says."""
    assert framed.summary() == reference.summary()
    assert framed.accounted
    assert [(r.row, str(r)) for r in framed.rejected] == [
        (r.row, str(r)) for r in reference.rejected
    ]
    assert [(f.code, f.message) for f in framed.findings] == [
        (f.code, f.message) for f in reference.findings
    ]
    assert dict(framed.places.rows()) == reference.places
    assert reference.tree is not None
    assert list(framed.tree) == list(reference.tree)
    joined = (
        framed.records.group_by("person", "course")
        .agg(
            pl.col("status").max(),
            pl.col("progress").max(),
            pl.col("enrolled_at").min(),
            pl.col("completed_at").min(),
            pl.col("certificate").any(),
            pl.col("duration").max(),
        )
        .rows()
    )

    def wall(when: dt.datetime | None) -> dt.datetime | None:
        return None if when is None else when.astimezone(IST).replace(tzinfo=None)

    ledger = [
        (e.person, e.course, e.status.value, e.progress, wall(e.enrolled_at),
         wall(e.completed_at), bool(e.certificates), e.duration)
        for e in reference.ledger
    ]  # fmt: skip
    assert sorted(joined) == sorted(ledger)


@settings(max_examples=150, deadline=None)
@given(exports())
def test_the_frame_reader_means_what_the_reference_reader_means(
    export: tuple[str, dict[str, Any]],
) -> None:
    text, options = export
    reference = read_consumption_report(io.StringIO(text), **options)
    framed = columnar.read_consumption_frame(io.StringIO(text), **options)
    same_import(framed, reference)
    # Joined as the ledger joins them: one row per person and course.
    joined = columnar.read_consumption_frame(io.StringIO(text), joined=True, **options)
    same_import(joined, reference)
    assert joined.records.height == len(reference.ledger)
    # A trusted export, held to no limits (a line is then not looked at whole).
    reference = read_consumption_report(io.StringIO(text), limits=NO_LIMITS, **options)
    trusted = columnar.read_consumption_frame(io.StringIO(text), limits=NO_LIMITS, **options)
    same_import(trusted, reference)


GOOD_ROW = {
    "Email": "ravi@cg.gov.in", "Ministry": "Chhattisgarh", "Department": "Revenue",
    "Organization": "", "MDO_Name": "", "Content_Name": "Ethics", "Content_Id": "",
    "Content_Duration": "01:30:00", "Enrolled_On": "2025-04-05 10:30:00",
    "Status": "completed", "Content_Progress_Percentage": "100",
    "Completed_On": "2025-05-01 17:30:00", "Certificate_Generated": "Yes",
}  # fmt: skip
FORMS = [
    *(("Email", cell) for cell in EMAILS),
    *(("Content_Name", cell) for cell in COURSES),
    *(("Status", cell) for cell in STATUSES),
    *(("Enrolled_On", cell) for cell in TIMES),
    *(("Completed_On", cell) for cell in TIMES),
    *(("Content_Progress_Percentage", cell) for cell in PROGRESS),
    *(("Certificate_Generated", cell) for cell in CERTIFICATES),
    *(("Content_Duration", cell) for cell in DURATIONS),
]


@pytest.mark.parametrize(("column", "cell"), FORMS)
def test_each_form_of_a_cell_means_what_the_reference_reader_means(column: str, cell: str) -> None:
    catalogue = Catalogue(
        courses=[Course(id="do_9", name="Ethics", provider="iGOT", duration="01:00:00")]
    )
    # With ids, and without, where a catalogue finds courses by their names.
    for header, options in (([*GOOD_ROW], {}), ([c for c in GOOD_ROW if c != "Content_Id"],
                                                {"catalogue": catalogue})):  # fmt: skip
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerow(GOOD_ROW)
        writer.writerow({**GOOD_ROW, "Email": "asha@cg.gov.in", column: cell})
        text = buffer.getvalue()
        reference = read_consumption_report(io.StringIO(text), **options)
        for joined in (False, True):
            framed = columnar.read_consumption_frame(io.StringIO(text), joined=joined, **options)
            same_import(framed, reference)


def test_the_spaces_polars_strips_are_those_python_strips() -> None:
    from karmayogi.progress._columnar._reader import _SPACE

    assert set(_SPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


def test_a_file_is_read_from_its_path_and_rolls_up_as_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "ConsumptionReport.csv"
    rows = [
        ["ravi@cg.gov.in", "Chhattisgarh", "Revenue", "RTI Act", "2025-04-05 10:30:00",
         "completed", "100", "2025-05-01 17:30:00", "Yes", "01:30:00"],
        ["asha@cg.gov.in", "Chhattisgarh", "Forest", "RTI Act", "06/04/2025", "in-progress",
         "40", "", "No", "01:30:00"],
        ["om@cg.gov.in", "Chhattisgarh", "Forest", "RTI Act", "2025-04-07 10:00:00",
         "completed", "90", "2025-04-09 10:00:00", "No", ""],
    ]  # fmt: skip
    header = ["Email", "Ministry", "Department", "Content_Name", "Enrolled_On", "Status",
              "Content_Progress_Percentage", "Completed_On", "Certificate_Generated",
              "Content_Duration"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    reference = read_consumption_report(path)
    framed = columnar.read_consumption_frame(path)
    same_import(framed, reference)
    assert framed.file == str(path)
    assert str(framed.rejected[0]).startswith(f"{path}, row 4")
    assert "progress 100" in str(framed.rejected[0])
    table = columnar.rollup_frame(framed.records, framed.tree, places=dict(framed.places.rows()),
                                  by="fy")  # fmt: skip
    assert reference.tree is not None
    expected = Rollup(reference.tree, places=reference.places, by="fy", records=reference.ledger)
    state = table.filter(pl.col("unit") == "Chhattisgarh").row(0, named=True)
    assert (state["enrolments"], state["completions"], state["learning_hours"]) == (
        expected.row("Chhattisgarh", "2025-26").enrolments,
        expected.row("Chhattisgarh", "2025-26").completions,
        1.5,
    )


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"Email,Content_Name,Enrolled_On,Status\ra@x.in,C,2025-04-05 10:00:00,completed\r",
         "lines ended by a bare carriage return"),
        (b'Email,Content_Name,Enrolled_On,Status\na@x.in,"C,2025-04-05 10:00:00,completed\n'
         b'b@x.in",D,2025-04-05 10:00:00,completed\n', "a quote closed a line later"),
    ],
)  # fmt: skip
def test_a_file_polars_splits_otherwise_is_read_by_the_reference_reader(
    tmp_path: Path, data: bytes, why: str
) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(data)
    same_import(columnar.read_consumption_frame(path), read_consumption_report(path))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"Email,Content_Name,Enrolled_On,Status\nr\xe9@x.in,C,2025-04-05,completed\n",
         "row 2: is not UTF-8"),
        (b'Email,Content_Name,Enrolled_On,Status\na@x.in,"C,2025-04-05,completed\n',
         "row 2: has a quoted field that never ends"),
    ],
)  # fmt: skip
def test_a_file_refused_is_the_reference_readers_error(
    tmp_path: Path, data: bytes, error: str
) -> None:
    path = tmp_path / "refused.csv"
    path.write_bytes(data)
    with pytest.raises(ValidationError) as framed:
        columnar.read_consumption_frame(path)
    with pytest.raises(ValidationError) as reference:
        read_consumption_report(path)
    assert str(framed.value) == str(reference.value)
    assert error in str(framed.value)


def test_missing_columns_are_refused_as_the_reference_refuses_them() -> None:
    text = "Email,Status,Content_Name\na@x.in,completed,X\n"
    with pytest.raises(ValidationError, match="'Enrolled_On'"):
        columnar.read_consumption_frame(io.StringIO(text))


@pytest.mark.parametrize("backend", ["pandas", "pyarrow"])
def test_the_frames_come_in_the_library_asked_for(backend: str) -> None:
    pytest.importorskip(backend)
    text = "Email,Ministry,Content_Name,Enrolled_On,Status\na@x.in,CG,C,2025-04-05 10:00:00,1\n"
    framed = columnar.read_consumption_frame(io.StringIO(text), backend=backend)
    assert type(framed.records).__module__.split(".")[0] == backend
    assert type(framed.places).__module__.split(".")[0] == backend
    assert (framed.records.num_rows if backend == "pyarrow" else len(framed.records)) == 1


def test_an_empty_export_has_no_rows() -> None:
    framed = columnar.read_consumption_frame(io.StringIO("Email,Content_Name,Enrolled_On,Status\n"))
    assert (framed.rows, framed.records.height, framed.places.height) == (0, 0, 0)
    assert list(framed.tree) == list(OrgTree([]))


HAND_EDITS = [
    ("a stray quote in an unquoted cell", lambda cell: cell + '"'),
    ("a quote inside a cell", lambda cell: cell[:1] + '"' + cell[1:]),
    ("a quoted comma", lambda cell: '"' + cell + ', more"'),
    ("a quoted cell over two lines", lambda cell: '"' + cell + '\nnext"'),
    ("a quoted cell of Unicode spaces", lambda _cell: '"\u00a0\u2003"'),
    ("a cell of Unicode spaces", lambda _cell: "\u00a0\u2003"),
    ("an escaped quote", lambda cell: '"' + cell + ' ""x"""'),
    ("a trailing comma", lambda cell: cell + ","),
]


@st.composite
def hand_edited(draw: st.DrawFn) -> str:
    """An export as someone edited it by hand in a text editor: the platform's rows, then
    a few cells changed in the ways that trip CSV readers, and sometimes no last newline."""
    header = ",".join(CONSUMPTION_REPORT_HEADER)
    lines = [header]
    for values in draw(st.lists(export_row(), min_size=1, max_size=12)):
        cells = [values.get(column, "").replace("\n", " ").replace('"', "") for column in
                 CONSUMPTION_REPORT_HEADER]  # fmt: skip
        cells = [f'"{c}"' if "," in c else c for c in cells]
        for _ in range(draw(st.integers(0, 2))):
            at = draw(st.integers(0, len(cells) - 1))
            _name, edit = draw(st.sampled_from(HAND_EDITS))
            cells[at] = edit(cells[at])
        lines.append(",".join(cells))
        if draw(st.integers(0, 5)) == 0:  # a row that only looks blank
            space = draw(st.sampled_from(['"\u00a0\u2003"', "\u3000", '"\x1c"', " "]))
            lines.append(space + "," * (len(cells) - 1))
    text = "\n".join(lines)
    if draw(st.integers(0, 3)) == 0:
        text += ","  # a trailing comma on the last line
    return text if draw(st.booleans()) else text + "\n"


@settings(max_examples=max(300, settings.default.max_examples), deadline=None)  # fuzz: more
@given(hand_edited())
def test_both_readers_read_a_hand_edited_export_alike(text: str) -> None:
    """A differential fuzz: whatever the edits, the frame reader says what the reference
    reader says, rows and reasons, or refuses the file with the same error."""
    refused: str | None = None
    try:
        reference = read_consumption_report(io.StringIO(text))
    except ValidationError as exc:
        refused = str(exc)
    if refused is not None:
        with pytest.raises(ValidationError) as also:
            columnar.read_consumption_frame(io.StringIO(text))
        assert str(also.value) == refused
        return
    same_import(columnar.read_consumption_frame(io.StringIO(text)), reference)
