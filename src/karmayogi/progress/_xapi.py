"""xAPI statements (1.0.3 and 2.0) and cmi5's, read as their specifications say: who the
actor is, what each verb means for the ledger, durations in ISO 8601's grammar, and what
is refused with a reason (groups, objects that are not activities, one id for two
statements)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple, cast

import pydantic

from karmayogi._csv import Source
from karmayogi._durations import within_longest
from karmayogi._json import JSONSource, NotJSON, array_items, is_json_source, json_text, parse_json
from karmayogi._names import identity
from karmayogi.errors import Finding, LimitExceeded, Location, Problem, ValidationError
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.periods import IST, parse_datetime
from karmayogi.progress._account import Import
from karmayogi.progress._consumption import NO_CERTIFICATES
from karmayogi.progress._lrs import LRS
from karmayogi.progress._records import Enrolment, Origin, StatementLog, Status, checked_record

__all__ = ["VERBS", "Verb", "read_xapi"]


class _Voids(NamedTuple):
    """A voiding statement: the id of the statement it voids."""

    target: str


class Verb(NamedTuple):
    """What a verb means for the ledger: the status it shows, and whether it is a
    requirement met without the learning (cmi5's ``waived``) or by the LMS's reckoning
    (``satisfied``), which the record's origin says."""

    status: Status
    meaning: str
    says: str | None = None


VERBS: dict[str, Verb] = {
    # ADL's verbs, as cmi5 and most content use them (http://adlnet.gov/expapi/verbs/…).
    "registered": Verb(Status.NOT_STARTED, "enrolled"),
    "launched": Verb(Status.IN_PROGRESS, "started: a session was launched"),
    "initialized": Verb(Status.IN_PROGRESS, "started: a session began"),
    "attempted": Verb(Status.IN_PROGRESS, "started: an attempt"),
    "experienced": Verb(Status.IN_PROGRESS, "started: content was seen"),
    "attended": Verb(Status.IN_PROGRESS, "started: a session was attended"),
    "progressed": Verb(Status.IN_PROGRESS, "in progress (cmi5's progress extension)"),
    "resumed": Verb(Status.IN_PROGRESS, "started: a session resumed"),
    "suspended": Verb(Status.IN_PROGRESS, "started: a session was suspended"),
    "failed": Verb(Status.IN_PROGRESS, "attempted: an assessment not passed"),
    "terminated": Verb(Status.IN_PROGRESS, "a session ended: the learner had started"),
    "abandoned": Verb(Status.IN_PROGRESS, "a session ended abnormally: had started"),
    "completed": Verb(Status.COMPLETED, "completed"),
    "passed": Verb(Status.COMPLETED, "completed: an assessment passed (the certificate)"),
    # cmi5's own (https://w3id.org/xapi/adl/verbs/…).
    "satisfied": Verb(Status.COMPLETED, "requirement met, by the LMS", "satisfied"),
    "waived": Verb(Status.COMPLETED, "requirement met without the learning", "waived"),
}
"""Every verb read, by the last part of its IRI. ``result.completion: true`` completes
whatever the verb; ``voided`` is refused with its reason (the ledger only rises)."""

_PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"
_DURATION = pydantic.TypeAdapter(dt.timedelta)


def read_xapi(
    source: Source | Iterable[Mapping[str, Any]] | LRS,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    person: Callable[[Mapping[str, Any]], str | None] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Import:
    """xAPI statements (1.0.3 or 2.0, cmi5's included): a JSON array, JSON lines, an LRS
    answer (``{"statements": [...]}``), statements already parsed, or an :class:`LRS` to
    pull them from (those stored after ``since`` and up to ``until``; a portal passes
    the last pull's ``statements.latest`` as ``since``, and merges the logs).

    **The person** is the actor's identifier: ``mbox`` (the email, compared
    case-insensitively), ``mbox_sha1sum`` (``sha1:<hex>``), ``openid`` (``openid:<uri>``)
    or ``account``, its home page and name together (``<homePage>/<name>``). A Group,
    identified or not, is refused as a person, as is an actor with no identifier;
    ``person`` maps any actor to a person yourself (a Group to its lead, an account to
    the email your people file uses), None refusing it.

    **The course** is the object's id; an object that is not an Activity (a
    StatementRef, a SubStatement, an Agent) is refused with that reason.

    **The verb** says what the record shows (:data:`VERBS`): ``registered`` enrols; cmi5's
    ``launched``, ``initialized``, ``terminated`` and ``abandoned``, and ADL's
    ``attempted``, ``experienced``, ``attended``, ``progressed`` and ``failed``, mean
    started (in progress, with cmi5's progress extension if given); ``completed``,
    ``passed``, ``satisfied`` and ``waived`` complete, the last two saying so in the
    record's origin. ``result.completion: true`` completes whatever the verb.

    **Time and hours.** The timestamp is the record's time (the earliest is the
    enrolment). A completion's ``result.duration`` (ISO 8601: ``PT1H30M``,
    ``PT15.17S``, ``P1DT2H``) gives its hours; a waived one has none. A duration that
    cannot be read costs the hours, not the completion: the record is kept without
    them, and a finding counts such statements. Under the platform's counting policy
    hours come from certified completions; here a completion is certified when the
    statement says it was passed (the ``passed`` verb, or ``result.success: true``).

    **Ids and voiding.** A statement id seen again with the same content is a
    duplicate; with other content it is a conflict, refused as an LRS would refuse it,
    naming both. A voiding statement (verb ``voided``, object a StatementRef) removes
    its target whichever comes first; both count as ``voided``. The result's
    :attr:`~karmayogi.progress.Import.statements` keeps the statements and the voided ids
    (:class:`StatementLog`), so that a later pull's voiding reaches an earlier pull's
    statement: merge the logs, and take the ledger from the merged log.

    >>> imported = read_xapi([{
    ...     "actor": {"account": {"homePage": "https://igot.example", "name": "u-17"}},
    ...     "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
    ...     "object": {"id": "do_rti"}, "timestamp": "2025-06-30T21:30:00+05:30",
    ...     "result": {"duration": "PT1H15.5S"}}])
    >>> [(e.person, str(e.status), e.certificates, e.duration) for e in imported.ledger]
    [('https://igot.example/u-17', 'completed', ('xapi:passed',), 3616)]
    """
    if isinstance(source, LRS):
        file: str | None = source.endpoint
        statements: Iterable[Any] = source.statements(since=since, until=until, limits=limits)
    elif since is not None or until is not None:
        raise TypeError("since and until choose what an LRS sends: give an LRS to pull from")
    else:
        file, statements = _statements(source, limits)
    result = Import(file)
    log = result.statements = StatementLog()
    seen: dict[str, tuple[str, int]] = {}  # statement id -> its content's digest, its row
    unreadable: list[int] = []
    for number, statement in enumerate(statements, start=1):
        if limits.rows is not None and number > limits.rows:  # as it goes: nothing held
            where = Location(file=file, row=number)
            raise LimitExceeded("rows", limits.rows, where, f"more than {limits.rows:,} statements")
        result.rows += 1
        problems: list[Problem] = []
        taken = _statement(
            statement, number, file, problems, person_of=person, unreadable=unreadable
        )
        if taken is None:
            result._reject(number, problems)
            continue
        assert isinstance(statement, Mapping)
        with contextlib.suppress(ValueError):  # an LRS's own time; none in a file
            log._stored(parse_datetime(str(statement["stored"])) if "stored" in statement else None)
        digest = _digest(statement)
        given_id = statement.get("id")
        key = given_id if isinstance(given_id, str) else "sha256:" + digest
        first = seen.setdefault(key, (digest, number))
        if first[0] != digest:  # one id, two statements: an LRS refuses the second
            where = Location(file=file, row=number, path=f"statements[{number - 1}].id")
            message = f"was given to another statement, at row {first[1]}: a conflict"
            result._reject(number, [Problem(message, where, expected="one statement per id",
                                            got=key, code="repeated")])  # fmt: skip
        elif first[1] != number:
            result.duplicates += 1
        elif isinstance(taken, _Voids):
            log.voided.add(taken.target)
            result.voided += 1
        else:
            log.records[key] = taken
    # The ledger from the difference: a voided statement counts nowhere, whichever came first.
    for key, record in log.records.items():
        if key in log.voided:
            result.voided += 1
        else:
            result._take(record)
    if unreadable:
        result.findings.append(
            Finding(
                "xapi-duration-unread",
                f"{len(unreadable):,} completion(s) had a result.duration that is not an "
                "ISO 8601 duration of up to 1000 hours: kept as completions, without hours",
                Location(file=file, row=unreadable[0]),
            )
        )
    return result


def _digest(statement: Mapping[str, Any]) -> str:
    """A statement's content, without what an LRS adds (``stored``, ``authority``,
    ``version``): the same statement from two pulls is the same."""
    own = {k: v for k, v in statement.items() if k not in ("stored", "authority", "version")}
    text = json.dumps(own, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _statements(
    source: Source | Iterable[Mapping[str, Any]], limits: Limits
) -> tuple[str | None, Iterable[Any]]:
    """The statements, one at a time where the source allows: a JSON array is read an
    item at a time, so that a limit stops it before the rest is parsed."""
    if not is_json_source(source):
        if not isinstance(source, Iterable):
            raise TypeError(
                "a source is a path, bytes, or a text or binary stream, or statements "
                f"already parsed, got {type(source).__name__}"
            )
        return None, cast(Iterable[Mapping[str, Any]], source)
    file, text = json_text(cast(JSONSource, source), limits)
    if text.lstrip(" \t\r\n").startswith("["):
        return file, array_items(text, file)
    try:
        data = parse_json(text, file)
    except NotJSON as whole:
        return file, _json_lines(text, file, whole)
    if isinstance(data, Mapping) and isinstance(data.get("statements"), list):
        data = data["statements"]
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list):
        raise ValidationError(
            [
                Problem(
                    "is not a list of statements",
                    Location(file=file),
                    expected="a JSON array of xAPI statements",
                    got=type(data).__name__,
                    code="malformed",
                )
            ]
        )
    return file, data


def _json_lines(text: str, file: str | None, whole: NotJSON) -> Iterator[Any]:
    """Statements one to a line, or, if a line is not JSON either, the error of the whole;
    each line parsed as it is reached."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) < 2:
        raise whole
    return _each_line(lines, file)


def _each_line(lines: list[tuple[int, str]], file: str | None) -> Iterator[Any]:
    for number, line in lines:
        try:
            yield parse_json(line, file)
        except ValidationError as exc:
            where = Location(file=file, row=number)
            problems = [
                Problem(
                    f"is not JSON lines: {problem.message}",
                    where,
                    got=problem.got,
                    code="malformed",
                )
                for problem in exc.problems
            ]
            raise ValidationError(problems) from None


def _actor(actor: Any) -> tuple[str | None, str]:
    """The person an actor names, or None and why not."""
    if not isinstance(actor, Mapping):
        return None, "is not an actor (an Agent)"
    if actor.get("objectType") == "Group":
        return None, "is a Group, not a person: map it to one with person="
    if isinstance(actor.get("mbox"), str):
        email = identity(str(actor["mbox"]).removeprefix("mailto:")).casefold()
        return email or None, "names no person"
    if isinstance(actor.get("mbox_sha1sum"), str):
        digest = identity(str(actor["mbox_sha1sum"])).lower()
        return ("sha1:" + digest if digest else None), "names no person"  # empty: no one
    if isinstance(actor.get("openid"), str):
        uri = identity(str(actor["openid"]))
        return ("openid:" + uri if uri else None), "names no person"
    account = actor.get("account")
    if isinstance(account, Mapping):
        home, name = account.get("homePage"), account.get("name")
        if isinstance(home, str) and isinstance(name, str) and home.strip() and name.strip():
            return f"{identity(home).rstrip('/')}/{identity(name)}", ""
        return None, "is an account without both its homePage and its name"
    return None, "names no person"


def _statement(  # noqa: PLR0915 - one statement's every field, in the spec's order
    statement: Any,
    number: int,
    file: str | None,
    problems: list[Problem],
    *,
    person_of: Callable[[Mapping[str, Any]], str | None] | None,
    unreadable: list[int],
) -> Enrolment | _Voids | None:
    def bad(path: str, message: str, expected: str, got: object, code: str) -> None:
        where = Location(file=file, row=number, path=f"statements[{number - 1}].{path}")
        problems.append(Problem(message, where, expected=expected, got=str(got), code=code))

    if not isinstance(statement, Mapping):
        bad("", "is not a statement", "a JSON object", type(statement).__name__, "malformed")
        return None
    actor = statement.get("actor")
    if person_of is not None and isinstance(actor, Mapping):
        person, why = person_of(actor), "is an actor your person= mapping names no one for"
    else:
        person, why = _actor(actor)
    if person is None:
        bad(
            "actor",
            why,
            "mbox, mbox_sha1sum, openid or account (homePage, name)",
            actor,
            "malformed",
        )
    verb_id = (
        statement.get("verb", {}).get("id") if isinstance(statement.get("verb"), Mapping) else None
    )
    verb_name = str(verb_id).rstrip("/").rsplit("/", 1)[-1] if verb_id else ""
    verb = VERBS.get(verb_name)
    if verb_name == "voided":
        return _voiding(statement, bad, problems)
    if verb is None:
        bad("verb.id", "is not a verb that is read", ", ".join(VERBS), verb_id, "unknown")
    target = statement.get("object")
    course = target.get("id") if isinstance(target, Mapping) else None
    kind = target.get("objectType", "Activity") if isinstance(target, Mapping) else None
    if isinstance(target, Mapping) and kind != "Activity":
        bad(
            "object.objectType",
            "is not an activity: no course to count",
            "Activity",
            kind,
            "not-allowed",
        )
    elif not isinstance(course, str) or not course.strip():
        bad("object.id", "is missing", "the activity's id", course, "blank")
    when = None
    stamp = statement.get("timestamp") or statement.get("stored")
    with contextlib.suppress(ValueError):
        when = parse_datetime(str(stamp)).astimezone(IST) if stamp else None
    if when is None:
        bad("timestamp", "is not a time", "ISO 8601", stamp, "malformed")
    given = statement.get("result")
    result: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    status = verb.status if verb is not None else Status.NOT_STARTED
    if result.get("completion") is True:
        status = Status.COMPLETED
    progress = 100.0 if status is Status.COMPLETED else 0.0
    extensions = result.get("extensions")
    if status is Status.IN_PROGRESS and isinstance(extensions, Mapping):
        value = extensions.get(_PROGRESS_EXTENSION)
        if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 100:
            progress = float(value)
    says = verb.says if verb is not None else None
    duration = None
    if status is Status.COMPLETED and result.get("duration") is not None and says != "waived":
        duration = _seconds(result["duration"])
        if duration is None:
            unreadable.append(number)
    certified = status is Status.COMPLETED and (
        verb_name == "passed" or result.get("success") is True
    )
    if problems:
        return None
    assert person is not None
    record = checked_record(
        person,
        str(course).strip(),
        status,
        progress,
        when,
        when if status is Status.COMPLETED else None,
        ("xapi:passed",) if certified else NO_CERTIFICATES,
        duration,
        Origin(file, number, says),
    )
    if isinstance(record, str):
        bad("", record, "a consistent statement", verb_id, "inconsistent")
        return None
    return record


def _voiding(
    statement: Mapping[str, Any],
    bad: Callable[[str, str, str, object, str], None],
    problems: list[Problem],
) -> _Voids | None:
    """A voiding statement's target: the id of the statement its StatementRef names."""
    target = statement.get("object")
    kind = target.get("objectType") if isinstance(target, Mapping) else None
    target_id = target.get("id") if isinstance(target, Mapping) else None
    if kind != "StatementRef":
        bad("object.objectType", "voids only a statement", "StatementRef", kind, "not-allowed")
    elif not isinstance(target_id, str) or not target_id.strip():
        bad("object.id", "names no statement to void", "a statement id", target_id, "blank")
    return None if problems else _Voids(str(target_id).strip())


def _seconds(value: Any) -> int | None:
    """An xAPI duration (ISO 8601, a fraction on its smallest unit) in whole seconds; None
    if it is not one, is negative, or is longer than any course."""
    if not isinstance(value, str) or not value.startswith("P"):
        return None
    try:
        seconds = round(_DURATION.validate_python(value).total_seconds())
    except pydantic.ValidationError:
        return None
    return seconds if within_longest(seconds) else None
