"""Quality checks of an ontology, an extension of it, or data: one SPARQL file per check."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph
from rdflib.term import Node

from mktgraph import graph as graphs
from mktgraph import resources
from mktgraph.choices import LINT_SEVERITIES
from mktgraph.errors import InputError
from mktgraph.output import display
from mktgraph.severity import Graded

# Most severe first, as ROBOT's report has them (ERROR, WARN, INFO).
SEVERITIES = LINT_SEVERITIES
HEADER_FIELDS = ("title", "severity", "message", "description")
_HEADER_LINE = re.compile(r"^#\s*(\w+)\s*:\s*(.*)$")
COLUMNS = ["check", "severity", "entity", "property", "value", "message"]


@dataclass(frozen=True)
class Check:
    """One quality check: a SELECT query whose rows (?entity ?property ?value) are problems."""

    name: str
    title: str
    severity: str
    message: str
    description: str
    text: str
    path: Path


@dataclass(frozen=True)
class Finding:
    """One problem a check found: the term at fault, and the property and value involved."""

    check: str
    severity: str
    entity: Node
    property: Node | None
    value: Node | None
    message: str

    @property
    def key(self) -> tuple:
        return (self.check, self.entity, self.property, self.value)

    def as_dict(self) -> dict[str, str]:
        """The finding as display strings (IRIs shortened by mktgraph's prefixes)."""
        return {
            "check": self.check,
            "severity": self.severity,
            "entity": display(self.entity),
            "property": display(self.property),
            "value": display(self.value),
            "message": self.message,
        }


@dataclass
class LintResult(Graded):
    """What the checks found, most severe first, and which checks ran on what."""

    LEVELS = SEVERITIES

    findings: list[Finding]
    checks: list[str]
    targets: list[str] = field(default_factory=list)

    @property
    def graded(self) -> list[Finding]:
        return self.findings

    def summary(self) -> str:
        """One line: what was linted, and "no problems" or the counts by severity."""
        what = ", ".join(self.targets) if self.targets else "mktgraph's ontology"
        checks = f"{len(self.checks)} check{'' if len(self.checks) == 1 else 's'}"
        if not self.findings:
            return f"{what}: no problems ({checks})"
        return f"{what}: {self.counts_text()} ({checks})"


def parse_check(path: Path) -> Check:
    """A check from its file: the ``# title:``, ``# severity:``, ``# message:`` and
    ``# description:`` header lines, then the query."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER_LINE.match(line)
        if match and match[1] in HEADER_FIELDS:
            header[match[1]] = match[2].strip()
    missing = [f for f in HEADER_FIELDS if not header.get(f)]
    if missing:
        raise InputError(f"{path}: lint check lacks a header line for {', '.join(missing)}")
    if header["severity"] not in SEVERITIES:
        raise InputError(
            f"{path}: unknown severity {header['severity']!r}; expected one of "
            f"{', '.join(SEVERITIES)}"
        )
    return Check(
        path.stem,
        header["title"],
        header["severity"],
        header["message"],
        header["description"],
        text,
        path,
    )


@cache
def all_checks() -> dict[str, Check]:
    """Every bundled check, by name (its file's stem)."""
    return {path.stem: parse_check(path) for path in resources.lint_check_files()}


def select_checks(only: Iterable[str] = (), skip: Iterable[str] = ()) -> list[Check]:
    """The checks to run: ``only`` those named (default: all) less those in ``skip``.

    Raises InputError, listing the valid names, for a name that is not a check.
    """
    known = all_checks()
    only, skip = list(only), list(skip)
    unknown = [name for name in [*only, *skip] if name not in known]
    if unknown:
        raise InputError(
            f"unknown check {', '.join(repr(n) for n in unknown)}; the checks are: "
            f"{', '.join(known)}"
        )
    chosen = only or list(known)
    return [known[name] for name in known if name in chosen and name not in skip]


def run_checks(graph: Graph, checks: Sequence[Check]) -> list[Finding]:
    """Run ``checks`` over ``graph``: their findings, most severe first, then by check.

    The checks run on an in-memory Oxigraph copy of the graph: its Rust engine answers the
    namespace and path queries in milliseconds where rdflib's takes seconds.
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return _run_on_store(store, checks)


def _run_on_store(store, checks: Sequence[Check]) -> list[Finding]:
    def term(solution, name: str):
        value = solution[name]
        return None if value is None else graphs.to_rdflib(value)

    findings = []
    for check in checks:
        try:
            solutions = store.query(check.text)
        except SyntaxError as error:
            raise InputError(f"{check.path}: malformed SPARQL: {error}") from None
        for row in solutions:
            findings.append(
                Finding(
                    check.name,
                    check.severity,
                    term(row, "entity"),
                    term(row, "property"),
                    term(row, "value"),
                    check.message,
                )
            )
    return sorted(findings, key=_order)


@cache
def _ontology_ntriples() -> bytes:
    """mktgraph's ontology (its modules merged) as N-Triples, made once per process."""
    return graphs.load_ontology().serialize(format="nt", encoding="utf-8")


def _store_with(paths: Sequence[str | Path]):
    """An in-memory Oxigraph store holding mktgraph's ontology and the files' triples (the
    named graphs of quad formats merged). The files go straight from pyoxigraph's parser into
    the store: no rdflib graph, which cost ten times as much at 100k triples."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(_ontology_ntriples(), format=ox.RdfFormat.N_TRIPLES)
    for path in paths:
        graphs.check_input(path)  # a missing file fails before any is parsed
    for path in paths:
        with graphs.reading(path) as opened:
            store.bulk_extend(
                ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in opened.quads()
            )
    return store


def _order(finding: Finding) -> tuple:
    return (
        SEVERITIES.index(finding.severity),
        finding.check,
        display(finding.entity),
        display(finding.property),
        display(finding.value),
    )


@cache
def _ontology_findings(names: tuple[str, ...]) -> list[Finding]:
    known = all_checks()
    return _run_on_store(_store_with([]), [known[n] for n in names])


def lint(
    targets: Iterable[str | Path] = (), *, only: Iterable[str] = (), skip: Iterable[str] = ()
) -> LintResult:
    """Lint mktgraph's ontology, or files (an ontology that extends it, or data) together
    with it.

    With files, the checks run on them plus mktgraph's ontology (so terms they take from it
    count as declared), and only what the files bring is reported: findings the ontology
    alone also has are left out.
    """
    checks = select_checks(only, skip)
    names = [c.name for c in checks]
    own = _ontology_findings(tuple(names))
    paths = list(targets)  # as given: a path, or "-" for standard input
    if not paths:
        return LintResult(list(own), names)
    baseline = {f.key for f in own}
    findings = [f for f in _run_on_store(_store_with(paths), checks) if f.key not in baseline]
    return LintResult(findings, names, [str(p) for p in paths])


UNKNOWN_TERM_CHECK = "unknown-mktgraph-term"


def unknown_terms(data: Graph, ontology: Graph | None = None) -> list[str]:
    """The IRIs in mktgraph's namespace that ``data`` uses but mktgraph does not define,
    shortened (``mkt:Campaign``), sorted.

    The rule of the ``unknown-mktgraph-term`` check, as one pass over the data's triples:
    ``validate`` runs it on data of any size, where copying the data into a store to query
    would cost more than the scan.
    """
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDFS

    from mktgraph.namespaces import MKT, ONTOLOGY_IRI

    ontology = graphs.load_ontology() if ontology is None else ontology
    known = set(ontology.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)))
    for version in (
        OWL.versionIRI,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
    ):
        known.update(ontology.objects(None, version))
        known.update(data.objects(None, version))
    namespace = str(MKT)
    unknown = {
        term
        for triple in data
        for term in triple
        if isinstance(term, URIRef) and term.startswith(namespace) and term not in known
    }
    return sorted(display(term) for term in unknown)


class WrittenTerms:
    """The IRIs of mktgraph's namespace that blocks of N-Triples lines write, collected as a
    load reads them (``EmbeddedStore.watch_blocks``): the data's side of ``unknown_terms``
    for ``validate FILE``, at the cost of one regular-expression pass over the bytes. IRIs in
    ``skip`` (the ontology's terms, most of what data write) are passed over inside the
    expression, not collected one by one."""

    def __init__(self, skip: Iterable[str] = ()) -> None:
        from mktgraph.namespaces import MKT

        namespace = str(MKT).encode()
        names = [iri.encode()[len(namespace) :] for iri in skip if iri.startswith(str(MKT))]
        known = b"(?!" + _alternatives(names) + b">)" if names else b""
        self._pattern = re.compile(b"<" + re.escape(namespace) + known + b"[^>]*>")
        self.found: set[bytes] = set()

    def __call__(self, block: bytes) -> None:
        self.found.update(self._pattern.findall(block))

    def iris(self) -> set[str]:
        """The IRIs found (their \\u escapes, if any, undone)."""
        import pyoxigraph as ox

        plain = {iri[1:-1].decode() for iri in self.found if b"\\" not in iri}
        escaped = [iri for iri in self.found if b"\\" in iri]
        if escaped:
            lines = b"".join(b"<urn:s> <urn:p> " + iri + b" .\n" for iri in escaped)
            plain.update(q.object.value for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES))
        return plain


def _alternatives(words: list[bytes]) -> bytes:
    """A regular expression matching exactly ``words``, written as a trie (a branch per
    distinct next byte), so that telling a word apart costs its length, not the word count."""
    trie: dict = {}
    for word in words:
        node = trie
        for byte in word:
            node = node.setdefault(bytes([byte]), {})
        node[b""] = {}

    def written(node: dict) -> bytes:
        branches = [key and re.escape(key) + written(child) for key, child in sorted(node.items())]
        return branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"

    return written(trie)


def defined_terms() -> set[str]:
    """The IRIs of the terms the bundled ontology defines (``rdfs:isDefinedBy`` it), read
    with pyoxigraph (no rdflib graph)."""
    from mktgraph.namespaces import ONTOLOGY_IRI
    from mktgraph.oxrdf import ontology_quads

    defined_by = "http://www.w3.org/2000/01/rdf-schema#isDefinedBy"
    return {
        quad.subject.value
        for quad in ontology_quads()
        if quad.predicate.value == defined_by and quad.object.value == ONTOLOGY_IRI
    }


def defined_store_terms(store) -> set[str]:
    """The IRIs of the terms the ontology copy in a pyoxigraph store defines (the store as an
    embedded store holds it, mktgraph.stores.embedded), and the ontology versions it names."""
    from mktgraph.namespaces import ONTOLOGY_IRI
    from mktgraph.stores.embedded import ONTOLOGY_GRAPH

    owl = "http://www.w3.org/2002/07/owl#"
    defined = (
        f"SELECT ?t WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> "
        f"{{ ?t <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <{ONTOLOGY_IRI}> }} }}"
    )
    versions = (
        f"SELECT ?t WHERE {{ ?x <{owl}versionIRI>|<{owl}priorVersion>|"
        f"<{owl}backwardCompatibleWith>|<{owl}incompatibleWith> ?t }}"
    )
    return {row[0].value for text in (defined, versions) for row in store.query(text)}


def unknown_store_terms(store, used: Iterable[str] | None = None) -> list[str]:
    """``unknown_terms`` of a pyoxigraph store holding the data and the ontology as an embedded
    store does (mktgraph.stores.embedded): ``used`` are the data's IRIs of mktgraph's namespace
    (``WrittenTerms``), None to find them by a scan of the store's default graph."""
    from rdflib import URIRef

    from mktgraph.namespaces import MKT

    known = defined_store_terms(store)
    if used is None:
        namespace = str(MKT)
        scan = (
            "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s ?p ?t } UNION { ?t ?p ?o } "
            f'FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{namespace}")) }}'
        )
        used = [row[0].value for row in store.query(scan)]
    return sorted(display(URIRef(term)) for term in set(used) - known)
