"""The generated documentation, built once for the tests of tests/docs."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def site(tmp_path_factory, ontology_graph):
    """A folder holding `mktgraph docs` output for the bundled ontology."""
    from mktgraph.htmldoc import build_docs

    folder = tmp_path_factory.mktemp("docs") / "site"
    build_docs(folder, graph=ontology_graph)
    return folder


@pytest.fixture(scope="session")
def ontology_source(ontology_graph):
    """The bundled ontology as a graph source, for the frameworks' named queries."""
    from mktgraph.diagrams import GraphQueries

    return GraphQueries(ontology_graph)
