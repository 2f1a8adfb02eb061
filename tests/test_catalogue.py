"""Courses and the catalogue: durations as files write them, look-ups by competency and
level, and the CSV reader that reports every bad row at once."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.cbp import Catalogue, Course, read_catalogue_csv
from karmayogi.competency import Framework, ProficiencyLevel
from karmayogi.errors import UnknownNameError, ValidationError

from .strategies import catalogues


def course(course_id: str, duration: int | str, *built: tuple[str, int]) -> Course:
    return Course(
        id=course_id,
        name=course_id,
        duration=duration,
        competencies=[{"competency": c, "level": level} for c, level in built],
    )


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        (5400, 5400),
        ("5400", 5400),
        ("01:30:00", 5400),
        ("1:30:00", 5400),
        ("30:00:00", 108000),
        ("PT1H30M", 5400),
        ("pt45m", 2700),
        (dt.timedelta(minutes=90), 5400),
        (90.5, 90.5),
    ],
)
def test_durations_as_the_platform_writes_them(written: object, seconds: float) -> None:
    assert course("do_1", written).duration.total_seconds() == seconds  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "written", [0, -60, "00:00:00", "1:75:00", "an hour", "P", True, "1001:00:00", 10**9]
)
def test_impossible_durations(written: object) -> None:
    with pytest.raises(ValidationError) as caught:
        course("do_1", written)  # type: ignore[arg-type]
    assert caught.value.problems[0].where.path == "duration"


def test_duration_reads_back_as_hh_mm_ss() -> None:
    assert '"duration": "30:00:00"' in course("do_1", 108000).to_json()


def test_a_course_names_a_competency_once() -> None:
    with pytest.raises(ValidationError, match=r"competencies\[1\]"):
        course("do_1", 60, ("KCM-B04", 1), ("KCM-B04", 2))


def test_finding_courses_by_competency_and_level() -> None:
    catalogue = Catalogue(
        courses=[
            course("do_3", "04:00:00", ("KCM-F05", 3)),
            course("do_1", 3600, ("KCM-F05", 1), ("KCM-B04", 2)),
            course("do_2", 3600, ("KCM-F05", 2)),
        ]
    )
    assert [c.id for c in catalogue.for_competency("KCM-F05")] == ["do_1", "do_2", "do_3"]
    assert [c.id for c in catalogue.for_competency("KCM-F05", "Proficient")] == ["do_2", "do_3"]
    assert catalogue.for_competency("KCM-B04", 3) == ()
    assert catalogue.get("do_2").hours == 1.0
    with pytest.raises(UnknownNameError, match="did you mean 'do_2'"):
        catalogue.get("do_22")


def test_a_catalogue_lists_a_course_once() -> None:
    with pytest.raises(ValidationError, match=r"courses\[1\]\.id"):
        Catalogue(courses=[course("do_1", 60), course("do_1", 120)])


def test_checking_against_a_framework(kcm: Framework) -> None:
    catalogue = Catalogue(courses=[course("do_1", 60, ("KCM-B04", 1), ("KCM-X99", 2))])
    with pytest.raises(ValidationError) as caught:
        catalogue.check(kcm)
    [problem] = caught.value.problems
    assert problem.where.path == "courses[0].competencies[1].competency"
    assert problem.got == "KCM-X99"


@given(
    catalogues(),
    st.sampled_from(["KCM-B01", "KCM-B02", "KCM-B03"]),
    st.sampled_from(ProficiencyLevel),
)
def test_for_competency_finds_exactly_the_courses_that_build_to_the_level(
    catalogue: Catalogue, competency: str, level: ProficiencyLevel
) -> None:
    found = catalogue.for_competency(competency, level)
    expected = {
        c.id
        for c in catalogue.courses
        if any(b.competency == competency and b.level >= level for b in c.competencies)
    }
    assert {c.id for c in found} == expected
    assert [c.duration for c in found] == sorted(c.duration for c in found)


CSV = """\
Course Id,Course Name,Provider,Duration,Content Type,Languages,Competency,Level
do_1,RTI basics,ISTM,01:00:00,Course,English; Hindi,KCM-F05,1
do_1,RTI basics,ISTM,01:00:00,Course,English; Hindi,KCM-B04,2
do_2,Noting and drafting,ISTM,5400,Course,English,KCM-F13-04,L3
do_3,Induction,IGOT,00:45:00,Program,,,
"""


def test_reading_a_catalogue_csv(kcm: Framework) -> None:
    imported = read_catalogue_csv(io.StringIO(CSV), kcm)
    catalogue = imported.value
    assert [c.id for c in catalogue.courses] == ["do_1", "do_2", "do_3"]
    rti = catalogue.get("do_1")
    assert rti.languages == ("English", "Hindi")
    assert [(b.competency, int(b.level)) for b in rti.competencies] == [
        ("KCM-F05", 1),
        ("KCM-B04", 2),
    ]
    assert catalogue.get("do_2").duration == dt.timedelta(minutes=90)
    assert catalogue.get("do_3").competencies == ()
    assert catalogue.get("do_3").content_type == "Program"
    assert imported.findings == ()


def test_reading_competencies_by_name_as_the_platform_writes_them(kcm: Framework) -> None:
    text = (
        "Content_Name,Course Id,Content_Duration,Competency Area,Competency Theme,"
        "Competency SubTheme\n"
        "Reading well,do_9,00:30:00,Behavioural,Communication,Reading & Comprehension\n"
    )
    catalogue = read_catalogue_csv(io.StringIO(text), kcm, default_level=2).value
    [built] = catalogue.get("do_9").competencies
    assert built.competency == kcm.find("Communication", "Reading and comprehension").id
    assert built.level == ProficiencyLevel.PROFICIENT


def test_every_bad_row_is_reported_at_once(kcm: Framework) -> None:
    text = (
        "Course Id,Course Name,Duration,Competency,Level,Notes\n"
        "do_1,A,01:00:00,KCM-B04,7,x\n"  # row 2: bad level
        ",B,01:00:00,KCM-B04,1,x\n"  # row 3: no id
        "do_3,C,-5,,,x\n"  # row 4: bad duration
        "do_4,D,00:10:00,KCM-NOPE,1,x\n"  # row 5: unknown competency
        "do_5,E,00:10:00,KCM-B04,1,x\n"
        "do_5,E (renamed),00:10:00,KCM-B05,1,x\n"  # row 7: disagrees with row 6
    )
    with pytest.raises(ValidationError) as caught:
        read_catalogue_csv(io.StringIO(text), kcm)
    where = [(p.where.row, p.where.field) for p in caught.value.problems]
    assert where == [
        (2, "Level"),
        (3, "Course Id"),
        (5, "Competency"),
        (7, "Course Name"),
        (4, "Duration"),
    ]


def test_a_missing_column_is_named() -> None:
    with pytest.raises(ValidationError, match="'Duration'"):
        read_catalogue_csv(io.StringIO("Course Id,Course Name\ndo_1,A\n"))


def test_theme_names_need_a_framework() -> None:
    text = "Course Id,Course Name,Duration,Competency Theme\ndo_1,A,60,Communication\n"
    with pytest.raises(ValidationError, match="no framework was given"):
        read_catalogue_csv(io.StringIO(text))


def test_a_repeated_row_is_a_finding_and_the_higher_level_counts() -> None:
    text = (
        "Course Id,Course Name,Duration,Competency,Level\n"
        "do_1,A,60,KCM-B04,1\ndo_1,A,60,KCM-B04,3\n"
    )
    imported = read_catalogue_csv(io.StringIO(text))
    assert imported.value.get("do_1").builds("KCM-B04", 3)
    assert [(f.code, f.where.row) for f in imported.findings] == [("duplicate-row", 3)]


def test_prerequisites_the_catalogue_lacks_or_that_go_round_are_each_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "Course Id,Course Name,Duration,Prerequisites,Description\n"
        "do_1,Drafting,3600,do_2,Noting and drafting\n"
        'do_2,Drafting 2,3600,"do_1; do_9",\n'
        "do_3,RTI,1800,do_1,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_catalogue_csv(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, row 3, field 'Prerequisites': is not a course of the catalogue "
        "(expected one of 'do_3', 'do_2', 'do_1', got 'do_9')",
        f"{path}, row 2, field 'Prerequisites': is needed, at some remove, before itself "
        "(each course here needs the next) (expected prerequisites that end, "
        "got 'do_1 -> do_2 -> do_1')",
    ]


def test_a_catalogue_csv_carries_descriptions_and_prerequisites(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.csv"
    path.write_text(
        "Course Id,Course Name,Duration,Prerequisites,Description\n"
        "do_1,Drafting,3600,,Noting and drafting\n"
        'do_2,Drafting 2,3600,"do_1",\n'
        "do_3,Drafting 3,1800,do_2;do_1,\n",
        encoding="utf-8",
    )
    catalogue = read_catalogue_csv(path).value
    assert catalogue.get("do_1").description == "Noting and drafting"
    assert catalogue.get("do_3").prerequisites == ("do_2", "do_1")
    assert catalogue.before("do_3") == ("do_1", "do_2")
