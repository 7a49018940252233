"""`mktgraph validate` on imported data names the file, row and column of each result."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, URIRef

SOURCES = "urn:mktgraph:sources#"


@pytest.fixture
def imported(run_cli, tmp_path):
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "id,name,deal_stage,works_lead_id,amount,amount_currency,close_date\n"
        "d1,One,won,l1,5880,EUR,2024-03-20\n"
        "d2,Two,lost,l1,-5,EUR,\n",
        encoding="utf-8",
    )
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "id,name,created_at,generated_by_id,prospect_id,contact_email\n"
        "l1,,2024-02-01T10:00:00Z,c1,p1,not-an-email\n",
        encoding="utf-8",
    )
    campaigns = tmp_path / "campaigns.csv"
    campaigns.write_text(
        "id,name,channel,start_date,budget,budget_currency,end_date,target_segment_id\n"
        "c1,Spring,search,2024-03-01,100,EUR,2024-02-01,\n",
        encoding="utf-8",
    )
    prospects = tmp_path / "prospects.csv"
    prospects.write_text("id,type,name\np1,Organization,Acme\n", encoding="utf-8")
    out = tmp_path / "acme.ttl"
    files = [deals, leads, campaigns, prospects]
    result = run_cli("import", *map(str, files), "-o", str(out), "--base", "https://acme.example/")
    assert result.exit_code == 0, result.stderr
    return out, {f.stem: str(f) for f in files}


def _expected(names):
    return [
        # severity, shape, file, row, column
        ("violation", "mktsh:Lead-contactEmail", names["leads"], "2", "contact_email"),
        (
            "violation",
            "mktsh:MarketingCampaign-startDate-order",
            names["campaigns"],
            "2",
            "start_date",
        ),
        ("violation", "mktsh:MonetaryAmount-value", names["deals"], "3", "amount"),
        ("warning", "mktsh:ClosedDealShape", names["deals"], "3", ""),
        (
            "info",
            "mktsh:MarketingCampaign-targetSegment-missing",
            names["campaigns"],
            "2",
            "target_segment_id",
        ),
    ]


@pytest.mark.slow
def test_csv_and_json_have_file_row_and_column(run_cli, imported):
    out, names = imported
    result = run_cli("validate", str(out), "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[-3:] == ["file", "row", "column"]
    got = sorted((r["severity"], r["shape"], r["file"], r["row"], r["column"]) for r in rows)
    assert got == sorted(_expected(names))
    document = json.loads(run_cli("validate", str(out), "--format", "json").stdout)
    got = sorted(
        (r["severity"], r["shape"], r["file"], str(r["row"]), r["column"])
        for r in document["results"]
    )
    assert got == sorted(_expected(names))
    assert {type(r["row"]) for r in document["results"]} == {int}


@pytest.mark.slow
def test_text_and_report_graph(run_cli, imported):
    out, names = imported
    text = run_cli("validate", str(out)).stdout
    assert "│ file" in text and "│ row" in text and "│ column" in text
    report = run_cli("validate", str(out), "--format", "turtle").stdout
    graph = Graph().parse(data=report, format="turtle")
    annotated = sorted(
        (
            str(graph.value(r, URIRef(SOURCES + "file"))),
            graph.value(r, URIRef(SOURCES + "row")).toPython(),
            str(graph.value(r, URIRef(SOURCES + "column"))),
        )
        for r in graph.subjects(URIRef(SOURCES + "file"), None)
    )
    assert annotated == sorted((f, int(r), c) for _, _, f, r, c in _expected(names))


@pytest.mark.slow
def test_import_validate_in_a_store(run_cli, imported, tmp_path):
    _, names = imported
    store = tmp_path / "store"
    files = [names[n] for n in ("deals", "leads", "campaigns", "prospects")]
    result = run_cli(
        "import",
        *files,
        "--store",
        str(store),
        "--base",
        "https://acme.example/",
        "--validate",
        "--format",
        "csv",
    )
    assert result.exit_code == 1, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    got = sorted((r["severity"], r["shape"], r["file"], r["row"], r["column"]) for r in rows)
    assert got == sorted(_expected(names))


def test_data_not_imported_has_no_origin_columns(run_cli, tmp_path):
    result = run_cli("validate", "--example", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "focus,path,value,severity,message,shape,component"
