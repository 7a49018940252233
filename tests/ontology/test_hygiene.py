"""The ontology's header and term hygiene: every mkt: term labelled, defined, isDefinedBy."""

from __future__ import annotations

from collections import Counter

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from mktgraph import __version__, resources
from mktgraph.graph import load
from mktgraph.namespaces import MKT, ONTOLOGY_IRI, VANN
from mktgraph.release import DECLARATIONS

ONTOLOGY = URIRef(ONTOLOGY_IRI)


def mkt_terms(graph) -> set[URIRef]:
    """Every IRI in our namespace that the ontology declares."""
    return {
        s
        for kind in DECLARATIONS
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(MKT))
    }


def test_every_ontology_file_parses_and_the_folder_is_not_empty():
    files = resources.ontology_files()
    assert {f.name for f in files} >= {"mktgraph.ttl", "core.ttl", "sources.ttl"}
    for path in files:
        assert len(load([path])) > 0, path


def test_header_is_complete(ontology_graph):
    g = ontology_graph
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    for prop in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.created,
        DCTERMS.modified,
        DCTERMS.source,
        OWL.versionIRI,
        OWL.versionInfo,
        VANN.preferredNamespacePrefix,
        VANN.preferredNamespaceUri,
    ):
        assert g.value(ONTOLOGY, prop) is not None, prop
    assert isinstance(g.value(ONTOLOGY, DCTERMS.license), URIRef)
    assert g.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("mkt")
    assert g.value(ONTOLOGY, VANN.preferredNamespaceUri) == Literal(str(MKT))


def test_version_iri_and_version_info_follow_the_package_version(ontology_graph):
    assert ontology_graph.value(ONTOLOGY, OWL.versionInfo) == Literal(__version__)
    assert ontology_graph.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{__version__}")


def test_one_ontology_header_only(ontology_graph):
    assert set(ontology_graph.subjects(RDF.type, OWL.Ontology)) == {ONTOLOGY}


def test_every_term_has_one_english_label_a_definition_and_is_defined_by(ontology_graph):
    g = ontology_graph
    problems = []
    for term in sorted(mkt_terms(g)):
        labels = [o for o in g.objects(term, RDFS.label) if getattr(o, "language", None) == "en"]
        if len(labels) != 1:
            problems.append(f"{term}: {len(labels)} rdfs:label@en")
        if len(list(g.objects(term, RDFS.label))) != len(labels):
            problems.append(f"{term}: a label without @en")
        definitions = [
            o for o in g.objects(term, SKOS.definition) if getattr(o, "language", None) == "en"
        ]
        if len(definitions) != 1:
            problems.append(f"{term}: {len(definitions)} skos:definition@en")
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in g:
            problems.append(f"{term}: no rdfs:isDefinedBy <{ONTOLOGY_IRI}>")
    assert problems == []


def test_no_two_terms_share_a_label(ontology_graph):
    labels = Counter(
        str(ontology_graph.value(term, RDFS.label)).lower() for term in mkt_terms(ontology_graph)
    )
    assert [label for label, n in labels.items() if n > 1] == []


def test_every_mkt_iri_used_is_declared(ontology_graph):
    """A misspelt term would otherwise pass silently."""
    declared = mkt_terms(ontology_graph) | set(ontology_graph.objects(ONTOLOGY, OWL.versionIRI))
    used = {
        node
        for triple in ontology_graph
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(MKT))
    }
    assert sorted(used - declared) == []


def test_sales_and_the_other_kinds_are_marketing_activities(ontology_graph):
    for kind in (
        "SalesActivity",
        "BrandManagement",
        "MarketResearch",
        "ValueCreation",
        "PricingStrategy",
        "CustomerRelationshipManagement",
        "Advertising",
    ):
        assert (MKT[kind], RDFS.subClassOf, MKT.MarketingActivity) in ontology_graph, kind


def test_the_list_of_kinds_is_open(ontology_graph):
    """No covering axiom may say that the named kinds are the only marketing activities."""
    g = ontology_graph
    for prop in (OWL.unionOf, OWL.disjointUnionOf, OWL.oneOf, OWL.equivalentClass):
        assert g.value(MKT.MarketingActivity, prop) is None, prop


def test_no_equivalence_to_outside_terms_and_place_is_not_schema_place(ontology_graph):
    for s, _p, o in ontology_graph.triples((None, OWL.equivalentClass, None)):
        for node in (s, o):
            if isinstance(node, URIRef):
                assert str(node).startswith(str(MKT)), (s, o)
    schema_place = URIRef("https://schema.org/Place")
    assert not list(ontology_graph.triples((None, None, schema_place)))


def test_the_contrast_has_eight_dimensions_each_with_a_marketing_and_a_sales_stance(
    ontology_graph,
):
    g = ontology_graph
    dimensions = sorted(
        (int(g.value(d, MKT.position)), d) for d in g.subjects(RDF.type, MKT.ContrastDimension)
    )
    assert [p for p, _ in dimensions] == list(range(1, 9))
    for _, dimension in dimensions:
        sides = sorted(
            str(g.value(stance, MKT.ofDiscipline))
            for stance in g.subjects(MKT.onDimension, dimension)
        )
        assert sides == [str(MKT.MarketingOtherThanSales), str(MKT.Sales)], dimension


def test_end_to_end_stages_form_one_chain_in_position_order(ontology_graph):
    g = ontology_graph
    stages = sorted(
        (int(g.value(s, MKT.position)), s) for s in g.subjects(RDF.type, MKT.EndToEndStage)
    )
    assert [p for p, _ in stages] == list(range(1, 9))
    for (_, first), (_, second) in zip(stages, stages[1:], strict=False):
        assert list(g.objects(first, MKT.precedes)) == [second]
    assert list(g.objects(stages[-1][1], MKT.precedes)) == []
    for _, stage in stages:
        assert list(g.objects(stage, MKT.stageActivity)), stage


def test_defined_classes_state_the_named_classes_they_intersect(ontology_graph):
    """Plain SPARQL (no reasoner) follows rdfs:subClassOf only: a class defined as an
    intersection also states that it is a subclass of each named class in it."""
    g = ontology_graph
    missing = []
    for cls, definition in g.subject_objects(OWL.equivalentClass):
        for member in g.items(g.value(definition, OWL.intersectionOf)):
            if isinstance(member, URIRef) and (cls, RDFS.subClassOf, member) not in g:
                missing.append((str(cls), str(member)))
    assert missing == []
