"""`mktgraph import --endpoint`: a CRM export into a SPARQL server (Oxigraph), its provenance
in the server's urn:mktgraph:sources graph, and validate pointing back at file, row, column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "crm"
BASE = "https://example.org/northwind/sf/"


def test_import_into_a_server_and_validate_there(run_cli, oxigraph, tmp_path):
    files = [str(p) for p in sorted((EXAMPLES / "salesforce").glob("*.csv"))]
    result = run_cli(
        "import", *files, "--mapping", "salesforce", "--base", BASE, *oxigraph.options()
    )
    assert result.exit_code == 0, result.stderr
    assert oxigraph.count() == 271
    # again, with --replace: the same graph (IRIs minted from the IDs), provenance not doubled
    before = oxigraph.count("urn:mktgraph:sources")
    result = run_cli(
        "import",
        *files,
        "--mapping",
        "salesforce",
        "--base",
        BASE,
        "--replace",
        *oxigraph.options(),
    )
    assert result.exit_code == 0, result.stderr
    assert (oxigraph.count(), oxigraph.count("urn:mktgraph:sources")) == (271, before)
    # a campaign whose end is before its start: the result names Campaign.csv, row 2
    campaign = f"<{BASE}7015g000000001AAK> <https://w3id.org/mktgraph/def/endDate>"
    oxigraph.update(
        f"DELETE WHERE {{ {campaign} ?d }} ; INSERT DATA {{ {campaign} "
        '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }'
    )
    # the shapes' class tests need the ontology beside the data on the server
    assert run_cli("load", "--with-ontology", *oxigraph.options()).exit_code == 0
    result = run_cli("validate", *oxigraph.options(), "--format", "csv")
    assert result.exit_code == 1, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["severity"] == "violation"]
    assert [(r["shape"], r["file"], r["row"], r["column"]) for r in rows] == [
        (
            "mktsh:MarketingCampaign-startDate-order",
            str(EXAMPLES / "salesforce" / "Campaign.csv"),
            "2",
            "StartDate",
        )
    ]
