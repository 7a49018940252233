"""HermiT, Pellet and OWL 2 RL agree on the class memberships they can all derive."""

from __future__ import annotations

import pytest
from rdflib.namespace import RDF
from reasoning_support import DEFINED

pytestmark = pytest.mark.integration  # HermiT and Pellet run in Java


def memberships(result, classes=None) -> set:
    return {
        (s, o)
        for s, o in result.inferred.subject_objects(RDF.type)
        if classes is None or o in classes
    }


@pytest.mark.parametrize("fixture", ["classify_results", "sample_results"])
def test_hermit_and_pellet_infer_the_same_types(request, fixture):
    results = request.getfixturevalue(fixture)
    assert results["hermit"].ok and results["pellet"].ok
    assert memberships(results["hermit"]) == memberships(results["pellet"])
    assert memberships(results["hermit"])  # not vacuous


@pytest.mark.parametrize("fixture", ["classify_results", "sample_results"])
def test_owl_rl_derives_nothing_the_dl_reasoners_do_not(request, fixture):
    results = request.getfixturevalue(fixture)
    assert results["owlrl"].ok
    assert memberships(results["owlrl"]) <= memberships(results["hermit"])


@pytest.mark.parametrize("fixture", ["classify_results", "sample_results"])
def test_all_three_agree_on_the_defined_classes(request, fixture):
    """The defined classes are built to be derivable in OWL 2 RL too."""
    results = request.getfixturevalue(fixture)
    found = {name: memberships(result, DEFINED) for name, result in results.items()}
    assert found["hermit"]
    assert found["hermit"] == found["pellet"] == found["owlrl"]


@pytest.mark.parametrize("fixture", ["classify_results", "sample_results"])
def test_all_three_agree_on_property_values(request, fixture):
    results = request.getfixturevalue(fixture)
    values = {
        name: {t for t in result.inferred if t[1] != RDF.type} for name, result in results.items()
    }
    assert values["hermit"]
    assert values["hermit"] == values["pellet"] == values["owlrl"]
