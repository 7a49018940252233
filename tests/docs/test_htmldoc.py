"""The HTML documentation: an entry for every term, framework pages, valid HTML, built whole."""

from __future__ import annotations

import re

import html5lib
import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from mktgraph.frameworks import find_framework, list_frameworks
from mktgraph.htmldoc import build_docs, render_pages
from mktgraph.namespaces import MKT, ONTOLOGY_IRI

XHTML = "{http://www.w3.org/1999/xhtml}"


def parse(path):
    """The page as an element tree, parsed strictly: any HTML error raises."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(
        path.read_text(encoding="utf-8")
    )


def text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def by_id(tree) -> dict:
    return {e.get("id"): e for e in tree.iter() if e.get("id")}


def our_terms(graph) -> list[URIRef]:
    return sorted(
        s
        for s in set(graph.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)))
        if str(s).startswith(str(MKT))
    )


def test_the_folder_holds_every_page_diagram_and_the_stylesheet(
    site, ontology_graph, ontology_source
):
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    frameworks = [f.iri.rsplit("/", 1)[1] for f in list_frameworks(ontology_source)]
    assert files == sorted(
        [
            "index.html",
            "style.css",
            *(f"frameworks/{name}.html" for name in frameworks),
            "diagrams/sales-within-marketing.svg",
            "diagrams/end-to-end.svg",
            *(f"diagrams/{name.lower()}.svg" for name in frameworks),
        ]
    )


def test_every_page_parses_as_html_without_errors(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 9
    for page in pages:
        parse(page)  # strict: raises on the first parse error


def test_every_term_has_an_entry_anchored_at_its_local_name(site, ontology_graph):
    entries = by_id(parse(site / "index.html"))
    terms = our_terms(ontology_graph)
    assert len(terms) > 200
    for term in terms:
        local = str(term).rsplit("/", 1)[1]
        entry = entries[local]
        assert entry.tag == f"{XHTML}article", local
        shown = text(entry)
        label = ontology_graph.value(term, RDFS.label)
        assert shown.startswith(str(label)), local
        assert str(term) in shown
        definition = ontology_graph.value(term, SKOS.definition)
        assert re.sub(r"\s+", " ", str(definition)) in shown, local


def test_a_class_entry_gives_its_place_in_the_hierarchy(site):
    entry = by_id(parse(site / "index.html"))["SalesActivity"]
    facts = {
        text(dt): dd
        for dt, dd in zip(entry.iter(f"{XHTML}dt"), entry.iter(f"{XHTML}dd"), strict=True)
    }
    links = {text(a): a.get("href") for a in facts["subclass of"].iter(f"{XHTML}a")}
    assert links == {"marketing activity": "index.html#MarketingActivity"}
    sub = {text(a): a.get("href") for a in facts["subclasses"].iter(f"{XHTML}a")}
    assert sub == {"deal": "index.html#Deal"}


def test_restrictions_are_written_in_words(site, ontology_graph):
    from rdflib import BNode
    from rdflib.namespace import OWL, RDF

    entries = by_id(parse(site / "index.html"))
    expected = {}
    for restriction in ontology_graph.subjects(RDF.type, OWL.Restriction):
        value = ontology_graph.value(restriction, OWL.hasValue)
        prop = ontology_graph.value(restriction, OWL.onProperty)
        for cls in ontology_graph.subjects(RDFS.subClassOf, restriction):
            if value is not None and not isinstance(cls, BNode):
                words = f"{ontology_graph.value(prop, RDFS.label)} value "
                words += str(ontology_graph.value(value, RDFS.label))
                expected.setdefault(str(cls).rsplit("/", 1)[1], []).append(words)
    assert expected  # the ontology has such restrictions to show
    for local, phrases in expected.items():
        entry = entries[local]
        facts = {
            text(dt): text(dd)
            for dt, dd in zip(entry.iter(f"{XHTML}dt"), entry.iter(f"{XHTML}dd"), strict=True)
        }
        for phrase in phrases:
            assert phrase in facts["restrictions"], (local, phrase)


def test_a_property_entry_gives_domain_and_range_includes(site, ontology_graph):
    entries = by_id(parse(site / "index.html"))
    for prop in ontology_graph.subjects(URIRef("https://schema.org/domainIncludes"), None):
        entry = entries[str(prop).rsplit("/", 1)[1]]
        assert "domain includes" in [text(dt) for dt in entry.iter(f"{XHTML}dt")]


def test_sales_vs_marketing_table_is_the_named_query(site, ontology_graph):
    from mktgraph.api import run_query

    table = by_id(parse(site / "index.html"))["query-sales-vs-marketing"]
    rows = [[text(td) for td in tr.iter(f"{XHTML}td")] for tr in table.iter(f"{XHTML}tr")]
    answer = run_query("sales-vs-marketing")
    expected = [[re.sub(r"\s+", " ", str(v)).strip() for v in row] for row in answer]
    assert [r for r in rows if r] == expected
    assert len(expected) == 8


@pytest.mark.parametrize(
    "name", ["ThreeCs", "FourPs", "STPModel", "GapModel", "SevenPs", "FiveProductLevels"]
)
def test_framework_page_lists_components_in_order_with_originators(
    site, ontology_graph, name, ontology_source
):
    detail = find_framework(f"mkt:{name}", ontology_source)
    page = parse(site / "frameworks" / f"{name}.html")
    table = next(t for t in page.iter(f"{XHTML}table") if t.get("class") == "components")
    rows = [[text(td) for td in tr.iter(f"{XHTML}td")] for tr in table.iter(f"{XHTML}tr")]
    rows = [r for r in rows if r]
    if detail.ordered:
        assert rows == [[str(c.position), c.name, c.definition] for c in detail.components]
    else:
        assert rows == [[c.name, c.definition] for c in detail.components]
    facts = next(d for d in page.iter(f"{XHTML}dl") if d.get("class") == "facts")
    stated = {
        text(dt): text(dd)
        for dt, dd in zip(facts.iter(f"{XHTML}dt"), facts.iter(f"{XHTML}dd"), strict=True)
    }
    assert stated["originators"] == detail.framework.originator
    assert stated["citation"] == re.sub(r"\s+", " ", detail.framework.source)
    assert stated.get("year") == (str(detail.framework.year) if detail.framework.year else None)


@pytest.mark.slow
def test_pages_are_the_same_bytes_every_run(ontology_graph):
    assert render_pages(ontology_graph) == render_pages(ontology_graph)


def test_docs_refuses_a_non_empty_folder_unless_replacing(tmp_path, ontology_graph):
    target = tmp_path / "site"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    from mktgraph.errors import InputError

    with pytest.raises(InputError, match="folder is not empty"):
        build_docs(target, graph=ontology_graph)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    build_docs(target, replace=True, graph=ontology_graph)
    assert not (target / "notes.txt").exists()
    assert (target / "index.html").is_file()
    # Nothing is left beside it: the staging folder was moved in, the old one removed.
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


@pytest.mark.slow
def test_the_release_folder_holds_these_same_pages(site, tmp_path):
    """`mktgraph release` writes the browser-tested pages into doc/, where its .htaccess
    sends a browser (the ontology's and each term's IRI)."""
    from mktgraph import release

    folder = tmp_path / "mktgraph"
    release.build_release(folder)
    released = {
        str(p.relative_to(folder / "doc")): p.read_bytes()
        for p in sorted((folder / "doc").rglob("*"))
        if p.is_file()
    }
    built = {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }
    assert released == built
    assert "doc/index.html#$1" in (folder / ".htaccess").read_text()
