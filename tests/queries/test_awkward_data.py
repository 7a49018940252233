"""Every named query over valid but awkward data (tests/queries/awkward), on files and on an
embedded store: no error, and the exact rows (tests/awkward_support.py says which).

Before the sort keys were made total, open-leads aborted Oxigraph (a Rust panic, exit 134:
"comparison function does not correctly implement a total order") as soon as creation times
mixed time zones. The server is tested in tests/integration/test_awkward_results.py.
"""

from __future__ import annotations

import pytest
from awkward_support import (
    AWKWARD,
    EXPECTED,
    ONTOLOGY_QUERIES,
    QUERY_NAMES,
    expected_answers,
    run_every_query,
)

pytestmark = pytest.mark.slow  # two child processes run all twelve queries (about 20 s)


def test_every_named_query_has_an_expected_answer():
    assert set(EXPECTED) | set(ONTOLOGY_QUERIES) | {"frameworks"} == set(QUERY_NAMES)
    assert len(QUERY_NAMES) == 12


def test_the_corpus_is_valid(run_cli):
    result = run_cli("validate", str(AWKWARD), "--format", "csv")
    assert result.exit_code == 0, result.stdout
    assert "violation" not in result.stdout


@pytest.fixture(scope="module")
def answers_without_data():
    return run_every_query([], ONTOLOGY_QUERIES + ("frameworks",))


@pytest.fixture(scope="module", params=["files", "store"])
def answers(request, tmp_path_factory):
    if request.param == "files":
        return run_every_query(["--data", str(AWKWARD)])
    from click.testing import CliRunner

    from mktgraph.cli import cli

    store = tmp_path_factory.mktemp("awkward") / "store"
    loaded = CliRunner().invoke(cli, ["load", str(AWKWARD), "--store", str(store)])
    assert loaded.exit_code == 0, loaded.stderr
    return run_every_query(["--store", str(store)])


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_named_query_gives_the_exact_rows(answers, answers_without_data, name):
    assert answers[name] == expected_answers(answers_without_data)[name]


def _mixed_zone_leads(count: int) -> tuple[str, list[str]]:
    """Turtle for ``count`` open leads whose creation times cycle through Z, +01:00, -05:00
    and no zone, and the leads in the order open-leads must give (by instant, a time
    without a zone read as UTC)."""
    zones = {"Z": 0, "+01:00": 60, "-05:00": -300, "": 0}
    lines = ["@prefix mkt: <https://w3id.org/mktgraph/def/> ."]
    instants = []
    for number in range(count):
        zone = list(zones)[number % 4]
        hour, minute = (number * 7) % 24, number % 60
        lead = f"https://example.org/leads/{number:03d}"
        lines.append(
            f'<{lead}> a mkt:Lead ; mkt:createdAt "2024-03-01T{hour:02d}:{minute:02d}:00{zone}"'
            "^^<http://www.w3.org/2001/XMLSchema#dateTime> ."
        )
        instants.append((hour * 60 + minute - zones[zone], lead))
    return "\n".join(lines) + "\n", [lead for _, lead in sorted(instants)]


@pytest.mark.parametrize("source", ["files", "store"])
def test_open_leads_sorts_mixed_time_zones_by_instant(tmp_path, source):
    # 100 leads: with the old sort key (?createdAt itself), enough for Oxigraph's sort to notice
    # that the order is not total, and abort (exit 134).
    import subprocess
    import sys

    from awkward_support import ROOT

    text, order = _mixed_zone_leads(100)
    data = tmp_path / "leads.ttl"
    data.write_text(text)
    options = ["--data", str(data)]
    if source == "store":
        store = tmp_path / "store"
        command = [sys.executable, "-m", "mktgraph", "load", str(data), "--store", str(store)]
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        options = ["--store", str(store)]
    answer = subprocess.run(
        [sys.executable, "-m", "mktgraph", "query", "open-leads", *options, "--format", "csv"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert answer.returncode == 0, answer.stderr[-2000:]
    assert [line.split(",")[0] for line in answer.stdout.splitlines()[1:]] == order
