"""Linking to mktgraph as a third party would: an ontology of our own imports
https://w3id.org/mktgraph/def through a catalog (no network), subclasses mkt:SalesActivity and
classifies with HermiT; the OWL API's OWL 2 DL profile check finds no violation in mktgraph,
in that ontology, or in either merged with SKOS, PROV-O and schema.org (minimal copies of their
axioms, see vocabularies/README.md), and it finds the ones mktgraph used to have."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from mktgraph import resources
from mktgraph.errors import InputError
from mktgraph.namespaces import MKT
from mktgraph.reason import reason
from mktgraph.release import build_release, load_through_catalog

pytestmark = pytest.mark.integration  # Java: the OWL API and HermiT

HERE = Path(__file__).resolve().parent
VOCABULARIES = [HERE / "vocabularies" / f for f in ("skos.ttl", "prov-o.ttl", "schema-org.ttl")]
OPTIONAL = sorted((resources.data_dir("ontology") / "optional").glob("*.ttl"))
JARS = Path("/usr/share/java")
# The OWL API (Debian libowlapi-java) and what it needs at run time, listed one by one: the
# folder also holds two SLF4J bindings that make each other abort.
CLASSPATH = [
    "owlapi-distribution.jar",
    "guava.jar",
    "caffeine.jar",
    "commons-io.jar",
    "commons-lang3.jar",
    "commons-codec.jar",
    "commons-rdf-api.jar",
    "slf4j-api.jar",
    "slf4j-nop.jar",
    "atinject-jsr330-api.jar",
    "jsr305.jar",
    "hppcrt.jar",
    "xz.jar",
    "jsonld-java.jar",
    "rdf4j-model.jar",
    "rdf4j-model-api.jar",
    "rdf4j-model-vocabulary.jar",
    "rdf4j-rio-api.jar",
    "rdf4j-rio-datatypes.jar",
    "rdf4j-rio-languages.jar",
    "rdf4j-rio-turtle.jar",
    "rdf4j-rio-ntriples.jar",
    "rdf4j-rio-rdfxml.jar",
    "rdf4j-util.jar",
]

PARTNER = """
@prefix ex: <https://example.org/partner/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://example.org/partner> a owl:Ontology ;
    owl:imports <https://w3id.org/mktgraph/def> .

ex:KeyAccountSale a owl:Class ;
    rdfs:subClassOf mkt:SalesActivity ;
    rdfs:label "key-account sale"@en .

ex:LongSale a owl:Class ;
    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( mkt:SalesActivity
        [ a owl:Restriction ; owl:onProperty mkt:timeHorizon ; owl:hasValue mkt:LongTerm ] ) ] .

ex:acme-renewal a owl:NamedIndividual , ex:KeyAccountSale ;
    mkt:timeHorizon mkt:LongTerm .
"""
PARTNER_CATALOG = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
    <uri name="https://w3id.org/mktgraph/def" uri="../mktgraph/ontology/mktgraph.ttl"/>
</catalog>
"""
EX = "https://example.org/partner/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A release folder, and beside it a partner's folder with its ontology and catalog."""
    root = tmp_path_factory.mktemp("site")
    build_release(root / "mktgraph")
    partner = root / "partner"
    partner.mkdir()
    (partner / "partner.ttl").write_text(PARTNER)
    (partner / "catalog-v001.xml").write_text(PARTNER_CATALOG)
    return root


@pytest.fixture(scope="module")
def dl_check(tmp_path_factory):
    """Run the OWL API's OWL 2 DL profile check: (ontologies loaded, violation lines)."""
    missing = [jar for jar in CLASSPATH if not (JARS / jar).is_file()]
    javac, java = shutil.which("javac"), shutil.which("java")
    if missing or not javac or not java:
        pytest.skip(f"needs Debian libowlapi-java and a JDK (missing: {missing or 'javac'})")
    build = tmp_path_factory.mktemp("java")
    classpath = ":".join(str(JARS / jar) for jar in CLASSPATH)
    subprocess.run(
        [javac, "-d", str(build), "-cp", classpath, str(HERE / "java" / "DLProfileCheck.java")],
        check=True,
        capture_output=True,
    )

    def check(*documents: Path) -> tuple[int, list[str]]:
        done = subprocess.run(
            [java, "-cp", f"{classpath}:{build}", "DLProfileCheck", *map(str, documents)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[-1] == f"violations: {len(lines) - 2}"
        return int(lines[-2].removeprefix("loaded: ")), lines[:-2]

    return check


def test_the_released_ontology_is_owl2_dl(site, dl_check):
    for extension in ("ttl", "owl"):
        assert dl_check(site / "mktgraph" / "ontology" / f"mktgraph.{extension}") == (1, [])


def test_the_source_modules_load_through_their_catalog_and_are_owl2_dl(dl_check):
    header = resources.data_dir("ontology") / "mktgraph.ttl"
    assert dl_check(header) == (8, [])  # the header and its seven modules
    # frameworks imports core, which imports external and sources
    assert dl_check(resources.data_dir("ontology") / "frameworks.ttl") == (4, [])


def test_merged_with_skos_prov_o_and_schema_org_it_stays_owl2_dl(site, dl_check):
    ontology = site / "mktgraph" / "ontology" / "mktgraph.ttl"
    assert dl_check(ontology, *VOCABULARIES, *OPTIONAL) == (1 + 3 + len(OPTIONAL), [])


def test_a_partner_ontology_imports_mktgraph_through_the_catalog(site, dl_check):
    partner = site / "partner" / "partner.ttl"
    assert dl_check(partner) == (2, [])
    assert dl_check(partner, *VOCABULARIES) == (5, [])


def test_the_partner_ontology_classifies_with_hermit(site):
    graph = load_through_catalog(site / "partner" / "partner.ttl")
    result = reason(graph, reasoner="hermit")
    assert result.consistent and result.unsatisfiable == []
    renewal = URIRef(EX + "acme-renewal")
    assert set(result.inferred.objects(renewal, RDF.type)) == {
        MKT.SalesActivity,
        MKT.MarketingActivity,
        URIRef(EX + "LongSale"),
        URIRef("http://www.w3.org/ns/prov#Activity"),
    }


def test_an_import_the_catalog_does_not_map_is_refused(tmp_path):
    (tmp_path / "lonely.ttl").write_text(PARTNER)
    with pytest.raises(InputError, match="does not map to a file"):
        load_through_catalog(tmp_path / "lonely.ttl")


def test_the_check_finds_what_mktgraph_used_to_get_wrong(tmp_path, dl_check):
    """An undeclared class (dcterms:BibliographicResource, 13 violations in 0.1.0's draft) and
    SKOS mapping properties declared as annotations, punned against SKOS's own typing."""
    before = tmp_path / "before.ttl"
    before.write_text(
        """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/before> a owl:Ontology .
<https://example.org/work> a dcterms:BibliographicResource .
skos:closeMatch a owl:AnnotationProperty .
skos:notation a owl:AnnotationProperty .
<https://example.org/a> a owl:NamedIndividual ; skos:closeMatch <https://example.org/b> ;
    skos:notation "a" .
"""
    )
    loaded, alone = dl_check(before)
    assert [line.split("\t")[0] for line in alone] == ["UseOfUndeclaredClass"]
    loaded, merged = dl_check(before, VOCABULARIES[0])
    kinds = sorted({line.split("\t")[0] for line in merged})
    assert kinds == ["IllegalPunning", "UseOfUndeclaredClass"]
    punned = {
        line.split("\t")[1].split("<")[1].split(">")[0] for line in merged if "Punning" in line
    }
    assert punned == {
        "http://www.w3.org/2004/02/skos/core#closeMatch",
        "http://www.w3.org/2004/02/skos/core#notation",
    }
