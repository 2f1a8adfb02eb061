"""The platform's designation-to-competency CSV, read and written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi._names import name_key
from karmayogi.competency import (
    Framework,
    Importance,
    Position,
    ProficiencyLevel,
    default_framework,
    read_designation_csv,
    write_designation_csv,
)
from karmayogi.errors import ValidationError
from tests.builders import designation, needs
from tests.strategies import positions

PLATFORM_FILE = """\
Designation,Competency Area,Competency Theme,Competency SubTheme
Section Officer,Behavioural,Communication,Active Listening
Section Officer,Functional,Office Management,E-Office
Section Officer,Functional,Office Management,
Assistant Section Officer,behavioral,COMMUNICATION,reading and comprehension
"""


def test_reads_the_platforms_file(kcm: Framework) -> None:
    imported = read_designation_csv(io.StringIO(PLATFORM_FILE), kcm)
    assert imported.findings == ()
    so, aso = imported.value
    assert so.name == "Section Officer"
    assert [(r.competency, r.level, r.importance) for r in so.requirements()] == [
        ("KCM-B04-01", ProficiencyLevel.BASIC, Importance.MANDATORY),
        ("KCM-F13-01", ProficiencyLevel.BASIC, Importance.MANDATORY),
        ("KCM-F13", ProficiencyLevel.BASIC, Importance.MANDATORY),  # blank sub-theme: the theme
    ]
    assert [r.competency for r in aso.requirements()] == ["KCM-B04-02"]
    assert so.id == "Section-Officer"


def test_reads_a_file_with_a_byte_order_mark(kcm: Framework, tmp_path: Path) -> None:
    path = tmp_path / "designations.csv"
    path.write_bytes(PLATFORM_FILE.encode("utf-8-sig"))
    assert len(read_designation_csv(path, kcm, default_level="L2").value) == 2


def test_every_bad_row_is_reported_with_its_number(kcm: Framework, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Designation,Competency Area,Competency Theme,Competency SubTheme,Proficiency Level\n"
        "Section Officer,Behavioural,Comunication,,2\n"
        "Section Officer,Behavioural,Communication,Telepathy,2\n"
        ",Functional,Office Management,E-Office,9\n"
        "Assistant,Sorcery,Office Management,,1\n"
        "Assistant,Behavioural,Communication,,1,extra\n"
        "Assistant,Behavioural,Communication,,1\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        read_designation_csv(path, kcm)
    found = [(p.where.row, p.where.field, p.got) for p in info.value.problems]
    assert found == [
        (2, "Competency Theme", "Comunication"),
        (3, "Competency SubTheme", "Telepathy"),
        (4, "Designation", ""),
        (4, "Proficiency Level", "9"),
        (5, "Competency Area", "Sorcery"),
        (6, None, "6"),
    ]
    assert all(p.where.file == str(path) for p in info.value.problems)
    assert info.value.problems[0].expected is not None
    assert "'Communication'" in info.value.problems[0].expected


def test_missing_and_repeated_columns_are_named(kcm: Framework) -> None:
    with pytest.raises(ValidationError) as info:
        read_designation_csv(io.StringIO("Designation,Theme,theme\nX,Y,Z\n"), kcm)
    messages = [str(p) for p in info.value.problems]
    assert "repeats column 'Theme'" in messages[0]
    assert "is missing columns 'Competency Area', 'Competency SubTheme'" in messages[1]


def test_empty_file_says_what_header_is_expected(kcm: Framework) -> None:
    with pytest.raises(ValidationError, match=r"is empty.*Designation, Competency Area"):
        read_designation_csv(io.StringIO(""), kcm)


def test_latin1_bytes_are_reported_not_raised(kcm: Framework, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(PLATFORM_FILE.replace("Officer", "Officér").encode("latin-1"))
    with pytest.raises(ValidationError, match="is not UTF-8 text"):
        read_designation_csv(path, kcm)


def test_repeats_conflicts_and_extra_columns_are_findings(kcm: Framework) -> None:
    text = (
        "S.No,Designation,Competency Area,Competency Theme,Competency SubTheme,Level,Importance\n"
        "1,Clerk,Behavioural,Communication,Active Listening,1,desirable\n"
        "2,Clerk,Behavioural,Communication,Active Listening,1,desirable\n"
        "3,clerk,Behavioural,Communication,Active Listening,3,Mandatory\n"
        "\n"
    )
    imported = read_designation_csv(io.StringIO(text), kcm)
    (clerk,) = imported.value
    (requirement,) = clerk.requirements()
    assert (requirement.level, requirement.importance) == (3, Importance.MANDATORY)
    assert [(f.code, f.where.row) for f in imported.findings] == [
        ("ignored-column", 1),
        ("duplicate-row", 3),
        ("conflicting-rows", 4),
    ]


def test_domain_themes_are_found_for_the_organisation(kcm: Framework) -> None:
    fw = kcm.with_domain("mdo-tax", {"Indirect Taxation": ["GST Audit"]})
    text = (
        "Designation,Competency Area,Competency Theme,Competency SubTheme\n"
        "Tax Assistant,Domain,Indirect taxation,gst audit\n"
    )
    (position,) = read_designation_csv(io.StringIO(text), fw, organisation="mdo-tax").value
    assert position.organisation == "mdo-tax"
    assert [r.competency for r in position.requirements()] == ["DOM-mdo-tax-01-01"]


@given(st.lists(positions([c.id for c in default_framework().competencies()]), max_size=4))
def test_write_then_read_gives_the_same_requirements(people: list[Position]) -> None:
    kcm = default_framework()
    out = io.StringIO()
    write_designation_csv(people, kcm, out)
    out.seek(0)
    back = read_designation_csv(out, kcm).value
    expected: dict[str, dict[str, tuple[int, str]]] = {}
    for position in people:  # one designation per name, compared as look-ups compare
        merged = expected.setdefault(name_key(position.name), {})
        for r in position.requirements():
            old = merged.get(r.competency, (0, "desirable"))
            merged[r.competency] = (
                max(old[0], int(r.level)),
                "mandatory" if "mandatory" in (old[1], r.importance.value) else "desirable",
            )
    got = {
        name_key(p.name): {
            r.competency: (int(r.level), r.importance.value) for r in p.requirements()
        }
        for p in back
    }
    assert got == {name: reqs for name, reqs in expected.items() if reqs}


def test_writer_refuses_unknown_competencies(kcm: Framework) -> None:
    bad = designation("P", needs("NOPE", 1))
    with pytest.raises(ValidationError, match=r"positions\[0\].roles\[0\]"):
        write_designation_csv([bad], kcm, io.StringIO())
