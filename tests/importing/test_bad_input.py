"""Bad input to `mktgraph import`: one line naming file, row and column, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

HEADER = "id,name,deal_stage,works_lead_id,amount,amount_currency,close_date\n"
GOOD = "d1,Deal one,WonStage,lead-1,5880.00,EUR,2024-03-20\n"


def _import(run_cli, tmp_path: Path, *files: Path, extra: tuple[str, ...] = ()):
    out = tmp_path / "out.ttl"
    out.write_text("# the old file\n", encoding="utf-8")
    result = run_cli("import", *map(str, files), "-o", str(out), *extra)
    # nothing written: the old output and no side table
    assert out.read_text(encoding="utf-8") == "# the old file\n"
    assert not (tmp_path / "out.ttl.sources.db").exists()
    return result


def _deals(tmp_path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "deals.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            GOOD + "d2,Deal two,Maybe,lead-2,100,EUR,2024-03-21\n",
            "row 3, column 'deal_stage': unknown value 'Maybe': "
            "not a term of mktgraph's vocabulary",
        ),
        (
            GOOD + "d2,Deal two,won,lead-2,100,EUR,2024-13-45\n",
            "row 3, column 'close_date': unreadable date '2024-13-45' (write it as 2024-03-31)",
        ),
        (
            GOOD + "d2,Deal two,won,lead-2,about 100,EUR,2024-03-21\n",
            "row 3, column 'amount': not a number: 'about 100'",
        ),
        (
            GOOD + "d2,Deal two,won,lead-2,100,Euro,2024-03-21\n",
            "row 3, column 'amount_currency': not a currency code: 'Euro' "
            "(write a code such as EUR)",
        ),
    ],
)
@pytest.mark.slow
def test_bad_cells(run_cli, tmp_path, body, message):
    deals = _deals(tmp_path, HEADER + body)
    result = _import(run_cli, tmp_path, deals)
    assert result.exit_code == 2
    assert result.stderr == f"error: {deals}, {message}\n"


@pytest.mark.slow
def test_missing_column(run_cli, tmp_path):
    deals = _deals(tmp_path, HEADER.replace(",close_date", "") + "d1,Deal,won,lead-1,5,EUR\n")
    result = _import(run_cli, tmp_path, deals)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {deals}, row 1, column 'close_date': missing column (the mapping needs it)\n"
    )


@pytest.mark.slow
def test_unknown_salesforce_stage_names_the_lookup(run_cli, tmp_path, examples):
    text = (examples / "salesforce" / "Opportunity.csv").read_text(encoding="utf-8")
    path = tmp_path / "Opportunity.csv"
    path.write_text(text.replace("Closed Lost", "Closed Maybe", 1), encoding="utf-8")
    result = _import(run_cli, tmp_path, path, extra=("--mapping", "salesforce"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}, row 3, column 'StageName': unknown value 'Closed Maybe': not in the "
        "mapping's salesforce-stages.csv (add a row there to map it)\n"
    )


def test_wrong_encoding_and_empty_file(run_cli, tmp_path):
    deals = _deals(tmp_path, HEADER + GOOD, encoding="utf-16")
    result = _import(run_cli, tmp_path, deals)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {deals}, row 1: not UTF-8 or Windows-1252 text (it looks like UTF-16); "
        "save it as CSV UTF-8\n",
    )
    deals = _deals(tmp_path, "")
    result = _import(run_cli, tmp_path, deals)
    assert (result.exit_code, result.stderr) == (2, f"error: {deals}: empty file: no header row\n")


def test_mapping_that_does_not_parse(run_cli, tmp_path):
    mapping = tmp_path / "broken.yml"
    mapping.write_text("prefixes:\n  ex: http://ex/\nmappings:\n  m: [unclosed\n", encoding="utf-8")
    deals = _deals(tmp_path, HEADER + GOOD)
    result = _import(run_cli, tmp_path, deals, extra=("--mapping", str(mapping)))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {mapping}: the mapping does not parse: ")
    assert result.stderr.count("\n") == 1


def test_file_the_mapping_does_not_read(run_cli, tmp_path):
    path = tmp_path / "widgets.csv"
    path.write_text("sku,colour\nw1,red\n", encoding="utf-8")
    result = _import(run_cli, tmp_path, path, extra=("--mapping", "salesforce"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: the salesforce mapping reads Campaign.csv, CampaignMember.csv, "
        "Lead.csv, Opportunity.csv; name the file after one of them (or give it all the "
        "columns that one needs)\n"
    )


def test_semicolons_and_decimal_commas_found_or_given(run_cli, tmp_path):
    text = (HEADER + GOOD).replace(",", ";").replace("5880.00", "5.880,00")
    deals = _deals(tmp_path, text, encoding="cp1252")
    out = tmp_path / "deals.nt"
    for extra in ((), ("--delimiter", ";")):
        result = run_cli("import", str(deals), "-o", str(out), "--base", "https://ex.org/", *extra)
        assert result.exit_code == 0, result.stderr
        assert '<https://ex.org/d1-amount> <https://schema.org/value> "5880"' in out.read_text()
    result = run_cli("import", str(deals), "-o", str(out), "--delimiter", ",")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {deals}, row 1, column 'id': missing column (the mapping needs it)\n"
    )


def test_the_output_cannot_be_one_of_the_csv_files_it_reads(run_cli, tmp_path):
    deals = _deals(tmp_path, HEADER + GOOD)
    result = run_cli("import", str(deals), "-o", str(deals), "--base", "https://ex.org/")
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: {deals}: is an input of this command; give another output file\n"
    )
    assert deals.read_text(encoding="utf-8") == HEADER + GOOD
