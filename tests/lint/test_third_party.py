"""`mktgraph lint` on vocabularies nobody here wrote, as their packages ship them: the W3C
SHACL vocabulary (pySHACL's copy, with its SHACL-AF additions) and DCMI Metadata Terms
(owlready2's OWL copy). What they find is what a reader of those files can confirm."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pyshacl

from mktgraph.lint import lint

SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl.ttl"
DCTERMS = Path(owlready2.__file__).parent / "ontos" / "dcterms.owl"


def rows(result):
    return [
        (r["check"], r["severity"], r["entity"], r["property"], r["value"])
        for r in (f.as_dict() for f in result.findings)
    ]


def test_shacl_vocabulary_has_one_term_without_a_comment():
    # Every SHACL term has rdfs:label and rdfs:comment, except sh:TripleRule, which pySHACL's
    # copy adds for SHACL Advanced Features with a label only.
    assert rows(lint([SHACL])) == [
        ("missing-definition", "warning", "sh:TripleRule", "skos:definition", ""),
    ]


def test_dcterms_uses_two_classes_it_does_not_declare():
    # dcmitype:Collection (the domain of the accrual properties) and
    # dcam:VocabularyEncodingScheme (the type of DCMIType, DDC, LCSH, ...) come from other
    # DCMI vocabularies, which the file neither declares nor imports: OWL 2 DL wants them
    # declared.
    assert rows(lint([DCTERMS])) == [
        (
            "undeclared-term",
            "error",
            "http://purl.org/dc/dcam/VocabularyEncodingScheme",
            "rdf:type",
            "owl:Class",
        ),
        (
            "undeclared-term",
            "error",
            "http://purl.org/dc/dcmitype/Collection",
            "rdf:type",
            "owl:Class",
        ),
    ]


def test_mktgraph_merged_with_skos_prov_and_schema_org_declares_everything_once():
    # Issue 13, item 1: merged with SKOS (which types skos:notation a datatype property and
    # the mappings object properties), mktgraph had 37 illegal puns, and it used
    # dcterms:BibliographicResource undeclared. The release tests' copies of the SKOS,
    # PROV-O and schema.org axioms stand in for the vocabularies.
    vocabularies = Path(__file__).parents[1] / "release" / "vocabularies"
    files = [vocabularies / name for name in ("skos.ttl", "prov-o.ttl", "schema-org.ttl")]
    checks = ["undeclared-term", "illegal-punning", "restriction-on-annotation-property"]
    assert lint(files, only=checks).findings == []
