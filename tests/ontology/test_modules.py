"""The ontology's files are modules: each its own owl:Ontology, the header imports them all, and
mktgraph merges them into one ontology with one header and no imports to fetch."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from mktgraph import resources
from mktgraph.graph import load
from mktgraph.namespaces import MODULE, ONTOLOGY_IRI

ONTOLOGY = URIRef(ONTOLOGY_IRI)


def module_iri(path) -> URIRef:
    return URIRef(f"{MODULE}{path.stem}")


def test_each_module_file_is_an_ontology_of_its_own_and_part_of_mktgraph():
    modules = [f for f in resources.ontology_files() if f.name != "mktgraph.ttl"]
    assert len(modules) == 7
    for path in modules:
        graph = load([path])
        assert set(graph.subjects(RDF.type, OWL.Ontology)) == {module_iri(path)}, path
        assert graph.value(module_iri(path), DCTERMS.isPartOf) == ONTOLOGY, path
        assert graph.value(module_iri(path), DCTERMS.title) is not None, path


def test_the_header_imports_every_module_and_each_import_is_a_file_here():
    header = load([resources.data_dir("ontology") / "mktgraph.ttl"])
    modules = {module_iri(f) for f in resources.ontology_files() if f.name != "mktgraph.ttl"}
    assert set(header.objects(ONTOLOGY, OWL.imports)) == modules
    for path in resources.ontology_files():
        for imported in load([path]).objects(None, OWL.imports):
            assert imported in modules, (path, imported)


def test_the_merged_ontology_has_one_header_and_imports_nothing(ontology_graph):
    assert set(ontology_graph.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY}
    assert list(ontology_graph.triples((None, OWL.imports, None))) == []
    assert not any(str(s).startswith(str(MODULE)) for s in ontology_graph.subjects())
