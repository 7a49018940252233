"""`mktgraph release`: every artefact, the same bytes from the same commit, never a partial or
accidental overwrite; the catalog, the version in one place and the deprecation policy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, XSD

from mktgraph import __version__, release, resources
from mktgraph.errors import InputError
from mktgraph.graph import load, load_ontology
from mktgraph.namespaces import MKT, ONTOLOGY_IRI

# Outside the quick subset (-m "not slow and not integration"):
# each test builds a release folder (every format, the documentation).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VERSION = __version__
MODULES = ("alignments", "company", "core", "external", "frameworks", "reasoning", "sources")
EXPECTED_FILES = sorted(
    [
        ".htaccess",
        "catalog-v001.xml",
        "context.jsonld",
        "def.var",
        "doc/index.html",
        "doc/style.css",
        *(
            f"doc/frameworks/{name}.html"
            for name in (
                "FiveProductLevels",
                "FourPs",
                "GapModel",
                "STPModel",
                "ServicesMarketingTriangle",
                "SevenPs",
                "ThreeCs",
                "ThreeProductLevels",
            )
        ),
        *(
            f"doc/diagrams/{name}.svg"
            for name in (
                "end-to-end",
                "fiveproductlevels",
                "fourps",
                "gapmodel",
                "sales-within-marketing",
                "servicesmarketingtriangle",
                "sevenps",
                "stpmodel",
                "threecs",
                "threeproductlevels",
            )
        ),
        f"ontology/{VERSION}/context.jsonld",
        f"ontology/{VERSION}/mktgraph.jsonld",
        f"ontology/{VERSION}/mktgraph.nt",
        f"ontology/{VERSION}/mktgraph.owl",
        f"ontology/{VERSION}/mktgraph.ttl",
        f"ontology/{VERSION}/mktgraph.var",
        f"ontology/{VERSION}/shapes.ttl",
        "ontology/mktgraph.jsonld",
        "ontology/mktgraph.nt",
        "ontology/mktgraph.owl",
        "ontology/mktgraph.ttl",
        *(f"module/{name}.ttl" for name in MODULES),
        "optional/schema-http-bridge.ttl",
        "optional/schema-mappings.ttl",
        "shapes.ttl",
        "terms.txt",
    ]
)
CATALOG = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}uri"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "mktgraph"
    made = release.build_release(folder)
    assert made.version == VERSION
    assert list(made.files) == sorted(tree(folder))
    return folder


def test_the_release_holds_every_artefact(released):
    assert sorted(tree(released)) == EXPECTED_FILES


@pytest.mark.parametrize("extension", [".ttl", ".owl", ".jsonld", ".nt"])
def test_each_format_is_the_merged_ontology_at_both_paths(released, extension):
    expected = load_ontology()
    latest = released / "ontology" / f"mktgraph{extension}"
    versioned = released / "ontology" / VERSION / f"mktgraph{extension}"
    assert latest.read_bytes() == versioned.read_bytes()
    assert isomorphic(load([latest]), expected)


def test_shapes_context_and_optional_files_are_the_bundled_ones(released):
    assert isomorphic(load([released / "shapes.ttl"]), load(resources.shape_files()))
    context = resources.jsonld_context_file().read_bytes()
    assert (released / "context.jsonld").read_bytes() == context
    optional = resources.data_dir("ontology") / "optional"
    for name in ("schema-mappings.ttl", "schema-http-bridge.ttl"):
        assert (released / "optional" / name).read_bytes() == (optional / name).read_bytes()


def test_the_modules_are_published_as_they_are(released):
    for name in MODULES:
        source = resources.data_dir("ontology") / f"{name}.ttl"
        assert (released / "module" / f"{name}.ttl").read_bytes() == source.read_bytes()


def test_the_catalog_maps_the_ontology_and_version_iri_to_files_there(released):
    entries = {
        e.get("name"): e.get("uri")
        for e in ET.parse(released / "catalog-v001.xml").getroot().iter(CATALOG)
    }
    assert entries == {
        ONTOLOGY_IRI: "ontology/mktgraph.ttl",
        f"{ONTOLOGY_IRI}/{VERSION}": f"ontology/{VERSION}/mktgraph.ttl",
    }
    for path in entries.values():
        assert (released / path).is_file()


def test_terms_txt_lists_the_terms_and_matches_the_released_list(released):
    terms = (released / "terms.txt").read_text().split()
    assert len(terms) == len(set(terms)) > 200
    assert str(MKT.SalesActivity) in terms and str(MKT.MarketingOtherThanSales) in terms
    released_list = resources.data_dir("ontology") / "released-terms" / f"{VERSION}.txt"
    # Until this version is tagged, a new term means regenerating the list:
    #   python -c "from mktgraph.release import update_released_terms; update_released_terms()"
    assert (released / "terms.txt").read_bytes() == released_list.read_bytes(), (
        f"the terms of {VERSION} changed: regenerate {released_list} (see above)"
    )


def test_the_same_commit_gives_the_same_bytes(released, tmp_path):
    """Two fresh processes, with different hash seeds, write identical folders."""
    trees = []
    for seed in ("1", "2"):
        folder = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "mktgraph", "release", str(folder)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        trees.append(tree(folder))
    assert trees[0] == trees[1] == tree(released)


def test_a_non_empty_folder_is_refused_unless_replace(tmp_path, run_cli):
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    result = run_cli("release", str(dest))
    assert result.exit_code == 2
    assert result.stderr == f"error: {dest}: not empty; give --replace to replace it\n"
    assert tree(dest) == {"keep.txt": b"mine"}
    result = run_cli("release", "--dest", str(dest), "--replace")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"released {VERSION} into {dest}: {len(EXPECTED_FILES)} files\n"
    assert sorted(tree(dest)) == EXPECTED_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # nothing left beside it


def test_a_failed_release_leaves_the_old_folder_and_no_partial_one(tmp_path, monkeypatch):
    dest = tmp_path / "site"
    release.build_release(dest)
    before = tree(dest)

    def fail_half_way(folder, graph, shapes):
        (folder / "half.ttl").write_text("written before the failure")
        raise OSError("disk full")

    monkeypatch.setattr(release, "write_release", fail_half_way)
    with pytest.raises(InputError) as error:
        release.build_release(dest, replace=True)
    assert str(error.value) == f"{dest}: cannot write the release: disk full"
    assert tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("kind", ["file", "missing parent"])
def test_a_destination_that_cannot_be_a_folder_is_refused_in_one_line(tmp_path, run_cli, kind):
    (tmp_path / "taken").write_text("a file")
    dest = tmp_path / "taken" if kind == "file" else tmp_path / "no" / "site"
    result = run_cli("release", str(dest))
    assert result.exit_code == 2
    if kind == "file":
        expected = f"{dest}: exists and is not a folder"
    else:
        expected = f"{dest.parent}: no such folder"
    assert result.stderr == f"error: {expected}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_dir_must_be_given_once(run_cli, tmp_path):
    assert run_cli("release").exit_code == 2
    assert run_cli("release", str(tmp_path / "a"), "--dest", str(tmp_path / "b")).exit_code == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_the_source_catalog_and_the_http_bridge_are_current():
    folder = resources.data_dir("ontology")
    assert (folder / "catalog-v001.xml").read_text() == release.source_catalog()
    bridge = folder / "optional" / "schema-http-bridge.ttl"
    assert bridge.read_text() == release.schema_http_bridge(load_ontology())
    for entry in ET.parse(folder / "catalog-v001.xml").getroot().iter(CATALOG):
        assert (folder / entry.get("uri")).is_file(), entry.get("uri")


def test_the_http_bridge_brings_schema_org_http_data_to_the_alignments():
    """Data written with schema.org's own context (http://schema.org/) reaches mktgraph's
    https:// terms through the bridge, under OWL 2 RL."""
    from mktgraph.reason import reason

    graph = load_ontology()
    graph += load([resources.data_dir("ontology") / "optional" / "schema-http-bridge.ttl"])
    offer, product = URIRef("https://example.org/offer"), URIRef("https://example.org/box")
    graph.add((offer, RDF.type, URIRef("http://schema.org/Offer")))
    graph.add((offer, URIRef("http://schema.org/itemOffered"), product))
    result = reason(graph, reasoner="owlrl")
    assert (offer, RDF.type, URIRef("https://schema.org/Offer")) in result.inferred
    assert (offer, URIRef("https://schema.org/itemOffered"), product) in result.inferred


def test_the_version_is_written_once():
    header = (resources.data_dir("ontology") / "mktgraph.ttl").read_text()
    assert re.findall(r'owl:versionInfo "([^"]+)"', header) == [VERSION]
    assert f"<{ONTOLOGY_IRI}/{VERSION}>" in header  # the version IRI beside it
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r"^version\s*=", pyproject, re.M) is None
    assert 'path = "ontology/mktgraph.ttl"' in pyproject
    assert not re.search(r"__version__\s*=\s*['\"]", (ROOT / "mktgraph/__init__.py").read_text())
    g = load_ontology()
    ontology = URIRef(ONTOLOGY_IRI)
    assert g.value(ontology, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{VERSION}")


def test_prior_version_names_the_previous_release():
    versions = sorted(release.released_terms(), key=lambda v: tuple(map(int, v.split("."))))
    assert VERSION in versions
    earlier = [
        v for v in versions if tuple(map(int, v.split("."))) < tuple(map(int, VERSION.split(".")))
    ]
    prior = load_ontology().value(URIRef(ONTOLOGY_IRI), OWL.priorVersion)
    expected = URIRef(f"{ONTOLOGY_IRI}/{earlier[-1]}") if earlier else None
    assert prior == expected


def test_no_released_term_disappears_without_deprecation(ontology_graph):
    assert release.vanished_terms(ontology_graph, release.released_terms()) == []


def test_the_deprecation_check_can_fail():
    graph = load_ontology()
    released = {"0.0.9": [str(MKT.SalesActivity), str(MKT.Advertising), str(MKT.Deal)]}
    graph.remove((MKT.Advertising, None, None))  # dropped without deprecation
    graph.add((MKT.Deal, OWL.deprecated, Literal(True, datatype=XSD.boolean)))  # no successor
    assert release.vanished_terms(graph, released) == [
        f"{MKT.Advertising} (released in 0.0.9): no longer declared",
        f"{MKT.Deal} (released in 0.0.9): deprecated, no successor",
    ]
    graph.add((MKT.Deal, DCTERMS.isReplacedBy, MKT.SalesActivity))
    assert len(release.vanished_terms(graph, released)) == 1


def test_the_header_names_creator_publisher_dates_citation_and_licence(ontology_graph):
    g, ontology = ontology_graph, URIRef(ONTOLOGY_IRI)
    assert isinstance(g.value(ontology, DCTERMS.creator), URIRef)
    assert isinstance(g.value(ontology, DCTERMS.publisher), URIRef)
    assert g.value(ontology, DCTERMS.created).datatype == XSD.date
    assert g.value(ontology, DCTERMS.modified).datatype == XSD.date
    assert "https://w3id.org/mktgraph/def" in str(g.value(ontology, DCTERMS.bibliographicCitation))
    assert g.value(ontology, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert (
        (ROOT / "LICENSE")
        .read_text()
        .startswith("\n                                 Apache License")
    )
    assert "Creative Commons Attribution 4.0" in (ROOT / "LICENSE-ontology").read_text()
    assert f"## {VERSION}" in (ROOT / "CHANGELOG.md").read_text()


def test_the_release_folder_reads_back_with_the_graph_module(released):
    g = Graph()
    g.parse(released / "ontology" / "mktgraph.ttl")
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in g
