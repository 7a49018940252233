"""The fast validator of an embedded store gives pySHACL's results: on every shape test case, on
the sample graph, on every SHACL feature it compiles, and on generated company graphs; but for
results from values that cannot be compared, which mktgraph reports and pySHACL orders by their
datatype IRIs (README, "How values are compared"): each is checked to be such a pair."""

from __future__ import annotations

import json

import pytest
from scalecheck import (
    SCALE_DIR,
    as_nt_file,
    equal_but_incomparable,
    fast_report,
    generator_module,
    pyshacl_keys,
    pyshacl_report,
    report_keys,
)

from mktgraph import graph as graphs
from mktgraph import resources
from mktgraph.validate import DEFAULT_INFERENCE

# Outside the quick subset (-m "not slow and not integration"):
# each test validates generated graphs with pySHACL and the fast validator (seconds each).
pytestmark = pytest.mark.slow

CASES_DIR = SCALE_DIR.parent / "shapes" / "cases"
CASE_FILES = sorted(CASES_DIR.rglob("*.ttl"))


@pytest.fixture(scope="module")
def shapes():
    return graphs.load(resources.shape_files())


def test_there_are_shape_cases_to_compare():
    assert len(CASE_FILES) >= 10, CASES_DIR


@pytest.mark.parametrize("case", CASE_FILES, ids=lambda p: str(p.relative_to(CASES_DIR)))
def test_shape_case_equals_pyshacl(case, shapes, tmp_path):
    import sys

    sys.path.insert(0, str(CASES_DIR.parent))
    from shapecases import load_case

    data = load_case(case).data
    fast = fast_report(
        tmp_path / "store", [as_nt_file(data, tmp_path / "data.nt")], shapes, DEFAULT_INFERENCE
    )
    assert fast.fallback == []
    expected = pyshacl_report(data, shapes, DEFAULT_INFERENCE)
    equal_but_incomparable(fast.report, expected, data, shapes)


def test_sample_graph_equals_pyshacl(shapes, tmp_path):
    files = resources.example_files()
    fast = fast_report(tmp_path / "store", files, shapes, DEFAULT_INFERENCE)
    data = graphs.load(files)
    expected = pyshacl_report(data, shapes, DEFAULT_INFERENCE)
    equal_but_incomparable(fast.report, expected, data, shapes)
    assert fast.conforms == (not report_keys(fast.report))


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_every_compiled_feature_equals_pyshacl(inference, tmp_path):
    """components.ttl uses every constraint, target and path kind the fast path compiles, each
    with nodes that pass and nodes that fail, plus one it leaves to pySHACL (and says so)."""
    path = SCALE_DIR / "components.ttl"
    graph = graphs.load([path])
    warnings: list[str] = []
    fast = fast_report(tmp_path / "store", [path], graph, inference, warnings)
    set_aside = equal_but_incomparable(
        fast.report, pyshacl_report(graph, graph, inference), graph, graph
    )
    # bob's "1700-02-30"^^xsd:date is ill-typed: it cannot be compared with his date of death
    # (sh:lessThan), which mktgraph reports and pySHACL passes.
    assert {(str(k[0]), str(k[2]).rsplit("#", 1)[-1]) for k in set_aside} == {
        ("https://example.org/components/bob", "LessThanConstraintComponent")
    }
    expected = report_keys(fast.report)
    assert len(expected) > 30
    components = {key[2].split("#")[-1] for key in expected}
    assert {
        "ClassConstraintComponent", "DatatypeConstraintComponent", "NodeKindConstraintComponent",
        "MinCountConstraintComponent", "MaxCountConstraintComponent", "InConstraintComponent",
        "HasValueConstraintComponent", "PatternConstraintComponent",
        "MinLengthConstraintComponent", "MaxLengthConstraintComponent",
        "MinInclusiveConstraintComponent", "MaxExclusiveConstraintComponent",
        "MinExclusiveConstraintComponent", "LessThanConstraintComponent",
        "LessThanOrEqualsConstraintComponent", "EqualsConstraintComponent",
        "DisjointConstraintComponent", "NodeConstraintComponent", "XoneConstraintComponent",
        "NotConstraintComponent", "AndConstraintComponent", "OrConstraintComponent",
        "LanguageInConstraintComponent", "UniqueLangConstraintComponent",
        "QualifiedMinCountConstraintComponent",
    } <= components  # fmt: skip
    fallback = dict(fast.fallback)
    assert "https://example.org/components/QualifiedShape" in fallback
    assert "sh:qualifiedValueShape" in fallback["https://example.org/components/QualifiedShape"]
    assert any("QualifiedShape" in w and "pySHACL validates it" in w for w in warnings)
    if inference == "none":
        assert "ClosedConstraintComponent" in components
        assert len(fallback) == 1
    else:
        assert "https://example.org/components/ClosedShape" in fallback


def generate(tmp_path, triples: int, rate: float, seed: int = 7):
    module = generator_module()
    generator = module.Generator(triples, rate, seed)
    path = tmp_path / f"company-{triples}.nt"
    module.write(path, generator)
    return path, generator


@pytest.mark.parametrize(
    "triples",
    [2_000, 10_000, pytest.param(50_000, marks=pytest.mark.slow)],
    ids=["2k", "10k", "50k"],
)
def test_generated_graph_equals_pyshacl(triples, shapes, tmp_path):
    path, generator = generate(tmp_path, triples, 0.05)
    assert sum(generator.injected.values()) > 0
    fast = fast_report(tmp_path / "store", [path], shapes, DEFAULT_INFERENCE)
    data = graphs.load([path])
    equal_but_incomparable(
        fast.report, pyshacl_report(data, shapes, DEFAULT_INFERENCE), data, shapes
    )
    assert len(report_keys(fast.report)) >= sum(generator.injected.values())


@pytest.mark.parametrize("triples", [2_000, 20_000], ids=["2k", "20k"])
def test_generated_graph_without_violations_conforms(triples, shapes, tmp_path):
    path, generator = generate(tmp_path, triples, 0.0)
    assert generator.count >= triples
    assert not generator.injected
    fast = fast_report(tmp_path / "store", [path], shapes, DEFAULT_INFERENCE)
    assert fast.conforms and fast.results == 0, report_keys(fast.report)
    if triples <= 2_000:
        assert pyshacl_keys(graphs.load([path]), shapes, DEFAULT_INFERENCE) == set()


def test_each_injected_kind_of_violation_is_found(shapes, tmp_path):
    module = generator_module()
    path, generator = generate(tmp_path, 20_000, 0.5)
    kinds = {kind for entity in module.KINDS.values() for kind, _, _ in entity}
    assert set(generator.injected) == kinds
    fast = fast_report(tmp_path / "store", [path], shapes, DEFAULT_INFERENCE)
    found = {
        (str(key[5]).rsplit("/", 1)[-1], str(key[2]).rsplit("#", 1)[-1])
        for key in report_keys(fast.report)
    }
    for entity in module.KINDS.values():
        for kind, shape, component in entity:
            assert (shape, f"{component}ConstraintComponent") in found, kind


def test_generator_is_seeded(tmp_path):
    module = generator_module()
    paths = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        path = tmp_path / f"{name}.nt"
        module.write(path, module.Generator(3_000, 0.1, seed))
        paths.append(path.read_bytes())
    assert paths[0] == paths[1]
    assert paths[0] != paths[2]


def test_generator_command_line(tmp_path):
    module = generator_module()
    out, manifest = tmp_path / "g.ttl", tmp_path / "m.json"
    args = ["--triples", "3k", "--violations", "0.2", "--seed", "5", "-o", str(out)]
    assert module.main([*args, "--manifest", str(manifest)]) == 0
    graph = graphs.load([out])
    assert 3_000 <= len(graph) < 3_600
    injected = json.loads(manifest.read_text())
    assert sum(injected.values()) > 0


def test_owlrl_inference_goes_to_pyshacl_and_says_so(shapes, tmp_path):
    import sys

    sys.path.insert(0, str(CASES_DIR.parent))
    from shapecases import load_case

    data = load_case(CASES_DIR / "deals" / "invalid.ttl").data
    warnings: list[str] = []
    fast = fast_report(
        tmp_path / "store", [as_nt_file(data, tmp_path / "data.nt")], shapes, "owlrl", warnings
    )
    assert warnings == [
        "fast validation does not cover owlrl inference; pySHACL validates every shape"
    ]
    assert report_keys(fast.report) == pyshacl_keys(data, shapes, "owlrl")
