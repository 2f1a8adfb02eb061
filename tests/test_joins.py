"""Where inputs meet: a course written by another hand, or by its id through a
catalogue, still finds the records' course; one the records do not hold never does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from karmayogi._joins import join_courses
from karmayogi.cbp import Catalogue, Course

words = st.text(alphabet="abcdefghij", min_size=1, max_size=6)
titles = st.lists(
    st.lists(words, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=8, unique=True
).filter(lambda ts: len({"".join(t.split()) for t in ts}) == len(ts))


def another_hand(title: str, upper: bool, spaces: int) -> str:
    """The same title as someone else types it: other case, other spacing, an ampersand."""
    text = (" " * spaces).join(title.split()).replace(" and ", " & ")
    return text.upper() if upper else text


@given(titles, st.data())
def test_titles_in_another_hand_and_ids_through_a_catalogue_find_the_records_course(
    names: list[str], data: st.DataObject
) -> None:
    held = names[: max(1, len(names) // 2)]  # the records hold some of the courses
    catalogue = Catalogue(
        courses=[Course(id=f"do_{i}", name=n, duration=60) for i, n in enumerate(names)]
    )
    wanted: dict[str, str | None] = {}
    for i, name in enumerate(names):
        by_id = data.draw(st.booleans())
        written = (
            f"do_{i}"
            if by_id
            else another_hand(name, data.draw(st.booleans()), data.draw(st.integers(1, 3)))
        )
        wanted[written] = name if name in held else None
    found, match = join_courses(list(wanted), held, catalogue=catalogue)
    assert found == {w: partner for w, partner in wanted.items() if partner is not None}
    assert (match.matched, match.total) == (len(found), len(wanted))
    assert set(match.unmatched) <= {w for w, partner in wanted.items() if partner is None}


@given(titles)
def test_ids_without_a_catalogue_meet_titles_nowhere_and_the_hint_says_what_to_pass(
    names: list[str],
) -> None:
    found, match = join_courses([f"do_{i}" for i in range(len(names))], names)
    assert found == {}
    assert match.matched == 0
    assert match.hint is not None
    assert "pass a catalogue" in match.hint
