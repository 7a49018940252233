"""Which answer variables hold booleans (Virtuoso writes them as 1 and 0), from the query."""

from __future__ import annotations

from rdflib import Literal, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from mktgraph.queries import named_queries
from mktgraph.stores.booleans import boolean_variables, booleans_from_integers


def test_boolean_expressions_bound_to_variables():
    text = (
        "SELECT ?a (?x > 1 AS ?big) (IF(?x > 2, true, false) AS ?flag) (COALESCE(?z, 1) AS ?n)"
        " (SAMPLE(?bound) AS ?some) (STR(?x) AS ?text) WHERE { ?a ?p ?x "
        "BIND(BOUND(?x) AS ?bound) BIND(?bound AS ?copy) BIND(IF(?x > 2, 1, 0) AS ?number) } "
        "GROUP BY ?a ?x ?z ?bound"
    )
    found = boolean_variables(text)
    assert {"big", "flag", "some", "bound", "copy"} <= found
    assert not {"a", "n", "text", "number", "x"} & found


def test_the_named_queries_with_booleans():
    found = {
        name: sorted(boolean_variables(query.text))
        for name, query in named_queries().items()
        if boolean_variables(query.text)
    }
    assert found == {"end-to-end": ["isSales"], "marketing-activities": ["isSales"]}


def test_a_query_rdflib_cannot_parse_has_none():
    assert boolean_variables("SELECT WHERE oops") == frozenset()


def test_integers_become_booleans_in_those_variables_only():
    result = Result("SELECT")
    result.vars = [Variable("b"), Variable("n")]
    one, zero = Literal("1", datatype=XSD.integer), Literal("0", datatype=XSD.integer)
    result.bindings = [{Variable("b"): one, Variable("n"): one}, {Variable("b"): zero}]
    booleans_from_integers(result, frozenset({"b"}))
    assert [row.get(Variable("b")) for row in result.bindings] == [Literal(True), Literal(False)]
    assert result.bindings[0][Variable("n")] == one
    assert str(result.bindings[1][Variable("b")]) == "false"
