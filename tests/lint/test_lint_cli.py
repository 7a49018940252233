"""`mktgraph lint` and validate's warnings on the command line: formats, exit codes, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from mktgraph import cli, lint
from mktgraph.output import LINT_COLUMNS

CASES = Path(__file__).parent / "cases"


def test_cli_names_the_library_severities():
    fail_on = next(param for param in cli.lint.params if param.name == "fail_on")
    assert tuple(fail_on.type.choices) == lint.SEVERITIES == ("error", "warning", "info")


def test_lint_of_mktgraph_passes_with_its_warnings_listed(run_cli):
    result = run_cli("lint")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "mktgraph's ontology: 0 errors, 3 warnings, 0 infos (12 checks)"
    assert lines[2].startswith("property-without-domain (warning, 3 findings): ")
    assert "mkt:position" in result.stdout


def test_lint_fails_on_warnings_when_asked(run_cli):
    assert run_cli("lint", "--fail-on", "warning").exit_code == 1
    assert (
        run_cli("lint", "--fail-on", "warning", "--skip", "property-without-domain").exit_code == 0
    )


def test_lint_csv_and_json_give_every_finding(run_cli):
    case = str(CASES / "subclass-cycle.ttl")
    result = run_cli("lint", case, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [list(r) for r in rows[:1]] == [LINT_COLUMNS]
    assert [(r["check"], r["severity"], r["entity"], r["value"]) for r in rows] == [
        (
            "subclass-cycle",
            "error",
            "https://example.org/ext/AccountSale",
            "https://example.org/ext/KeyAccountSale",
        ),
        (
            "subclass-cycle",
            "error",
            "https://example.org/ext/KeyAccountSale",
            "https://example.org/ext/AccountSale",
        ),
    ]
    assert result.stderr == f"{case}: 2 errors, 0 warnings, 0 infos (12 checks)\n"
    document = json.loads(run_cli("lint", case, "--format", "json").stdout)
    assert document["targets"] == [case]
    assert document["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert [f["check"] for f in document["findings"]] == ["subclass-cycle", "subclass-cycle"]
    assert len(document["checks"]) == 12


def test_lint_info_only_passes_unless_failing_on_info(run_cli):
    case = str(CASES / "punning.ttl")
    assert run_cli("lint", case).exit_code == 0
    assert run_cli("lint", case, "--fail-on", "info").exit_code == 1


def test_lint_writes_to_a_file(run_cli, tmp_path):
    out = tmp_path / "report.csv"
    result = run_cli("lint", str(CASES / "clean.ttl"), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text() == ",".join(LINT_COLUMNS) + "\n"


def test_unknown_check_exits_2_listing_the_valid_ones(run_cli):
    result = run_cli("lint", "--check", "missing-labels")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: unknown check 'missing-labels'; the checks are: "
        + ", ".join(sorted(lint.all_checks()))
        + "\n"
    )
    assert run_cli("lint", "--skip", "nothing").exit_code == 2


def test_unparsable_target_is_one_line_with_file_and_line(run_cli, tmp_path):
    broken = tmp_path / "ext.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:b .\n")
    result = run_cli("lint", str(broken))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {broken}:3: malformed Turtle: ")
    assert result.stderr.count("\n") == 1
    missing = run_cli("lint", str(tmp_path / "nope.ttl"))
    assert missing.exit_code == 2
    assert missing.stderr == f"error: {tmp_path / 'nope.ttl'}: no such file\n"


def test_list_checks(run_cli):
    result = run_cli("lint", "--list-checks", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["check"], r["severity"]) for r in rows] == [
        (c.name, c.severity) for c in lint.all_checks().values()
    ]


def test_validate_prints_a_warning_for_an_unknown_term(run_cli, tmp_path):
    data = tmp_path / "company.ttl"
    data.write_text(
        "@prefix mkt: <https://w3id.org/mktgraph/def/> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex:spring a mkt:Campaign .\n"
    )
    result = run_cli("validate", str(data), "--inference", "none")
    assert result.exit_code == 0
    assert result.stdout == "conforms\n"
    assert result.stderr == (
        "warning: mkt:Campaign is not a term of mktgraph (a typo?): no shape checks what uses "
        "it; see `mktgraph lint`\n"
    )
    document = json.loads(
        run_cli("validate", str(data), "--inference", "none", "--format", "json").stdout
    )
    assert document["warnings"] == [
        "mkt:Campaign is not a term of mktgraph (a typo?): no shape checks what uses it; "
        "see `mktgraph lint`"
    ]
