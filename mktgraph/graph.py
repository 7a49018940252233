"""Loading RDF files into rdflib graphs: formats by extension, bundled files, clear errors."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from mktgraph import resources
from mktgraph.errors import InputError, QueryError
from mktgraph.formats import RDF_FORMAT_NAMES, RDF_FORMATS_BY_EXTENSION
from mktgraph.namespaces import MODULE, bind_prefixes
from mktgraph.oxrdf import ox_format

T = TypeVar("T")

_log = logging.getLogger(__name__)  # -v says what was read

STDIN = "-"  # as a data file name: standard input
_BOM = b"\xef\xbb\xbf"
_GZIP_MAGIC = b"\x1f\x8b"
# pyoxigraph's parsers hold one term (a literal, an IRI) in a buffer of this size at most.
MAX_TERM_BYTES = 16 * 1024 * 1024
# RDF/XML: how much of the file's start is read to find its DOCTYPE, and the longest entity
# value accepted (the IRIs of Protégé's `<!ENTITY owl "http://...">` are far shorter).
_PROLOG_BYTES = 1 << 20
MAX_ENTITY_CHARS = 1024


@dataclass(frozen=True)
class DataFile:
    """An RDF input as the user named it: a path, or "-" for standard input, with the format
    given by --input-format (None: from the file name's extension)."""

    name: str
    declared_format: str | None = None

    def __str__(self) -> str:
        return self.name

    @property
    def format(self) -> str:
        return format_for(self.name, self.declared_format)

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN


def data_file(item: str | Path | DataFile, declared_format: str | None = None) -> DataFile:
    """``item`` as a DataFile (a DataFile keeps its own declared format)."""
    if isinstance(item, DataFile):
        return item
    return DataFile(str(item), declared_format)


def data_files(
    items: Iterable[str | Path | DataFile], declared_format: str | None = None
) -> list[DataFile]:
    """Each item as a DataFile, all of them with ``declared_format`` (None: by extension)."""
    return [data_file(item, declared_format) for item in items]


def check_input(item: str | Path | DataFile) -> DataFile:
    """The input, checked before anything is made from it: a format known, a file there."""
    file = data_file(item)
    file.format  # noqa: B018 - raises InputError for an unknown format
    if not file.is_stdin:
        path = Path(file.name)
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not an RDF file")
    return file


@dataclass
class OpenedInput:
    """An input ready for pyoxigraph: by path when it is a plain file (the fastest route),
    else as a stream (gzip, a byte-order mark skipped, standard input)."""

    file: DataFile
    format: str
    base_iri: str
    path: Path | None = None
    stream: IO[bytes] | None = None

    @property
    def source(self) -> dict:
        """The keyword arguments naming the input for pyoxigraph's parse and bulk_load."""
        return {"path": str(self.path)} if self.path is not None else {"input": self.stream}

    def quads(self):  # -> Iterator[pyoxigraph.Quad]
        import pyoxigraph as ox

        return ox.parse(**self.source, format=ox_format(self.format), base_iri=self.base_iri)


# Standard input, read once: a command may parse it twice (validate --reason does). Kept with
# the stream it came from, so that a new standard input (another CliRunner call) is read anew.
_stdin_copy: dict[str, tuple[object, IO[bytes]]] = {}


def _stdin() -> IO[bytes]:
    import shutil
    import sys
    import tempfile

    source = sys.stdin.buffer
    held = _stdin_copy.get("stdin")
    if held is None or held[0] is not source:
        copy = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 - kept open
        shutil.copyfileobj(source, copy, 1 << 20)
        _stdin_copy["stdin"] = held = (source, copy)
    held[1].seek(0)
    return held[1]


def _open(file: DataFile, fmt: str, stack: contextlib.ExitStack) -> OpenedInput:
    import gzip

    if file.is_stdin:
        raw, path, base_iri = _stdin(), None, Path.cwd().resolve().as_uri() + "/"
    else:
        path = Path(file.name)
        raw = stack.enter_context(path.open("rb"))
        base_iri = path.resolve().as_uri()
        if not raw.seekable():  # a pipe (as from `<(zcat data.ttl.gz)`): copied to look ahead
            import shutil
            import tempfile

            spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 - the stack
            copy = stack.enter_context(spool)
            shutil.copyfileobj(raw, copy, 1 << 20)
            raw = copy
            raw.seek(0)
    stream: IO[bytes] = raw
    plain = path is not None and path.is_file()
    if raw.read(2) == _GZIP_MAGIC:
        stream, plain = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb")), False
    if raw.seekable():
        raw.seek(0)
    start = stream.read(len(_BOM))
    if start == _BOM:
        plain = False
    else:
        stream.seek(0)
    if fmt == "xml":
        here = stream.tell()
        entities = check_xml_prolog(stream.read(_PROLOG_BYTES), file.name)
        if entities:
            stream.seek(here)
            check_entity_expansion(stream, entities, file.name)
        stream.seek(here)
    if fmt == "json-ld":
        # mktgraph's context named by its URL, or a context file next to the data: put in place
        # here, since the JSON-LD parser refuses every context it would have to fetch.
        from mktgraph.jsonld import resolve_contexts

        here = stream.tell()
        folder = path.parent if path is not None else Path.cwd()
        resolved = resolve_contexts(stream.read(), folder, file.name)
        if resolved is not None:
            return OpenedInput(file, fmt, base_iri, stream=io.BytesIO(resolved))
        stream.seek(here)
    if plain:
        return OpenedInput(file, fmt, base_iri, path=path)
    return OpenedInput(file, fmt, base_iri, stream=stream)


_DOCTYPE_SUBSET_END = re.compile(rb"\]\s*>")
_ENTITY = re.compile(
    rb"<!ENTITY\s+(%\s+)?([^\s\"']+)\s+(?:(SYSTEM|PUBLIC)\b|\"([^\"]*)\"|'([^']*)')"
)
# What the references to a file's entities may expand to in all (each is one term at most,
# and terms stop at the parser's 16 MB buffer; entities bypass that buffer).
MAX_ENTITY_EXPANSION = 64 << 20


def check_xml_prolog(head: bytes, name: str) -> dict[bytes, int]:
    """Refuse an RDF/XML file whose DOCTYPE declares entities that could expand without bound
    ("billion laughs": entities made of entities) or reach outside the file (external ones).
    Short entities of plain text, as Protégé writes for namespaces, are accepted: each
    reference expands to at most MAX_ENTITY_CHARS characters. Returns the entities declared
    (name -> length of its text), whose references check_entity_expansion then counts."""
    where = 0
    while True:
        where = len(head) - len(head[where:].lstrip())
        if head.startswith(b"<?", where):
            end, step = head.find(b"?>", where), 2
        elif head.startswith(b"<!--", where):
            end, step = head.find(b"-->", where), 3
        elif head[where : where + 9].upper() == b"<!DOCTYPE":
            break
        else:
            return {}  # the first element: no DOCTYPE
        if end < 0:
            return {}  # the parser will say what is wrong
        where = end + step
    declaration_end = head.find(b">", where)
    subset_start = head.find(b"[", where)
    if subset_start < 0 or 0 <= declaration_end < subset_start:
        return {}  # no internal subset: nothing is declared (external DTDs are never read)
    subset_end = _DOCTYPE_SUBSET_END.search(head, subset_start)
    if subset_end is None:
        raise InputError(f"{name}: RDF/XML whose DOCTYPE does not end in its first 1 MB: refused")
    subset = head[subset_start : subset_end.start()]
    entities = list(_ENTITY.finditer(subset))
    if subset.count(b"<!ENTITY") != len(entities):
        raise InputError(f"{name}: RDF/XML with an entity declaration it cannot read: refused")
    declared = {}
    for entity in entities:
        value = entity.group(4) if entity.group(4) is not None else entity.group(5)
        if (
            entity.group(1)
            or entity.group(3)
            or value is None
            or len(value) > MAX_ENTITY_CHARS
            or any(c in value for c in (b"&", b"%", b"<"))
        ):
            raise InputError(
                f"{name}: RDF/XML declaring an entity that is external, a parameter entity, "
                f"longer than {MAX_ENTITY_CHARS} characters or made of other entities: refused "
                "(such entities can expand a small file without bound)"
            )
        declared[entity.group(2)] = len(value)
    return declared


def check_entity_expansion(stream: IO[bytes], entities: dict[bytes, int], name: str) -> None:
    """Refuse a file whose references to its (short) entities would expand to more than
    MAX_ENTITY_EXPANSION bytes in all: many references to a 1 KB entity are a slower bomb."""
    references = {b"&" + entity + b";": size for entity, size in entities.items()}
    keep = max(len(reference) for reference in references) - 1
    total, tail = 0, b""
    for chunk in iter(lambda: stream.read(1 << 22), b""):
        window = tail + chunk
        # The last few bytes wait for the next chunk: a reference is counted whole, once.
        counted, tail = window[: len(window) - keep], window[len(window) - keep :]
        total += sum(counted.count(ref) * size for ref, size in references.items())
        if total > MAX_ENTITY_EXPANSION:
            raise InputError(
                f"{name}: RDF/XML whose entity references expand to over "
                f"{MAX_ENTITY_EXPANSION >> 20} MB: refused"
            )
    total += sum(tail.count(ref) * size for ref, size in references.items())
    if total > MAX_ENTITY_EXPANSION:
        raise InputError(
            f"{name}: RDF/XML whose entity references expand to over "
            f"{MAX_ENTITY_EXPANSION >> 20} MB: refused"
        )


@contextlib.contextmanager
def reading(item: str | Path | DataFile, *, note: str = "") -> Iterator[OpenedInput]:
    """Open an RDF input for parsing; any error reading or parsing it inside the block becomes
    one InputError line naming the file (and the line, for a syntax error), plus ``note``."""
    file = check_input(item)
    fmt = file.format
    with contextlib.ExitStack() as stack:
        try:
            yield _open(file, fmt, stack)
        except MemoryError as error:
            if "buffer maximal size" not in str(error):
                raise
            raise InputError(
                f"{file}: a term (a literal or an IRI) longer than {MAX_TERM_BYTES >> 20} MB, "
                f"more than mktgraph's parser holds{note}"
            ) from None
        except (OSError, EOFError, zlib.error) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise InputError(f"{file}: cannot read: {reason}{note}") from None
        except (SyntaxError, ValueError) as error:
            raise InputError(parse_error_message(file.name, error, fmt) + note) from None


def format_for(path: str | Path, declared: str | None = None) -> str:
    """The RDF format of ``path``: ``declared`` when given, else from its extension (a ``.gz``
    ending is looked through: ``data.ttl.gz`` is gzipped Turtle)."""
    if declared is not None:
        if declared not in RDF_FORMAT_NAMES:
            raise InputError(
                f"unknown input format {declared!r}; expected one of {', '.join(RDF_FORMAT_NAMES)}"
            )
        return declared
    path = Path(path)
    if str(path) == STDIN:
        raise InputError(
            "-: standard input has no file name to tell its format; give --input-format"
        )
    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    try:
        return RDF_FORMATS_BY_EXTENSION[suffix]
    except KeyError:
        known = ", ".join(sorted(RDF_FORMATS_BY_EXTENSION))
        raise InputError(
            f"{path}: unknown file extension {path.suffix or '(none)'!r}; expected one of "
            f"{known} (optionally gzipped, .gz), or give --input-format"
        ) from None


# Oxigraph stores literals of the datatypes derived from xsd:integer as xsd:integer ("1"^^xsd:int
# comes back as "1"^^xsd:integer); the embedded store and the fast validator need to know them.
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DERIVED_NAMES = (
    "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
)  # fmt: skip
DERIVED_INTEGERS = frozenset(_XSD + name for name in _DERIVED_NAMES)


def first_value(graph: Graph, node: Any, choices: dict[Any, T]) -> tuple[Any, T] | None:
    """The value ``node`` has for the first predicate of ``choices`` it has one for, with what
    ``choices`` gives that predicate; None when it has none of them."""
    for predicate, choice in choices.items():
        value = graph.value(node, predicate)
        if value is not None:
            return value, choice
    return None


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


def to_oxigraph(term):
    """An rdflib term as a pyoxigraph term, literals as written."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def term_converter(decode: Callable[[Any], Any] | None = None) -> Callable[[Any], Any]:
    """A converter of pyoxigraph terms to rdflib terms that remembers what it converted
    (IRIs and many literals repeat across the rows of a result); ``decode`` first turns each
    term into the one to convert (fastshacl: literals given back as written)."""
    import pyoxigraph as ox

    terms = (ox.NamedNode, ox.BlankNode, ox.Literal)
    cache: dict[Any, Any] = {}

    def convert(term):
        if term is None:
            return None
        known = cache.get(term)
        if known is not None:
            return known
        if type(term) not in terms:  # RDF-star triple terms: not produced by mktgraph's data
            raise QueryError(f"cannot show the term {term} (RDF-star is not supported)")
        converted = to_rdflib(term if decode is None else decode(term))
        if len(cache) < 1_000_000:
            cache[term] = converted
        return converted

    return convert


def parse_error_message(path: str | Path, error: BaseException, fmt: str | None = None) -> str:
    """One line naming the file, and the line where the parser stopped when it says so."""
    line = getattr(error, "lineno", None)
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if "LoadDocumentCallback" in message:
        return f"{path}: its JSON-LD @context is remote; mktgraph never fetches one (inline it)"
    # pyoxigraph appends "(file, line N)" or "(line N)"; we say it once, in front.
    message = re.sub(r" \((?:[^()]*, )?line \d+\)$", "", message)
    where = f"{path}:{line}" if line else str(path)
    message = message.removeprefix("Parser error ")
    return f"{where}: malformed {RDF_FORMAT_NAMES[fmt or format_for(path)]}: {message}"


def parse_into(graph: Graph, path: str | Path | DataFile) -> Graph:
    """Add the triples of one RDF file to ``graph`` (named graphs of quad formats are merged).

    pyoxigraph does the parsing: it reports the line and column of a syntax error in every
    format, and it refuses remote JSON-LD contexts instead of fetching them. Inputs may be
    gzipped, start with a byte-order mark, or be standard input ("-").
    """
    before = len(graph)
    with reading(path) as opened:
        add = graph.add
        for quad in opened.quads():
            add((to_rdflib(quad.subject), URIRef(quad.predicate.value), to_rdflib(quad.object)))
    added = len(graph) - before
    _log.info("%s: read as %s, %d new triples", path, RDF_FORMAT_NAMES[opened.format], added)
    return graph


def load(paths: Iterable[str | Path | DataFile | Graph], graph: Graph | None = None) -> Graph:
    """A graph holding the triples of every file in ``paths`` (and of every rdflib Graph given
    among them), with our prefixes bound."""
    graph = bind_prefixes(Graph()) if graph is None else graph
    paths = list(paths)
    for path in paths:
        if not isinstance(path, Graph):
            check_input(path)  # every file before the first is parsed: a missing one fails fast
    for path in paths:
        if isinstance(path, Graph):
            graph += path
        else:
            parse_into(graph, path)
    return graph


def merge_modules(graph: Graph) -> Graph:
    """Make the module files loaded into ``graph`` one ontology, in place, and return it.

    Each file of ontology/ is an owl:Ontology of its own (a module), imported by the header in
    mktgraph.ttl, so that tools which open one file get a whole ontology. Loaded together they
    are the one ontology <https://w3id.org/mktgraph/def>: the modules' headers and the imports
    of modules are dropped, so nothing (owlready2 included) tries to fetch a module, and the
    merged graph has exactly one ontology header.
    """
    modules = {s for s in graph.subjects(RDF.type, OWL.Ontology) if str(s).startswith(MODULE)}
    for module in modules:
        graph.remove((module, None, None))
    for ontology, imported in list(graph.subject_objects(OWL.imports)):
        if str(imported).startswith(MODULE):
            graph.remove((ontology, OWL.imports, imported))
    return graph


def load_ontology() -> Graph:
    """A new graph holding the bundled mktgraph ontology, its modules merged."""
    return merge_modules(load(resources.ontology_files()))


def load_examples() -> Graph:
    """A new graph holding the bundled sample knowledge graph (without the ontology)."""
    return load(resources.example_files())


def load_with_ontology(
    data: Iterable[str | Path | DataFile | Graph] = (),
    *,
    example: bool = False,
    ontology: bool = True,
) -> Graph:
    """The bundled ontology (unless ``ontology`` is false) plus the given data files (or
    graphs), and the sample graph with ``example``."""
    files: list[str | Path | DataFile | Graph] = (
        list(resources.ontology_files()) if ontology else []
    )
    if example:
        files += resources.example_files()
    files += list(data)
    graph = load(files)
    return merge_modules(graph) if ontology else graph


def is_type(graph: Graph, node, cls) -> bool:
    """Whether ``graph`` asserts that ``node`` is of class ``cls``."""
    return (node, RDF.type, cls) in graph
