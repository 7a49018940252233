"""Shared fixtures (CLI runner, bundled graphs) and the CI rule that nothing is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mktgraph.cli import cli
from mktgraph.graph import load_ontology

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture
def run_cli():
    """Invoke the CLI; returns the Click result, whose .stdout and .stderr are separate."""

    def invoke(*args: str, **kwargs):
        runner = CliRunner()
        return runner.invoke(cli, list(args), catch_exceptions=False, **kwargs)

    return invoke


@pytest.fixture
def quiet_rdflib_terms():
    """rdflib's term logger silenced: data with ill-typed literals on purpose would log a
    traceback for each."""
    import logging

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """mktgraph's wheel, built once per test session from this checkout."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = dist.glob("mktgraph-*.whl")
    return built


@pytest.fixture(scope="session")
def ontology_graph():
    """The bundled ontology, parsed once per test session (do not modify it)."""
    return load_ontology()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    # In CI nothing may be skipped: a skip (of a test or of a fixture it needs) fails.
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {report.longrepr}"
