"""Evaluating SHACL Core shapes as SPARQL queries run by Oxigraph, with pySHACL's semantics.

Every shape is evaluated against a *focus pattern*: a SPARQL group pattern that binds one
variable to the shape's focus nodes (its targets at the top; the value nodes of an enclosing
shape when it is reached through sh:node, sh:not, sh:and, sh:or or sh:xone). One query per
property shape finds the values that may break a value-type, range, string or list constraint:
SPARQL proves a value good only where that is certain, and the few doubtful values are judged in
Python exactly as pySHACL does (checks.py). Cardinalities are GROUP BY queries; property pairs,
hasValue and closed shapes are single queries; logical constraints combine the sets of nodes that
fail the member shapes. Nothing is copied out of the store but the rows that may be results.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from mktgraph.fastshacl import checks, lexical
from mktgraph.fastshacl.shapes import Shape, ShapesModel
from mktgraph.graph import DERIVED_INTEGERS
from mktgraph.stores import StoreError

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
_XSD_STRING = f"<{XSD.string}>"
# sh:datatype xsd:string, on the store. Each function Oxigraph applies to a value reads the value
# afresh (a lookup of its string); STRDT gives a literal only of a simple literal, so this is one
# read, where datatype() = xsd:string costs that and an IRI per row.
_STRING_DATATYPE = f"isLiteral(STRDT({{v}}, {_XSD_STRING}))"
_RDFS_RESOURCE = ox.NamedNode(str(RDFS.Resource))
_OX_RDF_TYPE = ox.NamedNode(str(RDF.type))

# A day that exists in every year (29 February goes to Python).
_DAY = (
    "[1-9][0-9]{3}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    "|02-(0[1-9]|1[0-9]|2[0-8]))"
)
# Lexical forms that are surely well typed for rdflib (and so for pySHACL); a literal of the
# datatype that does not match goes to Python, which decides exactly.
SAFE_LEXICAL = {
    XSD.integer: "^[+-]?[0-9]+$",
    XSD.decimal: "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$",
    XSD.date: f"^{_DAY}$",
    XSD.dateTime: f"^{_DAY}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    "(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?$",
    XSD.boolean: "^(true|false)$",
}
# Datatypes whose well-typed values SPARQL compares exactly as Python does.
_ORDERED = (XSD.integer, XSD.decimal, XSD.date)
_RANGE_OPERATORS = {
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


# Joining focus nodes to their values (Engine.looks_up): up to this many focus nodes may be
# looked up one by one, where the path has at least _LOOKUP_COST times as many triples. In a
# store in memory a lookup costs less (a hash map, not a seek in RocksDB), and more focus nodes
# may be: at 3M triples, 25,000 customers have names among 340,000; looked up, their checks
# take a fifth of a sweep of the names there (and more than the sweep on disk).
_FEW_FOCUS_NODES = 20_000
_FEW_FOCUS_NODES_IN_MEMORY = 50_000
_LOOKUP_COST = 8
_FRESH = re.compile(r"\?_v[0-9]+")
# The pattern of a path that is one IRI, neither recorded nor with subproperties (Engine.step).
_ONE_TRIPLE = re.compile(r"\?this <[^<>\s]+> \?value \.")
# The instances of a class without subclasses, domains or ranges (Engine.instance_pattern).
_ONE_TYPE = re.compile(re.escape(f"?value <{RDF.type}> <") + r"[^<>\s]+> \.")

# Constraints that judge each value node on its own (a node shape of only these is a test of a
# value: sh:or of such shapes is decided in one query).
_PER_VALUE_PARAMETERS = {
    SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.minExclusive, SH.minInclusive,
    SH.maxExclusive, SH.maxInclusive, SH.minLength, SH.maxLength, SH.pattern, SH.languageIn,
}  # fmt: skip


class Unsupported(Exception):
    """Something in a shape that the fast path cannot compile: pySHACL takes that shape."""


@dataclass(frozen=True)
class Result:
    """One validation result: the terms are pyoxigraph's (focus, value) and rdflib's (path)."""

    focus: Any
    value: Any
    component: URIRef
    shape: Shape
    path: Any = None  # overrides the shape's path (sh:closed names the offending predicate)
    rule: Any = None  # the constraint's parameter value, for the generic message
    details: tuple = ()  # sh:node: the value's own results, reported through sh:detail


def _bounds(shapes: list[Shape]) -> list[tuple[Shape, int | None, int | None]]:
    """(shape, sh:minCount, sh:maxCount) of the shapes with a cardinality (a minimum of 0 is
    none)."""
    bounds = []
    for shape in shapes:
        minimum = next((int(v.value) for v in shape.values(SH.minCount)), None)
        maximum = next((int(v.value) for v in shape.values(SH.maxCount)), None)
        if minimum == 0:
            minimum = None
        if minimum is not None or maximum is not None:
            bounds.append((shape, minimum, maximum))
    return bounds


@dataclass
class _Check:
    """One per-value test of a shape: a SPARQL expression that is true only for surely good
    values, and (unless the SPARQL verdict is exact) the exact Python test."""

    component: URIRef
    safe: str  # SPARQL expression with {v} for the value
    exact: bool
    python: Callable[[Any], bool] | None = None
    rule: Any = None
    good: str | None = None  # a pattern binding {v} to good values: checked with MINUS instead

    @property
    def python_only(self) -> bool:
        """SPARQL proves no value good (a sh:pattern REGEX cannot read): Python judges all."""
        return self.good is None and self.safe == "false" and self.python is not None


def sparql_term(term, canonicalise: lexical.Canonicaliser | None = None) -> str:
    """An rdflib IRI or literal as SPARQL text (blank nodes cannot be named in a query); with
    ``canonicalise``, a literal the store would rewrite is written encoded, as the records of
    the data as written hold it (see lexical.py)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    return str(constant_literal(term, canonicalise))


def constant_literal(term, canonicalise: lexical.Canonicaliser | None = None) -> ox.Literal:
    """An rdflib literal of a shape as the pyoxigraph literal a query names (see sparql_term)."""
    if not isinstance(term, Literal):
        raise Unsupported(f"a blank node ({term}) used as a constant in a constraint")
    if term.language:
        literal = ox.Literal(str(term), language=term.language)
    else:
        datatype = term.datatype or XSD.string
        literal = ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    if canonicalise is not None:
        literal = lexical.written_term(literal, canonicalise)
    return literal


def _string_literal(text: str) -> str:
    return str(ox.Literal(text))


def _safe_form(var: str, datatype) -> str:
    """A SPARQL test: the lexical form of ``var`` is one rdflib surely reads as ``datatype``."""
    return f"REGEX(STR({var}), {_string_literal(SAFE_LEXICAL[datatype])})"


_RDFS_META = {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range}
# Classes whose instances RDFS entails wholesale (every node, every predicate...).
_RDFS_CLASSES = {
    RDFS.Resource,
    RDFS.Class,
    RDF.Property,
    RDFS.Literal,
    RDFS.Datatype,
    RDFS.ContainerMembershipProperty,
}


def _closure(edges: dict, start) -> set:
    found = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in found:
                found.add(nxt)
                stack.append(nxt)
    return found


@dataclass
class _Schema:
    """The RDFS statements of the store (ontology and data): small, read once."""

    subclasses: dict  # class -> its direct subclasses
    subproperties: dict  # property -> its direct subproperties
    domains: dict  # class -> properties with that domain
    ranges: dict  # class -> properties with that range

    @classmethod
    def read(cls, engine: Engine) -> _Schema:
        tables = []
        for predicate in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
            table: dict = defaultdict(set)
            for row in engine.select(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
                table[engine.to_rdflib(row[1])].add(engine.to_rdflib(row[0]))
            tables.append(table)
        schema = cls(*tables)
        if engine.rdfs:
            for meta in _RDFS_META:
                below = _closure(schema.subproperties, meta) - {meta}
                if below:
                    raise Unsupported(
                        f"properties declared subproperties of <{meta}> (RDFS meta-modelling)"
                    )
        return schema


def term_converter() -> Callable[[Any], Any]:
    """A converter of pyoxigraph terms to rdflib terms, encoded literals given back as written;
    it remembers what it converted (IRIs and many literals repeat across rows)."""
    from mktgraph.graph import term_converter as converter

    return converter(lexical.decode)


class Engine:
    """Evaluates shapes over one graph (data plus ontology) through a query runner."""

    def __init__(
        self,
        runner,
        model: ShapesModel,
        inference: str = "none",
        *,
        derived_integers_collapsed: bool = False,
        as_written: bool | None = None,
    ) -> None:
        if inference not in ("none", "rdfs"):
            raise ValueError(f"the fast path does not do {inference!r} inference")
        if isinstance(runner, ox.Store):
            from mktgraph.fastshacl.runner import StoreRunner

            runner = StoreRunner(runner)
        self.runner = runner
        self.model = model
        self.rdfs = inference == "rdfs"
        # Whether the graph holds records of literals as written (lexical.py): then every step
        # to a value reads them, and constants are written as they are recorded.
        self.records = getattr(runner, "record_graphs", lexical.RecordGraphs())
        layout = getattr(runner, "layout", None)
        self.remote = layout is not None  # a server: what comes back costs bytes
        # A store in memory: looking a triple up costs little (see _FEW_FOCUS_NODES).
        self.cheap_lookups = bool(getattr(runner, "in_memory", False))
        self.few_focus_nodes = (
            _FEW_FOCUS_NODES_IN_MEMORY if self.cheap_lookups else _FEW_FOCUS_NODES
        )
        self.transitive_paths_join = layout is None or layout.transitive_paths_join
        self.values_in_union = layout is None or layout.values_in_union
        self.one_row_values = layout is None or layout.one_row_values
        self.constant_language_tags = layout is None or layout.constant_language_tags
        self.coalesce_binds = layout is None or layout.coalesce_binds
        self.same_term_literals = layout is None or layout.same_term_literals
        # The predicates of the recorded triples: a step along another reads no record.
        self.recorded = (
            lexical.recorded_predicates(runner.select, self.records)
            if as_written is not False
            else frozenset()
        )
        if as_written is None:
            as_written = bool(self.recorded)
        self.as_written = as_written
        self.canonicalise = lexical.Canonicaliser() if self.as_written else None
        self.derived_integers_collapsed = derived_integers_collapsed and not self.as_written
        self.notes: set[str] = set()  # things the user should know about the results
        self.to_rdflib = term_converter()
        # itertools.count: one number per call even when threads build queries at once
        self._fresh_numbers = itertools.count(1)
        self._schema: _Schema | None = None
        self._counted: dict[tuple[str, int], int] = {}  # Engine._count
        self.queries_run = 0
        self._count_lock = threading.Lock()

    # -- helpers ------------------------------------------------------------------------------

    def fresh(self) -> str:
        return f"?_v{next(self._fresh_numbers)}"

    def select(self, text: str):
        with self._count_lock:
            self.queries_run += 1
        return self.runner.select(text)

    def typed(self, var: str, datatype) -> str:
        """A SPARQL test: ``var`` is a well-formed literal of ``datatype`` (one of
        ``SAFE_LEXICAL``'s). In Oxigraph, ``datatype(?v)`` builds an IRI for every row (a few
        microseconds each) while a cast of a typed value is nearly free: the cast gives the very
        same term back only for a literal of that datatype with a valid value. A server gets the
        plain form, whose meaning no dialect can bend."""
        if self.remote:
            return f"(isLiteral({var}) && datatype({var}) = <{datatype}>)"
        return f"sameTerm(<{datatype}>({var}), {var})"

    def term(self, node) -> str:
        """A constant of a shape as SPARQL text, matching the data as written."""
        return sparql_term(node, self.canonicalise)

    def step(self, subject: str, predicate: str, obj: str) -> str:
        """One forward step to a value (``predicate`` an IRI, path or variable)."""
        if self.as_written:
            return lexical.value_step(subject, predicate, obj, self.records, self.recorded)
        return f"{subject} {predicate} {obj} ."

    @property
    def schema(self) -> _Schema:
        if self._schema is None:
            self._schema = _Schema.read(self)
        return self._schema

    def subclasses(self, cls) -> set:
        """``cls`` and its subclasses through rdfs:subClassOf in the data and ontology (as
        pySHACL's transitive_subjects over the data graph mixed with the ontology)."""
        return _closure(self.schema.subclasses, cls)

    def subproperties(self, prop) -> set:
        """``prop`` and, with RDFS inference, its subproperties: the predicates whose triples
        entail triples of ``prop``."""
        if not self.rdfs:
            return {prop}
        return _closure(self.schema.subproperties, prop)

    def predicate(self, prop) -> str:
        """A predicate as a SPARQL path: with RDFS inference, the alternatives of the
        predicates that entail it (rdfs7), so no entailed triple is ever written down."""
        if not isinstance(prop, URIRef):
            raise Unsupported(f"a predicate that is not an IRI ({prop})")
        if self.rdfs and prop in _RDFS_META:
            raise Unsupported(f"<{prop}> in a path or pair constraint under RDFS inference")
        props = self.subproperties(prop)
        if len(props) == 1:
            return f"<{prop}>"
        if any(not isinstance(p, URIRef) for p in props):
            raise Unsupported(f"a blank-node subproperty of <{prop}>")
        return "(" + "|".join(sorted(f"<{p}>" for p in props)) + ")"

    def instance_pattern(self, var: str, cls, *, nodes_only: bool = False) -> str:
        """A pattern binding ``var`` to the SHACL instances of ``cls``: typed with it or one of
        its subclasses; with RDFS inference also through the domains and ranges (rdfs2, rdfs3)
        of the properties that entail a triple of the node (the same nodes may come twice).
        ``nodes_only``: never a literal (which a range would type, but is never an instance
        for pySHACL); only a range can bind one, so only its branch filters, sparing a test of
        every instance."""
        if not isinstance(cls, URIRef):
            raise Unsupported(f"a blank node class ({cls})")
        classes = self.subclasses(cls)
        if self.rdfs and classes & _RDFS_CLASSES:
            raise Unsupported(f"RDFS's own classes under <{cls}> with RDFS inference")
        named = sorted(c for c in classes if isinstance(c, URIRef))
        blank_subclasses = len(named) < len(classes)
        if blank_subclasses and self.transitive_paths_join:
            # Blank-node subclasses cannot be listed: the closure as a path, which Oxigraph
            # walks from the class.
            typed = f"{var} {_RDF_TYPE}/{_SUBCLASS}* <{cls}> ."
        elif len(named) == 1:
            typed = f"{var} {_RDF_TYPE} <{named[0]}> ."
        else:
            klass = self.fresh()
            listed = " ".join(f"<{c}>" for c in named)
            typed = f"VALUES {klass} {{ {listed} }} {var} {_RDF_TYPE} {klass} ."
        if blank_subclasses and not self.transitive_paths_join:
            # Virtuoso joins rdf:type/rdfs:subClassOf* with nothing (Layout.transitive_paths_join):
            # the listed classes, and the instances of blank-node subclasses through a path.
            blank = self.fresh()
            typed = (
                f"{{ {typed} }} UNION {{ {var} {_RDF_TYPE} {blank} . FILTER(isBlank({blank})) "
                f"{blank} {_SUBCLASS}+ <{cls}> . }}"
            )
        if not self.rdfs:
            return typed
        parts = [typed]
        for table, template in (
            (self.schema.domains, "{v} {p} {o} ."),
            (self.schema.ranges, "{o} {p} {v} ."),
        ):
            props = set()
            for klass in classes:
                for prop in table.get(klass, ()):
                    props |= self.subproperties(prop)
            literal_filter = (
                f" FILTER(!isLiteral({var}))" if nodes_only and "{o} {p}" in template else ""
            )
            for prop in sorted(props, key=str):
                if not isinstance(prop, URIRef):
                    raise Unsupported("a blank-node property with a domain or range")
                parts.append(template.format(v=var, p=f"<{prop}>", o=self.fresh()) + literal_filter)
        if len(parts) == 1:
            return typed
        return " UNION ".join("{ " + part + " }" for part in parts)

    def path_sparql(self, path, inverse: bool = False, depth: int = 0) -> str:
        """A SHACL property path as a SPARQL path, inverses pushed down as pySHACL does."""
        g = self.model.graph
        if depth > 10:
            raise Unsupported("a property path nested too deeply")
        if isinstance(path, URIRef):
            return f"^{self.predicate(path)}" if inverse else self.predicate(path)
        if isinstance(path, Literal):
            raise Unsupported("a literal as a property path")
        if (path, RDF.first, None) in g:
            members = self.model.items(path)
            if len(members) < 2:
                raise Unsupported("a sequence path of fewer than two steps")
            steps = [self.path_sparql(m, inverse, depth + 1) for m in members]
            return "(" + " / ".join(steps) + ")"
        for predicate, build in (
            (SH.inversePath, None),
            (SH.alternativePath, "alt"),
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = g.value(path, predicate)
            if inner is None:
                continue
            if build is None:
                return self.path_sparql(inner, not inverse, depth + 1)
            if build == "alt":
                members = self.model.items(inner)
                if len(members) < 2:
                    raise Unsupported("an alternative path of fewer than two members")
                return (
                    "(" + " | ".join(self.path_sparql(m, inverse, depth + 1) for m in members) + ")"
                )
            return f"({self.path_sparql(inner, inverse, depth + 1)}){build}"
        raise Unsupported(f"a malformed property path ({path})")

    def path_pattern(
        self, path, subject: str, obj: str, inverse: bool = False, depth: int = 0
    ) -> str:
        """A group pattern joining ``subject`` to ``obj`` along a SHACL path. Sequences become
        chains of triple patterns and alternatives UNIONs (Oxigraph plans these far better
        than the same property path inside FILTER NOT EXISTS); repetitions stay paths."""
        g = self.model.graph
        if depth > 10:
            raise Unsupported("a property path nested too deeply")
        if isinstance(path, URIRef):
            predicate = self.predicate(path)
            return (
                f"{obj} {predicate} {subject} ." if inverse else self.step(subject, predicate, obj)
            )
        if isinstance(path, BNode) and (path, RDF.first, None) in g:
            members = self.model.items(path)
            if len(members) < 2:
                raise Unsupported("a sequence path of fewer than two steps")
            nodes = [subject] + [self.fresh() for _ in members[:-1]] + [obj]
            # pySHACL walks the steps in their order even under an inverse (see path_sparql).
            return " ".join(
                self.path_pattern(m, nodes[i], nodes[i + 1], inverse, depth + 1)
                for i, m in enumerate(members)
            )
        inner = g.value(path, SH.inversePath) if isinstance(path, BNode) else None
        if inner is not None:
            return self.path_pattern(inner, subject, obj, not inverse, depth + 1)
        alternatives = g.value(path, SH.alternativePath) if isinstance(path, BNode) else None
        if alternatives is not None:
            members = self.model.items(alternatives)
            if len(members) < 2:
                raise Unsupported("an alternative path of fewer than two members")
            return " UNION ".join(
                "{ " + self.path_pattern(m, subject, obj, inverse, depth + 1) + " }"
                for m in members
            )
        return f"{subject} {self.path_sparql(path, inverse, depth)} {obj} ."

    def same_term(self, var: str, constant) -> str:
        """A test that ``var`` is the term ``constant`` (an rdflib term of the shapes)."""
        if self.same_term_literals or not isinstance(constant, Literal):
            return f"sameTerm({var}, {self.term(constant)})"
        # Layout.same_term_literals: a literal is the same literal by its parts, written out
        # (the server's LANG and DATATYPE of a constant are not to be trusted either).
        literal = constant_literal(constant, self.canonicalise)
        test = (
            f"isLiteral({var}) && STR({var}) = {_string_literal(literal.value)} && "
            f"LANG({var}) = {_string_literal(literal.language or '')}"
        )
        if literal.language is None:
            test += f" && DATATYPE({var}) = <{literal.datatype.value}>"
        return f"({test})"

    def verdict(self, test: str) -> str:
        """A check's test as a boolean to BIND: an error counts as false."""
        if self.coalesce_binds:
            return f"COALESCE({test}, false)"
        # Layout.coalesce_binds: the same verdict, in a form the server binds right.
        return f"IF(COALESCE({test}, false), true, false)"

    # -- focus patterns -----------------------------------------------------------------------

    def target_focus(self, shape: Shape) -> Callable[[str], str] | None:
        parts: list[Callable[[str], str]] = []
        if shape.target_nodes:
            listed = " ".join(self.term(n) for n in shape.target_nodes)
            if self.values_in_union:
                parts.append(lambda v, listed=listed: f"VALUES {v} {{ {listed} }}")
            else:  # Layout.values_in_union: in a subquery, the other targets keep their nodes
                parts.append(
                    lambda v, listed=listed: (
                        f"{{ SELECT {v} WHERE {{ VALUES {v} {{ {listed} }} }} }}"
                    )
                )
        for cls in shape.target_classes:
            if not isinstance(cls, (URIRef, BNode)):
                continue
            parts.append(lambda v, cls=cls: self.instance_pattern(v, cls))
        for predicate in shape.target_subjects_of:
            parts.append(lambda v, p=predicate: f"{v} {self.predicate(p)} {self.fresh()} .")
        for predicate in shape.target_objects_of:
            parts.append(lambda v, p=predicate: self.step(self.fresh(), self.predicate(p), v))
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return lambda v: " UNION ".join("{ " + part(v) + " }" for part in parts)

    def value_clause(self, shape: Shape, this: str, value: str, *, focus) -> str:
        """The pattern joining a focus node (of the pattern ``focus``) to its value nodes. A path
        without repetition goes in a subquery: Oxigraph then hash-joins it with the focus
        pattern, reading the predicate's triples in one sweep, instead of looking up each focus
        node's values in turn (about four times faster on a million triples)."""
        zero = self._zero_or(shape.path)
        if zero is not None:
            # The focus node is a value of a zero-or-more or zero-or-one path even when the
            # graph has no triple of it (SPARQL's zero-length path only finds nodes of the graph).
            repeat, predicate = zero
            focus_nodes = f"{{ SELECT DISTINCT {this} WHERE {{ {focus(this)} }} }}"
            if repeat == "*":
                middle = self.fresh()
                more = f"{this} ({predicate})* {middle} . {self.step(middle, predicate, value)}"
            else:
                more = self.step(this, predicate, value)
            return f"{{ {{ {focus_nodes} BIND({this} AS {value}) }} UNION {{ {more} }} }}"
        pattern = self.path_pattern(shape.path, this, value)
        if self._repeats(shape.path) or self.looks_up(focus, pattern):
            return pattern
        return f"{{ SELECT {this} {value} WHERE {{ {pattern} }} }}"

    def looks_up(self, focus: Callable[[str], str], pattern: str) -> bool:
        """Whether to join the focus nodes to their values by looking up each focus node's
        values (a pattern joined as it is), rather than by reading the whole path in one sweep
        and hash-joining (the pattern in a subquery): a lookup costs about what reading
        ``_LOOKUP_COST`` triples does, so it wins when the focus nodes are few and the path
        has many more triples (630 segments among 112,000 names). Both counts stop early."""
        if self.remote:
            return False  # a server plans its own joins
        few = self.few_focus_nodes
        nodes = self._count(f"SELECT ?this WHERE {{ {focus('?this')} }}", few)
        if nodes >= few:
            return False
        enough = nodes * _LOOKUP_COST + 1
        return self._count(f"SELECT * WHERE {{ {pattern} }}", enough) >= enough

    def _count(self, select: str, limit: int) -> int:
        """How many rows ``select`` has, counted up to ``limit``; remembered (the fresh
        variables in the text do not change the answer)."""
        key = (_FRESH.sub("?_v", select), limit)
        known = self._counted.get(key)
        if known is None:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {select} LIMIT {limit} }} }}"
            known = self._counted[key] = int(next(iter(self.select(query)))[0].value)
        return known

    def _zero_or(self, path) -> tuple[str, str] | None:
        """("*" or "?", the predicate) for a path ``p*`` or ``p?`` of one predicate ``p``."""
        if isinstance(path, URIRef):
            return None
        g = self.model.graph
        for predicate, repeat in ((SH.zeroOrMorePath, "*"), (SH.zeroOrOnePath, "?")):
            inner = g.value(path, predicate)
            if isinstance(inner, URIRef):
                return repeat, self.predicate(inner)
        return None

    def _repeats(self, path, depth: int = 0) -> bool:
        """Whether a SHACL path has a zero-or-more, one-or-more or zero-or-one step, whose
        pattern with both ends unbound may walk the whole graph."""
        if isinstance(path, URIRef) or depth > 10:
            return False
        g = self.model.graph
        if any(
            (path, p, None) in g for p in (SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)
        ):
            return True
        if (path, RDF.first, None) in g:
            return any(self._repeats(m, depth + 1) for m in self.model.items(path))
        for predicate in (SH.inversePath, SH.alternativePath):
            inner = g.value(path, predicate)
            if inner is not None:
                members = self.model.items(inner) if predicate == SH.alternativePath else [inner]
                return any(self._repeats(m, depth + 1) for m in members)
        return False

    def values_focus(self, shape: Shape, focus: Callable[[str], str]) -> Callable[[str], str]:
        """The focus pattern of the value nodes of ``shape`` (its focus nodes for a node shape)."""
        if not shape.is_property:
            return focus

        def build(v: str) -> str:
            this = self.fresh()
            return (
                f"{{ SELECT DISTINCT {v} WHERE {{ {focus(this)} "
                f"{self.value_clause(shape, this, v, focus=focus)} }} }}"
            )

        return build

    # -- evaluation ---------------------------------------------------------------------------

    def validate_shape(self, shape: Shape) -> list[Result]:
        """The results of a shape with targets, as pySHACL reports them."""
        focus = self.target_focus(shape)
        if focus is None or shape.deactivated:
            return []
        return self.evaluate(shape, focus)

    def evaluate(
        self, shape: Shape, focus: Callable[[str], str], counts: _Counts | None = None
    ) -> list[Result]:
        results: list[Result] = []
        for task in self.tasks(shape, focus, counts):
            results += task()
        return results

    def tasks(
        self, shape: Shape, focus: Callable[[str], str], counts: _Counts | None = None
    ) -> list[Callable[[], list[Result]]]:
        """The independent pieces of work (a query or a few each) that evaluate ``shape``:
        run in turn by ``evaluate``, side by side by ``evaluate_all``. ``counts`` says how many
        times pySHACL evaluates the shape on a focus node (once per parent of a nested shape's
        value node): each result is reported that many times."""
        if shape.deactivated:
            return []

        def times(work: Callable[[], list[Result]], counts=counts) -> Callable[[], list[Result]]:
            if counts is None:
                return work
            return lambda: counts.repeat(work())

        work: list[Callable[[], list[Result]]] = [
            *(times(task) for task in self._path_tasks([shape], focus)),
            _late(times(lambda: self._rest(shape, focus))),
        ]
        # Property shapes on the same path share their queries: one scan of the values for
        # all their per-value checks, one for all their cardinalities.
        groups: dict[str, list[Shape]] = {}
        for node in shape.values(SH.property):
            member = self.model.shape(node)
            if not member.is_property:
                raise Unsupported("sh:property naming a shape without sh:path")
            if not member.deactivated:
                groups.setdefault(self.path_sparql(member.path), []).append(member)
        if not groups:
            return work
        # The property shapes of a property shape apply to its value nodes, once per focus
        # node that reaches them.
        values = self.values_focus(shape, focus)
        inner = _Counts(self, shape, focus, counts) if shape.is_property else counts
        shared = self._missing_together(list(groups.values()), values)
        if shared:
            work.append(times(lambda: self._missing_values(shared, values), inner))
        for members in groups.values():
            missing_elsewhere = any(members is group for group in shared)
            work += [
                times(task, inner) for task in self._path_tasks(members, values, missing_elsewhere)
            ]
            for member in members:
                work.append(_late(times(lambda member=member: self._rest(member, values), inner)))
                for node in member.values(SH.property):
                    work.append(
                        lambda node=node, member=member: self.evaluate(
                            self.model.shape(node),
                            self.values_focus(member, values),
                            _Counts(self, member, values, inner),
                        )
                    )
        return work

    def _rest(self, shape: Shape, focus) -> list[Result]:
        results = self._has_value(shape, focus)
        results += self._pairs(shape, focus)
        results += self._unique_lang(shape, focus)
        results += self._closed(shape, focus)
        results += self._shape_based(shape, focus)
        return results

    # -- per-value constraints ----------------------------------------------------------------

    def _checks(self, shape: Shape) -> list[_Check]:
        found: list[_Check] = []
        for cls in shape.values(SH["class"]):
            if isinstance(cls, Literal):
                raise Unsupported("a literal as sh:class")
            # A literal is never an instance for pySHACL, even when a range would type it.
            good = self.instance_pattern("{v}", cls, nodes_only=True)
            found.append(
                _Check(SH.ClassConstraintComponent, "false", exact=True, rule=cls, good=good)
            )
        for datatype in shape.values(SH.datatype)[:1]:
            found.append(self._datatype_check(datatype))
        for kind in shape.values(SH.nodeKind)[:1]:
            if kind not in _NODE_KINDS:
                raise Unsupported(f"an unknown sh:nodeKind ({kind})")
            found.append(_Check(SH.NodeKindConstraintComponent, _NODE_KINDS[kind], True, rule=kind))
        for listed in shape.values(SH["in"]):
            members = self.model.items(listed)
            # IRIs are equal only as the same term, so one IN test serves for them all: a
            # disjunction of sameTerm tests is what Virtuoso gets wrong (it keeps the last).
            iris = [m for m in members if isinstance(m, URIRef)]
            tests = " || ".join(
                ([f"{{v}} IN ({', '.join(self.term(m) for m in iris)})"] if iris else [])
                + [self.same_term("{v}", m) for m in members if not isinstance(m, URIRef)]
            )
            found.append(
                _Check(SH.InConstraintComponent, f"({tests or 'false'})", True, rule=listed)
            )
        for parameter, (op, component) in _RANGE_OPERATORS.items():
            for bound in shape.values(parameter):
                found.append(self._range_check(bound, op, component))
        for parameter, minimum, component in (
            (SH.minLength, True, SH.MinLengthConstraintComponent),
            (SH.maxLength, False, SH.MaxLengthConstraintComponent),
        ):
            for bound in shape.values(parameter)[:1]:
                found.append(self._length_check(bound, minimum, component))
        flags = next(iter(shape.values(SH.flags)), None) if SH.flags in shape.params else None
        if flags is None:
            flags = self.model.graph.value(shape.node, SH.flags)
        for pattern in shape.values(SH.pattern):
            matcher = checks.compile_pattern(pattern, flags)
            # SPARQL REGEX proves a string good where Python's re (pySHACL) reads the pattern
            # alike (checks.sparql_regex says which patterns qualify); Python's re decides the
            # rest, the few values REGEX did not prove. On a server, IRIs too are proved by
            # REGEX on their string. In Oxigraph each use of a value in an expression reads the
            # value afresh (a few microseconds for a long string), so the local test names the
            # value once: REGEX on anything but a string literal is an error, so false.
            regex = checks.sparql_regex(pattern, flags)
            safe = "false"
            if regex is not None and self.remote:
                safe = (
                    f"((isIRI({{v}}) || (isLiteral({{v}}) && (datatype({{v}}) = {_XSD_STRING} || "
                    f'LANG({{v}}) != ""))) && REGEX(STR({{v}}), {_string_literal(regex)}))'
                )
            elif regex is not None:
                safe = f"REGEX({{v}}, {_string_literal(regex)})"
            found.append(
                _Check(
                    SH.PatternConstraintComponent,
                    safe,
                    False,
                    lambda value, m=matcher: checks.pattern_ok(value, m),
                    rule=pattern,
                )
            )
        for languages in shape.values(SH.languageIn)[:1]:
            wanted = [str(item).lower() for item in self.model.items(languages)]
            if "*" in wanted:
                test = '(LANG({v}) != "")'
            else:
                listed = ", ".join(_string_literal(w) for w in wanted) or '""'
                test = (
                    f'(LANG({{v}}) != "" && (LCASE(LANG({{v}})) IN ({listed}) || '
                    f'LCASE(STRBEFORE(CONCAT(LANG({{v}}), "-"), "-")) IN ({listed})))'
                )
            found.append(
                _Check(
                    SH.LanguageInConstraintComponent,
                    test,
                    # Encoded literals have no LANG for SPARQL; nor, on some servers, the
                    # focus nodes a shape names (Layout.constant_language_tags).
                    not self.as_written and self.constant_language_tags,
                    lambda value, w=wanted: checks.language_ok(value, w),
                    rule=languages,
                )
            )
        return found

    def _datatype_check(self, datatype) -> _Check:
        component = SH.DatatypeConstraintComponent
        if not isinstance(datatype, URIRef):
            raise Unsupported("a sh:datatype that is not an IRI")
        if self.derived_integers_collapsed and (
            datatype == XSD.integer or str(datatype) in DERIVED_INTEGERS
        ):
            self.notes.add(
                f"the store holds literals of datatypes derived from xsd:integer as xsd:integer "
                f"(Oxigraph does so), so sh:datatype <{datatype}> judges them as xsd:integer"
            )
        exact_python = lambda value, d=datatype: checks.datatype_ok(value, d)  # noqa: E731
        if datatype in (XSD.string,) and self.remote:
            safe = f'(isLiteral({{v}}) && datatype({{v}}) = {_XSD_STRING} && LANG({{v}}) = "")'
        elif datatype in (XSD.string,):
            safe = _STRING_DATATYPE
        elif datatype == RDF.langString and self.remote:
            safe = '(isLiteral({v}) && LANG({v}) != "")'
        elif datatype == RDF.langString:
            safe = 'LANG({v}) != ""'  # an error for IRIs and blank nodes
        elif datatype == RDFS.Literal:
            safe = "isLiteral({v})"
        elif datatype in SAFE_LEXICAL:
            safe = f"({self.typed('{v}', datatype)} && {_safe_form('{v}', datatype)})"
        else:
            safe = "false"
        return _Check(component, safe, False, exact_python, rule=datatype)

    def _range_check(self, bound, op: str, component: URIRef) -> _Check:
        if not isinstance(bound, Literal):
            raise Unsupported("a range bound that is not a literal")
        exact_python = lambda value, b=bound, o=op: checks.range_ok(value, b, o)  # noqa: E731
        safe = "false"
        python_value = bound.value
        if bound.datatype in _ORDERED and not getattr(bound, "ill_typed", False):
            if bound.datatype in (XSD.integer, XSD.decimal) and python_value is not None:
                kinds = (XSD.integer, XSD.decimal)
            elif bound.datatype == XSD.date and python_value is not None:
                kinds = (XSD.date,)
            else:
                kinds = ()
            if kinds:
                typed = " || ".join(
                    f"({self.typed('{v}', k)} && {_safe_form('{v}', k)})" for k in kinds
                )
                safe = f"(({typed}) && {{v}} {op} {sparql_term(bound)})"
        return _Check(component, safe, False, exact_python, rule=bound)

    def _length_check(self, bound, minimum: bool, component: URIRef) -> _Check:
        if not isinstance(bound, Literal) or not isinstance(bound.value, int):
            raise Unsupported("a length bound that is not an integer")
        limit = int(bound.value)
        exact_python = lambda value, n=limit, m=minimum: checks.length_ok(value, n, m)  # noqa: E731
        op = ">=" if minimum else "<="
        safe = (
            f"((isIRI({{v}}) || (isLiteral({{v}}) && (datatype({{v}}) = {_XSD_STRING} || "
            f'LANG({{v}}) != ""))) && STRLEN(STR({{v}})) {op} {limit})'
        )
        return _Check(component, safe, False, exact_python, rule=bound)

    def _path_tasks(
        self, shapes: list[Shape], focus, missing_elsewhere: bool = False
    ) -> list[Callable[[], list[Result]]]:
        """The work of the per-value checks and cardinalities of ``shapes`` (one shape, or
        property shapes on one path): one pass over the path where the compiled query allows
        it (``_one_pass``; ``missing_elsewhere``: but for the focus nodes without a value,
        which ``_missing_values`` finds), else a query for the per-value checks and one for
        the counts."""
        if self._one_pass_applies(shapes):
            return [lambda: self._one_pass(shapes, focus, missing_elsewhere)]
        return [lambda: self._value_checks(shapes, focus), lambda: self._counts(shapes, focus)]

    def _one_pass_applies(self, shapes: list[Shape]) -> bool:
        first = shapes[0]
        # On a server, the queries of each check, as tested against each server's dialect.
        # A path that repeats, or may stay at the focus node, joins with the focus nodes.
        return (
            not self.remote
            and first.is_property
            and self._zero_or(first.path) is None
            and not self._repeats(first.path)
        )

    def _missing_together(self, groups: list[list[Shape]], focus) -> list[list[Shape]]:
        """The groups of property shapes (one path each) whose focus nodes without a value are
        best found together (``_missing_values``): those with a minimum count, going to
        ``_one_pass``, on a path of one plain triple pattern, of focus nodes of a target
        pattern; only where two or more are (for one path, MINUS costs less), and only in a
        store in memory (on disk, a MINUS per path costs less than the lookups)."""
        if not self.cheap_lookups or "SELECT" in focus("?this"):
            return []
        found = [
            group
            for group in groups
            if self._one_pass_applies(group)
            and any(minimum is not None for _, minimum, _ in _bounds(group))
            and _ONE_TRIPLE.fullmatch(self.path_pattern(group[0].path, "?this", "?value"))
        ]
        return found if len(found) > 1 else []

    def _missing_values(self, groups: list[list[Shape]], focus) -> list[Result]:
        """sh:minCount results of the focus nodes without a value on the paths of ``groups``:
        one sweep of the focus nodes, each looked up on every path (in place of a MINUS per
        path, each of which reads the focus nodes and the path's triples again)."""
        flags = [f"?k{index}" for index in range(len(groups))]
        tests = " ".join(
            f"BIND(EXISTS {{ {self.path_pattern(group[0].path, '?this', self.fresh())} }} "
            f"AS {flag})"
            for group, flag in zip(groups, flags, strict=True)
        )
        query = (
            f"SELECT ?this {' '.join(flags)} WHERE {{ {focus('?this')} {tests} "
            f"FILTER(!({' && '.join(flags)})) }}"
        )
        missing: list[list] = [[] for _ in groups]
        seen: set = set()
        for row in self.select(query):
            for index in range(len(groups)):
                if row[index + 1].value != "true" and (row[0], index) not in seen:
                    seen.add((row[0], index))
                    missing[index].append(row[0])
        return [
            Result(node, None, SH.MinCountConstraintComponent, shape)
            for group, nodes in zip(groups, missing, strict=True)
            for shape, minimum, _ in _bounds(group)
            if minimum is not None
            for node in nodes
        ]

    def _one_pass(
        self, shapes: list[Shape], focus, missing_elsewhere: bool = False
    ) -> list[Result]:
        """Every per-value check and cardinality of property shapes on one path (that neither
        repeats nor may stay at the focus node) in one query: the focus nodes joined once to
        their values, each value tested for every check, sh:class tested by a join with the
        class's instances, and the values counted beforehand per node for sh:maxCount (and
        sh:minCount above one); only the rows where something fails come back. A check only
        Python can decide (a sh:pattern REGEX cannot prove) reads each distinct value in its
        own query, as ``_value_checks`` does."""
        found = [(shape, check) for shape in shapes for check in self._checks(shape)]
        python_only = [(shape, check) for shape, check in found if check.python_only]
        classes = [(shape, check) for shape, check in found if check.good is not None]
        flagged = [
            (shape, check)
            for shape, check in found
            if check.good is None and (shape, check) not in python_only
        ]
        bounds = _bounds(shapes)
        results: list[Result] = []
        if python_only:
            results += self._python_checks(shapes, focus, python_only)
        if not (classes or flagged or bounds):
            return results
        pattern = self.path_pattern(shapes[0].path, "?this", "?value")
        lookup = self.looks_up(focus, pattern)
        if lookup:
            # Few values: each tested for membership where it is (a lookup or a few).
            members = ""
            memberships = " ".join(
                f"BIND(EXISTS {{ {check.good.replace('{v}', '?value')} }} AS ?m{index})"
                for index, (_, check) in enumerate(classes)
            )
            joined = pattern
        else:
            # Many values: the class's instances read once, and hash-joined.
            members = " ".join(
                f"OPTIONAL {{ SELECT DISTINCT ?value (true AS ?m{index}) WHERE {{ "
                f"{check.good.replace('{v}', '?value')} }} }}"
                for index, (_, check) in enumerate(classes)
            )
            memberships = ""
            joined = f"{{ SELECT ?this ?value WHERE {{ {pattern} }} }}"
        # With sh:datatype xsd:string on the same path, a sh:pattern's REGEX reads the value
        # as a simple literal (STRDT: an error on anything else), so one read of the value
        # proves both: the datatype flag is the pattern's. Unproved (a tagged string that
        # matches, say), both flags are false and Python decides each exactly.
        flagged.sort(key=lambda pair: not pair[1].safe.startswith("REGEX({v},"))
        proving = next(
            (i for i, (_, c) in enumerate(flagged) if c.safe.startswith("REGEX({v},")), None
        )
        tests_of = [check.safe.replace("{v}", "?value") for _, check in flagged]
        if proving is not None and any(c.safe == _STRING_DATATYPE for _, c in flagged):
            tests_of[proving] = tests_of[proving].replace(
                "REGEX(?value,", f"REGEX(STRDT(?value, {_XSD_STRING}),", 1
            )
            tests_of = [
                f"?k{proving}" if check.safe == _STRING_DATATYPE else test
                for (_, check), test in zip(flagged, tests_of, strict=True)
            ]
        binds = " ".join(
            f"BIND({self.verdict(test)} AS ?k{index})" for index, test in enumerate(tests_of)
        )
        membership = "?m{}" if lookup else "BOUND(?m{})"
        tests = [membership.format(index) for index in range(len(classes))]
        tests += [f"?k{index}" for index in range(len(flagged))]
        good = " && ".join(tests) or "true"
        values = f"{joined} {members}"
        # Without a minimum, a focus node without values has nothing to report: no OPTIONAL.
        needs_empty = not missing_elsewhere and any(minimum is not None for _, minimum, _ in bounds)
        values = f"OPTIONAL {{ {values} }}" if needs_empty else values
        # The tests after the join: inside the OPTIONAL they would judge every value of the
        # predicate, not only those of the focus nodes (an unbound value is reported anyway).
        values += f" {memberships} {binds}"
        conditions = set()
        for _, minimum, maximum in bounds:
            if minimum is not None and minimum > 1:
                conditions.add(f"COUNT(DISTINCT ?value) < {minimum}")
            if maximum is not None:
                conditions.add(f"COUNT(DISTINCT ?value) > {maximum}")
        counted = ""
        if conditions:
            # Counted over every node of the path (or, looking up, of the focus nodes), then
            # joined: a count that breaks a bound (a node without values comes as a row
            # without ?value).
            counted_nodes = f"{focus('?this')} {pattern}" if lookup else pattern
            counted = (
                f"OPTIONAL {{ SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ "
                f"{counted_nodes} }} "
                f"GROUP BY ?this HAVING ({' || '.join(sorted(conditions))}) }}"
            )
        flags = [f"?m{index}" for index in range(len(classes))]
        flags += [f"?k{index}" for index in range(len(flagged))]
        focus_pattern = focus("?this")
        if not lookup and "SELECT" not in focus_pattern:
            # Many focus nodes of a target: the path's failing values, its nodes missing
            # values and its counts out of bounds, each found over the whole path (no join
            # with the focus nodes, which costs as much as a sweep), and only those few
            # checked for being focus nodes, one lookup each. The check is bound, not a
            # FILTER EXISTS, which Oxigraph would move inside, to every node of the path.
            focus_only = f"BIND(EXISTS {{ {focus_pattern} }} AS ?focus) FILTER(?focus)"
            branches = []
            # A class test as MINUS (a hash join on the store's terms), in a branch of its
            # own where the other flags say "good"; the other tests in one more branch.
            for index, (_, check) in enumerate(classes):
                others = " ".join(f"BIND(true AS {flag})" for flag in flags if flag != f"?m{index}")
                branches.append(
                    f"{{ SELECT ?this ?value {' '.join(flags)} WHERE {{ {pattern} MINUS {{ "
                    f"{check.good.replace('{v}', '?value')} }} {others} }} }} {focus_only}"
                )
            if flagged:
                members_good = " ".join(f"BIND(true AS ?m{i})" for i in range(len(classes)))
                tested = " && ".join(f"?k{index}" for index in range(len(flagged)))
                branches.append(
                    f"{{ SELECT ?this ?value {' '.join(flags)} WHERE {{ {pattern} "
                    f"{members_good} {binds} FILTER(!({tested})) }} }} {focus_only}"
                )
            if needs_empty:
                branches.append(f"{focus_pattern} MINUS {{ {pattern} }}")
            if conditions:
                # Over one triple pattern, each (node, value) pair comes once: COUNT(*) counts
                # the same, at half the cost (COUNT(DISTINCT) keeps a set for every node).
                count = "COUNT(*)" if self._pairs_once(pattern) else "COUNT(DISTINCT ?value)"
                having = " || ".join(
                    sorted(c.replace("COUNT(DISTINCT ?value)", count) for c in conditions)
                )
                branches.append(
                    f"{{ SELECT ?this ({count} AS ?n) WHERE {{ {pattern} }} "
                    f"GROUP BY ?this HAVING ({having}) }} {focus_only}"
                )
            # Each branch its own query: Oxigraph carries every variable of a query in each
            # row, so a branch alone moves narrower rows (about a sixth less time than the
            # branches as one UNION).
            queries = [
                f"SELECT ?this ?value ?n {' '.join(flags)} WHERE {{ {branch} }}"
                for branch in branches
            ]
        else:
            queries = [
                f"SELECT ?this ?value ?n {' '.join(flags)} WHERE {{ {focus_pattern} {values} "
                f"{counted} BIND(!BOUND(?value) || BOUND(?n) || !({good}) AS ?report) "
                f"FILTER(?report) }}"
            ]
        counts: dict = {}
        seen: set = set()
        verdicts: list[dict] = [{} for _ in flagged]
        with checks.quiet_rdflib():
            for row in itertools.chain.from_iterable(map(self.select, queries)):
                focus_node, value_node = row[0], row[1]
                if row[2] is not None:
                    counts[focus_node] = int(row[2].value)
                if value_node is None:
                    if row[2] is None:
                        counts[focus_node] = 0
                    continue
                column = 3
                for shape, check in classes:
                    member = row[column] is not None and row[column].value == "true"
                    if not member and (focus_node, value_node, column) not in seen:
                        seen.add((focus_node, value_node, column))
                        results.append(
                            Result(focus_node, value_node, check.component, shape, rule=check.rule)
                        )
                    column += 1
                for index, (shape, check) in enumerate(flagged):
                    flag = row[column]
                    key = (focus_node, value_node, column)
                    column += 1
                    if flag.value == "true" or key in seen:
                        continue
                    bad = check.exact
                    if not bad:
                        known = verdicts[index].get(value_node)
                        if known is None:
                            known = verdicts[index][value_node] = not check.python(
                                self.to_rdflib(value_node)
                            )
                        bad = known
                    if bad:
                        seen.add(key)
                        results.append(
                            Result(focus_node, value_node, check.component, shape, rule=check.rule)
                        )
        for shape, minimum, maximum in bounds:
            for node, count in counts.items():
                if minimum is not None and count < minimum:
                    results.append(Result(node, None, SH.MinCountConstraintComponent, shape))
                if maximum is not None and count > maximum:
                    results.append(Result(node, None, SH.MaxCountConstraintComponent, shape))
        return results

    def _pairs_once(self, pattern: str) -> bool:
        """Whether ``pattern`` (a path's pattern from ?this to ?value) gives each pair once: a
        single triple pattern over one graph (a store is a set of triples). Alternatives,
        sequences, the records' union and inferences read beside the data may repeat one."""
        return not getattr(self.runner, "extra", None) and bool(_ONE_TRIPLE.fullmatch(pattern))

    def _python_checks(self, shapes: list[Shape], focus, python_only: list) -> list[Result]:
        """Checks that only Python can decide (sh:pattern...): each distinct value once, then
        the focus nodes of the few failing ones (a one-column answer costs far less to read)."""
        first = shapes[0]
        value = "?value" if first.is_property else "?this"
        clause = self.value_clause(first, "?this", value, focus=focus) if first.is_property else ""
        query = f"SELECT DISTINCT {value} WHERE {{ {focus('?this')} {clause} }}"
        bad_values: list[set] = [set() for _ in python_only]
        with checks.quiet_rdflib():
            for row in self.select(query):
                converted = self.to_rdflib(row[0])
                for index, (_, check) in enumerate(python_only):
                    if not check.python(converted):
                        bad_values[index].add(row[0])
        failing = set().union(*bad_values)
        results: list[Result] = []
        if failing:
            pairs = self._pairs_for(first, focus, failing)
            for (shape, check), bad in zip(python_only, bad_values, strict=True):
                results += [
                    Result(f, v, check.component, shape, rule=check.rule)
                    for f, v in pairs
                    if v in bad
                ]
        return results

    def _value_checks(self, shapes: list[Shape], focus) -> list[Result]:
        """The per-value checks of ``shapes`` (one shape, or property shapes on one path)."""
        found = [(shape, check) for shape in shapes for check in self._checks(shape)]
        results = []
        first = shapes[0]
        value = "?value" if first.is_property else "?this"
        clause = self.value_clause(first, "?this", value, focus=focus) if first.is_property else ""
        for shape, check in found:
            if check.good is None:
                continue
            # MINUS is a hash join in Oxigraph, much faster than EXISTS evaluated row by row.
            query = (
                f"SELECT DISTINCT ?this {value if first.is_property else ''} WHERE {{ "
                f"{focus('?this')} {clause} MINUS {{ {check.good.replace('{v}', value)} }} }}"
            )
            for row in self.select(query):
                value_node = row[1] if first.is_property else row[0]
                results.append(Result(row[0], value_node, check.component, shape, rule=check.rule))
        python_only = [(shape, check) for shape, check in found if check.python_only]
        if python_only:
            results += self._python_checks(shapes, focus, python_only)
        found = [(s, c) for s, c in found if c.good is None and (s, c) not in python_only]
        if not found:
            return results
        this = "?this"
        value = "?value" if first.is_property else "?this"
        flags = [f"?k{i}" for i in range(len(found))]
        binds = " ".join(
            f"BIND({self.verdict(check.safe.replace('{v}', value))} AS {flag})"
            for (_, check), flag in zip(found, flags, strict=True)
        )
        clause = self.value_clause(first, this, value, focus=focus) if first.is_property else ""
        query = (
            f"SELECT {this} {value if first.is_property else ''} {' '.join(flags)} WHERE {{ "
            f"{focus(this)} {clause} {binds} FILTER(!({' && '.join(flags)})) }}"
        )
        verdicts: list[dict] = [{} for _ in found]
        seen: set = set()
        width = 2 if first.is_property else 1
        with checks.quiet_rdflib():
            for row in self.select(query):
                focus_node = row[0]
                value_node = row[1] if first.is_property else focus_node
                for index, (shape, check) in enumerate(found):
                    flag = row[width + index]
                    # Virtuoso answers booleans as 1 and 0 (Layout.integer_booleans).
                    if flag is not None and flag.value in ("true", "1"):
                        continue
                    if check.exact:
                        bad = True
                    else:
                        known = verdicts[index].get(value_node)
                        if known is None:
                            known = verdicts[index][value_node] = not check.python(
                                self.to_rdflib(value_node)
                            )
                        bad = known
                    key = (focus_node, value_node, index)
                    if bad and key not in seen:
                        seen.add(key)
                        results.append(
                            Result(focus_node, value_node, check.component, shape, rule=check.rule)
                        )
        return results

    # -- cardinality, hasValue, pairs, languages, closed --------------------------------------

    def _counts(self, shapes: list[Shape], focus) -> list[Result]:
        """sh:minCount and sh:maxCount of ``shapes`` (one shape, or property shapes on one
        path): one query counts the values, each shape judges the counts."""
        bounds = _bounds(shapes)
        if not bounds:
            return []
        results = []
        if not shapes[0].is_property:
            # The only value node of a node shape is the focus node itself.
            for shape, minimum, maximum in bounds:
                failing_min = minimum is not None and minimum > 1
                failing_max = maximum is not None and maximum < 1
                if failing_min or failing_max:
                    for node in self._distinct(focus):
                        if failing_min:
                            results.append(
                                Result(node, None, SH.MinCountConstraintComponent, shape)
                            )
                        if failing_max:
                            results.append(
                                Result(node, None, SH.MaxCountConstraintComponent, shape)
                            )
            return results
        clause = self.value_clause(shapes[0], "?this", "?value", focus=focus)
        if all(minimum in (None, 1) and maximum is None for _, minimum, maximum in bounds):
            # Only "at least one": MINUS, not FILTER NOT EXISTS, since Oxigraph evaluates a join
            # inside NOT EXISTS afresh for every row (seconds at 100k nodes).
            query = f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} MINUS {{ {clause} }} }}"
            missing = [row[0] for row in self.select(query)]
            return [
                Result(node, None, SH.MinCountConstraintComponent, shape)
                for shape, _, _ in bounds
                for node in missing
            ]
        conditions = set()
        # HAVING cannot see the SELECT's alias: repeat the aggregate.
        for _, minimum, maximum in bounds:
            if minimum is not None:
                conditions.add(f"COUNT(DISTINCT ?value) < {minimum}")
            if maximum is not None:
                conditions.add(f"COUNT(DISTINCT ?value) > {maximum}")
        # A node of two target classes comes twice from the focus pattern: GROUP BY makes it one
        # focus node, and COUNT(DISTINCT) counts its values once.
        query = (
            f"SELECT ?this (COUNT(DISTINCT ?value) AS ?n) WHERE {{ "
            f"{focus('?this')} OPTIONAL {{ {clause} }} }} "
            f"GROUP BY ?this HAVING ({' || '.join(sorted(conditions))})"
        )
        for row in self.select(query):
            count = int(row[1].value)
            for shape, minimum, maximum in bounds:
                if minimum is not None and count < minimum:
                    results.append(Result(row[0], None, SH.MinCountConstraintComponent, shape))
                if maximum is not None and count > maximum:
                    results.append(Result(row[0], None, SH.MaxCountConstraintComponent, shape))
        return results

    def _distinct(self, focus) -> list:
        return [
            row[0] for row in self.select(f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} }}")
        ]

    def _has_value(self, shape: Shape, focus) -> list[Result]:
        results = []
        for wanted in shape.values(SH.hasValue):
            term = self.term(wanted)
            if shape.is_property:
                test = f"MINUS {{ {self.path_pattern(shape.path, '?this', term)} }}"
            else:
                test = f"FILTER(!{self.same_term('?this', wanted)})"
            query = f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} {test} }}"
            results += [
                Result(row[0], None, SH.HasValueConstraintComponent, shape, rule=wanted)
                for row in self.select(query)
            ]
        return results

    def _pairs(self, shape: Shape, focus) -> list[Result]:
        results: list[Result] = []
        for other in shape.values(SH.equals):
            results += self._equals(shape, focus, other)
        for other in shape.values(SH.disjoint):
            results += self._disjoint(shape, focus, other)
        for parameter, or_equal, component in (
            (SH.lessThan, False, SH.LessThanConstraintComponent),
            (SH.lessThanOrEquals, True, SH.LessThanOrEqualsConstraintComponent),
        ):
            for other in shape.values(parameter):
                if not shape.is_property:
                    raise Unsupported("sh:lessThan on a node shape")
                results += self._less_than(shape, focus, other, or_equal, component)
        return results

    def _equals(self, shape: Shape, focus, other) -> list[Result]:
        other_term = self.predicate(other)
        f = focus("?this")
        if shape.is_property:
            path = self.value_clause(shape, "?this", "?value", focus=focus)
            other_step = self.step("?this", other_term, "?value")
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {{ {f} {path} "
                f"MINUS {{ {other_step} }} }} UNION "
                f"{{ {f} {other_step} MINUS {{ {path} }} }} }}"
            )
        else:
            query = (
                f"SELECT DISTINCT ?this ?value WHERE {{ {{ {f} BIND(?this AS ?value) "
                f"MINUS {{ {self.step('?this', other_term, '?value')} }} }} UNION "
                f"{{ {f} {self.step('?this', other_term, '?value')} "
                f"FILTER(!sameTerm(?this, ?value)) }} }}"
            )
        return [
            Result(row[0], row[1], SH.EqualsConstraintComponent, shape, rule=other)
            for row in self.select(query)
        ]

    def _disjoint(self, shape: Shape, focus, other) -> list[Result]:
        other_term = self.predicate(other)
        if shape.is_property:
            clause = (
                f"{self.value_clause(shape, '?this', '?value', focus=focus)} "
                f"{self.step('?this', other_term, '?value')}"
            )
        else:
            clause = f"{self.step('?this', other_term, '?value')} FILTER(sameTerm(?this, ?value))"
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {clause} }}"
        return [
            Result(row[0], row[1], SH.DisjointConstraintComponent, shape, rule=other)
            for row in self.select(query)
        ]

    def _less_than(self, shape: Shape, focus, other, or_equal: bool, component) -> list[Result]:
        op = "<=" if or_equal else "<"
        typed = " || ".join(
            f"({self.typed('?value', k)} && {self.typed('?other', k)} && "
            f"{_safe_form('?value', k)} && {_safe_form('?other', k)})"
            for k in _ORDERED
        )
        safe = f"(({typed}) && ?value {op} ?other)"
        query = (
            f"SELECT DISTINCT ?this ?value ?other WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ "
            f"{focus('?this')} }} }} {self.value_clause(shape, '?this', '?value', focus=focus)} "
            f"{self.step('?this', self.predicate(other), '?other')} "
            f"BIND({self.verdict(safe)} AS ?ok) FILTER(!?ok) }}"
        )
        results = []
        with checks.quiet_rdflib():
            for row in self.select(query):
                if checks.pair_fails(self.to_rdflib(row[1]), self.to_rdflib(row[2]), or_equal):
                    results.append(Result(row[0], row[1], component, shape, rule=other))
        return results

    def _unique_lang(self, shape: Shape, focus) -> list[Result]:
        flags = shape.values(SH.uniqueLang)[:1]
        if not flags or not shape.is_property:
            return []
        if not (isinstance(flags[0], Literal) and flags[0].value is True):
            return []
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} "
            f"{self.value_clause(shape, '?this', '?value', focus=focus)} "
            f'FILTER(isLiteral(?value) && (LANG(?value) != "" || '
            f'STRSTARTS(STR(DATATYPE(?value)), "{lexical.WRITTEN_PREFIX}@"))) }}'
        )
        languages: dict = defaultdict(lambda: defaultdict(int))
        for row in self.select(query):
            languages[row[0]][self.to_rdflib(row[1]).language.lower()] += 1
        return [
            Result(node, None, SH.UniqueLangConstraintComponent, shape)
            for node, counts in languages.items()
            for count in counts.values()
            if count > 1
        ]

    def _closed(self, shape: Shape, focus) -> list[Result]:
        flags = shape.values(SH.closed)
        if not flags or not (isinstance(flags[0], Literal) and bool(flags[0].value)):
            return []
        if self.rdfs:
            # Entailed types and superproperty triples would be closed-shape results too.
            raise Unsupported("sh:closed under RDFS inference")
        g = self.model.graph
        allowed = set()
        for node in shape.values(SH.property):
            path = self.model.shape(node).path
            if isinstance(path, URIRef):
                allowed.add(path)
        for listed in g.objects(shape.node, SH.ignoredProperties):
            allowed.update(self.model.items(listed))
        value = "?value" if shape.is_property else "?this"
        clause = ""
        if shape.is_property:
            clause = self.value_clause(shape, "?this", "?value", focus=focus)
        excluded = ", ".join(self.term(p) for p in sorted(allowed) if isinstance(p, URIRef))
        test = f"FILTER(?p NOT IN ({excluded}))" if excluded else ""
        query = (
            f"SELECT DISTINCT ?this ?p ?o WHERE {{ {focus('?this')} {clause} "
            f"{self.step(value, '?p', '?o')} {test} }}"
        )
        results = []
        for row in self.select(query):
            if row[1] == _OX_RDF_TYPE and row[2] == _RDFS_RESOURCE:
                continue
            results.append(
                Result(
                    row[0],
                    row[2],
                    SH.ClosedConstraintComponent,
                    shape,
                    path=self.to_rdflib(row[1]),
                )
            )
        return results

    # -- shape-based and logical constraints --------------------------------------------------

    def _shape_based(self, shape: Shape, focus) -> list[Result]:
        node_shapes = shape.values(SH.node)
        nots = shape.values(SH["not"])
        lists = {p: shape.values(p) for p in (SH["and"], SH["or"], SH.xone)}
        if not (node_shapes or nots or any(lists.values())):
            return []
        values = self.values_focus(shape, focus)
        failing_cache: dict[Any, dict] = {}

        def inner(node) -> dict:
            """The results of shape ``node`` on the value nodes, by value node."""
            if node not in failing_cache:
                by_focus: dict = defaultdict(list)
                for result in self.evaluate(self.model.shape(node), values):
                    by_focus[result.focus].append(result)
                failing_cache[node] = by_focus
            return failing_cache[node]

        def failing(node) -> set:
            return set(inner(node))

        bad: list[tuple[URIRef, set, Any]] = []
        for node in node_shapes:
            bad.append((SH.NodeConstraintComponent, failing(node), node))
        everything: set | None = None
        if nots or lists[SH.xone]:
            everything = set(self._distinct(values))
        for node in nots:
            assert everything is not None
            bad.append((SH.NotConstraintComponent, everything - failing(node), node))
        for members_node in lists[SH["and"]]:
            members = self.model.items(members_node)
            union: set = set()
            for member in members:
                union |= failing(member)
            bad.append((SH.AndConstraintComponent, union, members_node))
        for members_node in lists[SH["or"]]:
            members = self.model.items(members_node)
            common: set | None = self._or_by_value(members, values)
            if common is None:
                common = self._or_by_failing(members, values)
            if common is None:
                for member in members:
                    common = set(failing(member)) if common is None else common & failing(member)
            bad.append((SH.OrConstraintComponent, common or set(), members_node))
        for members_node in lists[SH.xone]:
            assert everything is not None
            members = self.model.items(members_node)
            wrong = set()
            for node in everything:
                conforming = sum(1 for member in members if node not in failing(member))
                if conforming != 1:
                    wrong.add(node)
            bad.append((SH.XoneConstraintComponent, wrong, members_node))
        if not any(nodes for _, nodes, _ in bad):
            return []
        pairs = self._pairs_for(shape, focus, set().union(*(nodes for _, nodes, _ in bad)))
        results = []
        for component, nodes, rule in bad:
            for focus_node, value_node in pairs:
                if value_node in nodes:
                    details = ()
                    if component == SH.NodeConstraintComponent:
                        details = tuple(inner(rule)[value_node])
                    results.append(
                        Result(focus_node, value_node, component, shape, rule=rule, details=details)
                    )
        return results

    def _or_by_value(self, members: list, values) -> set | None:
        """The value nodes failing every member of an sh:or whose members are node shapes of
        per-value constraints only (sh:or ( [ sh:datatype xsd:decimal ] [ sh:datatype
        xsd:integer ] )): one query drops the values surely good for some member, and only the
        rest comes back to be judged. None where the members are not all such shapes."""
        shapes = [self.model.shape(node) for node in members]
        if not shapes or any(
            shape.is_property
            or shape.deactivated
            or not shape.params
            or not set(shape.params) <= _PER_VALUE_PARAMETERS
            for shape in shapes
        ):
            return None
        checks_of = [self._checks(shape) for shape in shapes]
        if any(not found for found in checks_of):
            return None
        if any(
            any(c.good is not None for c in found) and not all(c.exact for c in found)
            for found in checks_of
        ):
            return None  # a class test beside a test Python decides: member by member
        if all(check.good is not None for found in checks_of for check in found):
            # Members of class tests only (sh:or ( [ sh:class A ] [ sh:class B ] )): the values
            # that are instances of no member, by MINUS, a hash join, where EXISTS would search
            # the classes afresh for every value; but in memory, where a class of one triple
            # pattern is one cheap lookup a value (at 3M, a third less than the MINUS).
            tests = [[c.good.replace("{v}", "?value") for c in found] for found in checks_of]
            if self.cheap_lookups and all(
                _ONE_TYPE.fullmatch(test) for group in tests for test in group
            ):
                each = " || ".join(
                    "(" + " && ".join(f"EXISTS {{ {test} }}" for test in group) + ")"
                    for group in tests
                )
                query = f"SELECT DISTINCT ?value WHERE {{ {values('?value')} FILTER(!({each})) }}"
                return {row[0] for row in self.select(query)}
            members = " UNION ".join(
                "{ " + " ".join(f"{{ {c.good.replace('{v}', '?value')} }}" for c in found) + " }"
                for found in checks_of
            )
            query = f"SELECT DISTINCT ?value WHERE {{ {values('?value')} MINUS {{ {members} }} }}"
            return {row[0] for row in self.select(query)}
        binds, flags, groups = [], [], []
        for index, found in enumerate(checks_of):
            group = []
            for number, check in enumerate(found):
                if check.good is not None:
                    # In the filter, not in a BIND: Virtuoso binds EXISTS wrongly.
                    group.append(f"EXISTS {{ {check.good.replace('{v}', '?value')} }}")
                    continue
                flag = f"?k{index}_{number}"
                binds.append(f"BIND({self.verdict(check.safe.replace('{v}', '?value'))} AS {flag})")
                flags.append(flag)
                group.append(flag)
            groups.append("(" + " && ".join(group) + ")")
        query = (
            f"SELECT DISTINCT ?value {' '.join(flags)} WHERE {{ {values('?value')} "
            f"{' '.join(binds)} FILTER(!({' || '.join(groups)})) }}"
        )
        failing = set()
        with checks.quiet_rdflib():
            for row in self.select(query):
                value = row[0]
                column = 1
                all_fail = True
                for found in checks_of:
                    if all(check.exact for check in found):
                        # The filter let the value through: each member failed a sure test.
                        column += sum(1 for check in found if check.good is None)
                        continue
                    member_fails = False
                    for check in found:
                        flag = row[column]
                        column += 1
                        # Virtuoso answers booleans as 1 and 0 (Layout.integer_booleans).
                        if flag is not None and flag.value in ("true", "1"):
                            continue
                        if check.exact or not check.python(self.to_rdflib(value)):
                            member_fails = True
                    if not member_fails:
                        all_fail = False
                if all_fail:
                    failing.add(value)
        return failing

    def _or_by_failing(self, members: list, values) -> set | None:
        """The value nodes failing every member of an sh:or whose members are property shapes
        of exact per-value tests (sh:in, sh:nodeKind, sh:class) or of sh:minCount 1 alone
        (sh:or ( [ sh:path mkt:dealStage ; sh:in ( mkt:OpenStage ) ] [ sh:path mkt:closeDate ;
        sh:minCount 1 ] )): one query joins the nodes with a failing value of each member of
        the first kind and takes away the nodes with a value of each of the second, so only
        the nodes failing them all come back, not each member's (most deals are not open).
        None where a member is of neither kind, and on a server (its dialects as tested)."""
        if self.remote:
            return None
        joins, minus = [], []
        for node in members:
            shape = self.model.shape(node)
            if not shape.is_property or shape.deactivated or shape.unsupported:
                return None
            params = set(shape.params)
            if params == {SH.minCount}:
                if [str(bound) for bound in shape.values(SH.minCount)] != ["1"]:
                    return None
                minus.append(self.path_pattern(shape.path, "?this", self.fresh()))
                continue
            if not params or not params <= {SH["in"], SH.nodeKind, SH["class"]}:
                return None
            found = self._checks(shape)
            if not found or not all(check.exact for check in found):
                return None
            value = self.fresh()
            path = self.path_pattern(shape.path, "?this", value)
            failing = [
                f"{{ {path} MINUS {{ {check.good.replace('{v}', value)} }} }}"
                if check.good is not None
                else f"{{ {path} FILTER(!{self.verdict(check.safe.replace('{v}', value))}) }}"
                for check in found
            ]
            joins.append(f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(failing)} }} }}")
        if not joins:
            return None
        taken = " ".join(f"MINUS {{ {pattern} }}" for pattern in minus)
        query = f"SELECT DISTINCT ?this WHERE {{ {values('?this')} {' '.join(joins)} {taken} }}"
        return {row[0] for row in self.select(query)}

    def _pairs_for(self, shape: Shape, focus, wanted: set) -> list[tuple]:
        """(focus node, value node) pairs of ``shape`` whose value is in ``wanted``."""
        if not shape.is_property:
            return [(node, node) for node in wanted]
        restriction = ""
        if len(wanted) <= 1000 and not any(isinstance(n, ox.BlankNode) for n in wanted):
            listed = [str(n) for n in wanted]
            if len(listed) == 1 and not self.one_row_values:
                listed *= 2  # Layout.one_row_values: DISTINCT drops the second row's copies
            restriction = "VALUES ?value { " + " ".join(listed) + " }"
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{ {restriction} {focus('?this')} "
            f"{self.value_clause(shape, '?this', '?value', focus=focus)} }}"
        )
        return [(row[0], row[1]) for row in self.select(query) if row[1] in wanted]


def _late(task: Callable[[], list[Result]]) -> Callable[[], list[Result]]:
    """``task``, marked to be started after the others (``evaluate_all``): the rest of a
    shape's constraints (``Engine._rest``), most often no query or a short one."""
    task.late = True  # type: ignore[attr-defined]
    return task


class _Counts:
    """How many times each value node of a property shape is reached from its focus nodes (each
    focus node weighed by its own count): pySHACL evaluates the shape's nested property shapes
    once per (focus node, value node) pair. Counted on first use, once, whichever thread asks."""

    def __init__(self, engine: Engine, shape: Shape, focus, parent: _Counts | None) -> None:
        self._engine, self._shape, self._focus, self._parent = engine, shape, focus, parent
        self._table: dict | None = None
        self._lock = threading.Lock()

    def table(self) -> dict:
        with self._lock:
            if self._table is None:
                parent = self._parent.table() if self._parent is not None else {}
                engine = self._engine
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {self._focus('?this')} "
                    f"{engine.value_clause(self._shape, '?this', '?value', focus=self._focus)} }}"
                )
                table: dict = defaultdict(int)
                for row in engine.select(query):
                    table[row[1]] += parent.get(row[0], 1)
                self._table = {node: count for node, count in table.items() if count > 1}
            return self._table

    def repeat(self, results: list[Result]) -> list[Result]:
        table = self.table()
        if not table:
            return results
        return [copy for result in results for copy in [result] * table.get(result.focus, 1)]


def evaluate_all(
    engine: Engine, shapes: Iterable[Shape], workers: int | None = None
) -> tuple[list[Result], list[tuple[Shape, str]]]:
    """Results of the shapes the fast path covers, and the shapes it leaves to pySHACL (why).

    The queries run on ``workers`` threads (one per core, up to four by default): Oxigraph
    evaluates a query without Python's global lock, so they use every core. Results keep the
    order of the shapes and of their queries, whatever order the threads finish in.
    """
    from concurrent.futures import ThreadPoolExecutor

    shapes = list(shapes)
    verdicts: list[list[Result] | str] = []
    plans: list[tuple[int, list]] = []
    for index, shape in enumerate(shapes):
        reasons = engine.model.unsupported_features(shape)
        if reasons:
            verdicts.append(", ".join(reasons))
            continue
        try:
            focus = engine.target_focus(shape)
            work = [] if focus is None or shape.deactivated else engine.tasks(shape, focus)
        except Unsupported as why:
            verdicts.append(str(why))
            continue
        verdicts.append([])
        plans.append((index, work))
    workers = workers or min(4, os.cpu_count() or 1)
    # The queries over paths first, the rest of each shape's constraints last: the rests are
    # mostly short, so they fill the cores to the end, where in shape order a path query
    # started last could leave a core idle for its length (at 3M, 2% of the step's wall time).
    order = sorted(
        ((index, position, task) for index, work in plans for position, task in enumerate(work)),
        key=lambda item: getattr(item[2], "late", False),
    )
    with checks.quiet_rdflib(), ThreadPoolExecutor(workers) as pool:
        submitted = {(index, position): pool.submit(task) for index, position, task in order}
        running = [
            (index, [submitted[index, position] for position in range(len(work))])
            for index, work in plans
        ]
        for index, futures in running:
            found: list[Result] = []
            refused: str | None = None
            for future in futures:
                try:
                    found += future.result()
                except Unsupported as why:
                    refused = refused or str(why)
                except StoreError as error:
                    from mktgraph.namespaces import shorten

                    for other in running:
                        for pending in other[1]:
                            pending.cancel()
                    name = shorten(str(shapes[index].node))
                    raise type(error)(
                        f"shape {name}: the server refused a compiled query: {error}"
                    ) from None
            verdicts[index] = refused if refused is not None else found
    results: list[Result] = []
    fallback: list[tuple[Shape, str]] = []
    for shape, verdict in zip(shapes, verdicts, strict=True):
        if isinstance(verdict, str):
            fallback.append((shape, verdict))
        else:
            results += verdict
    return results, fallback
