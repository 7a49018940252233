"""A second SHACL engine (pyrudof, written in Rust) gives the same results as mktgraph on
every shape case: the same (focus, path, constraint component, severity, shape) set."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from shapecases import CASES_DIR, case_files, load_case, result_keys

from mktgraph import resources
from mktgraph.graph import load, load_ontology
from mktgraph.namespaces import shorten
from mktgraph.validate import DEFAULT_INFERENCE, validate_graph

# Outside the quick subset (-m "not slow and not integration"):
# pyrudof and pySHACL validate every shape case (seconds each).
pytestmark = pytest.mark.slow

pyrudof = pytest.importorskip("pyrudof")

_IRI = re.compile(r"[a-z][a-z0-9+.-]*://[^\s()<>]+")


@cache
def _ontology():
    return load_ontology()


@cache
def _shapes():
    return load(resources.shape_files())


def _path(text: str | None) -> str:
    """pyrudof's path text (``(a / b)``, ``^(a)``) in mktgraph's form, IRIs shortened."""
    if not text:
        return ""
    text = _IRI.sub(lambda m: shorten(m.group(0)), text)
    if text.startswith("^(") and text.endswith(")"):
        text = "^" + text[2:-1]
    return text


def _term(text: str) -> str:
    text = str(text)
    return shorten(text) if _IRI.fullmatch(text) else text


def rudof_keys(path: Path) -> set[tuple[str, str, str, str, str]]:
    case = load_case(path)
    data = case.data + _ontology()
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(data.serialize(format="nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(_shapes().serialize(format="turtle"), format=pyrudof.ShaclFormat.Turtle)
    return {
        (
            _term(e.focus_node),
            _path(e.path),
            _term(e.constraint_component),
            str(e.severity).lower(),
            _term(e.source_shape),
        )
        for e in rudof.validate_shacl()
    }


@pytest.mark.parametrize("path", case_files(), ids=lambda p: str(p.relative_to(CASES_DIR)))
def test_pyrudof_agrees_with_mktgraph(path: Path):
    ours = result_keys(
        validate_graph(load_case(path).data, _shapes(), DEFAULT_INFERENCE, ontology=_ontology())
    )
    # Paths print differently ("(a / b)" here); compare them without brackets.
    ours = {(f, p.strip("()"), c, s, sh) for f, p, c, s, sh in ours}
    theirs = {(f, p.strip("()"), c, s, sh) for f, p, c, s, sh in rudof_keys(path)}
    assert sorted(theirs - ours) == [], "only pyrudof reports these"
    assert sorted(ours - theirs) == [], "only mktgraph reports these"
