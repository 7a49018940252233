"""Which (shape, constraint component) pairs of the shapes a generated graph violates.

    python benchmarks/shape_pairs.py --triples 20k --violations 0.5

The pairs come from the shapes themselves (shapes/*.ttl): every named node or property shape,
and every SHACL Core constraint parameter it has (``sh:minCount`` -> MinCount, ``sh:or`` -> Or,
...). ``generate.py --realistic`` writes a graph; mktgraph validates it (an embedded store, its
fast path, RDFS inference); a pair counts as violated when a result names that shape as its
``sh:sourceShape`` and that component. Exit 1 when a pair is never violated.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402

SH = "http://www.w3.org/ns/shacl#"
# SHACL Core's constraint parameters and the component each belongs to (SHACL 4). A component
# with several parameters (pattern and flags, the qualified counts) is named by its main one.
PARAMETERS = {
    "class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind",
    "minCount": "MinCount", "maxCount": "MaxCount",
    "minExclusive": "MinExclusive", "minInclusive": "MinInclusive",
    "maxExclusive": "MaxExclusive", "maxInclusive": "MaxInclusive",
    "minLength": "MinLength", "maxLength": "MaxLength", "pattern": "Pattern",
    "languageIn": "LanguageIn", "uniqueLang": "UniqueLang",
    "equals": "Equals", "disjoint": "Disjoint", "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
    "not": "Not", "and": "And", "or": "Or", "xone": "Xone", "node": "Node",
    "qualifiedValueShape": "QualifiedValueShape", "closed": "Closed",
    "hasValue": "HasValue", "in": "In", "sparql": "SPARQL",
}  # fmt: skip


def shape_pairs(paths: list[Path] | None = None) -> set[tuple[str, str]]:
    """(shape local name, component) for every constraint of every named shape."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph()
    for path in paths or sorted((ROOT / "shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    shapes = set(graph.subjects(RDF.type, URIRef(SH + "NodeShape")))
    shapes |= set(graph.subjects(RDF.type, URIRef(SH + "PropertyShape")))
    pairs = set()
    for shape in shapes:
        if not isinstance(shape, URIRef):
            continue  # an anonymous shape inside sh:or: its parent's Or reports it
        for parameter, component in PARAMETERS.items():
            if (shape, URIRef(SH + parameter), None) in graph:
                pairs.add((_local(shape), component))
    return pairs


def _local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def violated_pairs(data: Path, work: Path) -> Counter[tuple[str, str]]:
    """How often mktgraph's report on ``data`` names each (shape, component)."""
    from rdflib.namespace import SH as SHNS

    from mktgraph import graph, resources
    from mktgraph.sources import open_source

    shapes = graph.load(resources.shape_files())
    with open_source(store=work / "store", writable=True) as source:
        source.load([data])
        report = source.validate(shapes, "rdfs").report
    found: Counter[tuple[str, str]] = Counter()
    for result in report.subjects(SHNS.sourceShape, None):
        shape = report.value(result, SHNS.sourceShape)
        component = _local(report.value(result, SHNS.sourceConstraintComponent))
        found[(_local(shape), component.removesuffix("ConstraintComponent"))] += 1
    return found


def coverage(triples: int, violations: float, seed: int, work: Path) -> dict:
    """The pairs of the shapes, which a realistic graph of this size violates, which not."""
    data = work / "company.nt"
    generate.write(data, generate.Generator(triples, violations, seed, realistic=True))
    pairs = shape_pairs()
    found = violated_pairs(data, work)
    return {
        "pairs": len(pairs),
        "violated": sorted(p for p in pairs if found[p]),
        "missing": sorted(p for p in pairs if not found[p]),
        "unexpected": sorted(p for p in found if p not in pairs),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=generate.parse_size, default=20_000)
    parser.add_argument("--violations", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        found = coverage(args.triples, args.violations, args.seed, Path(folder))
    print(f"{len(found['violated'])} of {found['pairs']} (shape, constraint) pairs violated")
    for shape, component in found["missing"]:
        print(f"  never violated: {shape} {component}")
    if found["unexpected"]:
        print(json.dumps(found["unexpected"]))
    return 1 if found["missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
