"""`validate` warns about terms in mktgraph's namespace that mktgraph does not define."""

from __future__ import annotations

from mktgraph.validate import validate

TYPO_DATA = """\
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix ex: <https://example.org/> .
ex:spring a mkt:Campaign ; mkt:budget 100 .
"""


def test_validate_warns_about_an_unknown_mktgraph_term(tmp_path):
    data = tmp_path / "company.ttl"
    data.write_text(TYPO_DATA)
    result = validate([data], inference="none")
    # The node is typed with a class that no shape targets: SHACL alone says nothing.
    assert result.conforms
    assert result.warnings == [
        "mkt:Campaign is not a term of mktgraph (a typo?): no shape checks what uses it; "
        "see `mktgraph lint`"
    ]


def test_validate_has_no_warnings_for_the_sample_graph():
    assert validate(example=True, inference="none").warnings == []
