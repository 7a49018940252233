"""Exports parse back to the same graph; Turtle is byte-stable; RDF/XML loads in owlready2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mktgraph.export import EXPORT_FORMATS, jsonld_context, serialize
from mktgraph.graph import load_ontology

RDFLIB_FORMAT = {
    "turtle": "turtle",
    "json-ld": "json-ld",
    "nt": "nt",
    "nquads": "nquads",
    "xml": "xml",
    "trig": "trig",
}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.slow
def test_each_format_parses_back_to_an_isomorphic_graph(fmt, ontology_graph):
    text = serialize(ontology_graph, fmt)
    if fmt == "nquads":
        from rdflib import Dataset

        parsed = Graph()
        for s, p, o, _g in Dataset().parse(data=text, format="nquads").quads():
            parsed.add((s, p, o))
    else:
        parsed = Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])
    assert isomorphic(parsed, ontology_graph)


def _export_in_a_new_process() -> bytes:
    return subprocess.run(
        [sys.executable, "-m", "mktgraph", "export", "--format", "turtle"],
        capture_output=True,
        check=True,
    ).stdout


@pytest.mark.slow
def test_turtle_is_byte_identical_from_run_to_run():
    assert _export_in_a_new_process() == _export_in_a_new_process()


def test_turtle_keeps_our_prefixes(ontology_graph):
    text = serialize(ontology_graph, "turtle")
    assert "@prefix mkt: <https://w3id.org/mktgraph/def/> ." in text
    assert "mkt:SalesActivity" in text


def test_json_ld_is_compacted_with_our_own_context(ontology_graph):
    doc = json.loads(serialize(ontology_graph, "json-ld"))
    assert doc["@context"] == jsonld_context()
    ids = {node["@id"] for node in doc["@graph"]}
    assert "mkt:SalesActivity" in ids


def test_rdf_xml_loads_in_owlready2(tmp_path):
    import owlready2

    path = tmp_path / "mktgraph.owl"
    path.write_text(serialize(load_ontology(), "xml"), encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    assert world["https://w3id.org/mktgraph/def/SalesActivity"] is not None
    assert onto.base_iri.startswith("https://w3id.org/mktgraph/def")
