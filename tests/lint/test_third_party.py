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
