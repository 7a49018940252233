"""The fast validator of an embedded store gives pySHACL's results on generated data shaped like
a real company's (blank-node amounts, decimals as written, mixed time zones, violations of every
(shape, constraint) pair): the data the validation-step benchmark runs on."""

from __future__ import annotations

import pytest
from scalecheck import fast_report, generator_module, pyshacl_keys, report_keys

from mktgraph import graph as graphs
from mktgraph import resources
from mktgraph.validate import DEFAULT_INFERENCE

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("rate", [0.02, 0.3])
def test_realistic_graph_equals_pyshacl(rate, tmp_path):
    module = generator_module()
    generator = module.Generator(10_000, rate, 3, realistic=True)
    path = tmp_path / "realistic.nt"
    module.write(path, generator)
    assert sum(generator.injected.values()) > 0
    shapes = graphs.load(resources.shape_files())
    fast = fast_report(tmp_path / "store", [path], shapes, DEFAULT_INFERENCE)
    expected = pyshacl_keys(graphs.load([path]), shapes, DEFAULT_INFERENCE)
    assert fast.fallback == []
    assert report_keys(fast.report) == expected
    assert len(expected) >= sum(generator.injected.values())
