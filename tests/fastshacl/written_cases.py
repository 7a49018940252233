"""Small graphs whose literals Oxigraph would rewrite, with shapes whose verdicts depend on the
literals as written: each case must give pySHACL's report on every path of the fast validator."""

from __future__ import annotations

from collections import Counter

from rdflib import BNode, Graph
from rdflib.namespace import RDF, SH

from mktgraph.validate import path_text

PREFIXES = """
@prefix ex: <https://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# name -> (data, shapes), Turtle without prefixes. The cases first, then the XSD value
# semantics where a reading had to be chosen (hour 24, xsd:float, "1" as a boolean).
CASES: dict[str, tuple[str, str]] = {
    "maxCount-two-writings-of-one-decimal": (
        'ex:a ex:price "1.0"^^xsd:decimal, "1.00"^^xsd:decimal .',
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:price ; sh:maxCount 1 ] .",
    ),
    "maxCount-a-canonical-and-a-rewritten-writing": (
        'ex:a ex:price "1"^^xsd:decimal, "1.0"^^xsd:decimal .',
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:price ; sh:maxCount 1 ] .",
    ),
    "pattern-on-two-decimals": (
        "ex:a ex:price 490.00 . ex:b ex:price 12.5 .",
        "ex:S sh:targetSubjectsOf ex:price ; sh:property [ sh:path ex:price ; "
        'sh:pattern "^[0-9]+[.][0-9]{2}$" ] .',
    ),
    "in-a-list-of-decimals": (
        "ex:a ex:rate 1.50 . ex:b ex:rate 1.5 .",
        "ex:S sh:targetSubjectsOf ex:rate ; sh:property [ sh:path ex:rate ; "
        "sh:in ( 0.5 1.0 1.5 ) ] .",
    ),
    "equals-and-disjoint-on-two-writings": (
        "ex:a ex:net 10.0 ; ex:gross 10.00 . ex:b ex:net 3.5 ; ex:gross 3.5 .",
        "ex:S sh:targetSubjectsOf ex:net ; sh:property [ sh:path ex:net ; sh:equals ex:gross ; "
        "sh:disjoint ex:gross ] .",
    ),
    "datatype-int": (
        'ex:a ex:qty "5"^^xsd:int . ex:b ex:qty "5"^^xsd:integer . ex:c ex:qty "300"^^xsd:byte .',
        "ex:S sh:targetSubjectsOf ex:qty ; sh:property [ sh:path ex:qty ; sh:datatype xsd:int ] .",
    ),
    "reported-values-as-written": (
        "ex:a ex:amount -5.50 .",
        "ex:S sh:targetSubjectsOf ex:amount ; sh:property [ sh:path ex:amount ; "
        "sh:minInclusive 0 ] .",
    ),
    "language-tags-as-written": (
        'ex:a ex:label "Hello"@EN, "Hi"@en-GB, "Hallo"@DE .',
        'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:label ; sh:languageIn ( "en" ) ; '
        "sh:uniqueLang true ] .",
    ),
    "a-blank-node-value-as-written": (
        "ex:a ex:amount [ ex:value 7.10 ] .",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ( ex:amount ex:value ) ; "
        "sh:maxInclusive 5 ] .",
    ),
    "zero-or-more-from-a-focus-node-without-triples": (
        "ex:b ex:next ex:c .",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path [ sh:zeroOrMorePath ex:next ] ; "
        "sh:minCount 1 ; sh:nodeKind sh:Literal ] .",
    ),
    "xsd-hour-24": (
        'ex:a ex:at "2024-05-01T24:00:00Z"^^xsd:dateTime . '
        'ex:b ex:at "2024-05-02T00:00:00Z"^^xsd:dateTime .',
        "ex:S sh:targetSubjectsOf ex:at ; sh:property [ sh:path ex:at ; "
        'sh:datatype xsd:dateTime ; sh:hasValue "2024-05-02T00:00:00Z"^^xsd:dateTime ] .',
    ),
    "xsd-float-precision": (
        'ex:a ex:share "0.1"^^xsd:float . ex:b ex:share "0.10000001"^^xsd:float .',
        "ex:S sh:targetSubjectsOf ex:share ; sh:property [ sh:path ex:share ; "
        'sh:maxInclusive "0.1"^^xsd:float ; sh:in ( "0.1"^^xsd:float ) ] .',
    ),
    "xsd-boolean-one-and-true": (
        'ex:a ex:active "1"^^xsd:boolean . ex:b ex:active true . ex:c ex:active "0"^^xsd:boolean .',
        "ex:S sh:targetSubjectsOf ex:active ; sh:property [ sh:path ex:active ; "
        "sh:hasValue true ; sh:datatype xsd:boolean ] .",
    ),
    # The store's typed values prove a literal good only where rdflib reads it alike: a leap
    # day, a day that does not exist, a five-digit year, a date-time where a date is wanted.
    "datatype-and-range-on-typed-values": (
        'ex:a ex:day "2024-02-29"^^xsd:date . ex:b ex:day "2023-02-29"^^xsd:date . '
        'ex:c ex:day "10000-01-01"^^xsd:date . ex:d ex:day "2024-01-01T00:00:00Z"^^xsd:dateTime . '
        'ex:e ex:day "1999-12-31"^^xsd:date . ex:f ex:day "2024-05-01"^^xsd:date .',
        "ex:S sh:targetSubjectsOf ex:day ; sh:property [ sh:path ex:day ; sh:datatype xsd:date ; "
        'sh:minInclusive "2000-01-01"^^xsd:date ] .',
    ),
    # REGEX proves \\d only for 0-9: Oxigraph's Unicode has digits Python 3.11's re lacks.
    "pattern-digits-of-a-newer-unicode": (
        'ex:a ex:code "\U00011f50\U00011f51" . ex:b ex:code "42" . ex:c ex:code "\u0664\u0662" .',
        "ex:S sh:targetSubjectsOf ex:code ; "
        'sh:property [ sh:path ex:code ; sh:pattern "^\\\\d+$" ] .',
    ),
    # sh:datatype xsd:string beside a sh:pattern on one path: REGEX's proof (a string literal)
    # stands in for the datatype test, so a tagged, an IRI or another datatype must still fail.
    "datatype-string-beside-a-pattern": (
        'ex:a ex:mail "ann@x.org" . ex:b ex:mail "bob@x.org"@en . ex:c ex:mail <mailto:c@x.org> . '
        'ex:d ex:mail "dan at x.org" . ex:e ex:mail "eve@x.org"^^xsd:token . '
        'ex:f ex:mail "fay at x.org"@en .',
        "ex:S sh:targetSubjectsOf ex:mail ; sh:property [ sh:path ex:mail ; "
        'sh:datatype xsd:string ; sh:pattern "^[^@\\\\s]+@[^@\\\\s]+\\\\.[^@\\\\s]+$" ] .',
    ),
}


def graphs(name: str) -> tuple[str, Graph, Graph]:
    """The case's data as Turtle text, and its data and shapes graphs."""
    data_text, shapes_text = CASES[name]
    data = Graph().parse(data=PREFIXES + data_text, format="turtle")
    shapes = Graph().parse(data=PREFIXES + shapes_text, format="turtle")
    return PREFIXES + data_text, data, shapes


def _term(node):
    return "_:blank" if isinstance(node, BNode) else node


def report_counter(report: Graph) -> Counter:
    """(focus, path, value, component, severity) of each top-level result, values as written
    (a blank node as _:blank); source shapes are blank nodes here and not compared."""
    found: Counter = Counter()
    for root in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(root, SH.result):
            found[
                (
                    _term(report.value(result, SH.focusNode)),
                    path_text(report, report.value(result, SH.resultPath)),
                    _term(report.value(result, SH.value)),
                    report.value(result, SH.sourceConstraintComponent),
                    report.value(result, SH.resultSeverity),
                )
            ] += 1
    return found


def pyshacl_counter(data: Graph, shapes: Graph) -> Counter:
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", meta_shacl=False, advanced=False
    )
    return report_counter(report)
