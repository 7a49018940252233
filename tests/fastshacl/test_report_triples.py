"""The fast path's report is kept as triples and rows, its rdflib Graph built only when read:
the rows equal those read back from that graph, and every output format is the same whether
written from the triples or from the graph (blank-node values, sh:detail, several messages, a
shape left to pySHACL, a server's skolem IRIs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from mktgraph.export import report_turtle, serialize
from mktgraph.fastshacl import validate_runner
from mktgraph.fastshacl.runner import MemoryRunner
from mktgraph.output import render_validation
from mktgraph.sources import FileSource, unskolemised
from mktgraph.stores.chunks import GENID
from mktgraph.validate import ReportTriples, fast_result, report_rows

EX = "https://example.org/"

# A deal's amount is a blank node (its value in results); amounts must have a currency (two
# messages, in two languages); an offer's amount must conform to a node shape (sh:detail
# nests why); a qualified value shape is left to pySHACL, whose results are merged.
DATA = """
@prefix ex: <https://example.org/> .
ex:deal1 a ex:Deal ; ex:amount [ ex:value 12 ] , [ ex:value 3 ; ex:currency "EUR" ] .
ex:deal2 a ex:Deal ; ex:amount [ ex:value 7 ] .
ex:offer1 a ex:Offer ; ex:price [ ex:value 5 ] .
ex:team1 a ex:Team ; ex:member ex:ann , ex:bob .
ex:ann a ex:Person .
"""

SHAPES = """
@prefix ex: <https://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:DealShape a sh:NodeShape ; sh:targetClass ex:Deal ;
    sh:property [ sh:path ex:amount ; sh:node ex:AmountShape ] ;
    sh:property [ sh:path ex:amount ; sh:maxCount 1 ] .
ex:AmountShape a sh:NodeShape ;
    sh:property [ sh:path ex:currency ; sh:minCount 1 ;
                  sh:message "an amount needs a currency"@en , "Betrag ohne Währung"@de ] .
ex:OfferShape a sh:NodeShape ; sh:targetClass ex:Offer ;
    sh:property [ sh:path ex:price ; sh:node ex:AmountShape ; sh:severity sh:Warning ] ;
    sh:property [ sh:path ( ex:price ex:value ) ; sh:datatype xsd:decimal ] .
ex:TeamShape a sh:NodeShape ; sh:targetClass ex:Team ;
    sh:property [ sh:path ex:member ;
                  sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMinCount 2 ] .
"""


@pytest.fixture
def files(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(DATA)
    return data, Graph().parse(data=SHAPES, format="turtle")


def _rows(result):
    return [row.as_dict() for row in result.rows]


def test_rows_equal_those_read_from_the_report_graph(files):
    data, shapes = files
    said: list[str] = []
    result = FileSource([data]).validate(shapes, "none", warn=said.append)
    assert said == [
        "fast validation does not cover sh:qualifiedValueShape, sh:qualifiedMinCount in shape "
        f"{EX}TeamShape; pySHACL validates it"
    ]
    assert result.report_triples._graph is None  # not built by validating
    rows = list(result.rows)
    assert rows == report_rows(result.report)  # the report graph, built now
    components = sorted(str(row.component).split("#")[1] for row in rows)
    assert components == [
        "DatatypeConstraintComponent",
        "MaxCountConstraintComponent",
        "MinCountConstraintComponent",  # deal1's first amount: in the detail of sh:node
        "MinCountConstraintComponent",  # deal2's amount
        "MinCountConstraintComponent",  # offer1's price
        "NodeConstraintComponent",
        "NodeConstraintComponent",
        "NodeConstraintComponent",
        "QualifiedMinCountConstraintComponent",  # pySHACL's, merged
    ]
    # Several messages: the row shows the first in text order, as report_rows does.
    assert {row.message for row in rows if row.component == SH.MinCountConstraintComponent} == {
        "Betrag ohne Währung"
    }
    # A blank node as value: the data's blank node, described in the report as pySHACL does.
    node_rows = [row for row in rows if row.component == SH.NodeConstraintComponent]
    assert all(isinstance(row.value, BNode) for row in node_rows)
    report = result.report
    for row in node_rows:
        assert (row.value, URIRef(EX + "value"), None) in report
    details = list(report.objects(None, SH.detail))
    assert len(details) == 3
    assert result.summary() == "9 results: 8 violations, 1 warning, 0 infos"


def test_every_format_is_the_same_from_the_triples_or_the_graph(files):
    data, shapes = files
    lazy = FileSource([data]).validate(shapes, "none")
    built = FileSource([data]).validate(shapes, "none")
    graph = built.report  # built, then written from the graph
    assert built.report_triples._graph is graph
    assert report_turtle(lazy.report_triples) == report_turtle(graph)
    for fmt in ("text", "table", "csv", "json", "turtle"):
        assert render_validation(lazy, fmt) == render_validation(built, fmt), fmt
    assert lazy.report_triples._graph is None  # none of these built it
    assert serialize(lazy.report, "nt") == serialize(graph, "nt")
    assert len(lazy.report) == len(graph)
    # The report keeps the shapes' and mktgraph's prefixes.
    assert dict(lazy.report.namespaces())["sh"] == URIRef(str(SH))


def test_a_built_graph_is_the_report_from_then_on():
    root = BNode()
    triples = ReportTriples([(root, RDF.type, SH.ValidationReport)])
    graph = triples.graph()
    graph.add((root, SH.conforms, Literal(True)))
    assert set(triples) == {
        (root, RDF.type, SH.ValidationReport),
        (root, SH.conforms, Literal(True)),
    }
    assert triples.graph() is graph


def test_skolem_iris_become_blank_nodes_in_rows_and_triples():
    # A server's blank nodes travel as skolem IRIs (mktgraph.stores.chunks): validate_endpoint
    # with unskolemise gives them back as blank nodes, in the rows and the report alike.
    skolem = URIRef(f"{GENID}amount7")
    data = Graph()
    data.add((URIRef(EX + "deal2"), RDF.type, URIRef(EX + "Deal")))
    data.add((URIRef(EX + "deal2"), URIRef(EX + "amount"), skolem))
    data.add((skolem, URIRef(EX + "value"), Literal(7)))
    shapes = Graph().parse(data=SHAPES, format="turtle")
    runner = MemoryRunner.from_graph(data)
    plain = validate_runner(runner, shapes, inference="none")
    fast = validate_runner(
        MemoryRunner.from_graph(data), shapes, inference="none", unskolemise=True
    )
    result = fast_result(fast, "none")
    assert [row.value for row in result.rows if row.value is not None] == [BNode("amount7")]
    assert result.rows == report_rows(result.report)
    expected = unskolemised(plain.report)
    assert serialize(result.report, "nt") == serialize(expected, "nt")


def test_shapes_blank_nodes_are_cloned_as_pyshacl_clones_them():
    # The report copies blank-node shapes and paths as pySHACL's clone_blank_node does; the
    # fast path does it without importing pySHACL. Every blank node of the W3C suite's files.
    from pyshacl.rdfutil import clone_blank_node
    from rdflib.compare import isomorphic

    from mktgraph.fastshacl.report import _clone_from_shapes

    core = Path(__file__).parents[1] / "w3c_shacl" / "core"
    compared = 0
    for path in sorted(core.rglob("*.ttl")):
        graph = Graph().parse(path, format="turtle")
        for node in {term for triple in graph for term in triple if isinstance(term, BNode)}:
            ours, theirs = Graph(), Graph()
            assert _clone_from_shapes(graph, node, ours, keepid=True) == node
            assert clone_blank_node(graph, node, theirs, keepid=True) == node
            assert isomorphic(ours, theirs), (path, node)
            compared += 1
    assert compared > 500
