"""The documentation in a real browser (headless Chromium from Debian): it renders without
console errors, every internal link resolves, every diagram names every component."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from mktgraph.frameworks import find_framework, list_frameworks

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
# Never download a browser, never reach the network: Debian's Chromium, quiet.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot_folder() -> Path:
    """$CI_ARTIFACTS/docs-screenshots in CI (kept as an artefact), else tests/artifacts/."""
    base = os.environ.get("CI_ARTIFACTS")
    root = Path(base) if base else Path(__file__).resolve().parents[1] / "artifacts"
    folder = root / "docs-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file() or shutil.which("dot") is None:
        pytest.skip("needs Debian's chromium and graphviz (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def visited(browser, site):
    """Each page opened once: its console errors, links, ids and diagram texts."""
    pages = {}
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    # Nothing but the folder's own files may load.
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    for path in sorted(site.rglob("*.html")):
        page = context.new_page()
        errors: list[str] = []
        failed: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
        page.on("requestfailed", lambda r, f=failed: f.append(r.url))
        page.goto(path.as_uri(), wait_until="load")
        pages[str(path.relative_to(site))] = {
            "page": page,
            "errors": errors,
            "failed": failed,
            "links": page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"),
            "ids": set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)")),
            "diagrams": page.eval_on_selector_all(
                "figure.diagram svg",
                "svgs => svgs.map(s => Array.from(s.querySelectorAll('text'), t => t.textContent))",
            ),
            "stylesheets": page.evaluate("document.styleSheets.length"),
        }
    yield pages
    context.close()


def test_every_page_renders_without_console_errors(visited):
    assert len(visited) == 9
    for name, seen in visited.items():
        assert seen["errors"] == [], name
        assert seen["failed"] == [], name
        assert seen["stylesheets"] == 1, name


def test_every_internal_link_resolves(visited, site):
    checked = 0
    for name, seen in visited.items():
        for href in seen["links"]:
            url = urlsplit(href)
            if url.scheme != "file":
                assert url.scheme in ("http", "https"), (name, href)
                continue
            target = Path(unquote(url.path))
            assert target.is_file(), (name, href)
            assert target.resolve().is_relative_to(site.resolve()), (name, href)
            if url.fragment:
                key = str(target.relative_to(site))
                assert url.fragment in visited[key]["ids"], (name, href)
            checked += 1
    assert checked > 500


def test_each_framework_page_shows_its_diagram_naming_every_component(
    visited, ontology_graph, ontology_source
):
    frameworks = list_frameworks(ontology_source)
    assert len(frameworks) == 8
    shots = screenshot_folder()
    for framework in frameworks:
        local = framework.iri.rsplit("/", 1)[1]
        seen = visited[f"frameworks/{local}.html"]
        assert len(seen["diagrams"]) == 1, local
        shown = seen["diagrams"][0]
        for component in find_framework(framework.iri, ontology_source).components:
            names = {component.name, f"{component.position}. {component.name}"}
            assert names & set(shown), (local, component.name, shown)
        assert seen["page"].locator("figure.diagram svg").is_visible()
        shot = shots / f"{local}.png"
        seen["page"].screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000


def test_ontology_page_shows_sales_within_marketing_and_the_stages(visited):
    seen = visited["index.html"]
    activities, stages = seen["diagrams"]
    assert "sales activity" in activities and "marketing activity" in activities
    assert "7. close the deal" in stages
    assert "SalesActivity" in seen["ids"]


def test_a_term_iri_fragment_lands_on_its_entry(visited):
    page = visited["index.html"]["page"]
    page.goto(page.url.split("#")[0] + "#SalesActivity")
    heading = page.locator("#SalesActivity h3")
    assert heading.text_content() == "sales activity"
    assert heading.is_visible()
    assert page.evaluate("document.querySelector(':target').id") == "SalesActivity"
