"""1EdTech CASE: a framework as a CFPackage, and back.

Export writes CASE 1.1 that validates against 1EdTech's schema. Import is tolerant:
packages in the wild follow CASE 1.0 or bend 1.1, so each bend is a finding, and only a
package with no usable ``CFDocument`` is an error.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from karmayogi._names import name_key, slug
from karmayogi.competency._taxonomy import Competency, CompetencyArea, SubTheme, Theme
from karmayogi.errors import Finding, Location, Problem, ValidationError
from karmayogi.periods import IST

if TYPE_CHECKING:
    from karmayogi.competency._model import CaseSource, Framework

__all__ = ["CasePackage", "CaseRead", "framework_to_case", "items_below", "read_case"]

CasePackage: TypeAlias = dict[str, Any]


@attrs.frozen
class CaseRead:
    """What a CASE package gave: the framework's fields, the package kept whole, each
    competency's CFItem and each area's, and the findings. The framework is made of them
    by :meth:`karmayogi.competency.Framework.from_case`, which owns the model."""

    fields: dict[str, Any]
    package: CasePackage
    items: dict[str, str]
    areas: dict[CompetencyArea, str]
    findings: tuple[Finding, ...]


# karmayogi's own namespace for the UUIDs it derives; never change it, or every
# exported identifier changes with it.
NAMESPACE = uuid.UUID("6f1c3a52-4b8e-5d2a-9c1e-7a0b3d5e8f21")
EXTENSION = "karmayogi"
ITEM_TYPES = {"area": "Competency Area", "theme": "Competency Theme", "sub": "Competency Sub-theme"}
NOT_COMPETENCIES = "are not competencies; kept in framework.case and written back"
CASE_1_0 = "CASE 1.0 fields were kept as they came; the model does not use them"


# --- Export -----------------------------------------------------------------------------


@attrs.define
class _Writer:
    """Makes the items a framework adds to a package, each with its isChildOf link."""

    framework_id: str
    base_uri: str | None
    when: str
    items: list[dict[str, Any]] = attrs.Factory(list)
    associations: list[dict[str, Any]] = attrs.Factory(list)

    def ident(self, kind: str, local: str) -> str:
        return str(uuid.uuid5(NAMESPACE, f"{self.framework_id}/{kind}/{local}"))

    def uri(self, kind: str, identifier: str) -> str:
        if self.base_uri:
            return f"{self.base_uri.rstrip('/')}/{kind}/{identifier}"
        return f"urn:uuid:{identifier}"

    def add(
        self,
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
        identifier = self.ident(kind, key)
        item: dict[str, Any] = {
            "identifier": identifier,
            "uri": self.uri("CFItems", identifier),
            "fullStatement": name,
            "humanCodingScheme": code,
            "CFItemType": ITEM_TYPES[kind],
            "language": "en",
            "lastChangeDateTime": self.when,
        }
        if description:
            item["notes"] = description
        if extensions:
            item["extensions"] = {EXTENSION: extensions}
        self.items.append(item)
        link = {"title": name, "identifier": identifier, "uri": item["uri"]}
        assoc_id = self.ident("association", f"{kind}/{key}")
        self.associations.append(
            {
                "identifier": assoc_id,
                "uri": self.uri("CFAssociations", assoc_id),
                "associationType": "isChildOf",
                "sequenceNumber": seq,
                "originNodeURI": link,
                "destinationNodeURI": parent,
                "lastChangeDateTime": self.when,
            }
        )
        return link

    def add_area(self, area: CompetencyArea, parent: dict[str, str], seq: int) -> dict[str, str]:
        return self.add(
            "area", area.value, area.value, code=area.platform_id, parent=parent, seq=seq
        )

    def add_competency(
        self, node: Theme | SubTheme, parent: dict[str, str], seq: int
    ) -> dict[str, str]:
        owner = node.organisation if isinstance(node, Theme) else None
        return self.add(
            "theme" if isinstance(node, Theme) else "sub",
            node.id,
            node.name,
            code=node.id,
            parent=parent,
            seq=seq,
            description=node.description,
            extensions=_compact(labels=node.labels or None, organisation=owner),
        )


def framework_to_case(
    framework: Framework, *, base_uri: str | None, changed_at: dt.datetime | None
) -> CasePackage:
    writer = _Writer(framework.id, base_uri, _change_time(framework, changed_at))
    if framework.case is not None:
        return _write_back(framework, framework.case, writer)
    doc_id = writer.ident("document", framework.id)
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": writer.uri("CFDocuments", doc_id),
        "creator": framework.publisher or "karmayogi",
        "title": framework.name,
        "lastChangeDateTime": writer.when,
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
    for a, area in enumerate(framework.areas, start=1):
        area_link = writer.add_area(area, doc_link, a)
        themes = [t for t in framework.themes if t.area is area]
        for t, theme in enumerate(themes, start=1):
            theme_link = writer.add_competency(theme, area_link, t)
            for s, sub in enumerate(framework.sub_themes_of(theme), start=1):
                writer.add_competency(sub, theme_link, s)
    return {"CFDocument": document, "CFItems": writer.items, "CFAssociations": writer.associations}


def _write_back(framework: Framework, source: CaseSource, writer: _Writer) -> CasePackage:
    """The package the framework was read from, with the framework's changes since."""
    package = copy.deepcopy(source.package)
    document: dict[str, Any] = package["CFDocument"]
    items: list[dict[str, Any]] = package.get("CFItems", [])
    links: list[dict[str, Any]] = package.get("CFAssociations", [])
    tree = _Tree(document, items, links)
    was = source.as_read
    kept = {ident: cid for cid, ident in source.items.items() if cid in framework}
    removed = {ident for cid, ident in source.items.items() if cid not in framework}
    dropped = tree.below_removed(removed, keep=kept.keys())

    moved = _place(framework, source, tree, dropped, writer)
    changed = bool(dropped or moved or writer.items)
    kept_items = []
    for item in items:
        ident = item_id(item)
        if ident in dropped:
            continue
        if ident in kept:
            changed |= _edit(item, was.get(kept[ident]), framework.get(kept[ident]), writer.when)
        kept_items.append(item)
    kept_links = []
    for link in links:
        if tree.ends(link) & dropped:
            continue
        origin = tree.placement_of(link)
        if origin in moved:
            link["destinationNodeURI"], link["sequenceNumber"] = moved.pop(origin)
            link["lastChangeDateTime"] = writer.when
        kept_links.append(link)
    for ident, (parent, seq) in moved.items():  # an item that had no isChildOf to move
        writer.associations.append(_child_of(tree.link(ident), parent, seq, writer))
    changed |= _edit_document(document, was, framework)
    if changed:
        document["lastChangeDateTime"] = writer.when
    if "CFItems" in package or writer.items:
        package["CFItems"] = kept_items + writer.items
    if "CFAssociations" in package or writer.associations:
        package["CFAssociations"] = kept_links + writer.associations
    return package


def _place(
    framework: Framework, source: CaseSource, tree: _Tree, dropped: set[str], writer: _Writer
) -> dict[str, tuple[dict[str, str], int]]:
    """Add the new areas, themes and sub-themes to the writer, each under its parent;
    return each item that moved, with its new parent and sequence number."""
    was = source.as_read
    moved: dict[str, tuple[dict[str, str], int]] = {}  # an item: its new parent, and place
    new_areas: dict[CompetencyArea, dict[str, str]] = {}  # the links of items made here
    new_themes: dict[str, dict[str, str]] = {}

    def area_link(area: CompetencyArea) -> dict[str, str]:
        ident = source.areas.get(area)
        if ident is not None and ident not in dropped:
            return tree.link(ident)
        if area not in new_areas:
            new_areas[area] = writer.add_area(area, tree.document_link, tree.next_seq(None))
        return new_areas[area]

    def theme_link(theme: str) -> dict[str, str]:
        if theme in new_themes:
            return new_themes[theme]
        return tree.link(source.items[theme])

    for theme in framework.themes:
        if theme.id not in source.items:
            parent = area_link(theme.area)
            seq = tree.next_seq(parent["identifier"])
            new_themes[theme.id] = writer.add_competency(theme, parent, seq)
        elif _parent(was.get(theme.id)) != _parent(framework.get(theme.id)):
            parent = area_link(theme.area)
            moved[source.items[theme.id]] = parent, tree.next_seq(parent["identifier"])
    for sub in framework.sub_themes:
        parent = theme_link(sub.theme)
        if sub.id not in source.items:
            writer.add_competency(sub, parent, tree.next_seq(parent["identifier"]))
        elif _parent(was.get(sub.id)) != _parent(framework.get(sub.id)):
            moved[source.items[sub.id]] = parent, tree.next_seq(parent["identifier"])
    return moved


def _parent(competency: Competency) -> tuple[str, str]:
    """Where a competency hangs: a theme in its area, a sub-theme under its theme."""
    if competency.sub_theme is not None:
        return "theme", competency.theme.id
    return "area", competency.area.value


def _child_of(
    origin: dict[str, str], parent: dict[str, str], seq: int, writer: _Writer
) -> dict[str, Any]:
    assoc_id = writer.ident("association", f"placed/{origin['identifier']}")
    return {
        "identifier": assoc_id,
        "uri": writer.uri("CFAssociations", assoc_id),
        "associationType": "isChildOf",
        "sequenceNumber": seq,
        "originNodeURI": origin,
        "destinationNodeURI": parent,
        "lastChangeDateTime": writer.when,
    }


def _edit(item: dict[str, Any], was: Competency, now: Competency, when: str) -> bool:
    """Write a theme's or sub-theme's changes since it was read into its CFItem; say
    whether there were any. What did not change is left as it came."""
    before, after = was.sub_theme or was.theme, now.sub_theme or now.theme
    changed = False
    if before.name != after.name:
        item["fullStatement"] = after.name
        changed = True
    if before.description != after.description:
        _put(item, "notes", after.description)
        changed = True
    if before.labels != after.labels:
        _put_extension(item, "labels", after.labels or None)
        changed = True
    owners = getattr(before, "organisation", None), getattr(after, "organisation", None)
    if owners[0] != owners[1]:
        _put_extension(item, "organisation", owners[1])
        changed = True
    if changed:
        item["lastChangeDateTime"] = when
    return changed


def _edit_document(document: dict[str, Any], was: Framework, now: Framework) -> bool:
    changed = False
    for field, key in (
        ("name", "title"),
        ("version", "version"),
        ("publisher", "publisher"),
        ("description", "description"),
    ):
        if getattr(was, field) != getattr(now, field):
            _put(document, key, getattr(now, field))
            changed = True
    if was.id != now.id:
        _put_extension(document, "id", now.id)
        changed = True
    if was.released_on != now.released_on:
        released = now.released_on.isoformat() if now.released_on else None
        _put_extension(document, "released_on", released)
        changed = True
    return changed


def _put(node: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        node.pop(key, None)
    else:
        node[key] = value


def _put_extension(node: dict[str, Any], key: str, value: Any) -> None:
    extensions = node.get("extensions")
    if not isinstance(extensions, dict):
        extensions = node["extensions"] = {}
    ours = extensions.get(EXTENSION)
    if not isinstance(ours, dict):
        ours = extensions[EXTENSION] = {}
    _put(ours, key, value)
    if not ours:
        del extensions[EXTENSION]
    if not extensions:
        del node["extensions"]


class _Tree:
    """The isChildOf tree of a package as read: items by identifier or URI, and each
    item's children."""

    def __init__(
        self, document: Mapping[str, Any], items: list[dict[str, Any]], links: list[Any]
    ) -> None:
        self.items = {item_id(item) or "": item for item in items}
        self.refs: dict[str, str] = {}
        for ident, item in self.items.items():
            self.refs[ident] = ident
            if (uri := _text(item.get("uri"))) is not None:
                self.refs.setdefault(uri, ident)
        doc_id = _text(document.get("identifier")) or ""
        self.document_link = {
            "title": str(document.get("title")),
            "identifier": doc_id,
            "uri": _text(document.get("uri")) or f"urn:uuid:{doc_id}",
        }
        self._document_refs = {doc_id, _text(document.get("uri"))} - {None, ""}
        self.children: dict[str | None, list[tuple[float, int, str]]] = defaultdict(list)
        self._placement: dict[int, str] = {}  # id() of the link that placed an item
        self._added: Counter[str | None] = Counter()  # children given to each item here
        placed: set[str] = set()
        order = {ident: n for n, ident in enumerate(self.items)}
        for link in links:
            if not isinstance(link, Mapping) or link.get("associationType") != "isChildOf":
                continue
            child = self.refs.get(_ref(link.get("originNodeURI")) or "")
            parent_ref = _ref(link.get("destinationNodeURI")) or ""
            parent = None if parent_ref in self._document_refs else self.refs.get(parent_ref)
            if child is None or (parent is None and parent_ref not in self._document_refs):
                continue
            rank = (_rank(link.get("sequenceNumber")), order[child], child)
            self.children[parent].append(rank)
            if child not in placed:
                placed.add(child)
                self._placement[id(link)] = child
        for siblings in self.children.values():
            siblings.sort()

    def link(self, ident: str) -> dict[str, str]:
        item = self.items[ident]
        title = _text(item.get("fullStatement")) or _text(item.get("abbreviatedStatement"))
        return {
            "title": title or ident,
            "identifier": ident,
            "uri": _text(item.get("uri")) or f"urn:uuid:{ident}",
        }

    def ends(self, link: Mapping[str, Any]) -> set[str]:
        """The items an association links, of those in the package."""
        refs = (_ref(link.get("originNodeURI")), _ref(link.get("destinationNodeURI")))
        return {self.refs[ref] for ref in refs if ref is not None and ref in self.refs}

    def placement_of(self, link: Mapping[str, Any]) -> str | None:
        """The item this association placed in the tree, if it is the one that did."""
        return self._placement.get(id(link))

    def next_seq(self, parent: str | None) -> int:
        """A sequence number for one more child of ``parent`` (the document if None),
        after the ones it has, and those added before."""
        key = None if parent in self._document_refs else parent
        numbered = [int(rank) for rank, *_ in self.children.get(key, ()) if rank < _UNORDERED]
        self._added[key] += 1
        return max([len(self.children.get(key, ())), *numbered]) + self._added[key]

    def below_removed(self, removed: set[str], keep: Iterable[str]) -> set[str]:
        """The items removed, and all that hang below them but the competencies kept."""
        keep = set(keep)
        gone: set[str] = set()
        stack = list(removed)
        while stack:
            ident = stack.pop()
            if ident in gone or ident in keep:
                continue
            gone.add(ident)
            stack.extend(child for *_rank, child in self.children.get(ident, ()))
        return gone

    def below(self, ident: str, skip: set[str]) -> list[str]:
        """Every item below ``ident``, each before its children, siblings in order;
        those in ``skip`` are passed through, not listed."""
        out: list[str] = []
        seen = {ident}
        stack = [child for *_rank, child in reversed(self.children.get(ident, ()))]
        while stack:
            child = stack.pop()
            if child in seen:
                continue  # a cycle
            seen.add(child)
            if child not in skip:
                out.append(child)
            stack.extend(c for *_rank, c in reversed(self.children.get(child, ())))
        return out


def items_below(source: CaseSource, ident: str) -> tuple[dict[str, Any], ...]:
    package = source.package
    tree = _Tree(
        package["CFDocument"], package.get("CFItems", []), package.get("CFAssociations", [])
    )
    below = tree.below(ident, skip=set(source.items.values()))
    return tuple(copy.deepcopy(tree.items[i]) for i in below)


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


def read_case(
    package: Mapping[str, Any],
    *,
    default_area: CompetencyArea,
    organisation: str | None,
    file: str | None = None,
) -> CaseRead:
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
                    code="empty",
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
            found.add(
                "unknown-field", "fields that CASE does not define were kept as they came", key
            )
    kept: CasePackage = {key: copy.deepcopy(value) for key, value in package.items()}
    nodes = _nodes(kept, found)
    roots = _tree(kept, document, nodes, found)
    mapped = _Mapper(nodes, default_area, organisation, found).map(roots)
    extension = _extension(document)
    fields = {
        "id": _identifier(extension.get("id")) or slug(str(document["title"])) or "imported",
        "name": str(document["title"]),
        "version": _version(document, found),
        "released_on": _date(extension.get("released_on")),
        "publisher": _text(document.get("publisher")),
        "description": _text(document.get("description")),
        "themes": mapped.themes,
        "sub_themes": mapped.subs,
    }
    return CaseRead(fields, kept, mapped.items, mapped.areas, found.all())


def _check_document(document: Mapping[str, Any], found: _Findings) -> None:
    for field in ("identifier", "uri", "creator", "lastChangeDateTime"):
        if not _text(document.get(field)):
            found.add("missing-field", "required CASE fields were missing", f"CFDocument.{field}")
    if "CFPackageURI" in document:
        found.add("case-1.0", CASE_1_0, "CFPackageURI")
    version = document.get("caseVersion")
    if version is None:
        found.add("case-1.0", CASE_1_0, "no caseVersion")
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


def _nodes(package: CasePackage, found: _Findings) -> dict[str, _Node]:
    """The package's items that can be competencies, by identifier. Items without an
    identifier, or repeating one, are taken out of ``package``: nothing can name them."""
    nodes: dict[str, _Node] = {}
    raw = package.get("CFItems")
    if raw is None:
        return nodes
    if not isinstance(raw, list):
        found.add("unusable-part", "package parts that are not lists were left out", "CFItems")
        del package["CFItems"]
        return nodes
    kept: list[Any] = []
    seen: set[str] = set()
    for order, item in enumerate(raw):
        identifier = item_id(item)
        if identifier is None:
            found.add(
                "unusable-item", "items without an identifier were left out", f"CFItems[{order}]"
            )
            continue
        if identifier in seen:
            found.add("duplicate-item", "items repeating an identifier were left out", identifier)
            continue
        seen.add(identifier)
        kept.append(item)
        if not _is_uuid(identifier):
            found.add(
                "not-uuid", "identifiers that are not UUIDs were kept as they are", identifier
            )
        if "CFDocumentURI" in item:
            found.add("case-1.0", CASE_1_0, "CFDocumentURI")
        name = _text(item.get("fullStatement")) or _text(item.get("abbreviatedStatement"))
        if name is None:
            found.add("no-statement", f"items without a statement {NOT_COMPETENCIES}", identifier)
            continue
        nodes[identifier] = _Node(
            identifier=identifier,
            name=name,
            code=_text(item.get("humanCodingScheme")),
            uri=_text(item.get("uri")),
            description=_text(item.get("notes")),
            extensions=_extension(item),
            order=order,
        )
    package["CFItems"] = kept
    return nodes


def _tree(
    package: CasePackage, document: Mapping[str, Any], nodes: dict[str, _Node], found: _Findings
) -> list[str]:
    """Hang each item under its parent; return the top-level items, in order.
    Associations that are not objects are taken out of ``package``; every other one is
    kept, whatever its type, though only ``isChildOf`` builds the tree."""
    by_ref = {n.identifier: n.identifier for n in nodes.values()}
    by_ref.update({n.uri: n.identifier for n in nodes.values() if n.uri})
    doc_refs = {_text(document.get("identifier")), _text(document.get("uri"))} - {None}
    placed: set[str] = set()
    top: list[tuple[float, int, str]] = []
    raw = package.get("CFAssociations")
    if raw is not None and not isinstance(raw, list):
        found.add(
            "unusable-part", "package parts that are not lists were left out", "CFAssociations"
        )
        del package["CFAssociations"]
    associations = raw if isinstance(raw, list) else []
    for a, assoc in enumerate(associations):
        if not isinstance(assoc, Mapping):
            found.add(
                "unusable-association", "associations that are not objects were left out", f"[{a}]"
            )
    associations = [assoc for assoc in associations if isinstance(assoc, Mapping)]
    if "CFAssociations" in package:
        package["CFAssociations"] = associations
    for a, assoc in enumerate(associations):
        if assoc.get("associationType") != "isChildOf":
            continue  # kept in the package, and written back; the model has no use for it
        child = by_ref.get(_ref(assoc.get("originNodeURI")) or "")
        parent_ref = _ref(assoc.get("destinationNodeURI"))
        rank = _rank(assoc.get("sequenceNumber"))
        if child is None or (parent_ref not in doc_refs and parent_ref not in by_ref):
            found.add(
                "dangling-association",
                "isChildOf associations naming unknown items placed nothing; kept as they came",
                str(assoc.get("identifier", f"[{a}]")),
            )
            continue
        if child in placed:
            found.add(
                "several-parents",
                "items with more than one parent were placed under the first; "
                "the other associations are kept",
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
            "not-in-tree", f"items not reachable from the CFDocument {NOT_COMPETENCIES}", identifier
        )
    return roots


@attrs.define
class _Mapped:
    """The competencies an import made, and the CFItem each came from."""

    themes: list[Theme] = attrs.Factory(list)
    subs: list[SubTheme] = attrs.Factory(list)
    items: dict[str, str] = attrs.Factory(dict)
    areas: dict[CompetencyArea, str] = attrs.Factory(dict)


@attrs.define
class _Mapper:
    """Makes themes and sub-themes of the tree's items, saying of each item that cannot
    be one why not."""

    nodes: dict[str, _Node]
    default_area: CompetencyArea
    organisation: str | None
    found: _Findings
    mapped: _Mapped = attrs.Factory(_Mapped)
    used_ids: set[str] = attrs.Factory(set)
    theme_names: set[tuple[CompetencyArea, str | None, str]] = attrs.Factory(set)

    def map(self, roots: list[str]) -> _Mapped:
        for root_id in roots:
            root = self.nodes[root_id]
            try:
                area = CompetencyArea.parse(root.name)
            except ValueError:
                self.add_theme(root, self.default_area)
                continue
            self.mapped.areas.setdefault(area, root_id)
            for *_rank, theme_id in root.children:
                self.add_theme(self.nodes[theme_id], area)
        return self.mapped

    def add_theme(self, node: _Node, area: CompetencyArea) -> None:
        owner = _text(node.extensions.get("organisation"))
        if owner is None and area is CompetencyArea.DOMAIN:
            owner = self.organisation
        key = (area, owner, name_key(node.name))
        if key in self.theme_names:
            self.not_one(node, "duplicate-name", "repeated names in one place", node.name)
            return
        theme_id = self.fresh_id(node)
        if theme_id is None:
            return
        self.theme_names.add(key)
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
            self.breaks_rules(node, exc)
            return
        self.mapped.themes.append(theme)
        self.mapped.items[theme.id] = node.identifier
        sub_names: set[str] = set()
        for *_rank, child_id in node.children:
            child = self.nodes[child_id]
            if name_key(child.name) in sub_names:
                self.not_one(child, "duplicate-name", "repeated names in one place", child.name)
            elif self.add_sub(child, theme):
                sub_names.add(name_key(child.name))

    def add_sub(self, node: _Node, theme: Theme) -> bool:
        sub_id = self.fresh_id(node)
        if sub_id is None:
            return False
        try:
            sub = SubTheme(
                id=sub_id,
                theme=theme.id,
                name=node.name,
                description=node.description,
                labels=node.extensions.get("labels", {}),
            )
        except ValidationError as exc:
            self.breaks_rules(node, exc)
            return False
        for identifier in _descendants(node, self.nodes):
            name = self.nodes[identifier].name
            self.found.add("too-deep", f"items below sub-themes {NOT_COMPETENCIES}", name)
        self.mapped.subs.append(sub)
        self.mapped.items[sub.id] = node.identifier
        return True

    def fresh_id(self, node: _Node) -> str | None:
        for candidate in map(_identifier, (node.code, node.identifier)):
            if candidate is not None and candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate
        what = "items whose identifier the framework already has"
        self.not_one(node, "duplicate-id", what, node.identifier)
        return None

    def breaks_rules(self, node: _Node, exc: ValidationError) -> None:
        what = "items that break the model's rules"
        self.not_one(node, "breaks-rules", what, f"{node.name}: {exc.problems[0]}")

    def not_one(self, node: _Node, code: str, what: str, example: str) -> None:
        """An item that is not a competency, and so neither is any item under it: each
        said by name."""
        self.found.add(code, f"{what} {NOT_COMPETENCIES}", example)
        for identifier in _descendants(node, self.nodes):
            self.found.add(
                "left-with-parent",
                f"items under an item that is not a competency {NOT_COMPETENCIES}",
                self.nodes[identifier].name,
            )


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


def item_id(item: Any) -> str | None:
    """The identifier of a CFItem, or None if it is not an object with one."""
    return _text(item.get("identifier")) if isinstance(item, Mapping) else None


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
