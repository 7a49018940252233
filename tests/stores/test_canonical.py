"""One written form for numbers, booleans and dates: the form Oxigraph stores, which is the
XSD 1.1 canonical one for all but doubles and floats. Oxigraph is the oracle here."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.query import Result

from mktgraph.canonical import canonical, canonical_result

CASES = [
    ("integer", ["007", "+5", "-0", "0", "-12", "123456789012345678901234"]),
    ("int", ["042", "-7"]),
    ("nonNegativeInteger", ["+0012"]),
    ("decimal", ["6500.00", "6642.90", "-007.50", "0.0", ".5", "5.", "+1.000", "0.10"]),
    ("boolean", ["1", "0", "true", "false"]),
    ("double", ["1.50E2", "1.5e-7", "1e21", "-0.0", "0", "INF", "-INF", "NaN", "0.1", "3.25"]),
    ("float", ["0.10", "1.5E2", "3.4028235E38", "-1.25"]),
    ("dateTime", [
        "2024-01-01T08:40:00+00:00", "2024-01-01T08:40:00Z", "2024-01-01T08:40:00.500+01:00",
        "2024-01-01T08:40:00.000", "2024-01-01T08:40:00-05:00", "2024-01-01T08:40:00-00:00",
    ]),
    ("date", ["2024-01-01", "2024-01-01Z", "2024-01-01+00:00", "2024-01-01-05:00"]),
]  # fmt: skip
PAIRS = [(kind, lexical) for kind, forms in CASES for lexical in forms]


def oxigraph_form(kind: str, lexical: str) -> str:
    store = ox.Store()
    literal = ox.Literal(lexical, datatype=ox.NamedNode(str(XSD[kind])))
    store.add(ox.Quad(ox.NamedNode("x:s"), ox.NamedNode("x:p"), literal))
    return next(iter(store)).object.value


@pytest.mark.parametrize(("kind", "lexical"), PAIRS, ids=[f"{k}-{v}" for k, v in PAIRS])
def test_the_form_oxigraph_stores(kind, lexical):
    assert canonical(lexical, str(XSD[kind])) == oxigraph_form(kind, lexical)


def test_other_literals_and_invalid_values_stay_as_written():
    assert canonical("6500.00", None) == "6500.00"
    assert canonical("abc", str(XSD.decimal)) == "abc"
    assert canonical("2024-13", str(XSD.dateTime)) == "2024-13"
    assert canonical("x", "https://example.org/type") == "x"
    assert canonical("yes", str(XSD.boolean)) == "yes"


def test_a_select_answer_is_rewritten_and_others_are_not():
    result = Result("SELECT")
    a, b = Variable("a"), Variable("b")
    result.vars = [a, b]
    result.bindings = [
        {a: Literal("6500.00", datatype=XSD.decimal), b: URIRef("https://example.org/x")},
        {a: Literal("6500.00", lang="de")},
    ]
    canonical_result(result)
    assert [str(row.get(a)) for row in result.bindings] == ["6500", "6500.00"]
    assert result.bindings[0][b] == URIRef("https://example.org/x")
    ask = Result("ASK")
    ask.askAnswer = True
    assert canonical_result(ask) is ask
