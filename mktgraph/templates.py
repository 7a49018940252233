"""CSV templates for a company's data, derived from the SHACL shapes and the ontology."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD

from mktgraph.errors import InputError

MKT = "https://w3id.org/mktgraph/def/"
SCHEMA = "https://schema.org/"
SCHEMA_NAME = URIRef(SCHEMA + "name")
MONETARY_AMOUNT = URIRef(SCHEMA + "MonetaryAmount")

# The template of each class of the company vocabulary, in the order the README lists them.
# The file stem is also the name the shipped `mktgraph` mapping reads (deals.csv, ...).
TEMPLATE_CLASSES: dict[str, URIRef] = {
    "campaigns": URIRef(MKT + "MarketingCampaign"),
    "segments": URIRef(MKT + "MarketSegment"),
    "prospects": URIRef(MKT + "Prospect"),
    "customers": URIRef(MKT + "Customer"),
    "leads": URIRef(MKT + "Lead"),
    "deals": URIRef(MKT + "Deal"),
    "products": URIRef(SCHEMA + "Product"),
    "services": URIRef(SCHEMA + "Service"),
    "product-levels": URIRef(MKT + "ProductLevelDescription"),
    "offers": URIRef(MKT + "Offer"),
    "price-decisions": URIRef(MKT + "PriceDecision"),
    "promotions": URIRef(MKT + "Promotion"),
    "servqual-assessments": URIRef(MKT + "ServiceQualityAssessment"),
    "servqual-scores": URIRef(MKT + "ServqualScore"),
}

# What a cell holds, by column kind (the README's words).
KIND_TEXT = {
    "id": "an identifier of your choice, unique across your data (becomes the IRI)",
    "type": "one of the allowed values",
    "text": "text",
    "date": "a date: 2024-03-31 (also 31.03.2024, 03/31/2024)",
    "datetime": "a date and time: 2024-03-01T09:30:00+01:00 (or 2024-03-01 09:30)",
    "number": "a number: 1500.00 (also 1,500.00 or 1.500,00)",
    "integer": "a whole number",
    "money": "an amount: 1500.00 (its currency in the next column)",
    "currency": "a three-letter ISO 4217 currency code such as EUR (or €, $, £)",
    "choice": "one of the allowed values",
    "link": "the id of a row in another template",
}


@dataclass(frozen=True)
class Column:
    """One column of a template: the property it fills and what a cell holds."""

    name: str
    kind: str  # a key of KIND_TEXT
    required: bool = False
    property: URIRef | None = None
    allowed: tuple[str, ...] = ()
    many: bool = False  # the property may have several values: one per row, id repeated
    description: str = ""


@dataclass(frozen=True)
class Template:
    """The template of one class: the file name and its columns."""

    name: str
    cls: URIRef
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


def snake(name: str) -> str:
    """lowerCamelCase -> lower_snake_case."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def local_name(iri: URIRef) -> str:
    return re.split(r"[/#]", str(iri))[-1]


@cache
def _graphs() -> tuple[Graph, Graph]:
    from mktgraph.graph import load, load_ontology
    from mktgraph.resources import shape_files

    return load(shape_files()), load_ontology()


def _list(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _subclasses(ontology: Graph, cls: URIRef) -> list[URIRef]:
    """Named subclasses of ``cls``, directly or not (sorted)."""
    found = {sub for sub in ontology.transitive_subjects(RDFS.subClassOf, cls) if sub != cls}
    return sorted(sub for sub in found if isinstance(sub, URIRef))


def _individuals(ontology: Graph, cls: URIRef) -> list[str]:
    """Local names of the named individuals of ``cls`` or its subclasses: a fixed set."""
    classes = [cls, *_subclasses(ontology, cls)]
    members = {
        member
        for klass in classes
        for member in ontology.subjects(RDF.type, klass)
        if isinstance(member, URIRef) and (member, RDF.type, OWL.NamedIndividual) in ontology
    }
    return sorted(local_name(member) for member in members)


def _node_shapes(shapes: Graph, classes: list[URIRef]) -> list:
    found = []
    for cls in classes:
        found.extend(sorted(shapes.subjects(SH.targetClass, cls), key=str))
    return found


def _message(shapes: Graph, shape) -> str:
    message = shapes.value(shape, SH.message)
    return str(message) if isinstance(message, Literal) else ""


def _value_kind(shapes: Graph, shape) -> str:
    datatypes = [shapes.value(shape, SH.datatype)]
    for alternative in _list(shapes, shapes.value(shape, SH["or"])):
        datatypes.append(shapes.value(alternative, SH.datatype))
    datatypes = {d for d in datatypes if d is not None}
    if XSD.date in datatypes:
        return "date"
    if XSD.dateTime in datatypes:
        return "datetime"
    if XSD.decimal in datatypes:
        return "number"
    if XSD.integer in datatypes:
        return "integer"
    return "text"


def _linked_classes(shapes: Graph, shape) -> list[URIRef]:
    classes = [shapes.value(shape, SH["class"])]
    for alternative in _list(shapes, shapes.value(shape, SH["or"])):
        classes.append(shapes.value(alternative, SH["class"]))
    return [c for c in classes if c is not None]


def _inverse_paths(shapes: Graph) -> set[URIRef]:
    """Properties that some shape checks from the object's side (sh:inversePath)."""
    return {p for p in shapes.objects(None, SH.inversePath) if isinstance(p, URIRef)}


@cache
def _required_paths(shapes: Graph) -> frozenset:
    return frozenset(
        shapes.value(s, SH.path)
        for s in shapes.subjects(SH.minCount, None)
        if shapes.value(s, SH.severity) == SH.Violation and int(shapes.value(s, SH.minCount)) >= 1
    )


def _filled_elsewhere(shapes: Graph, ontology: Graph) -> set[URIRef]:
    """Links that the row of the other end fills: a path some shape checks from the object's
    side (a score names its assessment), or the inverse of a required link (a deal names
    its lead, so a lead does not name its deal)."""
    found = _inverse_paths(shapes)
    required = _required_paths(shapes)
    for p, q in ontology.subject_objects(OWL.inverseOf):
        if q in required:
            found.add(p)
        if p in required:
            found.add(q)
    return found


def _property_columns(shapes: Graph, ontology: Graph, path, group: list) -> list[Column]:
    """The columns the property shapes on one path call for (none for a path a template
    cannot hold). ``group`` holds every shape of the class on that path: a check and its
    "-missing" twin; the column is required when a violation-level shape says so."""
    required = any(
        shapes.value(s, SH.severity) == SH.Violation and int(shapes.value(s, SH.minCount) or 0) >= 1
        for s in group
    )
    max_counts = [int(m) for s in group if (m := shapes.value(s, SH.maxCount)) is not None]
    many = not max_counts or min(max_counts) > 1
    if max_counts and min(max_counts) == 0:
        return []  # a property this class must not have
    violations = [s for s in group if shapes.value(s, SH.severity) == SH.Violation] or group
    shape = violations[0]
    description = " ".join(sorted({_message(shapes, s) for s in violations} - {""}))
    if isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        if not isinstance(inverse, URIRef):
            return []  # a sequence path: checked, never filled in directly
        # "a score belongs to an assessment": the row names the node that points to it.
        suffix = str(shape).rsplit("-", 1)[-1]
        return [Column(snake(suffix) + "_id", "link", required, inverse, (), False, description)]
    if (
        not isinstance(path, URIRef)
        or path == SCHEMA_NAME
        or path in _filled_elsewhere(shapes, ontology)
    ):
        return []  # the name comes first; links filled from the other side live there
    name = snake(local_name(path))
    allowed = tuple(local_name(member) for member in _list(shapes, shapes.value(shape, SH["in"])))
    if allowed:
        return [Column(name, "choice", required, path, allowed, many, description)]
    linked = _linked_classes(shapes, shape)
    if MONETARY_AMOUNT in linked:
        return [
            Column(name, "money", required, path, (), False, description),
            Column(name + "_currency", "currency", required, path, (), False, description),
        ]
    if len(linked) == 1 and (fixed := _individuals(ontology, linked[0])):
        return [Column(name, "choice", required, path, tuple(fixed), many, description)]
    if linked:
        return [Column(name + "_id", "link", required, path, (), many, description)]
    kind = _value_kind(shapes, shape)
    if kind == "text" and str(shapes.value(shape, SH.pattern)) == "^[A-Z]{3}$":
        kind = "currency"
    return [Column(name, kind, required, path, (), many, description)]


def _type_column(shapes: Graph, ontology: Graph, cls: URIRef, node_shapes: list) -> Column | None:
    """A `type` column when the class's members must also have one of some types
    (a prospect is an organisation or a person) or the class has kinds (promotions)."""
    for shape in node_shapes:
        options = _linked_classes(shapes, shape)
        if options:
            return Column(
                "type",
                "type",
                True,
                RDF.type,
                tuple(local_name(o) for o in options),
                False,
                _message(shapes, shape),
            )
    kinds = [sub for sub in _subclasses(ontology, cls) if _node_shapes(shapes, [sub])]
    if kinds:
        return Column(
            "type",
            "type",
            False,
            RDF.type,
            tuple(local_name(k) for k in [cls, *kinds]),
            False,
            f"The kind of {local_name(cls)}; empty means just {local_name(cls)}.",
        )
    return None


def _path_key(shapes: Graph, property_shape) -> tuple:
    """A hashable key of a shape's path (a blank-node path by what it says)."""
    path = shapes.value(property_shape, SH.path)
    if isinstance(path, BNode):
        inverse = shapes.value(path, SH.inversePath)
        return (path, ("inverse", inverse)) if inverse is not None else (path, ("other", path))
    return (path, None)


def template_for(name: str) -> Template:
    """The template of one class, by template name (see TEMPLATE_CLASSES)."""
    shapes, ontology = _graphs()
    cls = TEMPLATE_CLASSES[name]
    kinds = [sub for sub in _subclasses(ontology, cls) if _node_shapes(shapes, [sub])]
    own_shapes = _node_shapes(shapes, [cls])
    groups: dict = {}
    for shape in own_shapes:
        for property_shape in shapes.objects(shape, SH.property):
            groups.setdefault(_path_key(shapes, property_shape), []).append(property_shape)
    # The kinds' own properties (a discount promotion's discount) are never required of all.
    columns: dict[str, Column] = {}
    for (path, _), group in groups.items():
        for column in _property_columns(shapes, ontology, path, group):
            columns.setdefault(column.name, column)
    for shape in _node_shapes(shapes, kinds):
        kind_groups: dict = {}
        for property_shape in shapes.objects(shape, SH.property):
            kind_groups.setdefault(_path_key(shapes, property_shape), []).append(property_shape)
        for (path, _), group in kind_groups.items():
            for column in _property_columns(shapes, ontology, path, group):
                if column.name not in columns:
                    columns[column.name] = replace(column, required=False)
    ordered = sorted(columns.values(), key=lambda c: (not c.required, c.name))
    head = [Column("id", "id", True, description="The identifier of this row.")]
    type_column = _type_column(shapes, ontology, cls, own_shapes)
    if type_column:
        head.append(type_column)
    head.append(
        Column("name", "text", _requires_name(shapes, own_shapes), SCHEMA_NAME, (), False, "")
    )
    return Template(name, cls, tuple(head + ordered))


def _requires_name(shapes: Graph, node_shapes: list) -> bool:
    for shape in node_shapes:
        for property_shape in shapes.objects(shape, SH.property):
            if shapes.value(property_shape, SH.path) == SCHEMA_NAME:
                return True
    return False


def all_templates() -> list[Template]:
    return [template_for(name) for name in TEMPLATE_CLASSES]


def resolve(names: tuple[str, ...] | list[str]) -> list[Template]:
    """Templates by template name ("deals"), class name ("Deal") or CURIE ("mkt:Deal")."""
    if not names:
        return all_templates()
    chosen: list[Template] = []
    for given in names:
        key = given.strip().lower()
        match = None
        for name, cls in TEMPLATE_CLASSES.items():
            curie = ("mkt:" if str(cls).startswith(MKT) else "schema:") + local_name(cls)
            if key in (name, name.rstrip("s"), local_name(cls).lower(), curie.lower()):
                match = name
                break
        if match is None:
            raise InputError(
                f"unknown template {given!r}; choose from {', '.join(TEMPLATE_CLASSES)}"
            )
        if match not in [t.name for t in chosen]:
            chosen.append(template_for(match))
    return chosen


def header_line(template: Template) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(template.header)
    return buffer.getvalue()


def readme(templates: list[Template]) -> str:
    """The README that explains every column of the given templates."""
    lines = [
        "# mktgraph data templates",
        "",
        "Fill one CSV file per kind of thing (UTF-8 or Windows-1252, comma- or semicolon-",
        "separated), one row per thing, then import them:",
        "",
        "    mktgraph import *.csv --base https://your.company.example/data/ -o company.ttl",
        "",
        "Each row's `id` becomes its IRI (under `--base`), so importing again gives the same",
        "graph; columns ending in `_id` name the `id` of a row in another file. Empty cells",
        "are left out. A property with several values takes one value per row: repeat the",
        "`id` on another row. Required columns are marked; the shapes in mktgraph's",
        "`shapes/` check the rest (`mktgraph validate`, or `import --validate`).",
        "",
    ]
    for template in templates:
        lines += [f"## {template.file_name} ({_curie(template.cls)})", ""]
        lines += ["| column | required | holds | allowed values |", "|---|---|---|---|"]
        for column in template.columns:
            holds = KIND_TEXT[column.kind]
            if column.many:
                holds += "; several: one per row"
            lines.append(
                f"| `{column.name}` | {'yes' if column.required else ''} | {holds} | "
                f"{', '.join(column.allowed)} |"
            )
        notes = [c for c in template.columns if c.description]
        if notes:
            lines.append("")
            for column in notes:
                lines.append(f"- `{column.name}`: {column.description}")
        lines.append("")
    return "\n".join(lines)


def _curie(cls: URIRef) -> str:
    return ("mkt:" if str(cls).startswith(MKT) else "schema:") + local_name(cls)


def write_templates(
    names: tuple[str, ...] | list[str], directory: str | Path, *, force: bool = False
) -> list[Path]:
    """Write the CSV templates of ``names`` (all when empty) and a README into ``directory``.

    Existing files are kept (an InputError) unless ``force``: a filled template is data.
    """
    from mktgraph.output import write_atomic

    templates = resolve(names)
    folder = Path(directory)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    targets = [folder / t.file_name for t in templates] + [folder / "README.md"]
    if not force:
        existing = [str(path) for path in targets if path.exists()]
        if existing:
            raise InputError(f"{existing[0]}: exists; pass --force to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    for template in templates:
        write_atomic(folder / template.file_name, header_line(template))
    write_atomic(folder / "README.md", readme(templates))
    return targets
