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
