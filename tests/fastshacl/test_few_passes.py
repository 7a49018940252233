"""The fast validator's shared passes (one sweep of the focus nodes for the values missing on
several paths, COUNT(*) over a path of one triple pattern) report what pySHACL reports."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH
from written_cases import PREFIXES, report_counter

from mktgraph.fastshacl import validate_runner
from mktgraph.fastshacl.engine import Engine
from mktgraph.fastshacl.runner import MemoryRunner
from mktgraph.fastshacl.shapes import ShapesModel

# Two target classes (a node of both comes twice from the focus pattern), three paths with a
# minimum (one of them, ex:amount, holding decimals as written: a recorded path, left to its
# own MINUS), two shapes on one path, a blank focus node, and an entailed type under RDFS.
SHAPES = """
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:A , ex:B ;
    sh:property ex:Thing-name , ex:Thing-name-warning , ex:Thing-tag , ex:Thing-amount ,
        ex:Thing-note .
ex:Thing-name a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 .
ex:Thing-name-warning a sh:PropertyShape ; sh:path ex:name ; sh:minCount 1 ;
    sh:severity sh:Warning .
ex:Thing-tag a sh:PropertyShape ; sh:path ex:tag ; sh:minCount 2 ; sh:maxCount 3 .
ex:Thing-amount a sh:PropertyShape ; sh:path ex:amount ; sh:minCount 1 ; sh:maxCount 1 ;
    sh:datatype xsd:decimal .
ex:Thing-note a sh:PropertyShape ; sh:path ex:note ; sh:maxCount 1 .
"""
DATA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:C rdfs:subClassOf ex:A .
ex:owner rdfs:domain ex:B .
ex:both a ex:A , ex:B .
ex:named a ex:A ; ex:name "one" , "two" ; ex:tag 1 ; ex:amount "1.50"^^xsd:decimal , 2.0 .
ex:tagged a ex:B ; ex:tag 1 , 2 , 3 , 4 ; ex:note "a" , "b" ; ex:amount 3.00 .
ex:sub a ex:C ; ex:name "sub" ; ex:tag 1 , 2 ; ex:amount "x"^^xsd:decimal .
ex:owned ex:owner ex:someone ; ex:name "owned" .
_:blank a ex:A ; ex:name "blank" ; ex:tag 5 .
ex:good a ex:A ; ex:name "good" ; ex:tag 1 , 2 ; ex:amount 1.0 .
"""


def _pyshacl(data: Graph, shapes: Graph, inference: str):
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference=inference, meta_shacl=False, advanced=False
    )
    return report_counter(report)


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_values_missing_on_several_paths_as_pyshacl_reports_them(
    inference, tmp_path, quiet_rdflib_terms
):
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + DATA)
    shapes = Graph().parse(data=PREFIXES + SHAPES, format="turtle")
    data = Graph().parse(path, format="turtle")
    fast = validate_runner(MemoryRunner.from_files([path]), shapes, inference=inference)
    expected = _pyshacl(data, shapes, inference)
    assert report_counter(fast.report) == expected
    assert sum(expected.values()) >= 12  # every kind of result is there (no vacuous case)


def test_the_case_takes_the_shared_sweep(tmp_path):
    # ex:name and ex:tag, plain triple patterns, are swept together; ex:amount, recorded as
    # written, is not; ex:note has no minimum.
    path = tmp_path / "data.ttl"
    path.write_text(PREFIXES + DATA)
    model = ShapesModel(Graph().parse(data=PREFIXES + SHAPES, format="turtle"))
    engine = Engine(MemoryRunner.from_files([path]), model, "rdfs")
    shape = model.target_shapes()[0]
    groups = {}
    for node in shape.values(SH.property):
        member = model.shape(node)
        groups.setdefault(str(member.path), []).append(member)
    together = engine._missing_together(list(groups.values()), engine.target_focus(shape))
    assert sorted(str(group[0].path).rsplit("/", 1)[-1] for group in together) == ["name", "tag"]


def test_a_store_in_memory_is_told_from_one_on_disk(tmp_path, monkeypatch):
    # The engine plans lookups by it; asking writes nothing anywhere.
    import tempfile

    import pyoxigraph as ox

    from mktgraph.fastshacl.runner import StoreRunner, held_in_memory

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    on_disk = ox.Store(str(tmp_path / "store"))
    assert (held_in_memory(ox.Store()), held_in_memory(on_disk)) == (True, False)
    assert StoreRunner(on_disk).in_memory is False
    assert StoreRunner(ox.Store()).in_memory is True
    assert list(scratch.iterdir()) == []
