"""Names in Indian languages: searchable, shown when asked, and loaded from a state's
own file."""

from __future__ import annotations

from pathlib import Path

import pytest

from karmayogi.competency import Framework, read_labels_csv
from karmayogi.errors import AmbiguousNameError, UnknownNameError, ValidationError
from tests.test_cli import run

HINDI = {
    "KCM-B04": {"hi": "संचार"},
    "KCM-B04-01": {"hi": "सक्रिय श्रवण"},
    "KCM-F15": {"hi": "आरटीआई मामले"},
}


def test_a_hindi_name_finds_the_competency(kcm: Framework) -> None:
    labelled = kcm.with_labels(HINDI)
    assert labelled.find("संचार").id == "KCM-B04"
    assert labelled.find(sub_theme="सक्रिय  श्रवण").id == "KCM-B04-01"  # spacing aside
    assert (
        labelled.find("संचार", "सक्रिय श्रवण").path == "Behavioural / Communication / Active Listening"
    )
    assert labelled.find("Communication").id == "KCM-B04"  # the English name still finds it
    assert labelled.get("KCM-F15").label("hi") == "आरटीआई मामले"
    assert labelled.get("KCM-F15").label("ta") == "Handling RTI Matters"  # no Tamil name: English
    assert kcm.get("KCM-B04").theme.labels == {}  # the framework itself is not changed


def test_one_label_on_two_themes_is_ambiguous_not_a_guess(kcm: Framework) -> None:
    both = kcm.with_labels({"KCM-B04": {"hi": "संवाद"}, "KCM-F19": {"hi": "संवाद"}})
    with pytest.raises(AmbiguousNameError):
        both.find("संवाद")


def test_labels_for_what_the_framework_lacks_are_refused(kcm: Framework) -> None:
    with pytest.raises(ValidationError, match="KCM-B99"):
        kcm.with_labels({"KCM-B99": {"hi": "x"}})


def test_a_states_labels_file_is_read_with_every_bad_row_named(
    kcm: Framework, tmp_path: Path
) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(
        "Competency,Language,Label\n"
        "KCM-B04,hi,संचार\n"
        "KCM-B04,ta,தொடர்பு\n"
        "KCM-B99,hi,कुछ\n"
        "KCM-F15,Hindi,आरटीआई\n"
        "KCM-B04,hi,संप्रेषण\n"
        "KCM-F15,hi,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        read_labels_csv(path, kcm)
    assert [(p.where.row, p.where.field, p.message) for p in caught.value.problems] == [
        (4, "Competency", "is not a competency of framework 'kcm'"),
        (5, "Language", "is not a language code"),
        (6, "Label", "gives KCM-B04 another hi name than row 2"),
        (7, "Label", "is blank"),
    ]
    path.write_text(
        "Competency,Language,Label\nKCM-B04,hi,संचार\nKCM-B04,ta,தொடர்பு\n", encoding="utf-8"
    )
    read = read_labels_csv(path, kcm)
    assert read.get("KCM-B04").theme.labels == {"hi": "संचार", "ta": "தொடர்பு"}
    assert read.find("தொடர்பு").id == "KCM-B04"


def test_the_taxonomy_in_hindi(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("Competency,Language,Label\nKCM-B04,hi,संचार\n", encoding="utf-8")
    out = run("taxonomy", "--area", "Behavioural", "--labels", str(path), "--language", "hi")
    assert out.returncode == 0, out.stderr
    assert "  KCM-B04     संचार (Communication)" in out.stdout.splitlines()
    assert "    KCM-B04-01  Active Listening" in out.stdout.splitlines()  # no Hindi name given
    as_csv = run("taxonomy", "--labels", str(path), "--language", "hi", "--format", "csv")
    assert as_csv.stdout.splitlines()[0].endswith(",Label (hi)")
    assert "KCM-B04,Behavioural,Communication,,संचार" in as_csv.stdout.splitlines()


ROMANISED = [
    ("sanchar", "KCM-B04"),
    ("Sanchaar", "KCM-B04"),
    ("karyalay prabandhan", "KCM-F13"),
    ("Karyalaya Prabandhan", "KCM-F13"),
    ("soochna ka adhikar", "KCM-F15"),
    ("lok shikayat nivaran", "KCM-F16"),
    ("communication", "KCM-B04"),  # English still finds it
]
STATE_HINDI = {
    "KCM-B04": {"hi": "संचार"},
    "KCM-F13": {"hi": "कार्यालय प्रबंधन"},
    "KCM-F15": {"hi": "सूचना का अधिकार"},
    "KCM-F16": {"hi": "लोक शिकायत निवारण"},
}


@pytest.mark.parametrize(("typed", "meant"), ROMANISED)
def test_a_hindi_name_typed_in_latin_letters_finds_it_when_asked(
    kcm: Framework, typed: str, meant: str
) -> None:
    pytest.importorskip("indic_transliteration", reason="romanised names are the indic extra's")
    labelled = kcm.with_labels(STATE_HINDI)
    assert labelled.find(typed, romanised=True).id == meant


def test_romanised_matching_is_asked_for_not_assumed(kcm: Framework) -> None:
    labelled = kcm.with_labels(STATE_HINDI)
    with pytest.raises(UnknownNameError):
        labelled.find("sanchar")  # without romanised=True, names are matched as written


def test_romanised_matching_without_the_extra_says_what_to_install(
    kcm: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "indic_transliteration.sanscript", None)
    with pytest.raises(ImportError, match=r"pip install 'karmayogi\[indic\]'"):
        kcm.with_labels(STATE_HINDI).find("sanchar", romanised=True)
