"""Loading RDF files into rdflib graphs: formats by extension, bundled files, clear errors."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from mktgraph import resources
from mktgraph.errors import InputError
from mktgraph.namespaces import bind_prefixes

# File extension -> pyoxigraph format name (see _ox_format); the CLI's help lists these.
FORMATS_BY_EXTENSION: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


FORMAT_NAMES = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "json-ld": "JSON-LD",
    "xml": "RDF/XML",
}


def format_for(path: Path) -> str:
    """The RDF format of ``path``, from its extension."""
    try:
        return FORMATS_BY_EXTENSION[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_EXTENSION))
        raise InputError(
            f"{path}: unknown file extension {path.suffix or '(none)'!r}; expected one of {known}"
        ) from None


def _ox_format(name: str):  # -> pyoxigraph.RdfFormat
    import pyoxigraph as ox

    return {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "json-ld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
    }[name]


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == str(XSD.string):
        # RDF 1.1 makes "x" and "x"^^xsd:string one literal; rdflib keeps them apart.
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def parse_error_message(path: Path, error: BaseException) -> str:
    """One line naming the file, and the line where the parser stopped when it says so."""
    line = getattr(error, "lineno", None)
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if "LoadDocumentCallback" in message:
        return f"{path}: its JSON-LD @context is remote; mktgraph never fetches one (inline it)"
    # pyoxigraph appends "(file, line N)"; we say it once, in front.
    message = message.split(f" ({path.name}, line")[0]
    where = f"{path}:{line}" if line else str(path)
    message = message.removeprefix("Parser error ")
    return f"{where}: malformed {FORMAT_NAMES[format_for(path)]}: {message}"


def parse_into(graph: Graph, path: str | Path) -> Graph:
    """Add the triples of one RDF file to ``graph`` (named graphs of quad formats are merged).

    pyoxigraph does the parsing: it reports the line and column of a syntax error in every
    format, and it refuses remote JSON-LD contexts instead of fetching them.
    """
    import pyoxigraph as ox

    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        quads = ox.parse(path=str(path), format=_ox_format(fmt), base_iri=path.resolve().as_uri())
        add = graph.add
        for quad in quads:
            add((to_rdflib(quad.subject), URIRef(quad.predicate.value), to_rdflib(quad.object)))
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None
    except (SyntaxError, ValueError) as error:
        raise InputError(parse_error_message(path, error)) from None
    return graph


def load(paths: Iterable[str | Path], graph: Graph | None = None) -> Graph:
    """A graph holding the triples of every file in ``paths``, with our prefixes bound."""
    graph = bind_prefixes(Graph()) if graph is None else graph
    for path in paths:
        parse_into(graph, path)
    return graph


def load_ontology() -> Graph:
    """A new graph holding the bundled mktgraph ontology."""
    return load(resources.ontology_files())


def load_examples() -> Graph:
    """A new graph holding the bundled sample knowledge graph (without the ontology)."""
    return load(resources.example_files())


def load_with_ontology(
    data: Iterable[str | Path] = (), *, example: bool = False, ontology: bool = True
) -> Graph:
    """The bundled ontology (unless ``ontology`` is false) plus the given data files."""
    files = list(resources.ontology_files()) if ontology else []
    if example:
        files += resources.example_files()
    files += [Path(p) for p in data]
    return load(files)


def is_type(graph: Graph, node, cls) -> bool:
    """Whether ``graph`` asserts that ``node`` is of class ``cls``."""
    return (node, RDF.type, cls) in graph
