"""1EdTech CASE: a framework as a CFPackage, and back.

Export writes CASE 1.1 that validates against 1EdTech's schema. Import is tolerant:
packages in the wild follow CASE 1.0 or bend 1.1, so each bend is a finding, and only a
package with no usable ``CFDocument`` is an error.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any, TypeAlias

import attrs

from karmayogi._names import name_key, slug
from karmayogi.competency import CompetencyArea, Framework, Imported, SubTheme, Theme
from karmayogi.errors import Finding, Location, Problem, ValidationError
from karmayogi.periods import IST

__all__ = ["CasePackage", "framework_from_case", "framework_to_case"]

CasePackage: TypeAlias = dict[str, Any]

# karmayogi's own namespace for the UUIDs it derives; never change it, or every
# exported identifier changes with it.
NAMESPACE = uuid.UUID("6f1c3a52-4b8e-5d2a-9c1e-7a0b3d5e8f21")
EXTENSION = "karmayogi"
ITEM_TYPES = {"area": "Competency Area", "theme": "Competency Theme", "sub": "Competency Sub-theme"}


# --- Export -----------------------------------------------------------------------------


def framework_to_case(
    framework: Framework, *, base_uri: str | None, changed_at: dt.datetime | None
) -> CasePackage:
    when = _change_time(framework, changed_at)

    def ident(kind: str, local: str) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{framework.id}/{kind}/{local}"))

    def uri(kind: str, identifier: str) -> str:
        return (
            f"{base_uri.rstrip('/')}/{kind}/{identifier}" if base_uri else f"urn:uuid:{identifier}"
        )

    doc_id = ident("document", framework.id)
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": uri("CFDocuments", doc_id),
        "creator": framework.publisher or "karmayogi",
        "title": framework.name,
        "lastChangeDateTime": when,
        "version": framework.version,
        "caseVersion": "1.1",
        "language": "en",
    }
    if framework.publisher:
        document["publisher"] = framework.publisher
    if framework.description:
        document["description"] = framework.description
    document["extensions"] = {
        EXTENSION: _compact(
            id=framework.id,
            released_on=framework.released_on.isoformat() if framework.released_on else None,
        )
    }
    doc_link = {"title": framework.name, "identifier": doc_id, "uri": document["uri"]}

    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def add(
        kind: str,
        key: str,
        name: str,
        *,
        code: str,
        parent: dict[str, str],
        seq: int,
        description: str | None = None,
        extensions: dict[str, Any] | None = None,
    ) -> dict[str, str]:
        identifier = ident(kind, key)
        item: dict[str, Any] = {
            "identifier": identifier,
            "uri": uri("CFItems", identifier),
            "fullStatement": name,
            "humanCodingScheme": code,
            "CFItemType": ITEM_TYPES[kind],
            "language": "en",
            "lastChangeDateTime": when,
        }
        if description:
            item["notes"] = description
        if extensions:
            item["extensions"] = {EXTENSION: extensions}
        items.append(item)
        link = {"title": name, "identifier": identifier, "uri": item["uri"]}
        assoc_id = ident("association", f"{kind}/{key}")
        associations.append(
            {
                "identifier": assoc_id,
                "uri": uri("CFAssociations", assoc_id),
                "associationType": "isChildOf",
                "sequenceNumber": seq,
                "originNodeURI": link,
                "destinationNodeURI": parent,
                "lastChangeDateTime": when,
            }
        )
        return link

    for a, area in enumerate(framework.areas, start=1):
        area_link = add(
            "area", area.value, area.value, code=area.platform_id, parent=doc_link, seq=a
        )
        themes = [t for t in framework.themes if t.area is area]
        for t, theme in enumerate(themes, start=1):
            theme_link = add(
                "theme",
                theme.id,
                theme.name,
                code=theme.id,
                parent=area_link,
                seq=t,
                description=theme.description,
                extensions=_compact(labels=theme.labels or None, organisation=theme.organisation),
            )
            for s, sub in enumerate(framework.sub_themes_of(theme), start=1):
                add(
                    "sub",
                    sub.id,
                    sub.name,
                    code=sub.id,
                    parent=theme_link,
                    seq=s,
                    description=sub.description,
                    extensions=_compact(labels=sub.labels or None),
                )
    return {"CFDocument": document, "CFItems": items, "CFAssociations": associations}


def _change_time(framework: Framework, changed_at: dt.datetime | None) -> str:
    if changed_at is None:
        if framework.released_on is not None:
            changed_at = dt.datetime.combine(framework.released_on, dt.time(), IST)
        else:
            changed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if changed_at.tzinfo is None:
        raise ValueError("changed_at must carry a time zone, e.g. datetime(..., tzinfo=UTC)")
    return changed_at.isoformat()


def _compact(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


# --- Import -----------------------------------------------------------------------------


@attrs.define
class _Node:
    identifier: str
    name: str
    code: str | None
    uri: str | None
    description: str | None
    extensions: Mapping[str, Any]
    order: int
    children: list[tuple[float, int, str]] = attrs.Factory(list)


class _Findings:
    """Findings, with repeats of one bend folded into a count and a few examples."""

    def __init__(self) -> None:
        self._seen: dict[str, list[str]] = defaultdict(list)
        self._messages: dict[str, str] = {}
        self._order: list[str] = []

    def add(self, code: str, message: str, example: str | None = None) -> None:
        if code not in self._messages:
            self._messages[code] = message
            self._order.append(code)
        if example is not None:
            self._seen[code].append(example)

    def all(self) -> tuple[Finding, ...]:
        out = []
        for code in self._order:
            examples = self._seen[code]
            message = self._messages[code]
            if examples:
                shown = ", ".join(repr(e) for e in examples[:3])
                more = f" and {len(examples) - 3} more" if len(examples) > 3 else ""
                message += f" ({len(examples)}: {shown}{more})"
            out.append(Finding(code, message, Location(path="CFPackage")))
        return tuple(out)


def framework_from_case(
    package: Mapping[str, Any],
    *,
    default_area: CompetencyArea,
    organisation: str | None,
    file: str | None = None,
) -> Imported[Framework]:
    found = _Findings()
    document = package.get("CFDocument") if isinstance(package, Mapping) else None
    if not isinstance(document, Mapping) or not _text(document.get("title")):
        raise ValidationError(
            [
                Problem(
                    "has no CFDocument with a title",
                    Location(file=file, path="CFDocument"),
                    expected="a CFPackage whose CFDocument has at least a title",
                    got=type(document).__name__ if document is not None else "nothing",
                )
            ]
        )
    _check_document(document, found)
    for key in package:
        if key not in {
            "CFDocument",
            "CFItems",
            "CFAssociations",
            "CFDefinitions",
            "CFRubrics",
            "extensions",
        }:
            found.add("unknown-field", "fields that CASE does not define were ignored", key)
    if package.get("CFRubrics"):
        found.add("not-mapped", "parts with no place in the framework were left out", "CFRubrics")
    nodes = _nodes(package.get("CFItems"), found)
    roots = _tree(package.get("CFAssociations"), document, nodes, found)
    themes, subs = _map(roots, nodes, default_area, organisation, found)
    extension = _extension(document)
    try:
        framework = Framework(
            id=_identifier(extension.get("id")) or slug(str(document["title"])) or "imported",
            name=str(document["title"]),
            version=_version(document, found),
            released_on=_date(extension.get("released_on")),
            publisher=_text(document.get("publisher")),
            description=_text(document.get("description")),
            themes=themes,
            sub_themes=subs,
        )
    except ValidationError as exc:  # said of the framework made: placed in the file read
        raise ValidationError(
            attrs.evolve(p, where=attrs.evolve(p.where, file=file)) for p in exc.problems
        ) from None
    return Imported(framework, found.all())


def _check_document(document: Mapping[str, Any], found: _Findings) -> None:
    for field in ("identifier", "uri", "creator", "lastChangeDateTime"):
        if not _text(document.get(field)):
            found.add("missing-field", "required CASE fields were missing", f"CFDocument.{field}")
    if "CFPackageURI" in document:
        found.add("case-1.0", "CASE 1.0 fields were read as 1.0 and ignored", "CFPackageURI")
    version = document.get("caseVersion")
    if version is None:
        found.add("case-1.0", "CASE 1.0 fields were read as 1.0 and ignored", "no caseVersion")
    elif version != "1.1":
        found.add(
            "unknown-version", "the package names a CASE version other than 1.1", str(version)
        )
    if not _is_uuid(document.get("identifier")):
        found.add(
            "not-uuid",
            "identifiers that are not UUIDs were kept as they are",
            str(document.get("identifier")),
        )


def _nodes(raw: Any, found: _Findings) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    if raw is None:
        return nodes
    if not isinstance(raw, list):
        found.add("not-mapped", "parts with no place in the framework were left out", "CFItems")
        return nodes
    for order, item in enumerate(raw):
        identifier = _text(item.get("identifier")) if isinstance(item, Mapping) else None
        if not isinstance(item, Mapping) or identifier is None:
            found.add(
                "unusable-item", "items without an identifier were left out", f"CFItems[{order}]"
            )
            continue
        name = _text(item.get("fullStatement")) or _text(item.get("abbreviatedStatement"))
        if name is None:
            found.add("unusable-item", "items without a statement were left out", identifier)
            continue
        if identifier in nodes:
            found.add("duplicate-item", "items repeating an identifier were left out", identifier)
            continue
        if not _is_uuid(identifier):
            found.add(
                "not-uuid", "identifiers that are not UUIDs were kept as they are", identifier
            )
        if "CFDocumentURI" in item:
            found.add("case-1.0", "CASE 1.0 fields were read as 1.0 and ignored", "CFDocumentURI")
        nodes[identifier] = _Node(
            identifier=identifier,
            name=name,
            code=_text(item.get("humanCodingScheme")),
            uri=_text(item.get("uri")),
            description=_text(item.get("notes")),
            extensions=_extension(item),
            order=order,
        )
    return nodes


def _tree(
    raw: Any, document: Mapping[str, Any], nodes: dict[str, _Node], found: _Findings
) -> list[str]:
    """Hang each item under its parent; return the top-level items, in order."""
    by_ref = {n.identifier: n.identifier for n in nodes.values()}
    by_ref.update({n.uri: n.identifier for n in nodes.values() if n.uri})
    doc_refs = {_text(document.get("identifier")), _text(document.get("uri"))} - {None}
    placed: set[str] = set()
    top: list[tuple[float, int, str]] = []
    associations = raw if isinstance(raw, list) else []
    for a, assoc in enumerate(associations):
        if not isinstance(assoc, Mapping):
            found.add("unusable-association", "malformed associations were left out", f"[{a}]")
            continue
        kind = assoc.get("associationType")
        if kind != "isChildOf":
            found.add("not-mapped", "associations other than isChildOf were not mapped", str(kind))
            continue
        child = by_ref.get(_ref(assoc.get("originNodeURI")) or "")
        parent_ref = _ref(assoc.get("destinationNodeURI"))
        rank = _rank(assoc.get("sequenceNumber"))
        if child is None or (parent_ref not in doc_refs and parent_ref not in by_ref):
            found.add(
                "dangling-association",
                "associations naming unknown items were left out",
                str(assoc.get("identifier", f"[{a}]")),
            )
            continue
        if child in placed:
            found.add(
                "several-parents",
                "items with more than one parent were placed under the first",
                child,
            )
            continue
        placed.add(child)
        if parent_ref in doc_refs:
            top.append((rank, nodes[child].order, child))
        else:
            nodes[by_ref[parent_ref or ""]].children.append((rank, nodes[child].order, child))
    if not associations and nodes:
        found.add("no-tree", "the package has no isChildOf tree; every item became a theme")
        return [n.identifier for n in nodes.values()]
    for node in nodes.values():
        node.children.sort()
    roots = [identifier for *_rank, identifier in sorted(top)]
    reached = set(roots).union(*(_descendants(nodes[r], nodes) for r in roots))
    unreached = sorted(nodes.keys() - reached, key=lambda i: nodes[i].order)
    for identifier in unreached:  # never placed, or caught in a cycle
        found.add(
            "not-in-tree", "items not reachable from the CFDocument were left out", identifier
        )
    return roots


def _map(
    roots: list[str],
    nodes: dict[str, _Node],
    default_area: CompetencyArea,
    organisation: str | None,
    found: _Findings,
) -> tuple[list[Theme], list[SubTheme]]:
    themes: list[Theme] = []
    subs: list[SubTheme] = []
    used_ids: set[str] = set()
    theme_names: set[tuple[CompetencyArea, str | None, str]] = set()

    def fresh_id(node: _Node) -> str | None:
        for candidate in map(_identifier, (node.code, node.identifier)):
            if candidate is not None and candidate not in used_ids:
                used_ids.add(candidate)
                return candidate
        found.add("duplicate-item", "items repeating an identifier were left out", node.identifier)
        return None

    def too_deep(identifiers: Iterator[str]) -> None:
        for identifier in identifiers:
            found.add(
                "too-deep",
                "items below sub-themes have no place in the model; left out",
                nodes[identifier].name,
            )

    def gone_with(node: _Node) -> None:
        """Each item under one left out goes with it: said item by item."""
        for identifier in _descendants(node, nodes):
            found.add(
                "left-with-parent",
                "items under an item left out were left out with it",
                nodes[identifier].name,
            )

    def add_theme(node: _Node, area: CompetencyArea) -> None:
        owner = _text(node.extensions.get("organisation"))
        if owner is None and area is CompetencyArea.DOMAIN:
            owner = organisation
        key = (area, owner, name_key(node.name))
        theme_id = None if key in theme_names else fresh_id(node)
        if theme_id is None:
            found.add("duplicate-name", "repeated names in one place were left out", node.name)
            gone_with(node)
            return
        theme_names.add(key)
        try:
            theme = Theme(
                id=theme_id,
                area=area,
                name=node.name,
                description=node.description,
                labels=node.extensions.get("labels", {}),
                organisation=owner,
            )
        except ValidationError as exc:
            found.add(
                "unusable-item",
                "items that break the model's rules were left out",
                f"{node.name}: {exc.problems[0]}",
            )
            gone_with(node)
            return
        themes.append(theme)
        sub_names: set[str] = set()
        for *_rank, child_id in node.children:
            child = nodes[child_id]
            if name_key(child.name) in sub_names or (sub_id := fresh_id(child)) is None:
                found.add("duplicate-name", "repeated names in one place were left out", child.name)
                gone_with(child)
                continue
            too_deep(_descendants(child, nodes))
            sub_names.add(name_key(child.name))
            try:
                subs.append(
                    SubTheme(
                        id=sub_id,
                        theme=theme.id,
                        name=child.name,
                        description=child.description,
                        labels=child.extensions.get("labels", {}),
                    )
                )
            except ValidationError as exc:
                found.add(
                    "unusable-item",
                    "items that break the model's rules were left out",
                    f"{child.name}: {exc.problems[0]}",
                )

    for root_id in roots:
        root = nodes[root_id]
        try:
            area = CompetencyArea.parse(root.name)
        except ValueError:
            add_theme(root, default_area)
            continue
        for *_rank, theme_id in root.children:
            add_theme(nodes[theme_id], area)
    return themes, subs


def _descendants(node: _Node, nodes: dict[str, _Node]) -> Iterator[str]:
    stack = [identifier for *_rank, identifier in node.children]
    seen: set[str] = set()
    while stack:
        identifier = stack.pop()
        if identifier in seen:
            continue  # a cycle: each item is reported once
        seen.add(identifier)
        yield identifier
        stack.extend(child for *_rank, child in nodes[identifier].children)


def _version(document: Mapping[str, Any], found: _Findings) -> str:
    version = _text(document.get("version"))
    if version is None:
        version = (_text(document.get("lastChangeDateTime")) or "")[:10] or "1"
        found.add("no-version", f"the CFDocument has no version; {version!r} was used")
    return version


def _extension(node: Mapping[str, Any]) -> Mapping[str, Any]:
    extensions = node.get("extensions")
    ours = extensions.get(EXTENSION) if isinstance(extensions, Mapping) else None
    return ours if isinstance(ours, Mapping) else {}


def _ref(link: Any) -> str | None:
    if isinstance(link, Mapping):
        return _text(link.get("identifier")) or _text(link.get("uri"))
    return _text(link)  # some packages write the bare URI


def _identifier(value: Any) -> str | None:
    text = _text(value)
    return text if text is not None and not any(ch.isspace() for ch in text) else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


_UNORDERED = 1e18
"""The rank of an item without a usable sequenceNumber: after every numbered one."""


def _rank(seq: object) -> float:
    """A sequenceNumber as a sort key (a number, or text of one, as some tools write it);
    one that is missing, not a number, or past what a float holds (a 300-digit integer)
    sorts last, rather than failing the import."""
    if isinstance(seq, str):
        try:
            seq = float(seq.strip())
        except ValueError:
            return _UNORDERED
        if math.isnan(seq):
            return _UNORDERED
    if not isinstance(seq, int | float) or isinstance(seq, bool):
        return _UNORDERED
    try:
        return min(float(seq), _UNORDERED)
    except OverflowError:
        return _UNORDERED
