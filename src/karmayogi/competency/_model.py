"""The competency model built on the taxonomy: the framework that holds the themes and
sub-themes, role profiles (FRAC), a person's competency profile, the gap between what a
role needs and what a person holds, and what a framework read from CASE keeps."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any, Generic, Literal, TextIO, TypeVar, cast

import attrs
import pydantic

from karmayogi._document import Document, Identifier, Name, Text, duplicates
from karmayogi._html import Tabular
from karmayogi._json import is_json_source, load_json
from karmayogi._names import close_matches, name_key, slug
from karmayogi.competency._case import CasePackage, framework_to_case, items_below, read_case
from karmayogi.competency._taxonomy import (
    Competency,
    CompetencyArea,
    Level,
    LevelLike,
    ProficiencyLevel,
    SubTheme,
    Theme,
)
from karmayogi.errors import (
    AmbiguousNameError,
    Finding,
    Location,
    Problem,
    UnknownNameError,
    ValidationError,
)
from karmayogi.limits import DEFAULT_LIMITS, Limits
from karmayogi.periods import today_in_india

__all__ = [
    "PLATFORM_MINIMUM",
    "Activity",
    "CaseSource",
    "Change",
    "CompetencyProfile",
    "EvidenceSource",
    "FracStatus",
    "Framework",
    "FrameworkDiff",
    "Gap",
    "GapCell",
    "GapTable",
    "Holding",
    "Importance",
    "Imported",
    "Position",
    "Requirement",
    "Role",
    "check_rule_of_thumb",
    "default_framework",
    "find_gaps",
    "gap_table",
]

T = TypeVar("T")


# --- The framework --------------------------------------------------------------------


class Framework(Document):
    """A versioned competency framework: the dictionary of themes and sub-themes.

    >>> fw = Framework(
    ...     id="demo", name="Demo", version="1",
    ...     themes=[Theme(id="T1", area="Behavioural", name="Communication")],
    ...     sub_themes=[SubTheme(id="T1.1", theme="T1", name="Active Listening")],
    ... )
    >>> fw.get("T1.1").path
    'Behavioural / Communication / Active Listening'
    >>> fw.find(sub_theme="active listning")
    Traceback (most recent call last):
    ...
    karmayogi.errors.UnknownNameError: no sub-theme matches 'active listning'; \
did you mean 'Active Listening'?
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            name: str,
            version: str,
            released_on: dt.date | str | None = ...,
            publisher: str | None = ...,
            description: str | None = ...,
            themes: Sequence[Theme | Mapping[str, Any]] = ...,
            sub_themes: Sequence[SubTheme | Mapping[str, Any]] = ...,
            case: CaseSource | Mapping[str, Any] | None = ...,
        ) -> None: ...

    id: Identifier
    name: Name
    version: Name
    released_on: dt.date | None = None
    publisher: Text = None
    description: Text = None
    themes: tuple[Theme, ...] = ()
    sub_themes: tuple[SubTheme, ...] = ()
    case: CaseSource | None = pydantic.Field(default=None, repr=False)
    """The CASE package the framework was read from, if it was: kept so that
    :meth:`to_case` writes it back whole. Not part of equality, as a file's name is not
    part of what it holds."""

    @pydantic.model_validator(mode="after")
    def _check(self) -> Framework:
        problems = list(_framework_problems(self))
        if problems:
            raise ValidationError(problems)
        return self

    def _content(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in type(self).model_fields if name != "case")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Framework):
            return NotImplemented
        return self._content() == other._content()

    def __hash__(self) -> int:
        return hash(self._content())

    # Indexes, built once: a frozen document never changes after validation.
    @functools.cached_property
    def _by_id(self) -> dict[str, Competency]:
        themes = {theme.id: theme for theme in self.themes}
        index = {theme.id: Competency(theme) for theme in self.themes}
        for sub in self.sub_themes:
            index[sub.id] = Competency(themes[sub.theme], sub)
        return index

    @functools.cached_property
    def _themes_named(self) -> dict[str, list[Theme]]:
        """Themes by name, and by their labels in any language."""
        named: dict[str, list[Theme]] = defaultdict(list)
        for theme in self.themes:
            for key in {name_key(n) for n in (theme.name, *theme.labels.values())}:
                named[key].append(theme)
        return named

    @functools.cached_property
    def _subs_named(self) -> dict[str, list[Competency]]:
        """Sub-themes by name, and by their labels in any language."""
        named: dict[str, list[Competency]] = defaultdict(list)
        for sub in self.sub_themes:
            for key in {name_key(n) for n in (sub.name, *sub.labels.values())}:
                named[key].append(self._by_id[sub.id])
        return named

    @functools.cached_property
    def _themes_romanised(self) -> dict[str, list[Theme]]:
        """Themes by the romanised form of their name and labels (see ``_romanised``)."""
        from karmayogi._romanised import romanised_key

        named: dict[str, list[Theme]] = defaultdict(list)
        for theme in self.themes:
            for key in {romanised_key(n) for n in (theme.name, *theme.labels.values())}:
                named[key].append(theme)
        return named

    @functools.cached_property
    def _subs_romanised(self) -> dict[str, list[Competency]]:
        """Sub-themes by the romanised form of their name and labels."""
        from karmayogi._romanised import romanised_key

        named: dict[str, list[Competency]] = defaultdict(list)
        for sub in self.sub_themes:
            for key in {romanised_key(n) for n in (sub.name, *sub.labels.values())}:
                named[key].append(self._by_id[sub.id])
        return named

    @functools.cached_property
    def _subs_of(self) -> dict[str, list[SubTheme]]:
        subs: dict[str, list[SubTheme]] = defaultdict(list)
        for sub in self.sub_themes:
            subs[sub.theme].append(sub)
        return subs

    @property
    def areas(self) -> tuple[CompetencyArea, ...]:
        """The areas that have at least one theme, in the model's order."""
        present = {theme.area for theme in self.themes}
        return tuple(area for area in CompetencyArea if area in present)

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._by_id

    def get(self, identifier: str) -> Competency:
        """The theme or sub-theme with this identifier."""
        try:
            return self._by_id[identifier]
        except KeyError:
            raise UnknownNameError(
                "competency identifier", identifier, close_matches(identifier, self._by_id)
            ) from None

    def sub_themes_of(self, theme: str | Theme) -> tuple[SubTheme, ...]:
        """The sub-themes of a theme (given as a theme or its identifier), in order."""
        theme_id = theme.id if isinstance(theme, Theme) else theme
        return tuple(self._subs_of.get(theme_id, ()))

    def competencies(
        self, area: CompetencyArea | str | None = None, *, organisation: str | None = None
    ) -> Iterator[Competency]:
        """Every theme followed by its sub-themes, in the framework's order.

        With ``organisation``, Domain themes of other organisations are left out.
        """
        for theme in filter(_visibility(area, organisation), self.themes):
            yield Competency(theme)
            for sub in self._subs_of.get(theme.id, ()):
                yield Competency(theme, sub)

    def find(
        self,
        theme: str | None = None,
        sub_theme: str | None = None,
        *,
        area: CompetencyArea | str | None = None,
        organisation: str | None = None,
        romanised: bool = False,
    ) -> Competency:
        """The competency with these names (or labels in any language: ``"संचार"``
        finds Communication where the framework labels it so), compared without regard
        to case, spacing, punctuation or ``&`` versus ``and``.

        Give the theme, or the sub-theme, or both. ``area`` narrows the search; with
        ``organisation``, only national themes and that organisation's Domain themes
        are searched. With ``romanised``, a name in an Indian script and the same name
        typed in Latin letters meet ("sanchar" finds "संचार"), however the vowels are
        written; it needs the ``indic`` extra. Raises
        :class:`~karmayogi.errors.UnknownNameError` with close matches when nothing
        fits, and :class:`~karmayogi.errors.AmbiguousNameError` when more than one
        thing does.
        """
        if theme is None and sub_theme is None:
            raise TypeError("find() needs a theme, a sub-theme or both")
        visible = _visibility(area, organisation)
        key: Callable[[str], str] = name_key
        themes_named, subs_named = self._themes_named, self._subs_named
        if romanised:
            from karmayogi._romanised import romanised_key

            key, themes_named, subs_named = (
                romanised_key,
                self._themes_romanised,
                self._subs_romanised,
            )
        themes: list[Theme] = []
        if theme is not None:
            themes = [t for t in themes_named.get(key(theme), ()) if visible(t)]
            if not themes:
                near = close_matches(theme, (t.name for t in self.themes if visible(t)))
                raise UnknownNameError("theme", theme, near)
        if sub_theme is None:
            assert theme is not None  # one of the two was checked to be given
            return _only("theme", theme, [Competency(t) for t in themes])
        within = {t.id for t in themes}

        def wanted(c: Competency) -> bool:
            return c.theme.id in within if theme is not None else visible(c.theme)

        found = [c for c in subs_named.get(key(sub_theme), ()) if wanted(c)]
        what = f"sub-theme of {theme!r}" if theme is not None else "sub-theme"
        if not found:
            candidates = (c.name for c in self._by_id.values() if c.sub_theme and wanted(c))
            raise UnknownNameError(what, sub_theme, close_matches(sub_theme, candidates))
        return _only(what, sub_theme, found)

    def extend(
        self, themes: Iterable[Theme] = (), sub_themes: Iterable[SubTheme] = ()
    ) -> Framework:
        """A new framework with these themes and sub-themes added after the existing
        ones. It only adds: an identifier already in the framework is a problem."""
        themes, sub_themes = tuple(themes), tuple(sub_themes)
        problems = [
            Problem(
                "is already in the framework; extend adds, it does not change",
                Location(path=f"{path}.id"),
                got=item.id,
                code="repeated",
            )
            for path, item in _items(themes, sub_themes)
            if item.id in self._by_id
        ]
        if problems:
            raise ValidationError(problems)
        return Framework(
            **self._fields(),
            themes=self.themes + themes,
            sub_themes=self.sub_themes + sub_themes,
        )

    def with_labels(self, labels: Mapping[str, Mapping[str, str]]) -> Framework:
        """A new framework with these names in other languages added, by competency
        identifier and language code (a label already there for that language is
        replaced). Every identifier the framework does not have is a problem.

        >>> kcm = default_framework().with_labels({"KCM-B04": {"hi": "संचार"}})
        >>> kcm.find("संचार").name, kcm.get("KCM-B04").label("hi")
        ('Communication', 'संचार')
        """
        problems = [
            Problem(
                "is not a competency of the framework",
                Location(path=f"labels[{competency!r}]"),
                expected=_did_you_mean(competency, self._by_id),
                got=competency,
                code="unknown",
            )
            for competency in labels
            if competency not in self._by_id
        ]
        if problems:
            raise ValidationError(problems)

        return self.model_copy(
            update={
                "themes": tuple(
                    t.model_copy(update={"labels": {**t.labels, **labels[t.id]}})
                    if t.id in labels
                    else t
                    for t in self.themes
                ),
                "sub_themes": tuple(
                    s.model_copy(update={"labels": {**s.labels, **labels[s.id]}})
                    if s.id in labels
                    else s
                    for s in self.sub_themes
                ),
            }
        )

    def with_domain(self, organisation: str, themes: Mapping[str, Iterable[str]]) -> Framework:
        """A new framework with an organisation's own Domain themes and their sub-themes
        added; the national themes are not touched.

        Identifiers are made from the organisation and a running number, so adding
        more later keeps the earlier ones.

        >>> kcm = default_framework()
        >>> mine = kcm.with_domain("mdo-tax", {"Indirect Taxation": ["GST Audit"]})
        >>> mine.find("indirect taxation", "gst audit", organisation="mdo-tax").id
        'DOM-mdo-tax-01-01'
        >>> len(mine.themes) - len(kcm.themes)
        1
        """
        prefix = f"DOM-{slug(organisation)}"
        owned = sum(1 for t in self.themes if t.organisation == organisation)
        new_themes: list[Theme] = []
        new_subs: list[SubTheme] = []
        for number, (theme_name, sub_names) in enumerate(themes.items(), start=owned + 1):
            theme = Theme(
                id=f"{prefix}-{number:02d}",
                area=CompetencyArea.DOMAIN,
                name=theme_name,
                organisation=organisation,
            )
            new_themes.append(theme)
            new_subs.extend(
                SubTheme(id=f"{theme.id}-{n:02d}", theme=theme.id, name=sub_name)
                for n, sub_name in enumerate(sub_names, start=1)
            )
        return self.extend(new_themes, new_subs)

    def diff(self, other: Framework) -> FrameworkDiff:
        """What changed from this version to ``other``, matched by identifier.

        >>> old = default_framework()
        >>> new = old.with_domain("mdo-tax", {"Customs": []})
        >>> print(old.diff(new))
        added DOM-mdo-tax-01: Domain / Customs
        """
        changes: list[Change] = []
        for cid, before in self._by_id.items():
            after = other._by_id.get(cid)
            if after is None:
                changes.append(Change("removed", cid, before, None))
                continue
            if before.name != after.name:
                changes.append(Change("renamed", cid, before, after))
            if _parent(before) != _parent(after):
                changes.append(Change("moved", cid, before, after))
            if _details(before) != _details(after):
                changes.append(Change("edited", cid, before, after))
        changes.extend(
            Change("added", cid, None, after)
            for cid, after in other._by_id.items()
            if cid not in self._by_id
        )
        return FrameworkDiff(tuple(changes))

    def validate_position(self, position: Position) -> None:
        """Raise :class:`~karmayogi.errors.ValidationError` listing every requirement of
        ``position`` that names a competency not in this framework."""
        problems = [
            Problem(
                "names a competency that is not in the framework",
                Location(path=f"roles[{r}].requirements[{q}].competency"),
                expected=_did_you_mean(requirement.competency, self._by_id),
                got=requirement.competency,
                code="unknown",
            )
            for r, role in enumerate(position.roles)
            for q, requirement in enumerate(role.requirements)
            if requirement.competency not in self._by_id
        ]
        if problems:
            raise ValidationError(problems)

    def to_case(
        self, *, base_uri: str | None = None, changed_at: dt.datetime | None = None
    ) -> CasePackage:
        """This framework as a 1EdTech CASE 1.1 CFPackage (a JSON-ready dict).

        Identifiers are UUIDs derived from the framework's own, so the same framework
        always gives the same package. ``base_uri`` makes item URIs
        ``{base_uri}/CFItems/{uuid}``; without it they are ``urn:uuid:{uuid}``.
        ``changed_at`` is the ``lastChangeDateTime`` of what this writes or changes; it
        defaults to the release date (midnight IST), else to now.

        CASE holds a tree, so :meth:`from_case` gives back every theme and sub-theme
        unchanged, but grouped: themes under their area (in the model's order of areas),
        sub-themes under their theme.

        A framework read from CASE (its :attr:`case`) is written back as it came, with
        the framework's changes applied: its identifiers, URIs, creator, the items below
        sub-themes, every association and every attribute kept; removed themes and
        sub-themes go with what hangs below them; only new ones get new identifiers.
        """
        return framework_to_case(self, base_uri=base_uri, changed_at=changed_at)

    @classmethod
    def from_case(
        cls,
        package: Mapping[str, Any] | str | os.PathLike[str] | bytes | TextIO,
        *,
        default_area: CompetencyArea | str = CompetencyArea.DOMAIN,
        organisation: str | None = None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> Imported[Framework]:
        """A framework read from a CASE CFPackage (1.0 or 1.1, or one that bends them):
        its JSON already parsed, or a path, stream or bytes to read it from (held to
        ``limits``, a key repeated within an object refused).

        The ``isChildOf`` tree becomes themes and sub-themes: top-level items named
        after an area (Behavioural, Functional, Domain) hold themes; other top-level
        items are themes of ``default_area``. The package itself is kept in the
        framework's :attr:`case`, so what is not a competency (items below sub-themes,
        other associations, attributes the model does not use) is written back by
        :meth:`to_case`. Each bend of the standard, each item that is not a competency
        and the little that cannot be kept (items with no identifier) is a finding. A
        package that has no usable ``CFDocument`` raises
        :class:`~karmayogi.errors.ValidationError`.
        """
        file, data = None, cast(Any, package)  # a mapping, or what it says is no package
        if not isinstance(package, Mapping) and is_json_source(package):
            file, data = load_json(package, limits)
        read = read_case(
            data,
            default_area=CompetencyArea.parse(default_area),
            organisation=organisation,
            file=file,
        )
        try:
            framework = cls(**read.fields)
        except ValidationError as exc:  # said of the framework made: placed in the file read
            raise ValidationError(
                attrs.evolve(p, where=attrs.evolve(p.where, file=file)) for p in exc.problems
            ) from None
        source = CaseSource(
            package=read.package, items=read.items, areas=read.areas, as_read=framework
        )
        return Imported(framework.model_copy(update={"case": source}), read.findings)

    def _fields(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name not in ("themes", "sub_themes")
        }


def _framework_problems(fw: Framework) -> Iterator[Problem]:
    seen_ids: dict[str, str] = {}
    for path, item in _items(fw.themes, fw.sub_themes):
        if item.id in seen_ids:
            yield Problem(
                f"identifier is already used by {seen_ids[item.id]}",
                Location(path=f"{path}.id"),
                expected="a unique identifier",
                got=item.id,
                code="repeated",
            )
        else:
            seen_ids[item.id] = path
    theme_ids = {theme.id for theme in fw.themes}
    theme_names: dict[tuple[CompetencyArea, str | None, str], int] = {}
    for i, theme in enumerate(fw.themes):
        key = (theme.area, theme.organisation, name_key(theme.name))
        if key in theme_names:
            yield Problem(
                f"theme name is already used by themes[{theme_names[key]}] in the same area",
                Location(path=f"themes[{i}].name"),
                expected="a unique name within the area",
                got=theme.name,
                code="repeated",
            )
        else:
            theme_names[key] = i
    sub_names: dict[tuple[str, str], int] = {}
    for i, sub in enumerate(fw.sub_themes):
        if sub.theme not in theme_ids:
            yield Problem(
                "sub-theme names a theme that is not in the framework",
                Location(path=f"sub_themes[{i}].theme"),
                expected=_did_you_mean(sub.theme, theme_ids),
                got=sub.theme,
                code="unknown",
            )
        key2 = (sub.theme, name_key(sub.name))
        if key2 in sub_names:
            yield Problem(
                f"sub-theme name is already used by sub_themes[{sub_names[key2]}] "
                "in the same theme",
                Location(path=f"sub_themes[{i}].name"),
                expected="a unique name within the theme",
                got=sub.name,
                code="repeated",
            )
        else:
            sub_names[key2] = i


def _visibility(
    area: CompetencyArea | str | None, organisation: str | None
) -> Callable[[Theme], bool]:
    """Whether a theme is in ``area`` (any, if None) and visible to ``organisation``:
    national themes always are; Domain themes only to their own organisation."""
    wanted = CompetencyArea.parse(area) if area is not None else None

    def visible(theme: Theme) -> bool:
        return (wanted is None or theme.area is wanted) and (
            organisation is None or theme.organisation in (None, organisation)
        )

    return visible


def _items(
    themes: Sequence[Theme], sub_themes: Sequence[SubTheme]
) -> Iterator[tuple[str, Theme | SubTheme]]:
    """Each theme and sub-theme with its dotted path in a framework document."""
    for i, theme in enumerate(themes):
        yield f"themes[{i}]", theme
    for i, sub in enumerate(sub_themes):
        yield f"sub_themes[{i}]", sub


def _did_you_mean(value: str, candidates: Iterable[str]) -> str:
    near = close_matches(value, candidates)
    return (
        "one of " + ", ".join(repr(n) for n in near) if near else "an identifier in the framework"
    )


def _only(what: str, name: str, found: Sequence[Competency]) -> Competency:
    if len(found) > 1:
        raise AmbiguousNameError(what, name, [_label(c) for c in found])
    return found[0]


def _label(competency: Competency) -> str:
    owner = competency.theme.organisation
    return competency.path + (f" ({owner})" if owner else "")


def _parent(competency: Competency) -> tuple[str, str | None, str | None]:
    if competency.sub_theme is not None:
        return ("sub-theme", None, competency.sub_theme.theme)
    return ("theme", competency.theme.area.value, competency.theme.organisation)


def _details(competency: Competency) -> tuple[str | None, dict[str, str]]:
    item = competency.sub_theme if competency.sub_theme is not None else competency.theme
    return (item.description, item.labels)


@attrs.frozen
class Change:
    """One difference between two versions of a framework."""

    kind: Literal["added", "removed", "renamed", "moved", "edited"]
    id: str
    before: Competency | None
    after: Competency | None

    def __str__(self) -> str:
        if self.before is None:
            assert self.after is not None
            return f"added {self.id}: {self.after.path}"
        if self.after is None:
            return f"removed {self.id}: {self.before.path}"
        if self.kind == "edited":
            return f"edited {self.id}: description or labels of {self.after.path}"
        return f"{self.kind} {self.id}: {self.before.path} -> {self.after.path}"


@attrs.frozen
class FrameworkDiff:
    """The changes between two versions of a framework, in order."""

    changes: tuple[Change, ...]

    def of_kind(self, kind: str) -> tuple[Change, ...]:
        """The changes of one kind: added, removed, renamed, moved or edited."""
        return tuple(change for change in self.changes if change.kind == kind)

    @property
    def added(self) -> tuple[Change, ...]:
        return self.of_kind("added")

    @property
    def removed(self) -> tuple[Change, ...]:
        return self.of_kind("removed")

    @property
    def renamed(self) -> tuple[Change, ...]:
        return self.of_kind("renamed")

    @property
    def moved(self) -> tuple[Change, ...]:
        return self.of_kind("moved")

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __str__(self) -> str:
        return "\n".join(str(change) for change in self.changes) or "no changes"


@functools.cache
def default_framework() -> Framework:
    """The bundled Karmayogi Competency Model: the published Behavioural and Functional
    themes and sub-themes, with karmayogi's own stable identifiers (``KCM-B01`` is a
    Behavioural theme, ``KCM-B01-02`` one of its sub-themes). Domain themes are each
    organisation's own: add them with :meth:`Framework.with_domain`.

    >>> kcm = default_framework()
    >>> kcm.get("KCM-B04").name
    'Communication'
    """
    data = resources.files("karmayogi").joinpath("data/kcm.json").read_bytes()
    return Framework.from_json(data, file="karmayogi/data/kcm.json")


# --- Role profiles (FRAC) ---------------------------------------------------------------


class Importance(enum.StrEnum):
    """Whether a role must have a competency or would merely benefit from it."""

    MANDATORY = "mandatory"
    DESIRABLE = "desirable"


class FracStatus(enum.StrEnum):
    """The review state of a FRAC node, as the platform's FRAC service keeps it."""

    DRAFT = "DRAFT"
    UNVERIFIED = "UNVERIFIED"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


class Requirement(Document):
    """A role needs this competency at this level or above."""

    competency: Identifier
    level: Level
    importance: Importance = Importance.MANDATORY

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self, *, competency: str, level: LevelLike, importance: Importance | str = ...
        ) -> None: ...

    @property
    def mandatory(self) -> bool:
        return self.importance is Importance.MANDATORY


class Activity(Document):
    """Something a role does, in FRAC's words."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(self, *, id: str, description: str) -> None: ...

    id: Identifier
    description: Name


class Role(Document):
    """A role of a position: what it does and which competencies it needs."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            name: str,
            activities: Sequence[Activity | Mapping[str, Any]] = ...,
            requirements: Sequence[Requirement | Mapping[str, Any]] = ...,
            status: FracStatus | str = ...,
        ) -> None: ...

    id: Identifier
    name: Name
    activities: tuple[Activity, ...] = ()
    requirements: tuple[Requirement, ...] = ()
    status: FracStatus = FracStatus.DRAFT

    @pydantic.model_validator(mode="after")
    def _unique(self) -> Role:
        problems = duplicates("activities", [a.id for a in self.activities], "id")
        problems += duplicates(
            "requirements", [r.competency for r in self.requirements], "competency"
        )
        if problems:
            raise ValidationError(problems)
        return self


class Position(Document):
    """A designation (a position, in FRAC) and the roles it holds.

    >>> p = Position(id="so", name="Section Officer", roles=[
    ...     Role(id="r1", name="Drafting", requirements=[
    ...         Requirement(competency="KCM-F13-04", level="L2")]),
    ...     Role(id="r2", name="Review", requirements=[
    ...         Requirement(competency="KCM-F13-04", level=3, importance="desirable")]),
    ... ])
    >>> [(r.competency, int(r.level), r.importance.value) for r in p.requirements()]
    [('KCM-F13-04', 3, 'mandatory')]
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            id: str,
            name: str,
            organisation: str | None = ...,
            roles: Sequence[Role | Mapping[str, Any]] = ...,
            status: FracStatus | str = ...,
        ) -> None: ...

    id: Identifier
    name: Name
    organisation: Identifier | None = None
    roles: tuple[Role, ...] = ()
    status: FracStatus = FracStatus.DRAFT

    @pydantic.model_validator(mode="after")
    def _unique(self) -> Position:
        problems = duplicates("roles", [r.id for r in self.roles], "id")
        if problems:
            raise ValidationError(problems)
        return self

    def requirements(self) -> tuple[Requirement, ...]:
        """What the position needs across its roles: for each competency the highest
        level any role asks, mandatory if any role makes it mandatory."""
        return _merge_requirements(r for role in self.roles for r in role.requirements)


def _merge_requirements(requirements: Iterable[Requirement]) -> tuple[Requirement, ...]:
    merged: dict[str, Requirement] = {}
    for req in requirements:
        seen = merged.get(req.competency)
        if seen is None:
            merged[req.competency] = req
            continue
        importance = Importance.MANDATORY if seen.mandatory or req.mandatory else seen.importance
        merged[req.competency] = Requirement(
            competency=req.competency, level=max(seen.level, req.level), importance=importance
        )
    return tuple(merged.values())


PLATFORM_MINIMUM: Mapping[CompetencyArea, int] = {
    CompetencyArea.BEHAVIOURAL: 4,
    CompetencyArea.FUNCTIONAL: 4,
    CompetencyArea.DOMAIN: 6,
}
"""The platform's rule of thumb: competencies per designation, at least, by area."""


def check_rule_of_thumb(
    position: Position,
    framework: Framework,
    minimum: Mapping[CompetencyArea, int] | Mapping[str, int] = PLATFORM_MINIMUM,
) -> list[Finding]:
    """Findings, not errors: where ``position`` names fewer competencies of an area than
    the platform's rule of thumb asks (at least 4 Behavioural, 4 Functional, 6 Domain).

    >>> p = Position(id="so", name="Section Officer", roles=[Role(id="r", name="r",
    ...     requirements=[Requirement(competency="KCM-B04", level=2)])])
    >>> for finding in check_rule_of_thumb(p, default_framework()):
    ...     print(finding.message)
    Section Officer needs 1 Behavioural competency; the rule of thumb is at least 4
    Section Officer needs 0 Functional competencies; the rule of thumb is at least 4
    Section Officer needs 0 Domain competencies; the rule of thumb is at least 6
    """
    counts: dict[CompetencyArea, int] = dict.fromkeys(CompetencyArea, 0)
    findings = []
    where = Location(path=f"position {position.id}")
    for requirement in position.requirements():
        if requirement.competency in framework:
            counts[framework.get(requirement.competency).area] += 1
        else:
            findings.append(
                Finding(
                    "unknown-competency",
                    f"{requirement.competency!r} is not in framework {framework.id!r}",
                    where,
                )
            )
    for written, least in minimum.items():
        area = CompetencyArea.parse(written)
        if counts[area] < least:
            noun = "competency" if counts[area] == 1 else "competencies"
            findings.append(
                Finding(
                    "too-few-competencies",
                    f"{position.name} needs {counts[area]} {area.value} {noun}; "
                    f"the rule of thumb is at least {least}",
                    where,
                )
            )
    return findings


# --- A person's competencies ------------------------------------------------------------


class EvidenceSource(enum.StrEnum):
    """How a person came to hold a competency, from least to most trusted."""

    SELF_ATTESTED = "self-attested"
    COURSE_COMPLETION = "course-completion"
    SUPERVISOR = "supervisor"
    ASSESSMENT = "assessment"

    @property
    def trust(self) -> int:
        """Rank of the evidence: self-attested 1 < course completion 2 < supervisor 3
        < assessment 4."""
        return list(EvidenceSource).index(self) + 1


class Holding(Document):
    """A person holds a competency at a level, by some evidence, from a date, until an
    optional expiry (the last day it counts)."""

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            competency: str,
            level: LevelLike,
            source: EvidenceSource | str,
            attained_on: dt.date | str,
            expires_on: dt.date | str | None = ...,
            evidence: str | None = ...,
        ) -> None: ...

    competency: Identifier
    level: Level
    source: EvidenceSource
    attained_on: dt.date
    expires_on: dt.date | None = None
    evidence: Text = None
    """What shows it: a course identifier, a certificate, an assessment reference."""

    @pydantic.model_validator(mode="after")
    def _expiry_after_attainment(self) -> Holding:
        if self.expires_on is not None and self.expires_on < self.attained_on:
            raise ValidationError(
                [
                    Problem(
                        "expires before it was attained",
                        Location(path="expires_on"),
                        expected=f"on or after {self.attained_on.isoformat()}",
                        got=self.expires_on.isoformat(),
                        code="inconsistent",
                    )
                ]
            )
        return self

    def counts_on(self, day: dt.date) -> bool:
        """Whether this holding counts on ``day``: attained by then and not expired."""
        return self.attained_on <= day and (self.expires_on is None or day <= self.expires_on)


class CompetencyProfile(Document):
    """The competencies one person holds.

    When a competency is held more than once, **the holding that counts** is, among
    those that count on the day asked about (attained by then, not expired): the one
    with the most trusted evidence (assessment, then supervisor, then course completion,
    then self-attested); among those, the highest level (any further tie goes to the
    latest attained, then the longest lasting). So an assessment outranks a
    self-attested claim, whichever is higher, and a later basic course does not undo
    an earlier advanced one.

    >>> profile = CompetencyProfile(person="u1", holdings=[
    ...     Holding(competency="KCM-B04", level=4, source="self-attested",
    ...             attained_on="2025-01-10"),
    ...     Holding(competency="KCM-B04", level=2, source="assessment",
    ...             attained_on="2025-03-01"),
    ... ])
    >>> profile.level("KCM-B04", on=dt.date(2025, 6, 1))
    <ProficiencyLevel.PROFICIENT: 2>
    >>> profile.level("KCM-B04", on=dt.date(2025, 2, 1))
    <ProficiencyLevel.EXPERT: 4>
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self, *, person: str, holdings: Sequence[Holding | Mapping[str, Any]] = ...
        ) -> None: ...

    person: Identifier
    holdings: tuple[Holding, ...] = ()

    def holding(self, competency: str, *, on: dt.date | None = None) -> Holding | None:
        """The holding of ``competency`` that counts on ``on`` (default: today in India),
        or None."""
        day = on if on is not None else today_in_india()
        valid = [h for h in self.holdings if h.competency == competency and h.counts_on(day)]
        return max(valid, key=_strength, default=None)

    def level(self, competency: str, *, on: dt.date | None = None) -> ProficiencyLevel | None:
        """The level at which the person holds ``competency`` on ``on``, or None."""
        holding = self.holding(competency, on=on)
        return holding.level if holding is not None else None

    def current(self, *, on: dt.date | None = None) -> dict[str, Holding]:
        """Each competency held on ``on`` (default: today in India) with the holding that
        counts."""
        day = on if on is not None else today_in_india()
        best: dict[str, Holding] = {}
        for h in self.holdings:
            if h.counts_on(day) and (
                h.competency not in best or _strength(h) > _strength(best[h.competency])
            ):
                best[h.competency] = h
        return best


def _strength(holding: Holding) -> tuple[int, int, dt.date, bool, dt.date, str]:
    """Trust, then level; the rest only breaks ties (the latest attained, the longest
    lasting, then the evidence), so that the choice never depends on input order."""
    lasts = holding.expires_on is None, holding.expires_on or dt.date.min
    return (
        holding.source.trust,
        holding.level,
        holding.attained_on,
        *lasts,
        holding.evidence or "",
    )


# --- Gaps -------------------------------------------------------------------------------


@attrs.frozen
class Gap:
    """A competency a person holds below what a role requires (or not at all)."""

    competency: str
    required: ProficiencyLevel
    held: ProficiencyLevel | None
    mandatory: bool

    @property
    def deficit(self) -> int:
        """Levels short: required minus held, counting "not held" as 0."""
        return int(self.required) - int(self.held or 0)


def _requirements_of(needs: Role | Position | Iterable[Requirement]) -> tuple[Requirement, ...]:
    if isinstance(needs, Position):
        return needs.requirements()
    if isinstance(needs, Role):
        return _merge_requirements(needs.requirements)
    return _merge_requirements(needs)


def find_gaps(
    profile: CompetencyProfile,
    needs: Role | Position | Iterable[Requirement],
    *,
    on: dt.date | None = None,
) -> tuple[Gap, ...]:
    """Where ``profile`` falls short of ``needs``: mandatory gaps first, then the
    largest deficits, then by competency identifier.

    >>> role = Role(id="r", name="Analyst", requirements=[
    ...     Requirement(competency="KCM-F11-02", level="Advanced"),
    ...     Requirement(competency="KCM-B04", level=2, importance="desirable")])
    >>> me = CompetencyProfile(person="u1", holdings=[Holding(
    ...     competency="KCM-F11-02", level=1, source="course-completion",
    ...     attained_on="2025-05-01")])
    >>> [(g.competency, g.deficit, g.mandatory)
    ...  for g in find_gaps(me, role, on=dt.date(2025, 6, 1))]
    [('KCM-F11-02', 2, True), ('KCM-B04', 2, False)]
    """
    held = profile.current(on=on)
    gaps = []
    for requirement in _requirements_of(needs):
        holding = held.get(requirement.competency)
        level = holding.level if holding is not None else None
        if level is None or level < requirement.level:
            gaps.append(
                Gap(requirement.competency, requirement.level, level, requirement.mandatory)
            )
    return tuple(sorted(gaps, key=lambda g: (not g.mandatory, -g.deficit, g.competency)))


@attrs.frozen
class GapCell:
    """One competency in one group: how many people need it, how many are short, and
    their mean deficit (levels, over the people short; 0 when none is). In a suppressed
    table (:meth:`GapTable.suppressed`), a hidden number is None."""

    competency: str
    group: str
    people_required: int | None
    people_short: int | None
    mean_deficit: float | None


@attrs.frozen
class GapTable(Tabular):
    """Competency by group: people short and mean deficit, ready for a heat map.

    ``cells`` holds every (competency, group) pair that someone needs; ``totals`` holds
    one cell per competency over all groups (group ``"all"``), each person counted once,
    at the highest level any of their roles asks. A notebook shows the cells, and
    ``to_pandas()`` or ``to_polars()`` makes them a dataframe.
    """

    cells: tuple[GapCell, ...]
    totals: tuple[GapCell, ...]
    suppressed_below: int | None = None
    """Set by :meth:`suppressed`: counts below it are hidden."""
    hidden: frozenset[tuple[str, str, str]] = frozenset()
    """The hidden numbers, as (competency, group, field)."""

    def _columns(self) -> tuple[list[str], list[list[Any]]]:
        header = [f.name for f in attrs.fields(GapCell)]
        return header, [list(attrs.astuple(cell)) for cell in self.cells]

    def _html_title(self) -> str:
        return "Competency gaps by group"

    def _html_notes(self) -> list[str]:
        if self.suppressed_below is None:
            return []
        return [f"Counts from 1 to {self.suppressed_below - 1} hidden, and any that would tell."]

    def suppressed(self, below: int) -> GapTable:
        """This table fit to publish: every count of people from 1 to ``below - 1`` hidden
        (None), and with it each number that would give it away: the group's others
        (``"all"`` is its groups, when each person is in one), the people who need a
        competency and hold it (the required less the short) and the mean deficit of the
        people short.

        >>> role = Role(id="r", name="Analyst", requirements=[
        ...     Requirement(competency="KCM-F11-02", level=3)])
        >>> people = [CompetencyProfile(person=f"u{n}") for n in range(7)]
        >>> table = gap_table([(p, role) for p in people], on=dt.date(2025, 6, 1),
        ...     group=lambda p, _role: "A" if p.person in ("u0", "u1") else "B")
        >>> [(c.group, c.people_required, c.people_short)
        ...  for c in table.suppressed(5).cells]
        [('A', None, None), ('B', None, None)]
        """
        from karmayogi._publish import Sum, hidden_cells

        if self.suppressed_below is not None:
            raise ValueError(f"this table is suppressed already (at {self.suppressed_below})")
        values: dict[tuple[str, str, str], float] = {}
        for cell in (*self.cells, *self.totals):
            for field in ("people_required", "people_short", "mean_deficit"):
                if (value := getattr(cell, field)) is not None:
                    values[(cell.competency, cell.group, field)] = value
        sums: list[Sum[tuple[str, str, str]]] = []
        for total in self.totals:
            groups = [c.group for c in self.cells if c.competency == total.competency]
            for field in ("people_required", "people_short"):
                parts = tuple((total.competency, g, field) for g in groups)
                whole = (total.competency, "all", field)
                sums.append(Sum(whole, parts, values[whole] - sum(values[p] for p in parts)))
        for competency, group, field in list(values):
            if field == "people_required":  # who hold it: the required less the short
                short = (competency, group, "people_short")
                required = (competency, group, field)
                sums.append(Sum(required, (short,), values[required] - values[short]))
        hidden = hidden_cells(
            values,
            sums,
            below,
            small=lambda key: key[2] != "mean_deficit",
            together=lambda key: [(*key[:2], "mean_deficit")] if key[2] == "people_short" else [],
        )

        def hide(cell: GapCell) -> GapCell:
            gone = [
                f
                for f in ("people_required", "people_short", "mean_deficit")
                if (cell.competency, cell.group, f) in hidden
            ]
            blank: dict[str, Any] = dict.fromkeys(gone)
            return attrs.evolve(cell, **blank)

        return GapTable(
            tuple(hide(c) for c in self.cells),
            tuple(hide(c) for c in self.totals),
            suppressed_below=below,
            hidden=frozenset(hidden),
        )

    @property
    def competencies(self) -> tuple[str, ...]:
        """Row labels: competencies, most people short first."""
        return tuple(cell.competency for cell in self.totals)

    @property
    def groups(self) -> tuple[str, ...]:
        """Column labels: groups, in the order first seen."""
        return tuple(dict.fromkeys(cell.group for cell in self.cells))

    def matrix(
        self, value: Literal["people_short", "mean_deficit", "people_required"] = "people_short"
    ) -> list[list[float]]:
        """Rows of :attr:`competencies` by columns of :attr:`groups`; 0 where a group
        does not need a competency, NaN where a suppressed table hides the number."""
        at = {(c.competency, c.group): getattr(c, value) for c in self.cells}
        nan = float("nan")  # hidden, never 0
        return [
            [_number(at.get((comp, g), 0.0), nan) for g in self.groups]
            for comp in self.competencies
        ]


def _number(value: float | None, hidden: float) -> float:
    return hidden if value is None else float(value)


def gap_table(
    assignments: Iterable[tuple[CompetencyProfile, Role | Position]],
    *,
    group: Callable[[CompetencyProfile, Role | Position], str] | None = None,
    on: dt.date | None = None,
) -> GapTable:
    """Gaps across many people: each (profile, role or position) pair says what one
    person must hold. Groups default to the role's or position's name.

    A person given twice with the same group counts once in it; a person in several
    groups counts once in the totals, against the highest level any of their roles asks.

    >>> kcm_role = Role(id="r", name="Analyst", requirements=[
    ...     Requirement(competency="KCM-F11-02", level=3)])
    >>> people = [CompetencyProfile(person=p) for p in ("u1", "u2")]
    >>> table = gap_table([(p, kcm_role) for p in people], on=dt.date(2025, 6, 1))
    >>> table.totals[0]
    GapCell(competency='KCM-F11-02', group='all', people_required=2, people_short=2, \
mean_deficit=3.0)
    """
    group_of = group or (lambda _profile, needs: needs.name)
    # (group, person) -> competency -> requirement, and person -> competency -> requirement
    by_group: dict[tuple[str, str], dict[str, Requirement]] = {}
    overall: dict[str, dict[str, Requirement]] = {}
    profiles: dict[str, CompetencyProfile] = {}
    for i, (profile, needs) in enumerate(assignments):
        if profiles.setdefault(profile.person, profile) != profile:
            where = Location(path=f"assignments[{i}].person")
            raise ValidationError(
                [
                    Problem(
                        "was given earlier with a different profile",
                        where,
                        got=profile.person,
                        code="inconsistent",
                    )
                ]
            )
        key = (group_of(profile, needs), profile.person)
        for req in _requirements_of(needs):
            for table in (by_group.setdefault(key, {}), overall.setdefault(profile.person, {})):
                seen = table.get(req.competency)
                table[req.competency] = _merge_requirements([seen, req])[0] if seen else req
    held = {person: p.current(on=on) for person, p in profiles.items()}

    def deficit(person: str, req: Requirement) -> int:
        holding = held[person].get(req.competency)
        return max(0, int(req.level) - int(holding.level if holding else 0))

    cells = _cells(
        ((grp, person, req) for (grp, person), reqs in by_group.items() for req in reqs.values()),
        deficit,
    )
    totals = _cells(
        (("all", person, req) for person, reqs in overall.items() for req in reqs.values()),
        deficit,
    )
    totals.sort(key=lambda c: (-(c.people_short or 0), -(c.mean_deficit or 0.0), c.competency))
    return GapTable(tuple(cells), tuple(totals))


def _cells(
    rows: Iterable[tuple[str, str, Requirement]], deficit: Callable[[str, Requirement], int]
) -> list[GapCell]:
    required: dict[tuple[str, str], int] = defaultdict(int)
    short: dict[tuple[str, str], list[int]] = defaultdict(list)
    for grp, person, req in rows:
        key = (req.competency, grp)
        required[key] += 1
        d = deficit(person, req)
        if d > 0:
            short[key].append(d)
    return [
        GapCell(
            comp,
            grp,
            count,
            len(short[(comp, grp)]),
            sum(short[(comp, grp)]) / len(short[(comp, grp)]) if short[(comp, grp)] else 0.0,
        )
        for (comp, grp), count in required.items()
    ]


# --- Outside formats --------------------------------------------------------------------


class CaseSource(Document):
    """The CASE package a :class:`Framework` was read from, kept so that writing the
    framework back loses nothing.

    CASE frameworks often go deeper than the model's theme and sub-theme (indicators,
    level descriptors), link items by associations other than ``isChildOf``
    (``exactMatchOf``, ``precedes``…) and carry attributes the model does not use
    (``CFItemType``, ``educationalLevel``…). Those are not competencies: a role cannot
    require them. They are kept here as they came, readable with :meth:`item` and
    :meth:`below`, and :meth:`Framework.to_case` writes them back.

    >>> pkg = {"CFDocument": {"identifier": "d", "uri": "u:d", "creator": "ATI",
    ...        "title": "ATI", "version": "1", "lastChangeDateTime": "2025-01-01T00:00:00Z"},
    ...        "CFItems": [{"identifier": i, "fullStatement": s, "educationalLevel": ["PG"]}
    ...                    for i, s in [("t", "Drafting"), ("s", "Notes"), ("x", "Templates")]],
    ...        "CFAssociations": [{"identifier": f"a{n}", "associationType": "isChildOf",
    ...                            "originNodeURI": {"identifier": o},
    ...                            "destinationNodeURI": {"identifier": d}}
    ...                           for n, (o, d) in enumerate([("t", "d"), ("s", "t"), ("x", "s")])]}
    >>> fw = Framework.from_case(pkg).value
    >>> [c.path for c in fw.competencies()]
    ['Domain / Drafting', 'Domain / Drafting / Notes']
    >>> [i["fullStatement"] for i in fw.case.below("s")]
    ['Templates']
    >>> fw.case.item("t")["educationalLevel"]
    ['PG']
    >>> fw.to_case() == pkg
    True
    """

    if TYPE_CHECKING:  # what a caller may pass; the fields say what is kept

        def __init__(
            self,
            *,
            package: Mapping[str, Any],
            items: Mapping[str, str] = ...,
            areas: Mapping[CompetencyArea, str] | Mapping[str, str] = ...,
            as_read: Framework | Mapping[str, Any],
        ) -> None: ...

    package: dict[str, Any]
    """The package as read: everything in it but what was unusable (reported then)."""
    items: dict[str, str] = pydantic.Field(default_factory=dict)
    """Each theme's and sub-theme's identifier, to the ``identifier`` of its CFItem."""
    areas: dict[CompetencyArea, str] = pydantic.Field(default_factory=dict)
    """Each area's CFItem, where the package has one."""
    as_read: Framework
    """The framework as read, to tell what changed since."""

    def __hash__(self) -> int:  # the package is a dict; equal sources share a document
        return hash(self.as_read)

    def __str__(self) -> str:
        document = self.package["CFDocument"]
        items, links = self.package.get("CFItems", []), self.package.get("CFAssociations", [])
        return (
            f"CASE {document.get('identifier')!s}: {len(items)} items "
            f"({len(self.items)} of them competencies), {len(links)} associations"
        )

    @functools.cached_property
    def _items_by_id(self) -> dict[str, dict[str, Any]]:
        items = self.package.get("CFItems", [])
        return {item["identifier"]: item for item in items}

    def item(self, competency: str) -> dict[str, Any]:
        """The CFItem of a theme or sub-theme, as read."""
        try:
            return self._items_by_id[self.items[competency]]
        except KeyError:
            raise UnknownNameError(
                "competency read from CASE", competency, close_matches(competency, self.items)
            ) from None

    def below(self, competency: str) -> tuple[dict[str, Any], ...]:
        """The CFItems below a theme or sub-theme that are not competencies themselves,
        at every depth, each before its own children, siblings in their sequence."""
        return items_below(self, self.item(competency)["identifier"])


Framework.model_rebuild()  # its ``case`` names CaseSource, defined after it


@attrs.frozen
class Imported(Generic[T]):
    """What an import produced, and the findings about what it had to bend or leave out."""

    value: T
    findings: tuple[Finding, ...] = ()
