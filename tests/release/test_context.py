"""mktgraph's JSON-LD context: generated from the ontology and shapes, written by hand-friendly
short names, and resolved offline when data names it (or a context file next to the data)."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from mktgraph import resources
from mktgraph.errors import InputError
from mktgraph.graph import load, load_ontology
from mktgraph.jsonld import CONTEXT_URL, build_context, bundled_context, context_text

MKT = "https://w3id.org/mktgraph/def/"
EXPECTED_DEAL = """
@prefix ex: <https://example.org/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:deal-1 a mkt:Deal ; mkt:worksLead ex:lead-1 ; mkt:dealStage mkt:WonStage ;
    mkt:closeDate "2024-04-02"^^xsd:date .
ex:lead-1 a mkt:Lead ; mkt:contactEmail "ana@example.org" ;
    mkt:createdAt "2024-03-12T10:00:00Z"^^xsd:dateTime .
ex:promo a mkt:Promotion ; mkt:discountPercent "12.5"^^xsd:decimal ; rdfs:label "Spring sale"@en .
"""
DEAL_JSONLD = {
    "@context": [CONTEXT_URL, {"ex": "https://example.org/"}],
    "@graph": [
        {
            "@id": "ex:deal-1",
            "@type": "Deal",
            "worksLead": "ex:lead-1",
            "dealStage": "WonStage",
            "closeDate": "2024-04-02",
        },
        {
            "@id": "ex:lead-1",
            "@type": "Lead",
            "contactEmail": "ana@example.org",
            "createdAt": "2024-03-12T10:00:00Z",
        },
        {
            "@id": "ex:promo",
            "@type": "Promotion",
            "discountPercent": "12.5",
            "label": "Spring sale",
        },
    ],
}


def test_the_bundled_context_is_the_one_generated_from_the_ontology_and_shapes():
    generated = context_text(build_context(load_ontology(), load(resources.shape_files())))
    assert resources.jsonld_context_file().read_text(encoding="utf-8") == generated


def test_the_context_coerces_links_dates_numbers_and_english_text():
    context = bundled_context()
    assert context["worksLead"] == {"@id": "mkt:worksLead", "@type": "@id"}
    assert context["dealStage"] == {"@id": "mkt:dealStage", "@type": "@vocab"}  # a value set
    assert context["startDate"] == {"@id": "mkt:startDate", "@type": "xsd:date"}
    assert context["createdAt"] == {"@id": "mkt:createdAt", "@type": "xsd:dateTime"}
    assert context["discountPercent"] == {"@id": "mkt:discountPercent", "@type": "xsd:decimal"}
    assert context["contactEmail"] == "mkt:contactEmail"  # a plain string
    assert context["label"] == {"@id": "rdfs:label", "@language": "en"}
    assert context["Deal"] == "mkt:Deal" and context["WonStage"] == "mkt:WonStage"
    assert context["Offer"] == "mkt:Offer"  # ours, not schema:Offer
    assert context["name"] == "schema:name"


def test_every_mktgraph_term_has_a_short_name(ontology_graph):
    context = bundled_context()
    short = {
        (value if isinstance(value, str) else value["@id"]).replace("mkt:", MKT)
        for value in context.values()
    }
    declared = {
        str(term)
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
        for term in ontology_graph.subjects(RDF.type, kind)
        if str(term).startswith(MKT)
    }
    assert len(declared) > 200
    assert sorted(declared - short) == []


def test_data_naming_the_context_url_is_read_with_the_bundled_copy(tmp_path):
    data = tmp_path / "deal.jsonld"
    data.write_text(json.dumps(DEAL_JSONLD))
    assert isomorphic(load([data]), Graph().parse(data=EXPECTED_DEAL, format="turtle"))


@pytest.mark.parametrize("reference", ["context.jsonld", "./context.jsonld", "FILE_URL"])
def test_a_context_file_next_to_the_data_is_read(tmp_path, reference):
    context = tmp_path / "context.jsonld"
    context.write_text(json.dumps({"@context": {"ex": "https://example.org/", "n": MKT + "n"}}))
    if reference == "FILE_URL":
        reference = context.as_uri()
    data = tmp_path / "data.jsonld"
    data.write_text(json.dumps({"@context": reference, "@id": "ex:a", "n": "x"}))
    assert set(load([data])) == {
        (URIRef("https://example.org/a"), URIRef(MKT + "n"), Literal("x")),
    }


def test_nested_and_scoped_contexts_are_resolved_too(tmp_path):
    data = tmp_path / "data.jsonld"
    data.write_text(
        json.dumps(
            {
                "@context": {"ex": "https://example.org/"},
                "@id": "ex:d",
                "ex:part": {"@context": CONTEXT_URL, "@id": "ex:l", "@type": "Lead"},
            }
        )
    )
    assert (URIRef("https://example.org/l"), None, URIRef(MKT + "Lead")) in load([data])


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"data.jsonld": {"@context": "missing.jsonld"}},
            "names missing.jsonld, which is not a file",
        ),
        (
            {
                "data.jsonld": {"@context": "a.jsonld"},
                "a.jsonld": {"@context": "b.jsonld"},
                "b.jsonld": {"@context": "a.jsonld"},
            },
            "JSON-LD contexts nested more than 8 deep",
        ),
        (
            {"data.jsonld": {"@context": "https://schema.org/", "@id": "http://x"}},
            "its JSON-LD @context is remote; mktgraph never fetches one",
        ),
        ({"data.jsonld": {"@context": "a.jsonld"}, "a.jsonld": ["x"]}, "not a JSON-LD context"),
    ],
)
def test_bad_contexts_are_refused_in_one_line(tmp_path, files, expected):
    for name, content in files.items():
        (tmp_path / name).write_text(json.dumps(content))
    with pytest.raises(InputError) as error:
        load([tmp_path / "data.jsonld"])
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.slow
def test_exported_json_ld_uses_the_short_names_and_reads_back(ontology_graph):
    from mktgraph.export import serialize

    doc = json.loads(serialize(ontology_graph, "json-ld"))
    deal = next(node for node in doc["@graph"] if node["@id"] == "mkt:Deal")
    assert deal["label"] == "deal"  # English by the context, not a value object
    assert deal["@type"] == "owl:Class"
    stance = next(n for n in doc["@graph"] if n["@id"] == "mkt:SalesAudienceStance")
    assert stance["ofDiscipline"] == "mkt:Sales"  # an IRI by the context, not {"@id": ...}
    assert isomorphic(Graph().parse(data=json.dumps(doc), format="json-ld"), ontology_graph)
