"""`mktgraph docs` and `mktgraph frameworks NAME --format svg` on the command line."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mktgraph.frameworks import find_framework

SVG = "{http://www.w3.org/2000/svg}"
NAMES = [
    "3Cs",
    "4Ps",
    "STP",
    "three product levels",
    "gap model",
    "services marketing triangle",
    "7ps",
    "five product levels",
]


@pytest.mark.parametrize("name", NAMES)
def test_frameworks_svg_draws_each_of_the_eight(run_cli, name, ontology_graph, ontology_source):
    result = run_cli("frameworks", name, "--format", "svg")
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout)
    assert root.tag == f"{SVG}svg"
    shown = {t.text for t in root.iter(f"{SVG}text")}
    for component in find_framework(name, ontology_source).components:
        assert {component.name, f"{component.position}. {component.name}"} & shown


def test_frameworks_svg_to_a_file(run_cli, tmp_path):
    out = tmp_path / "gaps.svg"
    result = run_cli("frameworks", "gap model", "--format", "svg", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text().startswith("<?xml")


def test_frameworks_svg_needs_a_name(run_cli):
    result = run_cli("frameworks", "--format", "svg")
    assert result.exit_code == 2
    assert "--format svg draws one framework: give its NAME" in result.stderr


def test_frameworks_svg_unknown_name(run_cli):
    result = run_cli("frameworks", "5Ps", "--format", "svg")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: unknown framework '5Ps'; known frameworks: ")
    assert result.stdout == ""


@pytest.mark.slow
def test_docs_writes_the_folder(run_cli, tmp_path):
    out = tmp_path / "site"
    result = run_cli("docs", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote 20 files to {out} (open {out}/index.html)\n"
    assert (out / "index.html").is_file()
    again = run_cli("docs", "-o", str(out))
    assert again.exit_code == 2
    assert again.stderr == f"error: {out}: folder is not empty (give --replace to replace it)\n"
    assert run_cli("docs", "-o", str(out), "--replace").exit_code == 0
