"""The command-line interface: the only module importing Click; commands call the library."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from mktgraph import __version__
from mktgraph.errors import EXIT_USAGE, MktgraphError

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "json-ld", "nt", "nquads", "xml")


class MktgraphGroup(click.Group):
    """A group that turns mktgraph's errors into one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MktgraphError as error:
            click.echo(f"error: {error}", err=True)
            raise click.exceptions.Exit(error.exit_code) from None


def _stdout_is_terminal() -> bool:
    return click.get_text_stream("stdout").isatty()


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output:
        from mktgraph.output import write_atomic

        write_atomic(output, text)
    else:
        click.echo(text, nl=False)


def _parse_params(_ctx, _param, values: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected name=value, got {item!r}")
        parsed[name.strip()] = value
    return parsed


# Option bundles: the same flag means the same thing on every command.
def data_options(func: Callable) -> Callable:
    func = click.option(
        "--example",
        is_flag=True,
        help="Add the bundled sample knowledge graph (a fictional company) as data.",
    )(func)
    return click.option(
        "--data",
        "data",
        multiple=True,
        metavar="FILE",
        help="An RDF data file to add (.ttl .nt .nq .trig .jsonld .rdf .owl .xml); repeatable.",
    )(func)


def output_option(func: Callable) -> Callable:
    return click.option(
        "-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout."
    )(func)


@click.group(cls=MktgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mktgraph")
def cli() -> None:
    """mktgraph: a knowledge graph of marketing and sales.

    An OWL ontology of what marketing is made of (sales is one kind of marketing
    activity), classic marketing frameworks, SHACL shapes for a company's own
    data, and named SPARQL queries.

    \b
    Example:
      mktgraph query sales-vs-marketing
    """


@cli.command()
@click.argument("query", metavar="NAME|FILE.rq")
@data_options
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parse_params,
    help="A value for one of the query's parameters; repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS + GRAPH_FORMATS),
    help="Output format. SELECT: table (default on a terminal, otherwise csv), csv, tsv, json, "
    "xml (the W3C SPARQL results formats). CONSTRUCT/DESCRIBE: turtle (default), json-ld, nt, "
    "nquads, xml.",
)
@output_option
@click.option(
    "--allow-service", is_flag=True, help="Allow SPARQL SERVICE clauses to reach the network."
)
def query(
    query: str,
    data: tuple[str, ...],
    example: bool,
    params: dict[str, str],
    fmt: str | None,
    output: str | None,
    allow_service: bool,
) -> None:
    """Run a named query (see `mktgraph queries`) or a .rq file over the ontology and data.

    \b
    Examples:
      mktgraph query sales-vs-marketing
      mktgraph query marketing-activities --format csv
      mktgraph query my-question.rq --data company.ttl -p segment=smb
    """
    from mktgraph.api import run_query

    answer = run_query(query, data, params, example=example, allow_service=allow_service)
    emit(_format_answer(answer, fmt), output)


def _format_answer(answer, fmt: str | None) -> str:
    from mktgraph.errors import InputError
    from mktgraph.export import serialize
    from mktgraph.output import render_result

    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        fmt = fmt or "turtle"
        if fmt not in GRAPH_FORMATS:
            raise InputError(
                f"a {answer.type} query gives RDF: --format must be one of "
                f"{', '.join(GRAPH_FORMATS)}"
            )
        return serialize(answer.graph, fmt)
    fmt = fmt or ("table" if _stdout_is_terminal() else "csv")
    if fmt not in RESULT_FORMATS:
        raise InputError(
            f"a {answer.type} query gives a table: --format must be one of "
            f"{', '.join(RESULT_FORMATS)}"
        )
    return render_result(answer, fmt)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default=None,
    help="table (default on a terminal, otherwise csv), csv or json.",
)
def queries(fmt: str | None) -> None:
    """List the named queries, with their titles and parameters.

    \b
    Example:
      mktgraph queries
    """
    from mktgraph.queries import named_queries

    listed = [
        {
            "name": q.name,
            "title": q.title,
            "parameters": " ".join(
                p.name if p.required else f"[{p.name}={p.default}]" for p in q.parameters
            ),
        }
        for q in named_queries().values()
    ]
    click.echo(_format_records(listed, ["name", "title", "parameters"], fmt), nl=False)


def _format_records(records: list[dict], columns: list[str], fmt: str | None) -> str:
    """Records (dicts of plain values) as a table, CSV or JSON."""
    import csv
    import io

    from mktgraph.output import render_table

    fmt = fmt or ("table" if _stdout_is_terminal() else "csv")
    if fmt == "json":
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(records)
        return buffer.getvalue()
    return render_table(columns, [[str(r.get(c, "")) for c in columns] for r in records]) + "\n"


@cli.command()
@data_options
@click.option("--no-ontology", is_flag=True, help="Export only the data, without the ontology.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(GRAPH_FORMATS),
    default="turtle",
    show_default=True,
    help="RDF format.",
)
@output_option
def export(
    data: tuple[str, ...], example: bool, no_ontology: bool, fmt: str, output: str | None
) -> None:
    """Write the ontology (plus any data) as Turtle, JSON-LD, N-Triples, N-Quads or RDF/XML.

    Turtle is byte-identical from run to run and keeps mktgraph's prefixes;
    JSON-LD is compacted with mktgraph's own context; RDF/XML opens in Protégé.

    \b
    Examples:
      mktgraph export -o mktgraph.ttl
      mktgraph export --format xml -o mktgraph.owl
      mktgraph export --example --format json-ld
    """
    from mktgraph.api import export_graph

    emit(export_graph(data, fmt, example=example, ontology=not no_ontology), output)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def info(fmt: str) -> None:
    """Show mktgraph's version, the ontology's IRIs, and counts of its terms.

    \b
    Example:
      mktgraph info --format json
    """
    from mktgraph.ontology import info as ontology_info

    facts = ontology_info().as_dict()
    if fmt == "json":
        click.echo(json.dumps(facts, indent=2))
        return
    from mktgraph.output import render_table

    click.echo(
        render_table(
            ["property", "value"], [[k.replace("_", " "), str(v)] for k, v in facts.items()]
        )
    )


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="mktgraph")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(EXIT_USAGE)
