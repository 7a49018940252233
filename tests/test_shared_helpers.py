"""Small helpers several modules share: severity grading (lint, validation), the first of
several predicates a node has (SHACL paths, class expressions), and folders built whole (docs,
release)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from mktgraph.errors import InputError
from mktgraph.files import check_build_target, folder_built_whole
from mktgraph.graph import first_value
from mktgraph.severity import Graded

EX = "https://example.org/"


@dataclass
class Item:
    severity: str


@dataclass
class Findings(Graded):
    LEVELS = ("high", "low")

    items: list[Item]

    @property
    def graded(self) -> list[Item]:
        return self.items


def test_graded_counts_and_fail_levels():
    findings = Findings([Item("low"), Item("low")])
    assert findings.counts == {"high": 0, "low": 2}
    assert findings.counts_text() == "0 highs, 2 lows"
    assert not findings.fails()  # the default level is the most severe
    assert findings.fails("low")
    with pytest.raises(InputError) as error:
        findings.fails("medium")
    assert str(error.value) == "unknown fail level 'medium'; expected one of high, low"


def test_first_value_takes_the_choices_in_order():
    graph = Graph()
    node, p, q = URIRef(EX + "n"), URIRef(EX + "p"), URIRef(EX + "q")
    graph.add((node, q, Literal("from q")))
    graph.add((node, p, Literal("from p")))
    assert first_value(graph, node, {p: "P", q: "Q"}) == (Literal("from p"), "P")
    assert first_value(graph, node, {q: "Q", p: "P"}) == (Literal("from q"), "Q")
    assert first_value(graph, node, {URIRef(EX + "r"): "R"}) is None


def test_a_folder_built_whole_replaces_the_old_one(tmp_path):
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with folder_built_whole(dest, tmp_path) as staging:
        (staging / "new.txt").write_text("new")
        assert not (dest / "new.txt").exists()  # nothing shows before the end
    assert sorted(p.name for p in dest.iterdir()) == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging left


def test_a_failed_build_leaves_the_old_folder(tmp_path):
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with pytest.raises(RuntimeError), folder_built_whole(dest, tmp_path) as staging:
        (staging / "half.txt").write_text("half")
        raise RuntimeError("stopped half way")
    assert sorted(p.name for p in dest.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


REFUSALS = ("{dest}: not a folder", "{dest}: not empty", "{parent}: missing")


def test_check_build_target_words_each_refusal(tmp_path):
    afile = tmp_path / "file"
    afile.write_text("x")
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("x")
    nowhere = tmp_path / "no" / "site"
    for dest, message in (
        (afile, f"{afile}: not a folder"),
        (full, f"{full}: not empty"),
        (nowhere, f"{nowhere.parent}: missing"),
    ):
        with pytest.raises(InputError) as error:
            check_build_target(dest, dest.parent, False, REFUSALS)
        assert str(error.value) == message
    check_build_target(full, tmp_path, True, REFUSALS)  # replace: a full folder is fine
    check_build_target(Path(tmp_path / "new"), tmp_path, False, REFUSALS)
