"""Designations as people write them, matched to the canonical ones, or refused."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.designations import DesignationIndex, read_aliases_csv, words
from karmayogi.errors import ValidationError

CANONICAL = [
    "Assistant Section Officer",
    "Section Officer",
    "Assistant Statistical Officer",
    "Under Secretary",
    "Deputy Secretary",
    "Joint Secretary",
    "Additional Secretary",
    "Lower Division Clerk",
    "Upper Division Clerk",
    "Officer on Special Duty",
    "Block Development Officer",
    "Senior Accountant",
    "Junior Engineer",
    "Assistant Engineer",
    "Executive Engineer",
    "Tehsildar",
    "Naib Tehsildar",
    "Superintendent Grade II",
]

# As written in real HR exports, and what each must be taken for (None: refused).
VARIANTS = [
    ("Assistant Section Officer", "Assistant Section Officer", "exact"),
    ("ASSISTANT  SECTION OFFICER.", "Assistant Section Officer", "exact"),
    ("Asst. Section Officer", "Assistant Section Officer", "words"),
    ("Asstt. Section Officer", "Assistant Section Officer", "words"),
    ("Section Officer (Asst.)", "Assistant Section Officer", "words"),
    ("Section Officer, Assistant", "Assistant Section Officer", "words"),
    ("Dy. Secy.", "Deputy Secretary", "words"),
    ("Jt. Secretary", "Joint Secretary", "words"),
    ("Addl. Secy", "Additional Secretary", "words"),
    ("Secretary (Under)", "Under Secretary", "words"),
    ("Sr. Accountant", "Senior Accountant", "words"),
    ("Jr. Engineer", "Junior Engineer", "words"),
    ("Supdt. Gr-II", "Superintendent Grade II", "words"),
    ("Superintendent Grade 2", "Superintendent Grade II", "words"),
    ("Officer On Special Duty", "Officer on Special Duty", "exact"),
    ("Special Duty Officer", "Officer on Special Duty", "words"),
    ("LDC", "Lower Division Clerk", "acronym"),
    ("U.D.C.", "Upper Division Clerk", "acronym"),
    ("OSD", "Officer on Special Duty", "acronym"),
    ("B.D.O.", "Block Development Officer", "acronym"),
    ("JE", "Junior Engineer", "acronym"),
    ("EE", "Executive Engineer", "acronym"),
    # Refused: more than one fits, or none does.
    ("ASO", None, "ambiguous"),  # Assistant Section Officer, Assistant Statistical Officer
    ("A.E.", "Assistant Engineer", "acronym"),
    ("Secretary", None, "none"),
    ("Officer", None, "none"),
    ("Joint Director", None, "none"),
    ("Deputy Tehsildar", None, "none"),
    ("Tahsildar", None, "none"),  # a near spelling: only with fuzzy
    ("Section", None, "none"),
    ("Superintendent Grade I", None, "none"),
    ("Assistant", None, "none"),
    ("Ldc", None, "none"),  # a word, not written as an acronym
]


@pytest.mark.parametrize(("written", "meant", "how"), VARIANTS)
def test_a_written_designation_is_taken_for_the_canonical_one_or_refused(
    written: str, meant: str | None, how: str
) -> None:
    found = DesignationIndex(CANONICAL).match(written)
    assert (found.designation, found.how) == (meant, how)


def test_a_refusal_names_the_candidates() -> None:
    found = DesignationIndex(CANONICAL).match("ASO")
    assert str(found) == (
        "'ASO' fits more than one designation; "
        "nearest: 'Assistant Section Officer', 'Assistant Statistical Officer'"
    )
    assert DesignationIndex(CANONICAL).match("Under Secretry").nearest[0] == "Under Secretary"


def test_an_alias_table_says_what_rules_cannot() -> None:
    index = DesignationIndex(
        CANONICAL, aliases={"ASO": "Assistant Section Officer", "Dy Tehsildar": "Naib Tehsildar"}
    )
    assert [str(index.match(w)) for w in ["aso", "Dy. Tehsildar"]] == [
        "'aso' -> 'Assistant Section Officer' (alias, 100)",
        "'Dy. Tehsildar' -> 'Naib Tehsildar' (alias, 100)",
    ]
    with pytest.raises(ValidationError, match="is not one of the designations"):
        DesignationIndex(CANONICAL, aliases={"AO": "Accounts Officer"})


FUZZY = [
    ("Tahsildar", "Tehsildar"),
    ("Assistent Section Oficer", "Assistant Section Officer"),
    ("Upper Divison Clerk", "Upper Division Clerk"),
    ("Executive Enginer", "Executive Engineer"),
    # Too far, or as near to two: refused even so.
    ("Joint Director", None),
    ("Deputy Tehsildar", None),
    ("Secretary", None),
    ("Section Officers Association", None),
]


@pytest.mark.parametrize(("written", "meant"), FUZZY)
def test_near_spellings_are_taken_only_when_asked_and_clear(
    written: str, meant: str | None
) -> None:
    pytest.importorskip("rapidfuzz", reason="fuzzy matching is the match extra's")
    found = DesignationIndex(CANONICAL, fuzzy=88).match(written)
    assert found.designation == meant, found
    if meant is not None:
        assert found.how == "fuzzy"
        assert 88 <= found.score < 100


def test_fuzzy_without_rapidfuzz_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidfuzz", None)  # as if not installed
    with pytest.raises(ImportError, match=r"pip install 'karmayogi\[match\]'"):
        DesignationIndex(CANONICAL, fuzzy=90)
    assert DesignationIndex(CANONICAL).match("Dy. Secy.").designation == "Deputy Secretary"


def test_an_alias_file_is_read_with_every_bad_row_named(tmp_path: Path) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text(
        "Alias,Designation\n"
        "ASO,assistant section officer\n"
        "Dy Tehsildar,Naib Tehsildar\n"
        "AO,Accounts Officer\n"
        "aso,Assistant Statistical Officer\n"
        ",Tehsildar\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_aliases_csv(path, CANONICAL)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, row 4, field 'Designation': is not one of the designations "
        "(expected one of the designations, got 'Accounts Officer')",
        f"{path}, row 5, field 'Designation': was given another designation on row 2 "
        "(expected 'Assistant Section Officer', got 'Assistant Statistical Officer')",
        f"{path}, row 6, field 'Alias': is blank",
    ]
    path.write_text("Alias,Designation\nASO,assistant section officer\n", encoding="utf-8")
    assert read_aliases_csv(path, CANONICAL) == {"ASO": "Assistant Section Officer"}


@given(st.permutations(["Deputy", "Secretary", "(Admn.)"]), st.sampled_from([" ", "  ", ", "]))
def test_word_order_spacing_and_case_do_not_matter(order: list[str], gap: str) -> None:
    index = DesignationIndex(["Deputy Secretary Administrative"])
    written = gap.join(order)
    assert index.match(written.upper()).designation == "Deputy Secretary Administrative"
    assert sorted(words(written)) == ["administrative", "deputy", "secretary"]
