"""mktgraph's JSON-LD context: generated from the ontology and shapes, resolved offline in data."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from mktgraph.errors import InputError
from mktgraph.namespaces import MKT, PREFIXES, SCHEMA, shorten

# Where the release publishes the context (see release.py); data may name it in "@context",
# and mktgraph then reads its bundled copy instead of fetching it.
CONTEXT_URL = "https://w3id.org/mktgraph/context.jsonld"
CONTEXT_URLS = (
    CONTEXT_URL,
    "https://w3id.org/mktgraph/context",
    "http://w3id.org/mktgraph/context.jsonld",
)

# Text properties of mktgraph's own descriptions, which are in English.
ENGLISH_TEXT = {
    "label": RDFS.label,
    "comment": RDFS.comment,
    "definition": SKOS.definition,
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "scopeNote": SKOS.scopeNote,
    "editorialNote": SKOS.editorialNote,
}
# A context nested more deeply than this in local files is refused (it would be a loop).
MAX_CONTEXT_DEPTH = 8


def _closed_sets(ontology: Graph) -> set[URIRef]:
    """Classes with a fixed list of members (owl:oneOf): their values are short names."""
    return {c for c in ontology.subjects(OWL.oneOf, None) if isinstance(c, URIRef)}


def _value_classes(ontology: Graph, prop: URIRef) -> set:
    return set(ontology.objects(prop, RDFS.range)) | set(
        ontology.objects(prop, SCHEMA.rangeIncludes)
    )


def _shape_datatypes(shapes: Graph) -> dict[URIRef, URIRef]:
    """The one datatype the shapes require of each property path that has exactly one."""
    found: dict[URIRef, set] = {}
    for shape, path in shapes.subject_objects(SH.path):
        if isinstance(path, URIRef):
            found.setdefault(path, set()).update(shapes.objects(shape, SH.datatype))
    return {path: next(iter(types)) for path, types in found.items() if len(types) == 1}


def _term_definition(ontology: Graph, term: URIRef, datatypes: dict, closed: set):
    compact = shorten(str(term))
    kinds = set(ontology.objects(term, RDF.type))
    if OWL.ObjectProperty in kinds or OWL.AnnotationProperty in kinds:
        values = _value_classes(ontology, term)
        if OWL.AnnotationProperty in kinds or (values and values <= closed):
            # Values are mktgraph terms (a stage, a channel, a class): written by short name.
            return {"@id": compact, "@type": "@vocab"}
        return {"@id": compact, "@type": "@id"}
    if OWL.DatatypeProperty in kinds:
        datatype = datatypes.get(term) or ontology.value(term, RDFS.range)
        if datatype is not None and datatype != XSD.string:
            return {"@id": compact, "@type": shorten(str(datatype))}
        return compact
    return compact


def build_context(ontology: Graph, shapes: Graph) -> dict:
    """The value of "@context" for mktgraph data: prefixes, a short name for every mktgraph term
    and the schema.org terms it uses, links typed as IRIs (value sets by short name), dates and
    numbers typed as the shapes require, and English for the ontology's own text properties."""
    datatypes = _shape_datatypes(shapes)
    closed = _closed_sets(ontology)
    declared = {
        term
        for kind in (
            OWL.Class,
            OWL.ObjectProperty,
            OWL.DatatypeProperty,
            OWL.AnnotationProperty,
            OWL.NamedIndividual,
        )
        for term in ontology.subjects(RDF.type, kind)
        if isinstance(term, URIRef)
    }
    terms: dict[str, object] = {}
    # mktgraph's own terms first, so that a schema.org term never takes a name of ours.
    for namespace in (MKT, SCHEMA):
        for term in sorted(t for t in declared if str(t).startswith(str(namespace))):
            name = str(term)[len(str(namespace)) :]
            if name and name not in terms and name.replace("_", "").isalnum():
                terms[name] = _term_definition(ontology, term, datatypes, closed)
    for name, prop in ENGLISH_TEXT.items():
        terms.setdefault(name, {"@id": shorten(str(prop)), "@language": "en"})
    context: dict[str, object] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    for name in sorted(terms, key=lambda n: (n.lower(), n)):
        context[name] = terms[name]
    return context


def context_text(context: dict) -> str:
    """The context file's text: ``{"@context": ...}``, indented, keys in a stable order."""
    return json.dumps({"@context": context}, indent=2, ensure_ascii=False) + "\n"


def bundled_context() -> dict:
    """The context of ontology/context.jsonld (the published one)."""
    from mktgraph import resources

    with resources.jsonld_context_file().open(encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def _local_context(reference: str, folder: Path, depth: int, name: str):
    if reference.startswith("file://"):
        from urllib.parse import unquote, urlparse

        path = Path(unquote(urlparse(reference).path))
    elif "://" in reference or reference.startswith("//"):
        raise InputError(
            f"{name}: its JSON-LD @context is remote; mktgraph never fetches one ({reference}: "
            f"inline it, or name a context file next to the data, or mktgraph's {CONTEXT_URL})"
        )
    else:
        path = folder / reference
    if not path.is_file():
        raise InputError(f"{name}: its JSON-LD @context names {reference}, which is not a file")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: not a JSON-LD context: {error}") from None
    if not isinstance(document, dict) or "@context" not in document:
        raise InputError(f'{path}: not a JSON-LD context (no "@context")')
    return _resolve(document["@context"], path.parent, depth + 1, str(path))


def _resolve(context, folder: Path, depth: int, name: str):
    """A context value with every named context replaced by its content."""
    if depth > MAX_CONTEXT_DEPTH:
        raise InputError(f"{name}: JSON-LD contexts nested more than {MAX_CONTEXT_DEPTH} deep")
    if isinstance(context, str):
        if context in CONTEXT_URLS:
            return bundled_context()
        return _local_context(context, folder, depth, name)
    if isinstance(context, list):
        return [_resolve(item, folder, depth, name) for item in context]
    if isinstance(context, dict):
        # Scoped contexts inside term definitions may name contexts too.
        return {
            key: (
                {**value, "@context": _resolve(value["@context"], folder, depth, name)}
                if isinstance(value, dict) and "@context" in value
                else value
            )
            for key, value in context.items()
        }
    return context


def _walk(node, folder: Path, name: str) -> bool:
    """Resolve the contexts of ``node`` and everything in it, in place; whether any changed."""
    changed = False
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                resolved = _resolve(value, folder, 0, name)
                if resolved != value:
                    node[key] = resolved
                    changed = True
            elif isinstance(value, (dict, list)):
                changed = _walk(value, folder, name) or changed
    elif isinstance(node, list):
        for item in node:
            changed = _walk(item, folder, name) or changed
    return changed


def resolve_contexts(data: bytes, folder: Path, name: str) -> bytes | None:
    """A JSON-LD document with mktgraph's context (named by its URL) and local context files
    (named by a path relative to ``folder``, or a file: URL) put in place, or None when it names
    none of them. Any other remote context is refused: mktgraph never fetches one."""
    if b"@context" not in data:
        return None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None  # the JSON-LD parser says what is wrong, with the line
    if not _walk(document, folder, name):
        return None
    return json.dumps(document, ensure_ascii=False).encode("utf-8")
