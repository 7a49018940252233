"""The fast validator of an embedded store gives pySHACL's results on generated data shaped like
a real company's (blank-node amounts, decimals as written, mixed time zones, violations of every
(shape, constraint) pair): the data the validation-step benchmark runs on. Results from values
that cannot be compared (an xsd:date against an xsd:dateTime...), which mktgraph reports and
pySHACL does not, are set aside, each checked to be such a pair (README, "How values are
compared")."""

from __future__ import annotations

import pytest
from scalecheck import (
    equal_but_incomparable,
    fast_report,
    generator_module,
    pyshacl_report,
    report_keys,
)

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
    data = graphs.load([path])
    assert fast.fallback == []
    equal_but_incomparable(
        fast.report, pyshacl_report(data, shapes, DEFAULT_INFERENCE), data, shapes
    )
    assert len(report_keys(fast.report)) >= sum(generator.injected.values())
