"""A web service receives files as bytes: every reader takes a path, a text stream, bytes
or a binary stream (an upload), decoded as a file is (UTF-8, a byte-order mark skipped),
and reads the same from each; a string is a path, and text in one is refused with what to
pass; anything else is a TypeError."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from karmayogi.cbp import read_allocations_csv, read_catalogue_csv
from karmayogi.competency import read_designation_csv, write_designation_csv
from karmayogi.demo import Demo, make_demo
from karmayogi.errors import ValidationError
from karmayogi.org import read_people_csv, read_units_csv
from karmayogi.progress import read_cbp_report, read_consumption_report, read_xapi

CATALOGUE = (
    "Course Id,Course Name,Provider,Duration,Content Type,Languages,Competency,Level\n"
    "do_1,RTI Act,iGOT,01:30:00,Course,English,KCM-F13-04,2\n"
    "do_2,Noting and Drafting,iGOT,02:00:00,Course,Hindi,KCM-F11-02,\n"
)

XAPI = "".join(
    json.dumps(
        {
            "id": f"00000000-0000-4000-8000-00000000000{n}",
            "actor": {"mbox": f"mailto:{who}@x.in"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "do_1"},
            "timestamp": "2025-06-30T21:30:00+05:30",
        }
    )
    + "\n"
    for n, who in enumerate(("asha", "ravi", "meena"))
)


@functools.cache
def state() -> Demo:
    return make_demo(people=60)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("uploads")
    state().write_exports(folder)
    (folder / "catalogue.csv").write_text(CATALOGUE, encoding="utf-8")
    (folder / "statements.jsonl").write_text(XAPI, encoding="utf-8")
    with (folder / "designations.csv").open("w", encoding="utf-8", newline="") as handle:
        write_designation_csv(state().positions, state().framework, handle)
    return folder


def _import(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """An import as what it read: its rows' fate and its records, without the file's name."""

    def what(source: Any) -> Any:
        result = read(source)
        records = sorted((e.person, e.course, e.status, e.completed_at) for e in result.ledger)
        counts = (result.rows, result.used, result.duplicates, result.rejected_rows)
        return counts, records, sorted((a.person, a.course, a.due) for a in result.allocations)

    return what


READERS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "read_consumption_report": ("ConsumptionReport.csv", _import(read_consumption_report)),
    "read_cbp_report": ("CBPEnrollmentReport.csv", _import(read_cbp_report)),
    "read_xapi": ("statements.jsonl", _import(read_xapi)),
    "read_people_csv": ("people.csv", read_people_csv),
    "read_units_csv": ("units.csv", lambda s: [(u.id, u.parent) for u in read_units_csv(s)]),
    "read_allocations_csv": ("allocations.csv", read_allocations_csv),
    "read_catalogue_csv": ("catalogue.csv", lambda s: read_catalogue_csv(s).value),
    "read_designation_csv": (
        "designations.csv",
        lambda s: read_designation_csv(s, state().framework).value,
    ),
}


def sources(path: Path) -> dict[str, Any]:
    """The file as each kind of source a caller may have."""
    data = path.read_bytes()
    return {
        "text stream": io.StringIO(data.decode("utf-8")),
        "bytes": data,
        "bytes with a byte-order mark": b"\xef\xbb\xbf" + data,
        "bytearray": bytearray(data),
        "binary stream": io.BytesIO(data),
        "file opened in binary": path.open("rb"),
    }


@pytest.mark.parametrize("reader", sorted(READERS))
def test_every_reader_reads_an_upload_as_the_file(files: Path, reader: str) -> None:
    name, read = READERS[reader]
    path = files / name
    expected = read(path)
    assert expected  # the file holds something to compare
    for kind, source in sources(path).items():
        assert read(source) == expected, kind
        if hasattr(source, "close"):
            assert not source.closed, f"{kind}: the caller's stream is the caller's to close"
            source.close()


@pytest.mark.parametrize("reader", sorted(READERS))
def test_text_in_a_string_and_other_things_are_refused_with_what_to_pass(
    files: Path, reader: str
) -> None:
    name, read = READERS[reader]
    text = (files / name).read_text(encoding="utf-8")
    with pytest.raises(TypeError, match=r"pass io\.StringIO\(text\), or its bytes"):
        read(text)
    for wrong in (5, None, 2.5):
        with pytest.raises(TypeError, match="a source is a path, bytes, or a text or binary"):
            read(wrong)


def test_an_upload_that_is_not_utf8_says_where_and_why() -> None:
    export = (
        "Email,Ministry,Department,Content_Name,Enrolled_On,Status\n"
        "a@x.in,CG,Révenue,RTI,2025-05-01 10:00:00,in-progress\n"
    )
    for data in (export.encode("cp1252"), io.BytesIO(export.encode("cp1252"))):
        with pytest.raises(ValidationError) as raised:
            read_consumption_report(data)
        assert str(raised.value).startswith("row 2: is not UTF-8 text; it reads as Windows-1252")
    with pytest.raises(ValidationError, match="is UTF-16 text, not UTF-8"):
        read_consumption_report(export.encode("utf-16"))


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read_whole() -> None:
    from karmayogi.errors import LimitExceeded
    from karmayogi.limits import Limits

    class Endless(io.RawIOBase):
        """A stream that never ends, as a hostile client's upload: only what the limit
        allows, and one byte more, may be taken from it."""

        taken = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            size = len(buffer)
            buffer[:size] = b"a" * size
            Endless.taken += size
            return size

    stream = io.BufferedReader(Endless())
    with pytest.raises(LimitExceeded, match="over the limit on file size"):
        read_consumption_report(stream, limits=Limits(file_size=1000))
    assert Endless.taken < 100_000
