"""xAPI and cmi5 as their specifications say, from statements written after the specs'
own examples: durations in ISO 8601's grammar, completion whatever the verb, every cmi5
verb with its meaning, actors by each identifier, groups and non-activities refused with
a reason, one id for two statements a conflict, and hours under each counting policy."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from karmayogi.org import OrgTree, Unit
from karmayogi.periods import IST
from karmayogi.progress import CountingPolicy, Ledger, Rollup, StatementLog, Status, read_xapi

ADL = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/adl/verbs/"
AU = "https://example.gov.in/courses/rti/au/1"


def statement(verb: str, *, actor: Any = None, when: str = "2025-06-30T21:30:00+05:30",
              **extra: Any) -> dict[str, Any]:  # fmt: skip
    """A statement as cmi5's examples write them: an agent, a verb IRI, an AU, a time."""
    base = CMI5 if verb in ("satisfied", "waived", "abandoned") else ADL
    return {
        "actor": actor or {"objectType": "Agent", "mbox": "mailto:Ravi@CG.gov.in"},
        "verb": {"id": base + verb, "display": {"en-US": verb}},
        "object": {"id": AU, "objectType": "Activity"},
        "timestamp": when,
    } | extra


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("PT15.17S", 15),  # fractional seconds: cmi5's own example form
        ("PT1H30M", 5400),
        ("PT1H15.5S", 3616),  # rounded to the second
        ("P1DT2H", 93600),
        ("PT0.5H", 1800),  # a fraction on the smallest unit given
        ("PT1,5S", 2),  # ISO 8601's comma
        ("P2W", 1_209_600),
    ],
)
def test_every_iso_8601_duration_the_spec_allows_gives_hours(written: str, seconds: int) -> None:
    imported = read_xapi([statement("completed", result={"duration": written})])
    (entry,) = imported.ledger
    assert (entry.status, entry.duration) == (Status.COMPLETED, seconds)
    assert imported.findings == []


@pytest.mark.parametrize("written", ["01:30:00", "PT1.5H30M", "-PT1S", "P9999D", "PT", 90])
def test_an_unreadable_duration_costs_the_hours_not_the_completion(written: object) -> None:
    """Before, such a statement was rejected whole: in a cmi5 stream, every completion."""
    ravi = statement("completed", result={"duration": written})
    asha = statement("completed", actor={"mbox": "mailto:asha@cg.gov.in"})
    imported = read_xapi([ravi, asha])
    assert (imported.used, imported.rejected_rows) == (2, 0)
    entry = imported.ledger["ravi@cg.gov.in", AU]
    assert (entry.status, entry.duration) == (Status.COMPLETED, None)
    (finding,) = imported.findings
    assert finding.code == "xapi-duration-unread"
    assert finding.message.startswith("1 completion(s) had a result.duration that is not")
    assert finding.where.row == 1


@pytest.mark.parametrize("verb", ["experienced", "attempted", "progressed", "launched"])
def test_result_completion_true_completes_whatever_the_verb(verb: str) -> None:
    imported = read_xapi([statement(verb, result={"completion": True})])
    assert [e.status for e in imported.ledger] == [Status.COMPLETED]


@pytest.mark.parametrize(
    ("verb", "status", "says"),
    [
        ("registered", Status.NOT_STARTED, None),
        ("launched", Status.IN_PROGRESS, None),
        ("initialized", Status.IN_PROGRESS, None),
        ("attempted", Status.IN_PROGRESS, None),
        ("experienced", Status.IN_PROGRESS, None),
        ("attended", Status.IN_PROGRESS, None),
        ("failed", Status.IN_PROGRESS, None),
        ("terminated", Status.IN_PROGRESS, None),
        ("abandoned", Status.IN_PROGRESS, None),
        ("completed", Status.COMPLETED, None),
        ("passed", Status.COMPLETED, None),
        ("satisfied", Status.COMPLETED, "satisfied"),
        ("waived", Status.COMPLETED, "waived"),
    ],
)
def test_every_cmi5_and_adl_verb_has_its_meaning(
    verb: str, status: Status, says: str | None
) -> None:
    imported = read_xapi([statement(verb, result={"duration": "PT1H"})])
    assert imported.rejected == []
    (entry,) = imported.ledger
    assert entry.status is status
    assert [o.says for o in entry.origins] == [says]
    if says:
        assert str(entry.origins[0]).endswith(f"({says})")
    # A waived requirement was met without the learning: no hours.
    assert entry.duration == (3600 if status is Status.COMPLETED and verb != "waived" else None)


def test_a_cmi5_session_is_a_stream_of_verbs_that_ends_in_one_completion() -> None:
    """launched, initialized, progressed, completed, passed, terminated: as an LMS and an
    AU send them for one session; nothing in it is rejected."""
    times = (f"2025-06-30T10:{m:02d}:00+05:30" for m in range(0, 60, 5))
    progress = {"extensions": {"https://w3id.org/xapi/cmi5/result/extensions/progress": 50}}
    session = [
        statement("launched", when=next(times)),
        statement("initialized", when=next(times)),
        statement("progressed", when=next(times), result=progress),
        statement(
            "completed", when=next(times), result={"duration": "PT12M30.25S", "completion": True}
        ),
        statement("passed", when=next(times), result={"success": True, "duration": "PT13M"}),
        statement("terminated", when=next(times), result={"duration": "PT14M"}),
    ]
    imported = read_xapi(session)
    assert (imported.rows, imported.rejected_rows) == (6, 0)
    (entry,) = imported.ledger
    assert entry.status is Status.COMPLETED
    assert entry.enrolled_at == dt.datetime(2025, 6, 30, 10, 0, tzinfo=IST)
    assert entry.completed_at == dt.datetime(2025, 6, 30, 10, 15, tzinfo=IST)
    assert entry.certificates == ("xapi:passed",)


@pytest.mark.parametrize(
    ("actor", "person"),
    [
        ({"mbox": "mailto:Ravi@CG.gov.in"}, "ravi@cg.gov.in"),
        ({"mbox_sha1sum": "EBD31E95054C018B10727CCFFD2EF2EC3A016EE9"},
         "sha1:ebd31e95054c018b10727ccffd2ef2ec3a016ee9"),
        ({"openid": "http://openid.example.org/12345"}, "openid:http://openid.example.org/12345"),
        ({"account": {"homePage": "https://igot.example/", "name": "u-17"}},
         "https://igot.example/u-17"),
    ],
)  # fmt: skip
def test_each_inverse_functional_identifier_names_a_person(
    actor: dict[str, Any], person: str
) -> None:
    imported = read_xapi([statement("completed", actor=actor)])
    assert [e.person for e in imported.ledger] == [person]


def test_one_account_name_on_two_home_pages_is_two_people() -> None:
    on = [{"account": {"homePage": home, "name": "u-17"}}
          for home in ("https://igot.example", "https://state.example")]  # fmt: skip
    imported = read_xapi([statement("completed", actor=actor) for actor in on])
    assert sorted(e.person for e in imported.ledger) == [
        "https://igot.example/u-17",
        "https://state.example/u-17",
    ]


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        ({"objectType": "Group", "name": "Batch 7", "mbox": "mailto:batch7@cg.gov.in"},
         "is a Group, not a person"),  # identified
        ({"objectType": "Group", "member": [{"mbox": "mailto:a@cg.gov.in"}]},
         "is a Group, not a person"),  # anonymous
        ({"account": {"name": "u-17"}}, "is an account without both its homePage and its name"),
        ({"name": "Ravi"}, "names no person"),
    ],
)  # fmt: skip
def test_groups_and_actors_without_an_identifier_are_refused_with_a_reason(
    actor: dict[str, Any], reason: str
) -> None:
    imported = read_xapi([statement("completed", actor=actor)])
    assert imported.used == 0
    assert reason in str(imported.rejected[0])


def test_a_caller_maps_actors_to_people() -> None:
    group = {"objectType": "Group", "name": "Batch 7", "mbox": "mailto:batch7@cg.gov.in"}

    def lead(actor: dict[str, Any]) -> str | None:
        return "ravi@cg.gov.in" if actor.get("name") == "Batch 7" else None

    imported = read_xapi([statement("completed", actor=group),
                          statement("completed", actor={"mbox": "mailto:x@y"})],
                         person=lead)  # fmt: skip
    assert [e.person for e in imported.ledger] == ["ravi@cg.gov.in"]
    assert "your person= mapping names no one" in str(imported.rejected[0])


@pytest.mark.parametrize("kind", ["StatementRef", "SubStatement", "Agent", "Group"])
def test_an_object_that_is_not_an_activity_is_refused(kind: str) -> None:
    """A StatementRef's id is a statement's, not a course's."""
    target = {"objectType": kind, "id": "e05aa883-acaf-40ad-bf54-02c8ce485fb0"}
    imported = read_xapi([statement("completed", object=target)])
    assert imported.used == 0
    assert "is not an activity: no course to count" in str(imported.rejected[0])


def test_one_id_on_two_statements_is_a_conflict_and_one_statement_twice_a_duplicate() -> None:
    first = statement("completed", id="s-1")
    again = first | {"stored": "2025-07-01T00:00:00Z", "authority": {"mbox": "mailto:lrs@x"}}
    other = statement("passed", id="s-1")
    imported = read_xapi([first, again, other])
    assert (imported.used, imported.duplicates, imported.rejected_rows) == (1, 1, 1)
    (rejected,) = imported.rejected
    assert rejected.row == 3
    assert "was given to another statement, at row 1: a conflict" in str(rejected)


def test_hours_from_xapi_under_each_counting_policy() -> None:
    """The platform counts hours of certified completions; from xAPI, a completion is
    certified when it was passed (the verb, or result.success). All completions count
    every completion's hours."""
    tree = OrgTree([Unit(id="cg", name="Chhattisgarh", level="state")])
    people = {"ravi@cg.gov.in": "cg", "asha@cg.gov.in": "cg", "om@cg.gov.in": "cg"}
    stream = [
        statement("passed", result={"duration": "PT1H"}),
        statement("completed", actor={"mbox": "mailto:asha@cg.gov.in"},
                  result={"duration": "PT2H", "success": True}),
        statement("completed", actor={"mbox": "mailto:om@cg.gov.in"},
                  result={"duration": "PT4H"}),
    ]  # fmt: skip
    ledger = read_xapi(stream).ledger
    hours = {
        policy.name: Rollup(tree, places=people, by="fy", policy=policy, records=ledger)
        .row("cg", "2025-26")
        .learning_hours
        for policy in (CountingPolicy.PLATFORM, CountingPolicy.ALL_COMPLETIONS)
    }
    assert hours == {"platform": 3.0, "all-completions": 7.0}


def voiding(target: str, sid: str) -> dict[str, Any]:
    """The xAPI spec's voiding statement: verb voided, object a StatementRef."""
    return statement("voided", actor={"mbox": "mailto:lrs-admin@cg.gov.in"}, id=sid,
                     object={"objectType": "StatementRef", "id": target})  # fmt: skip


def test_a_voided_statement_counts_nowhere_whichever_comes_first() -> None:
    completed = statement("completed", id="s-1", result={"duration": "PT1H"})
    started = statement("launched", id="s-0", when="2025-06-01T10:00:00+05:30")
    for stream in (
        [started, completed, voiding("s-1", "v-1")],
        [voiding("s-1", "v-1"), started, completed],
    ):
        imported = read_xapi(stream)
        (entry,) = imported.ledger
        assert entry.status is Status.IN_PROGRESS  # the completion was voided
        assert (imported.used, imported.voided, imported.rejected_rows) == (1, 2, 0)
        assert imported.accounted
        assert "1 used, 0 merged as duplicates, 2 voided, 0 rejected" in imported.summary()


def test_voiding_only_a_statement_and_an_unknown_id_harms_nothing() -> None:
    imported = read_xapi([statement("completed", id="s-1"), voiding("s-404", "v-1"),
                          statement("voided", object={"id": "do_1"})])  # fmt: skip
    assert (imported.used, imported.voided, imported.rejected_rows) == (1, 1, 1)
    assert "voids only a statement" in str(imported.rejected[0])


VERBS = ["registered", "launched", "progressed", "completed", "passed", "terminated"]


@st.composite
def streams(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Statements of a few learners on a few AUs, each with its own id; some voided."""
    made = []
    for n in range(draw(st.integers(1, 12))):
        who = draw(st.sampled_from(["a", "b", "c"]))
        made.append(
            statement(
                draw(st.sampled_from(VERBS)),
                actor={"mbox": f"mailto:{who}@cg.gov.in"},
                when=f"2025-0{draw(st.integers(4, 9))}-1{draw(st.integers(0, 9))}T10:00:00Z",
                id=f"s-{n}",
                object={"id": f"au-{draw(st.integers(1, 2))}", "objectType": "Activity"},
                result={"duration": f"PT{draw(st.integers(1, 90))}M"},
            )
        )
    voided = draw(st.lists(st.sampled_from([s["id"] for s in made]), unique=True))
    return made + [voiding(target, f"v-{target}") for target in voided]


def _entries(ledger: Ledger) -> list[tuple[Any, ...]]:
    return sorted((e.key, e.status, e.progress, e.enrolled_at, e.completed_at,
                   e.certificates, e.duration) for e in ledger)  # fmt: skip


@given(stream=streams(), data=st.data())
def test_any_order_duplication_or_split_of_a_stream_gives_one_ledger(
    stream: list[dict[str, Any]], data: st.DataObject
) -> None:
    whole = _entries(read_xapi(stream).ledger)
    shuffled = data.draw(st.permutations(stream))
    repeated = shuffled + data.draw(st.lists(st.sampled_from(stream), max_size=5))
    assert _entries(read_xapi(repeated).ledger) == whole
    # Pulled in two parts, a voiding in one and its target in the other: the logs merge.
    cut = data.draw(st.integers(0, len(repeated)))
    logs = [read_xapi(part).statements for part in (repeated[cut:], repeated[:cut])]
    merged = StatementLog()
    for log in logs:
        assert log is not None
        merged.merge(log)
    assert _entries(merged.ledger()) == whole
    # Without voids, the ledgers of the parts merge as well (a ledger is a semilattice).
    if not any(s["verb"]["id"].endswith("voided") for s in stream):
        halves = [read_xapi(repeated[:cut]).ledger, read_xapi(repeated[cut:]).ledger]
        assert _entries(reduce(lambda a, b: (a.merge(b), a)[1], halves)) == whole
