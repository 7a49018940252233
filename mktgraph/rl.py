"""OWL 2 RL inside Oxigraph: the schema closed once by owlrl, the instance rules run as SPARQL.

The schema (the ontology plus any class and property axioms in the data) is small, so owlrl
closes it in Python and the result is cached per schema digest. From the closed schema each
OWL 2 RL instance rule (cax-sco, prp-dom, cls-hv1, cls-svf1, prp-trp, eq-rep-s, ...) becomes one
SPARQL CONSTRUCT with its schema side given as VALUES, evaluated by Oxigraph semi-naively: in
each round only the triples new in the round before (the delta) are joined against everything
known, until a round adds nothing. Class expressions written as blank nodes (restrictions,
intersections) get IRIs under SKOLEM for the rounds and are dropped from what is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

DELTA_GRAPH = ox.NamedNode("urn:mktgraph:rl:delta")
SKOLEM = "urn:mktgraph:rl:class:"
_TYPE = ox.NamedNode(str(RDF.type))
_SAME_AS = ox.NamedNode(str(OWL.sameAs))
_DELTA = "\u0000delta\u0000"  # marks the atom of a rule that is matched against the delta

# Predicates and types that make a triple part of the schema rather than of the instance data.
SCHEMA_PREDICATES = frozenset(
    str(p)
    for p in (
        RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass,
        OWL.equivalentProperty, OWL.inverseOf, OWL.disjointWith, OWL.propertyDisjointWith,
        OWL.onProperty, OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom, OWL.onClass,
        OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.members,
        OWL.distinctMembers, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.cardinality,
        OWL.qualifiedCardinality, OWL.minCardinality, OWL.hasKey, OWL.propertyChainAxiom,
        OWL.differentFrom, RDF.first, RDF.rest,
    )
)  # fmt: skip
SCHEMA_TYPES = frozenset(
    str(t)
    for t in (
        OWL.Class, RDFS.Class, OWL.Restriction, OWL.ObjectProperty, OWL.DatatypeProperty,
        OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty,
        OWL.SymmetricProperty, OWL.AsymmetricProperty, OWL.IrreflexiveProperty,
        OWL.ReflexiveProperty, OWL.AllDifferent, OWL.AllDisjointClasses,
        OWL.AllDisjointProperties, RDFS.Datatype, RDF.Property, OWL.AnnotationProperty,
    )
)  # fmt: skip
_NUMERIC_PARENTS = {
    # A literal of the key's datatype is also a value of each datatype listed (OWL compares
    # values, and Oxigraph stores the integer-derived types as xsd:integer).
    str(XSD.integer): (str(XSD.decimal),),
    str(XSD.decimal): (),
}
_TRACE = bool(os.environ.get("MKTGRAPH_RL_TRACE"))
_NOT_KEPT_TYPES = {str(OWL.Thing), str(RDFS.Resource), str(OWL.NamedIndividual)}


@dataclass
class Rules:
    """The schema side of the OWL 2 RL instance rules, compiled from a closed schema."""

    supers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    property_supers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    inverses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    domains: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ranges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    has_value: list[tuple[str, str, str]] = field(default_factory=list)  # (class, p, value N3)
    some_values: list[tuple[str, str, str]] = field(default_factory=list)  # (class, p, filler)
    all_values: list[tuple[str, str, str]] = field(default_factory=list)  # (class, p, filler)
    intersections: list[tuple[str, list[str]]] = field(default_factory=list)
    transitive: set[str] = field(default_factory=set)
    functional: set[str] = field(default_factory=set)
    inverse_functional: set[str] = field(default_factory=set)
    max_one: list[tuple[str, str]] = field(default_factory=list)  # (class, p)
    disjoint: set[tuple[str, str]] = field(default_factory=set)
    different: set[tuple[str, str]] = field(default_factory=set)
    asymmetric: set[str] = field(default_factory=set)
    irreflexive: set[str] = field(default_factory=set)
    datatype_ranges: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        def plain(value):
            if isinstance(value, dict):
                return {k: sorted(v) if isinstance(v, set) else v for k, v in value.items()}
            if isinstance(value, set):
                return sorted(value)
            return value

        return json.dumps({k: plain(v) for k, v in self.__dict__.items()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Rules:
        data = json.loads(text)
        rules = cls()
        for name in ("supers", "property_supers", "inverses", "domains", "ranges"):
            getattr(rules, name).update({k: set(v) for k, v in data[name].items()})
        for name in ("has_value", "some_values", "all_values", "max_one"):
            setattr(rules, name, [tuple(x) for x in data[name]])
        rules.intersections = [(i, list(cs)) for i, cs in data["intersections"]]
        for name in ("transitive", "functional", "inverse_functional", "asymmetric"):
            setattr(rules, name, set(data[name]))
        rules.irreflexive = set(data["irreflexive"])
        rules.disjoint = {tuple(x) for x in data["disjoint"]}
        rules.different = {tuple(x) for x in data["different"]}
        rules.datatype_ranges = dict(data["datatype_ranges"])
        return rules


#################################################################
# The schema: found, digested, closed by owlrl, compiled to rule tables
#################################################################


def schema_of(graph: Graph) -> Graph:
    """The schema triples of ``graph``: class and property axioms with the lists and restriction
    nodes they use (what the rules are compiled from), without instance data."""
    schema = Graph()
    todo: list = []
    for s, p, o in graph:
        if str(p) in SCHEMA_PREDICATES and p not in (RDF.first, RDF.rest):
            schema.add((s, p, o))
            todo += [n for n in (s, o) if isinstance(n, BNode)]
        elif p == RDF.type and str(o) in SCHEMA_TYPES:
            schema.add((s, p, o))
    seen = set()
    while todo:  # the blank nodes the axioms use: restrictions and RDF lists
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            schema.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return schema


def schema_digest(schema: Graph) -> str:
    """A digest of ``schema`` that does not depend on its blank-node labels (RDFC-1.0)."""
    dataset = ox.Dataset(_to_quads(schema))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = sorted(str(q) for q in dataset)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:24]


def _to_quads(graph: Graph) -> Iterator[ox.Quad]:
    data = graph.serialize(format="nt", encoding="utf-8")
    yield from ox.parse(input=data, format=ox.RdfFormat.N_TRIPLES)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mktgraph"


def compile_rules(schema: Graph) -> Rules:
    """The rule tables for ``schema``, from the cache when this schema was compiled before."""
    digest = schema_digest(schema)
    cached = _cache_dir() / f"rl-rules-{digest}.json"
    try:
        return Rules.from_json(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        pass
    rules = _compile(_closed(schema))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(rules.to_json(), encoding="utf-8")
        temporary.replace(cached)
    except OSError:
        pass  # a read-only home: compile again next time
    return rules


def _closed(schema: Graph) -> Graph:
    """``schema`` closed under the OWL 2 RL schema rules (scm-*) by owlrl."""
    import owlrl

    closed = Graph()
    for triple in schema:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False).expand(closed)
    return closed


def _compile(closed: Graph) -> Rules:
    names: dict[BNode, str] = {}

    def name(node) -> str | None:
        if isinstance(node, URIRef):
            return str(node)
        if isinstance(node, BNode):
            return names.setdefault(node, f"{SKOLEM}{len(names)}")
        return None

    rules = Rules()
    classes = set()
    for s, o in closed.subject_objects(RDFS.subClassOf):
        a, b = name(s), name(o)
        if a and b and a != b and b not in _NOT_KEPT_TYPES:
            rules.supers[a].add(b)
            classes.add(a)
    for s, o in closed.subject_objects(OWL.equivalentClass):
        a, b = name(s), name(o)
        if a and b and a != b:
            rules.supers[a].add(b)
            rules.supers[b].add(a)
    for s, o in closed.subject_objects(RDFS.subPropertyOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
            rules.property_supers[str(s)].add(str(o))
    for s, o in closed.subject_objects(OWL.equivalentProperty):
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
            rules.property_supers[str(s)].add(str(o))
            rules.property_supers[str(o)].add(str(s))
    for s, o in closed.subject_objects(OWL.inverseOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            rules.inverses[str(s)].add(str(o))
            rules.inverses[str(o)].add(str(s))
    for p in closed.subjects(RDF.type, OWL.SymmetricProperty):
        if isinstance(p, URIRef):
            rules.inverses[str(p)].add(str(p))
    datatype_properties = set(closed.subjects(RDF.type, OWL.DatatypeProperty))
    for p, c in closed.subject_objects(RDFS.domain):
        if isinstance(p, URIRef) and name(c) and str(c) not in _NOT_KEPT_TYPES:
            rules.domains[str(p)].add(name(c))
    for p, c in closed.subject_objects(RDFS.range):
        if not isinstance(p, URIRef) or not name(c):
            continue
        if str(c).startswith(str(XSD)) or c == RDFS.Literal:
            if p in datatype_properties and c != RDFS.Literal:
                rules.datatype_ranges[str(p)] = str(c)
        elif str(c) not in _NOT_KEPT_TYPES:
            rules.ranges[str(p)].add(name(c))
    for r in set(closed.subjects(OWL.onProperty, None)):
        p = closed.value(r, OWL.onProperty)
        if not isinstance(p, URIRef):
            continue
        for v in closed.objects(r, OWL.hasValue):
            rules.has_value.append((name(r), str(p), _n3(v)))
        for c in closed.objects(r, OWL.someValuesFrom):
            if name(c):
                rules.some_values.append((name(r), str(p), name(c)))
        for c in closed.objects(r, OWL.allValuesFrom):
            if name(c) and not str(c).startswith(str(XSD)):
                rules.all_values.append((name(r), str(p), name(c)))
        for n in closed.objects(r, OWL.maxCardinality):
            if str(n) == "1":
                rules.max_one.append((name(r), str(p)))
    for i, head in closed.subject_objects(OWL.intersectionOf):
        members = [name(c) for c in closed.items(head)]
        if name(i) and members and all(members):
            rules.intersections.append((name(i), members))
            for m in members:  # cls-int2
                if m != name(i):
                    rules.supers[name(i)].add(m)
    for u, head in closed.subject_objects(OWL.unionOf):
        for c in closed.items(head):  # cls-uni
            if name(c) and name(u) and name(c) != name(u):
                rules.supers[name(c)].add(name(u))
    for kind, target in (
        (OWL.TransitiveProperty, rules.transitive),
        (OWL.FunctionalProperty, rules.functional),
        (OWL.InverseFunctionalProperty, rules.inverse_functional),
        (OWL.AsymmetricProperty, rules.asymmetric),
        (OWL.IrreflexiveProperty, rules.irreflexive),
    ):
        target.update(str(p) for p in closed.subjects(RDF.type, kind) if isinstance(p, URIRef))
    for a, b in closed.subject_objects(OWL.disjointWith):
        if name(a) and name(b):
            rules.disjoint.add(tuple(sorted((name(a), name(b)))))
    for node in closed.subjects(RDF.type, OWL.AllDisjointClasses):
        for head in closed.objects(node, OWL.members):
            members = [name(c) for c in closed.items(head) if name(c)]
            rules.disjoint |= {tuple(sorted((a, b))) for a in members for b in members if a != b}
    for node in closed.subjects(RDF.type, OWL.AllDifferent):
        for prop in (OWL.members, OWL.distinctMembers):
            for head in closed.objects(node, prop):
                members = [str(m) for m in closed.items(head) if isinstance(m, URIRef)]
                rules.different |= {
                    tuple(sorted((a, b))) for a in members for b in members if a != b
                }
    for a, b in closed.subject_objects(OWL.differentFrom):
        if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
            rules.different.add(tuple(sorted((str(a), str(b)))))
    return rules


def _n3(term) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    return f"<{SKOLEM}value-{term}>"


#################################################################
# The instance rules as SPARQL, and the fixpoint
#################################################################


def _values(variables: str, rows: Iterable[tuple[str, ...]]) -> str:
    body = " ".join(
        "(" + " ".join(x if x.startswith(("<", '"')) else f"<{x}>" for x in row) + ")"
        for row in sorted(set(rows))
    )
    return f"VALUES ({variables}) {{ {body} }}"


# Rules whose schema side is closed under its own composition (subclasses, subproperties,
# inverses): what they derive in one round needs no second pass of the same rule, so they read
# a delta without their own conclusions (most of the delta, and most of the time otherwise).
SELF_CLOSED = ("cax", "spo", "inv")


@dataclass(frozen=True)
class Rule:
    """One instance rule as SPARQL: what it concludes (``head``, triple patterns) from ``body``,
    whose atoms are written D{...} (matched against the delta), F{...} (against everything
    known: the stated data and what was inferred so far) and N{...} (known not to hold)."""

    kind: str  # one of SELF_CLOSED, or "other"
    head: str
    body: str


def _same_iri(expression: str, variable: str) -> str:
    """``expression`` = ``variable`` for IRIs, written so that Virtuoso honours it too (inside
    a GRAPH pattern it finds a datatype IRI never equal to a variable that VALUES binds; their
    strings compare as they should)."""
    return f"(STR({expression}) = STR({variable}))"


# A rule that concludes something of ?y: only for IRIs and blank nodes (a literal has no types
# and is no subject).
_IRI_Y = "FILTER(!isLiteral(?y))"


def _rule_list(rules: Rules, propagate_equality: bool) -> list[Rule]:
    """The OWL 2 RL instance rules for ``rules``' schema, as SPARQL patterns."""
    found: list[Rule] = []

    def rule(head: str, body: str, kind: str = "other") -> None:
        """A rule whose body ends by checking that ``head`` is not already known (N)."""
        found.append(Rule(kind, head, f"{body} N{{ {head} }}"))

    def either_delta(head: str, table: str, first: str, second: str, rest: str = "") -> None:
        """A rule of two atoms, twice: the delta (D) on either atom, the other one full (F)."""
        for delta, full in ((first, second), (second, first)):
            rule(head, f"{table} D{{ {delta} }} F{{ {full} }}{rest}")

    type_pairs = [(c, s) for c, supers in rules.supers.items() for s in supers]
    if type_pairs:  # cax-sco, cax-eqc, cls-int2, cls-uni
        rule("?x a ?d", f"{_values('?c ?d', type_pairs)} D{{ ?x a ?c }}", "cax")
    spo = [(p, q) for p, qs in rules.property_supers.items() for q in qs]
    if spo:  # prp-spo1, prp-eqp
        rule("?x ?q ?y", f"{_values('?p ?q', spo)} D{{ ?x ?p ?y }}", "spo")
    inverse = [(p, q) for p, qs in rules.inverses.items() for q in qs]
    if inverse:  # prp-inv1, prp-inv2, prp-symp
        rule("?y ?q ?x", f"{_values('?p ?q', inverse)} D{{ ?x ?p ?y }} {_IRI_Y}", "inv")
    domains = [(p, c) for p, cs in rules.domains.items() for c in cs]
    if domains:  # prp-dom
        rule("?x a ?c", f"{_values('?p ?c', domains)} D{{ ?x ?p ?y }}")
    ranges = [(p, c) for p, cs in rules.ranges.items() for c in cs]
    if ranges:  # prp-rng
        rule("?y a ?c", f"{_values('?p ?c', ranges)} D{{ ?x ?p ?y }} {_IRI_Y}")
    if rules.has_value:  # cls-hv1, cls-hv2
        table = _values("?r ?p ?v", rules.has_value)
        rule("?x ?p ?v", f"{table} D{{ ?x a ?r }}")
        rule("?x a ?r", f"{table} D{{ ?x ?p ?v }}")
    svf_any = [(r, p) for r, p, c in rules.some_values if c == str(OWL.Thing)]
    svf_data = [(r, p, c) for r, p, c in rules.some_values if c.startswith(str(XSD))]
    svf_class = [
        row for row in rules.some_values if row[2] != str(OWL.Thing) and row not in svf_data
    ]
    if svf_any:  # cls-svf2
        rule("?x a ?r", f"{_values('?r ?p', svf_any)} D{{ ?x ?p ?y }}")
    if svf_data:  # cls-svf1 with a datatype: a literal is of its own datatype and its parents
        rows = [
            (r, p, dt)
            for r, p, c in svf_data
            for dt in [c, *(k for k, parents in _NUMERIC_PARENTS.items() if c in parents)]
        ]
        rule(
            "?x a ?r",
            f"{_values('?r ?p ?dt', rows)} D{{ ?x ?p ?y }} "
            f"FILTER(isLiteral(?y) && {_same_iri('datatype(?y)', '?dt')})",
        )
    if svf_class:  # cls-svf1, with the delta on either atom
        either_delta("?x a ?r", _values("?r ?p ?c", svf_class), "?x ?p ?y", "?y a ?c")
    if rules.all_values:  # cls-avf
        table = _values("?r ?p ?c", rules.all_values)
        either_delta("?y a ?c", table, "?x a ?r", "?x ?p ?y", f" {_IRI_Y}")
    for whole, members in rules.intersections:  # cls-int1
        others = " ".join(f"F{{ ?x a <{m}> }}" for m in members)
        rule(f"?x a <{whole}>", f"{_values('?m', [(m,) for m in members])} D{{ ?x a ?m }} {others}")
    if rules.transitive:  # prp-trp
        table = _values("?p", [(p,) for p in rules.transitive])
        either_delta("?x ?p ?z", table, "?x ?p ?y", "?y ?p ?z")
    same = f"<{OWL.sameAs}>"
    if rules.functional:  # prp-fp (IRIs only: distinct literals are a contradiction, not equal)
        table = _values("?p", [(p,) for p in rules.functional])
        distinct = "FILTER(!isLiteral(?a) && !isLiteral(?b) && !sameTerm(?a, ?b))"
        rule(f"?a {same} ?b", f"{table} D{{ ?x ?p ?a }} F{{ ?x ?p ?b }} {distinct}")
    if rules.inverse_functional:  # prp-ifp
        table = _values("?p", [(p,) for p in rules.inverse_functional])
        rule(f"?a {same} ?b", f"{table} D{{ ?a ?p ?y }} F{{ ?b ?p ?y }} FILTER(!sameTerm(?a, ?b))")
    if rules.max_one:  # cls-maxc2
        table = _values("?r ?p", rules.max_one)
        rest = " F{ ?x ?p ?b } FILTER(!isLiteral(?a) && !sameTerm(?a, ?b))"
        either_delta(f"?a {same} ?b", table, "?x a ?r", "?x ?p ?a", rest)
    # eq-sym, eq-trans
    rule(f"?y {same} ?x", f"D{{ ?x {same} ?y }}")
    rule(f"?x {same} ?z", f"D{{ ?x {same} ?y }} F{{ ?y {same} ?z }} FILTER(!sameTerm(?x, ?z))")
    if propagate_equality:  # eq-rep-s, eq-rep-o
        keep = f"FILTER(!sameTerm(?p, {same}))"
        rule("?t ?p ?o", f"D{{ ?s {same} ?t }} F{{ ?s ?p ?o }} {keep}")
        rule("?t ?p ?o", f"F{{ ?s {same} ?t }} D{{ ?s ?p ?o }} {keep}")
        rule("?s ?p ?t", f"D{{ ?o {same} ?t }} F{{ ?s ?p ?o }} {keep}")
        rule("?s ?p ?t", f"F{{ ?o {same} ?t }} D{{ ?s ?p ?o }} {keep}")
    return found


@dataclass(frozen=True)
class Where:
    """Where the rounds find the stated data and keep their delta graphs: in an embedded store,
    the default graph; in a server, the default graph or a named one (``stated``), with delta
    graphs of the run's own (``deltas``), so that a run interrupted there can be cleaned up."""

    stated: str | None = None  # a graph IRI; None: the default graph
    deltas: str = DELTA_GRAPH.value  # the prefix of the delta graphs' IRIs

    def pattern(self, pattern: str) -> str:
        """``pattern`` matched against the stated data (one group)."""
        if self.stated is None:
            return f"{{ {pattern} }}"
        return f"{{ GRAPH <{self.stated}> {{ {pattern} }} }}"

    def delta_graph(self, kind: str, parity: int) -> str:
        """The delta graph a rule of ``kind`` reads (or, for the next round, is written to); two
        sets of names, by round parity, so that one round reads while the next is written."""
        suffix = "" if kind == "other" else f":{kind}"
        return f"{self.deltas}{suffix}:{parity}"

    def delta_graphs(self) -> list[str]:
        """Every delta graph a run may write."""
        return [self.delta_graph(k, p) for k in ("other", *SELF_CLOSED) for p in (0, 1)]


IN_STORE = Where()


class Backend(Protocol):
    """What the closure asks of the store it runs in: SPARQL updates, dropping a graph and
    counting one (pyoxigraph in memory or on disk; a SPARQL server over HTTP)."""

    def update(self, text: str) -> None: ...

    def drop(self, graph: str) -> None: ...

    def size(self, graph: str) -> int: ...


class StoreBackend:
    """A pyoxigraph store as a closure Backend."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def update(self, text: str) -> None:
        self.store.update(text)

    def drop(self, graph: str) -> None:
        self.store.remove_graph(ox.NamedNode(graph))

    def size(self, graph: str) -> int:
        return _size(self.store, ox.NamedNode(graph))


_ATOM = re.compile(r"([DFN])\{([^{}]*)\}")


def _update(
    rule: Rule, target: str, parity: int, first_round: bool, where: Where = IN_STORE
) -> str:
    """``rule`` as one SPARQL update: its conclusions go into ``target`` and into the next
    round's deltas (those of the self-closed rules only where another kind derived them)."""
    t = target

    def atom(match: re.Match) -> str:
        letter, pattern = match.group(1), match.group(2)
        if letter == "D":
            if first_round:  # the delta is then the stated data itself
                return where.pattern(pattern)
            return f"GRAPH <{where.delta_graph(rule.kind, parity)}> {{ {pattern} }}"
        if letter == "F":
            return f"{{ {where.pattern(pattern)} UNION {{ GRAPH <{t}> {{ {pattern} }} }} }}"
        return (
            f"FILTER NOT EXISTS {where.pattern(pattern)} "
            f"FILTER NOT EXISTS {{ GRAPH <{t}> {{ {pattern} }} }}"
        )

    following = 1 - parity
    into = [target, where.delta_graph("other", following)]
    # A self-closed rule's own delta gets only what can trigger it: type triples for cax,
    # property values for spo and inv (a copy of every conclusion would double the writes).
    predicate = rule.head.split()[1]
    readers = {"a": ("cax",)}.get(
        predicate, ("spo", "inv") if predicate.startswith("<") else SELF_CLOSED
    )
    into += [where.delta_graph(kind, following) for kind in readers if kind != rule.kind]
    head = " ".join(f"GRAPH <{g}> {{ {rule.head} }}" for g in into)
    return f"INSERT {{ {head} }} WHERE {{ {_ATOM.sub(atom, rule.body)} }}"


@dataclass
class Closure:
    """What a closure run did: rounds, triples inferred (kept and in all)."""

    rounds: int = 0
    derived: int = 0
    kept: int = 0


def close(
    store: ox.Store,
    rules: Rules,
    target: ox.NamedNode,
    deadline: float | None = None,
    propagate_equality: bool = True,
) -> Closure:
    """Add to graph ``target`` of ``store`` what the OWL 2 RL rules derive from the stated data
    (the default graph) and from ``target`` itself, to a fixpoint; then drop the working
    triples (skolemised class expressions, the delta graphs). Everything runs inside Oxigraph,
    as SPARQL updates: no triple passes through Python. Without ``propagate_equality``,
    owl:sameAs is derived but not copied between nodes (the eq-rep rules), so that a
    contradiction can be traced to the facts that caused it rather than to everything it
    spread to."""
    return close_in(StoreBackend(store), rules, target.value, IN_STORE, deadline,
                    propagate_equality)  # fmt: skip


def close_in(
    backend: Backend,
    rules: Rules,
    target: str,
    where: Where = IN_STORE,
    deadline: float | None = None,
    propagate_equality: bool = True,
) -> Closure:
    """``close`` in any Backend, the stated data and delta graphs where ``where`` says."""
    found = _rule_list(rules, propagate_equality)
    result = Closure()

    def drop_deltas() -> None:
        for graph in where.delta_graphs():
            backend.drop(graph)

    drop_deltas()
    parity, first_round = 0, True
    while True:
        result.rounds += 1
        for rule in found:
            if deadline is not None and time.monotonic() > deadline:
                drop_deltas()
                raise TimeoutError("the OWL 2 RL closure did not finish in time")
            started = time.monotonic()
            backend.update(_update(rule, target, parity, first_round, where))
            if _TRACE:
                print(f"{time.monotonic() - started:6.2f}s {rule.kind} round {result.rounds}: "
                      f"{rule.head} <- {rule.body[-80:]}")  # fmt: skip
        for kind in ("other", *SELF_CLOSED):
            backend.drop(where.delta_graph(kind, parity))
        parity = 1 - parity
        added = backend.size(where.delta_graph("other", parity))
        if not added:
            break
        result.derived += added
        first_round = False
    drop_deltas()
    backend.update(drop_working_triples(target))
    result.kept = backend.size(target)
    return result


def _size(store: ox.Store, graph: ox.NamedNode) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


def drop_working_triples(target: str) -> str:
    """The update removing from ``target`` what only the rounds needed: types and values naming
    skolemised class expressions, owl:Thing types, and owl:sameAs of a node with itself."""
    return (
        f"DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{target}> "
        f"{{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?o), '{SKOLEM}') || STRSTARTS(STR(?s), '{SKOLEM}')"
        f" || (?p = <{RDF.type}> && ?o IN (<{OWL.Thing}>, <{RDFS.Resource}>,"
        f" <{OWL.NamedIndividual}>))) }}"
    )


#################################################################
# Contradictions: cheap checks in the store, then the facts behind each
#################################################################


def _xsd(name: str) -> str:
    return f"<{XSD}{name}>"


_NUMERIC_TYPES = ", ".join(
    _xsd(n)
    for n in (
        "decimal", "integer", "double", "float", "int", "long", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
        "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip


# The datatypes whose literals the dt-not-type check reads (what Oxigraph can tell ill-typed).
CHECKED_DATATYPES = frozenset(
    [*(t.strip()[1:-1] for t in _NUMERIC_TYPES.split(",")),
     *(f"{XSD}{name}" for name in ("dateTime", "date", "boolean"))]
)  # fmt: skip


def _ill_typed_queries() -> list[str]:
    """dt-not-type: SELECT queries of the nodes holding a literal not valid for its datatype."""
    queries = [
        f"SELECT DISTINCT ?x WHERE {{ ?x ?p ?o FILTER(isLiteral(?o) && "
        f"datatype(?o) IN ({_NUMERIC_TYPES}) && !isNumeric(?o)) }}"
    ]
    for name in ("dateTime", "date", "boolean"):
        queries.append(
            f"SELECT DISTINCT ?x WHERE {{ ?x ?p ?o FILTER(isLiteral(?o) && "
            f"datatype(?o) = {_xsd(name)}) BIND(COALESCE({_xsd(name)}(STR(?o)), '!') AS ?v) "
            f"FILTER(sameTerm(?v, '!')) }}"
        )
    return queries


def ill_typed(store: ox.Store, limit: int = 50) -> list:
    """Nodes of the default graph holding a literal not valid for its datatype."""
    found: dict = {}
    for query in _ill_typed_queries():
        for row in store.query(query):
            found.setdefault(row["x"], None)
            if len(found) >= limit:
                return list(found)
    return list(found)


def rule_predicates(rules: Rules) -> set[str]:
    """The properties some rule or check reads: a literal value of any other property can
    neither trigger a rule nor take part in a contradiction (the eq-rep rules aside)."""
    found = set(rules.property_supers) | set(rules.inverses) | set(rules.domains)
    found |= set(rules.ranges) | rules.transitive | rules.functional | rules.inverse_functional
    found |= rules.asymmetric | rules.irreflexive | set(rules.datatype_ranges)
    for table in (rules.has_value, rules.some_values, rules.all_values):
        found |= {p for _r, p, _x in table}
    found |= {p for _r, p in rules.max_one}
    for qs in (*rules.property_supers.values(), *rules.inverses.values()):
        found |= qs
    return found


def _plain(pattern: str) -> str:
    return f"{pattern} ."


def _check_queries(
    rules: Rules, literals: bool = True, known: Callable[[str], str] = _plain
) -> list[str]:
    """SELECT queries whose ?x rows are individuals (or nodes) that may be in a contradiction;
    the diagnosis afterwards decides, and words it. ``known(pattern)`` matches a triple pattern
    against what is known (stated or inferred): by default the query's default graph, which
    the caller makes the union of both."""
    k = known
    same = f"<{OWL.sameAs}>"
    queries = []
    if rules.disjoint:  # cax-dw, cax-adc
        queries.append(
            f"SELECT DISTINCT ?x WHERE {{ {_values('?a ?b', rules.disjoint)} "
            f"{k('?x a ?a')} {k('?x a ?b')} }}"
        )
    queries.append(f"SELECT DISTINCT ?x WHERE {{ {k(f'?x a <{OWL.Nothing}>')} }}")  # cls-nothing2
    if rules.functional:  # prp-fp against distinct values
        table = _values("?p", [(p,) for p in rules.functional])
        queries.append(
            f"SELECT DISTINCT ?x WHERE {{ {table} {k('?x ?p ?a')} {k('?x ?p ?b')} "
            f"FILTER(isLiteral(?a) && isLiteral(?b) && !sameTerm(?a, ?b) && ?a != ?b) }}"
        )
        if rules.different:
            queries.append(
                f"SELECT DISTINCT ?x WHERE {{ {table} {_values('?a ?b', rules.different)} "
                f"{k('?x ?p ?a')} {k('?x ?p ?b')} }}"
            )
    if rules.inverse_functional and rules.different:  # prp-ifp against different nodes
        table = _values("?p", [(p,) for p in rules.inverse_functional])
        queries.append(
            f"SELECT DISTINCT ?x WHERE {{ {table} {_values('?x ?b', rules.different)} "
            f"{k('?x ?p ?y')} {k('?b ?p ?y')} }}"
        )
    if rules.different:  # eq-diff1
        queries.append(
            f"SELECT DISTINCT ?x WHERE {{ {_values('?x ?b', rules.different)} "
            f"{{ {k(f'?x {same} ?b')} }} UNION {{ {k(f'?b {same} ?x')} }} }}"
        )
    if rules.asymmetric:  # prp-asyp
        table = _values("?p", [(p,) for p in rules.asymmetric])
        queries.append(f"SELECT DISTINCT ?x WHERE {{ {table} {k('?x ?p ?y')} {k('?y ?p ?x')} }}")
    if rules.irreflexive:  # prp-irp
        table = _values("?p", [(p,) for p in rules.irreflexive])
        queries.append(f"SELECT DISTINCT ?x WHERE {{ {table} {k('?x ?p ?x')} }}")
    if literals:
        queries += _ill_typed_queries()
    if rules.datatype_ranges:  # data ranges: values of another datatype, checked one by one
        table = _values("?p ?r", rules.datatype_ranges.items())
        queries.append(
            f"SELECT DISTINCT ?x ?p ?o WHERE {{ {table} {k('?x ?p ?o')} "
            f"FILTER(!isLiteral(?o) || !{_same_iri('datatype(?o)', '?r')}) }}"
        )
    return queries


def suspects(
    store: ox.Store, rules: Rules, dataset: list, limit: int = 50, literals: bool = True
) -> list:
    """Nodes that may take part in a contradiction (pyoxigraph terms, at most ``limit``);
    without ``literals``, ill-typed literals are not looked for (see ill_typed)."""

    def select(text: str) -> list[tuple]:
        return [tuple(row) for row in store.query(text, default_graph=dataset)]

    return suspects_in(select, _check_queries(rules, literals), rules, limit)


def suspects_in(
    select: Callable[[str], list[tuple]], queries: list[str], rules: Rules, limit: int = 50
) -> list:
    """The ?x of the rows ``select`` gives for the check ``queries`` (at most ``limit``), data
    range rows (?x ?p ?o) counted only where the value lies outside the range."""
    from mktgraph.graph import term_converter
    from mktgraph.reason import _within

    convert = term_converter()
    found: dict = {}
    for query in queries:
        for row in select(query):
            x = row[0]
            if len(row) == 3:  # a data range check: only values outside the range count
                value = convert(row[2])
                datatype = rules.datatype_ranges[row[1].value]
                if isinstance(value, Literal) and _within(
                    value, URIRef(str(XSD.dateTime) if datatype == str(XSD.dateTime) else datatype)
                ):
                    continue
                if (
                    isinstance(value, Literal)
                    and datatype == str(XSD.dateTime)
                    and value.datatype == XSD.date
                ):
                    continue  # mktgraph reads xsd:date as midnight (OWL 2 has no xsd:date)
            found.setdefault(x, None)
            if len(found) >= limit:
                return list(found)
    return list(found)


def has_equalities(store: ox.Store, graph: ox.NamedNode) -> bool:
    """Whether ``graph`` holds an owl:sameAs between two different nodes."""
    return any(q.subject != q.object for q in store.quads_for_pattern(None, _SAME_AS, None, graph))


def neighbourhood(store: ox.Store, nodes: list, stated: list) -> Graph:
    """The stated triples about ``nodes`` and their neighbours, as an rdflib Graph: what the
    diagnosis reads."""
    from mktgraph.graph import term_converter

    convert = term_converter()
    graph = Graph()
    around = set(nodes)
    for node in nodes:
        for g in stated:
            for quad in store.quads_for_pattern(node, None, None, g):
                if not isinstance(quad.object, ox.Literal):
                    around.add(quad.object)
            for quad in store.quads_for_pattern(None, None, node, g):
                around.add(quad.subject)
    for node in around:
        for g in stated:
            for quad in store.quads_for_pattern(node, None, None, g):
                graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph
