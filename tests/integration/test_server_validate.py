"""`mktgraph validate --endpoint`: a server's graph gives the same report as the same files."""

from __future__ import annotations

import pytest
from sparql_servers import write

pytestmark = pytest.mark.integration

# A campaign with no channel and its start date as text; a customer that is neither an
# organisation nor a person and has no name; a customer whose name is an IRI. (No blank nodes:
# a report shows their labels, which differ from one parse to the next even locally.)
INVALID = """\
@prefix ex: <https://example.org/broken/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
ex:spring a mkt:MarketingCampaign ;
    schema:name "Spring offensive" ;
    mkt:startDate "2024-03-01" .
ex:acme a mkt:Customer .
ex:beta a mkt:Customer , schema:Organization ;
    schema:name ex:beta-name .
"""


def validated_on_both(run_cli, options: list[str], data, fmt: str = "csv"):
    """`validate --format FMT` of ``data`` loaded into the server (``options``) and of the file
    itself: the results (exit status, stdout, stderr) of the server's are the file's, which are
    returned."""
    loaded = run_cli("load", str(data), "--with-ontology", "--replace", *options)
    assert loaded.exit_code == 0, loaded.stderr
    remote = run_cli("validate", "--format", fmt, *options)
    local = run_cli("validate", str(data), "--format", fmt)
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout), remote.stderr
    assert remote.stderr == local.stderr
    return local


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_report_is_the_one_for_the_files(run_cli, target, tmp_path, fmt):
    _server, options = target
    local = validated_on_both(run_cli, options, write(tmp_path / "broken.ttl", INVALID), fmt)
    assert local.exit_code == 1, local.stderr
    assert "violation" in local.stdout


def test_the_sample_graph_conforms_on_a_server_too(run_cli, oxigraph):
    loaded = run_cli("load", "--example", "--with-ontology", *oxigraph.options())
    assert loaded.exit_code == 0, loaded.stderr
    remote = run_cli("validate", *oxigraph.options())
    local = run_cli("validate", "--example")
    assert (remote.exit_code, remote.stdout) == (local.exit_code, local.stdout)
    assert remote.exit_code == 0


def test_validate_endpoint_takes_no_files(run_cli, oxigraph, tmp_path):
    data = write(tmp_path / "broken.ttl", INVALID)
    result = run_cli("validate", str(data), *oxigraph.options())
    assert result.exit_code == 2
    assert "with --endpoint the data are the server's graph" in result.stderr


# Channels from mktsh:MarketingCampaign-channel's sh:in list of IRIs, one not in it: a
# disjunction of sameTerm tests passed only the list's last IRI on Virtuoso.
CHANNELS = """\
@prefix ex: <https://example.org/channels/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
ex:spring a mkt:MarketingCampaign ; schema:name "Spring" ; mkt:channel mkt:EmailChannel .
ex:summer a mkt:MarketingCampaign ; schema:name "Summer" ; mkt:channel mkt:WebinarChannel .
ex:autumn a mkt:MarketingCampaign ; schema:name "Autumn" ; mkt:channel ex:carrier-pigeon .
"""


def test_sh_in_of_iris_is_judged_as_for_the_files(run_cli, target, tmp_path):
    _server, options = target
    local = validated_on_both(run_cli, options, write(tmp_path / "channels.ttl", CHANNELS))
    in_rows = [line for line in local.stdout.splitlines() if "InConstraintComponent" in line]
    assert len(in_rows) == 1 and "carrier-pigeon" in in_rows[0], local.stdout


# One discount as xsd:long among good ones: sh:or ( [ sh:datatype xsd:decimal ] [ sh:datatype
# xsd:integer ] ) fails it alone. Its pairs query then named one value in a VALUES block, which
# Virtuoso matched with nothing (Layout.one_row_values), so the result was missing there.
DISCOUNTS = """\
@prefix ex: <https://example.org/discounts/> .
@prefix mkt: <https://w3id.org/mktgraph/def/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:spring a mkt:DiscountPromotion ; schema:name "Spring" ; mkt:discountPercent "15.0"^^xsd:decimal .
ex:summer a mkt:DiscountPromotion ; schema:name "Summer" ; mkt:discountPercent "45"^^xsd:long .
ex:autumn a mkt:DiscountPromotion ; schema:name "Autumn" ; mkt:discountPercent 20 .
"""


def test_a_lone_value_failing_sh_or_is_reported_as_for_the_files(run_cli, target, tmp_path):
    _server, options = target
    local = validated_on_both(run_cli, options, write(tmp_path / "discounts.ttl", DISCOUNTS))
    or_rows = [line for line in local.stdout.splitlines() if "OrConstraintComponent" in line]
    assert len(or_rows) == 1 and or_rows[0].startswith(
        "https://example.org/discounts/summer,mkt:discountPercent,45,"
    ), local.stdout
