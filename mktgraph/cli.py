"""The command-line interface: the only module importing Click; commands call the library."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from mktgraph import __version__
from mktgraph.choices import INFERENCE_MODES, LINT_SEVERITIES, REASONERS, VALIDATION_SEVERITIES
from mktgraph.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    EXIT_USAGE,
    MktgraphError,
    Terminated,
    UsageError,
)
from mktgraph.formats import (
    FRAMEWORK_FORMATS,
    GRAPH_FORMATS,
    INFO_FORMATS,
    LINT_FORMATS,
    RDF_FORMAT_NAMES,
    REASON_FORMATS,
    RECORD_FORMATS,
    RESULT_FORMATS,
    VALIDATE_FORMATS,
)
from mktgraph.sources import ENDPOINT_OPTIONS
from mktgraph.stores import AUTH_SCHEMES, PROTOCOLS, SERVER_CHOICES


class MktgraphGroup(click.Group):
    """The one top-level handler: mktgraph's errors become one line on stderr and their exit
    code; anything unexpected becomes one line naming the command (and the files it was
    given) and exit 70, never 1, which means "no". --debug shows the traceback instead."""

    def invoke(self, ctx: click.Context) -> Any:
        given = [*getattr(ctx, "_protected_args", ()), *ctx.args]
        try:
            return super().invoke(ctx)
        except MktgraphError as error:
            click.echo(f"error: {error}", err=True)
            raise click.exceptions.Exit(error.exit_code) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _detach_stdout()  # the reader left: nothing to say, and nowhere to say it
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except Terminated:
            click.echo("terminated", err=True)
            raise click.exceptions.Exit(EXIT_TERMINATED) from None
        except OSError as error:
            if _debug(ctx):
                _print_traceback()
            reason = error.strerror or str(error) or type(error).__name__
            if error.filename is None:  # writing to stdout (a full disk, a closed terminal)
                _detach_stdout()
                where = "standard output"
            else:
                where = str(error.filename)
            click.echo(f"error: {where}: {reason}", err=True)
            raise click.exceptions.Exit(EXIT_USAGE) from None
        except Exception as error:
            if _debug(ctx):
                _print_traceback()
            command = ctx.invoked_subcommand or (given[0] if given else "")
            files = [a for a in given[1:] if a == "-" or os.path.isfile(a)]
            reading = f" (reading {', '.join(files)})" if files else ""
            detail = (str(error).splitlines() or [""])[0]
            click.echo(
                f"error: internal error in `mktgraph {command}`{reading}: "
                f"{type(error).__name__}: {detail}; please report it"
                f"{'' if _debug(ctx) else ' (--debug shows the traceback)'}",
                err=True,
            )
            raise click.exceptions.Exit(EXIT_INTERNAL) from None


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().meta.get("mktgraph.debug"))


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()


def _detach_stdout() -> None:
    """Point stdout at /dev/null, so that Python's last flush at exit cannot fail again (a
    second traceback, exit 120) on a pipe that is gone or a device that is full."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class _QuietRdflibOnImport:
    """An import finder that finds nothing, but quiets rdflib's logger as rdflib is first
    imported: commands that never import rdflib (queries, query --store) then start without
    importing logging (a light start; see benchmarks/bench_cli_query.py)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "rdflib":
            import logging

            logging.getLogger("rdflib").setLevel(logging.ERROR)


def _quiet_rdflib() -> None:
    """rdflib logs a traceback for each ill-typed literal (legal RDF, which SHACL reports); the
    CLI's stderr is for one-line messages. Done now if rdflib is loaded, else when it is."""
    if "rdflib" in sys.modules:
        import logging

        logging.getLogger("rdflib").setLevel(logging.ERROR)
    elif not any(isinstance(finder, _QuietRdflibOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietRdflibOnImport())


def _terminate(_number: int, _frame: Any) -> None:
    raise Terminated


def warn(message: str) -> None:
    """A "warning: ..." line on stderr, unless -q."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.find_root().meta.get("mktgraph.verbosity", 0) >= 0:
        click.echo(f"warning: {message}", err=True)


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def _show_progress() -> bool:
    """Progress lines on a terminal, unless -q."""
    ctx = click.get_current_context(silent=True)
    quiet = ctx is not None and ctx.find_root().meta.get("mktgraph.verbosity", 0) < 0
    return sys.stderr.isatty() and not quiet


def _table_or_csv(fmt: str | None) -> str:
    """The format asked for, or by default a table on a terminal and CSV in a pipe."""
    return fmt or ("table" if _stdout_is_terminal() else "csv")


def emit(text: str, output: str | None, inputs: tuple = ()) -> None:
    """Print ``text`` (no -o, or -o -), or write it safely to the file ``output``: never over
    one of ``inputs`` or into a store (see mktgraph.files)."""
    from mktgraph.files import is_stdout, write_output

    if is_stdout(output):
        click.echo(text, nl=False)
    else:
        write_output(output, text, inputs)


def _check_output(output: str | None, inputs: tuple) -> None:
    """Refuse a bad -o before any work is done."""
    from mktgraph.files import check_output

    check_output(output, inputs)


def _parse_params(_ctx, _param, values: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"expected name=value, got {item!r}")
        parsed[name.strip()] = value
    return parsed


# Option bundles: the same flag means the same thing on every command.
def format_option(choices: tuple[str, ...], help: str, default: str | None = None) -> Callable:
    """--format FMT, one of ``choices``; the command gets it as ``fmt``."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help=help,
    )


def fail_on_option(severities: tuple[str, ...], default: str, help: str) -> Callable:
    """--fail-on SEVERITY: the least severe result that makes the command exit 1."""
    return click.option(
        "--fail-on",
        type=click.Choice(severities),
        default=default,
        show_default=True,
        help=help,
    )


def output_option(func: Callable) -> Callable:
    return click.option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write to FILE instead of stdout ('-': stdout); its extension gives the format "
        "unless --format does. Written atomically; never over an input.",
    )(func)


# The options that say how to reach a server (source_options adds them).
_ENDPOINT = ("endpoint", *ENDPOINT_OPTIONS, "graph")


def source_options(
    *, files: bool = False, reason: bool = False, timeout: bool = True, local: bool = True
) -> Callable[[Callable], Callable]:
    """Where the graph is: data files (``files``: also as arguments), --example, --store DIR or
    --endpoint URL with how to reach it, and (``reason``) --reason/--reasoner. The command gets
    ``source``: a SourceSpec (mktgraph.sources.open_source checks which options go together)."""

    # The parameters this bundle adds (a command's own --timeout or --reasoner stays its own).
    added = (
        {"data", "example", "input_format", "store", *_ENDPOINT} if local else {"store", *_ENDPOINT}
    )
    added -= set() if timeout else {"timeout"}
    added |= {"files"} if files else set()
    added |= {"reason", "reasoner"} if reason else set()

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def command(**kwargs: Any) -> Any:
            from mktgraph.sources import source_spec

            given = {name: kwargs.pop(name) for name in added}
            given["data"] = (*(given.pop("files", None) or ()), *(given.get("data") or ()))
            with _printed_store_warnings():
                kwargs["source"] = source_spec(**given)
                return func(**kwargs)

        local_options = [
            click.option(
                "--data",
                "data",
                multiple=True,
                metavar="FILE",
                help="An RDF data file to add (.ttl .nt .nq .trig .jsonld .rdf .owl .xml); "
                "repeatable.",
            ),
            click.option(
                "--example",
                is_flag=True,
                help="Add the bundled sample knowledge graph (a fictional company) as data.",
            ),
            click.option(
                "--input-format",
                type=click.Choice(tuple(RDF_FORMAT_NAMES)),
                help="The RDF format of every data file, instead of their extensions (.gz "
                "looked through); needed for '-', standard input.",
            ),
        ]
        options = [
            *(local_options if local else []),
            click.option(
                "--store",
                metavar="DIR",
                help="An embedded store: a folder that `mktgraph load --store DIR` fills (for "
                "graphs of millions of triples; no server needed).",
            ),
            *_endpoint_options(timeout),
        ]
        if reason:
            options += [
                click.option(
                    "--reason",
                    is_flag=True,
                    help="Add the facts an OWL reasoner infers (see `mktgraph reason`); "
                    "exit 1 when the data is inconsistent.",
                ),
                click.option(
                    "--reasoner",
                    type=click.Choice(REASONERS),
                    help="The reasoner for --reason (implies it): hermit, pellet (both need "
                    "Java), rl (OWL 2 RL inside Oxigraph, for large data) or owlrl (OWL 2 RL in "
                    "pure Python). Default: chosen by the size of the data.",
                ),
            ]
        if files:
            options.insert(0, click.argument("files", nargs=-1, metavar="[DATA]..."))
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _endpoint_options(timeout: bool) -> list[Callable]:
    options = [
        click.option(
            "--endpoint",
            metavar="URL",
            help="A SPARQL server holding the graph: its base URL with --server, else its "
            "SPARQL query endpoint.",
        ),
        click.option(
            "--server",
            type=click.Choice(SERVER_CHOICES),
            help="The server's kind, which gives its query, update and Graph Store URLs "
            "(see the README); auto: read from its SPARQL Service Description and headers. "
            "Default: generic.",
        ),
        click.option("--update-endpoint", metavar="URL", help="Its SPARQL Update endpoint."),
        click.option("--gsp-endpoint", metavar="URL", help="Its Graph Store Protocol endpoint."),
        click.option(
            "--graph",
            metavar="IRI",
            help="A named graph of the store to work on; without it, the default graph.",
        ),
        click.option("--user", metavar="NAME", help="The user to log in to the server as."),
        click.option(
            "--password-env",
            metavar="VAR",
            help="The environment variable holding the user's password (never printed).",
        ),
        click.option(
            "--auth",
            type=click.Choice(AUTH_SCHEMES),
            help="HTTP authentication. Default: digest for Virtuoso, otherwise basic.",
        ),
        timeout
        and click.option(
            "--timeout",
            type=click.FloatRange(min=0, min_open=True),
            metavar="SECONDS",
            help="Give up on a request whose whole answer has not arrived after this long, "
            "however slowly the server sends it (default 60; 600 for load).",
        ),
        click.option(
            "--max-response",
            metavar="SIZE",
            help="Refuse a server answer larger than this (e.g. 500M, 2G; default 1G). "
            "Answers are streamed to a temporary file, not held in memory.",
        ),
    ]
    return [option for option in options if option]


def _printed_store_warnings():
    """A context in which the stores' warnings print as "warning: ..." lines on stderr."""
    import contextlib
    import warnings

    from mktgraph.stores import StoreWarning

    @contextlib.contextmanager
    def printing():
        with warnings.catch_warnings():  # restores the filters and showwarning on exit
            shown = warnings.showwarning

            def show(message, category, *args, **kwargs):
                if issubclass(category, StoreWarning):
                    warn(str(message))
                else:
                    shown(message, category, *args, **kwargs)

            warnings.showwarning = show
            warnings.simplefilter("always", StoreWarning)
            yield

    return printing()


@click.group(cls=MktgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mktgraph")
@click.option("-q", "--quiet", is_flag=True, help="No warnings or progress on stderr.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say what mktgraph does, as 'info:' lines."
)
@click.option(
    "--debug", is_flag=True, help="Show the traceback of an internal error (to report it)."
)
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool, debug: bool) -> None:
    """mktgraph: a knowledge graph of marketing and sales.

    An OWL ontology of what marketing is made of (sales is one kind of marketing
    activity), classic marketing frameworks, SHACL shapes for a company's own
    data, and named SPARQL queries.

    Exit status: 0 success, 1 a negative answer (violations, inconsistency), 2 bad
    usage or input, 70 an internal error, 130 interrupted, 143 terminated.

    \b
    Example:
      mktgraph query sales-vs-marketing
    """
    if quiet and verbose:
        raise click.UsageError("-q and -v contradict each other")
    ctx.meta["mktgraph.verbosity"] = -1 if quiet else 1 if verbose else 0
    ctx.meta["mktgraph.debug"] = debug
    _quiet_rdflib()
    if verbose or debug:
        import logging

        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("info: %(message)s"))
        logger = logging.getLogger("mktgraph")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if debug else logging.INFO)


@cli.command()
@click.argument("query", metavar="NAME|FILE.rq")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parse_params,
    help="A value for one of the query's parameters; repeatable.",
)
@format_option(
    RESULT_FORMATS + GRAPH_FORMATS,
    "Output format. SELECT: table (default on a terminal, otherwise csv), csv, tsv, json, "
    "xml (the W3C SPARQL results formats). CONSTRUCT/DESCRIBE: turtle (default), json-ld, nt, "
    "nquads, xml.",
)
@output_option
@click.option(
    "--allow-service", is_flag=True, help="Allow SPARQL SERVICE clauses to reach the network."
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="With --endpoint: accept an answer the server cut at its row limit and mktgraph "
    "cannot page (a warning instead of exit 2).",
)
@source_options(reason=True)
def query(
    query: str,
    params: dict[str, str],
    fmt: str | None,
    output: str | None,
    allow_service: bool,
    allow_partial: bool,
    source,
) -> None:
    """Run a named query (see `mktgraph queries`) or a .rq file over the ontology and data.

    \b
    Examples:
      mktgraph query sales-vs-marketing
      mktgraph query marketing-activities --format csv
      mktgraph query framework-components -p framework=mkt:SevenPs
      mktgraph query my-question.rq --data examples/northwind.ttl -o answers.json
      mktgraph query marketing-activities --example --reason
      mktgraph query lead-to-deal --endpoint http://localhost:7878 --server oxigraph
      mktgraph query open-leads --store company.db
    """
    from mktgraph.api import run_query
    from mktgraph.files import is_stdout
    from mktgraph.output import render_answer, table_format
    from mktgraph.sources import open_source

    inputs = source.inputs(query if os.path.isfile(query) else None)
    _check_output(output, inputs)
    terminal = _stdout_is_terminal() and is_stdout(output)
    with open_source(source, allow_partial=allow_partial) as graph_source:
        # A store writes SPARQL CSV itself (asked for, or the default in a pipe or a file).
        csv = table_format(fmt, output, terminal=terminal) == "csv"
        answer = run_query(query, graph_source, params, allow_service=allow_service, csv=csv)
        emit(render_answer(answer, fmt, terminal=terminal, output=output), output, inputs)


@cli.command()
@format_option(RECORD_FORMATS, "table (default on a terminal, otherwise csv), csv or json.")
def queries(fmt: str | None) -> None:
    """List the named queries, with their titles and parameters.

    \b
    Example:
      mktgraph queries
    """
    from mktgraph.output import render_queries
    from mktgraph.queries import named_queries

    click.echo(render_queries(named_queries().values(), _table_or_csv(fmt)), nl=False)


@cli.command()
@click.option("--no-ontology", is_flag=True, help="Export only the data, without the ontology.")
@format_option(GRAPH_FORMATS, "RDF format. Default: from the -o file's extension, else turtle.")
@output_option
@source_options(files=True)
def export(no_ontology: bool, fmt: str | None, output: str | None, source) -> None:
    """Write the ontology (plus any data) as Turtle, JSON-LD, N-Triples, N-Quads or RDF/XML.

    Turtle is byte-identical from run to run and keeps mktgraph's prefixes;
    JSON-LD is compacted with mktgraph's own context; RDF/XML opens in Protégé.
    With --store or --endpoint, the graph is streamed as it is held (any size).

    \b
    Examples:
      mktgraph export -o mktgraph.ttl
      mktgraph export --format xml -o mktgraph.owl
      mktgraph export --example --format json-ld
      zcat dump.nt.gz | mktgraph export --data - --input-format nt -o dump.ttl
      mktgraph export --store company.db --format nt -o company.nt
    """
    from mktgraph.api import export_graph
    from mktgraph.files import output_file
    from mktgraph.formats import graph_format_for
    from mktgraph.sources import open_source

    inputs = source.inputs()
    _check_output(output, inputs)
    fmt = fmt or graph_format_for(output)
    with open_source(source) as graph_source, output_file(output, inputs) as handle:
        export_graph(graph_source, fmt, out=handle, ontology=not no_ontology)


@cli.command()
@format_option(INFO_FORMATS, "table (default on a terminal, otherwise csv), csv or json.")
@source_options()
def info(fmt: str | None, source) -> None:
    """Show mktgraph's version, the ontology's IRIs, and counts of its terms.

    \b
    Example:
      mktgraph info --format json
    """
    from mktgraph.ontology import info as ontology_info
    from mktgraph.output import render_info
    from mktgraph.sources import open_source

    with open_source(source) as graph_source:
        facts = ontology_info(graph_source)
    click.echo(render_info(facts, _table_or_csv(fmt)), nl=False)


@cli.command()
@click.option(
    "--reasoner",
    type=click.Choice(REASONERS),
    help="hermit (OWL 2 DL), pellet (OWL 2 DL, explains inconsistencies), rl (OWL 2 RL inside "
    "Oxigraph, for large data; HermiT checks the ontology once) or owlrl (OWL 2 RL in pure "
    "Python, slow). Default: HermiT for small data, rl for large; the summary says which and why.",
)
@format_option(
    REASON_FORMATS,
    "Write the inferred facts as RDF (to stdout, or to -o FILE) instead of a summary. "
    "Default with -o: from the file's extension (.ttl .jsonld .nt .nq .rdf .owl .trig).",
)
@output_option
@click.option(
    "--explain", is_flag=True, help="With an inconsistency, add Pellet's explanation (needs Java)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=600,
    show_default=True,
    metavar="SECONDS",
    help="Stop the reasoner (and its Java process) after this long.",
)
@click.option(
    "--remove",
    is_flag=True,
    help="With --store or --endpoint: drop the inferences kept there.",
)
@source_options(files=True, timeout=False)
@click.pass_context
def reason(
    ctx: click.Context,
    reasoner: str | None,
    fmt: str | None,
    output: str | None,
    explain: bool,
    timeout: float,
    remove: bool,
    source,
) -> None:
    """Check the ontology plus data for contradictions, and infer what follows from them.

    Prints whether everything is consistent, which classes are unsatisfiable, which reasoner
    ran and why, and how many facts of each kind it inferred (new types, property values).
    With -o or --format, writes the inferred facts as RDF instead. Exit 1 when the data is
    inconsistent or a class is unsatisfiable, naming the individuals and facts involved.

    \b
    Examples:
      mktgraph reason --example
      mktgraph reason examples/northwind.ttl -o inferred.owl
      mktgraph reason examples/northwind.ttl --reasoner pellet --explain
      mktgraph reason --store company.db       # keeps the inferences in the store
      mktgraph reason --store company.db --remove
      mktgraph reason --endpoint http://localhost:7878 --server oxigraph --graph urn:x:company
    """
    from mktgraph import output as present
    from mktgraph.api import reason_over, remove_inferences
    from mktgraph.files import is_stdout
    from mktgraph.formats import graph_format_for
    from mktgraph.sources import open_source

    kept = source.kind != "files"  # the inferences stay in the store or the server
    if kept and (output is not None or fmt is not None or explain):
        raise UsageError(present.kept_options_refused(source))
    if remove:
        removed = remove_inferences(source)
        click.echo(present.removed_inferences(removed, source), nl=False)
        return
    inputs = source.inputs()
    _check_output(output, inputs)
    with open_source(source) as graph_source:
        result = reason_over(graph_source, reasoner=reasoner, explain=explain, timeout=timeout)
    if kept:
        report, trouble = present.kept_reasoning(result, source)
        click.echo(report, nl=False)
        click.echo(trouble, nl=False, err=True)
    elif output is None and fmt is None:
        if result.ok and not _stdout_is_terminal():
            # In a pipe: the facts by kind as CSV on stdout, the verdict on stderr.
            click.echo(present.reasoning_summary(result, table=False), nl=False, err=True)
            click.echo(present.render_reasoning_counts(result), nl=False)
        else:
            click.echo(present.reasoning_summary(result), nl=False)
    elif result.ok:
        fmt = fmt or graph_format_for(output, allowed=REASON_FORMATS)
        emit(present.render_inferred(result, fmt), output, inputs)
        # The RDF may be on stdout: the summary goes to stderr then.
        click.echo(present.reasoning_summary(result), nl=False, err=is_stdout(output))
    else:
        click.echo(present.reasoning_summary(result), nl=False)
    if not result.ok:
        ctx.exit(1)


@cli.command()
@click.argument("name", required=False, metavar="[NAME|IRI]")
@format_option(
    FRAMEWORK_FORMATS,
    "table (default on a terminal, otherwise csv), csv, json, or svg: the framework's diagram, "
    "in the shape people know it by (laid out by Graphviz).",
)
@output_option
@source_options()
def frameworks(name: str | None, fmt: str | None, output: str | None, source) -> None:
    """List the eight marketing frameworks, or show one with its components in order.

    NAME is any name of a framework, ignoring case ("7ps", "4P's", "marketing mix", "STP",
    "gap model"), or its IRI (mkt:SevenPs). The same answers come from the named queries
    `frameworks` and `framework-components`.

    \b
    Examples:
      mktgraph frameworks
      mktgraph frameworks 7ps
      mktgraph frameworks "marketing mix" --format json
      mktgraph frameworks "gap model" --format svg -o gap-model.svg
    """

    if fmt == "svg" and name is None:
        raise click.UsageError("--format svg draws one framework: give its NAME")
    if fmt != "svg" and output is not None:
        raise click.UsageError("-o/--output is for --format svg")
    if fmt == "svg":
        from mktgraph.api import framework_svg

        emit(framework_svg(source, name), output, source.inputs())
        return
    from mktgraph.api import frameworks_of
    from mktgraph.output import render_frameworks

    click.echo(render_frameworks(frameworks_of(source, name), _table_or_csv(fmt)), nl=False)


@cli.command()
@click.option(
    "--with-ontology",
    is_flag=True,
    help="Send the bundled ontology too (the named queries and validation need it).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace what the graph holds: it changes at once when the load succeeds, and not "
    "at all when it fails. Without it the data are added.",
)
@click.option(
    "--protocol",
    type=click.Choice(PROTOCOLS),
    help="gsp: the SPARQL 1.1 Graph Store Protocol (the default where the server has it); "
    "update: SPARQL 1.1 Update INSERT DATA in chunks.",
)
@source_options(files=True)
def load(with_ontology: bool, replace: bool, protocol: str | None, source) -> None:
    """Send RDF files into a SPARQL server (Oxigraph, Virtuoso, Fuseki, GraphDB, ...).

    Files are streamed in chunks (memory stays small whatever their size); at the end the
    graph's triples are counted by a query and reported. Progress shows on a terminal.
    The password is read from the environment variable named by --password-env.

    \b
    Examples:
      mktgraph load --example --with-ontology --endpoint http://localhost:7878 --server oxigraph
      mktgraph load examples/northwind.ttl --replace --graph https://example.org/company \\
        --endpoint http://localhost:8890 --server virtuoso --user dba --password-env VIRTUOSO_PW
    """
    from mktgraph.api import load_data
    from mktgraph.output import load_progress, load_summary

    terminal = _show_progress()

    def progress(done: int, seconds: float) -> None:
        click.echo(load_progress(done, seconds, kind=source.kind), err=True, nl=False)

    report = load_data(
        source,
        with_ontology=with_ontology,
        replace=replace,
        protocol=protocol,
        progress=progress if terminal else None,
    )
    if terminal:
        click.echo(err=True)  # ends the progress line
    click.echo(load_summary(report), nl=False)


@cli.command()
@click.option(
    "--shapes",
    multiple=True,
    metavar="FILE",
    help="SHACL shapes to validate against instead of mktgraph's own; repeatable.",
)
@click.option(
    "--inference",
    type=click.Choice(INFERENCE_MODES),
    default="rdfs",
    show_default=True,
    help="Inference run on the data and ontology before validating: none, rdfs (subproperties, "
    "domains and ranges) or owlrl (OWL 2 RL, about ten times slower). Subclasses count in "
    "every mode.",
)
@format_option(
    VALIDATE_FORMATS,
    "text (a summary, then the results grouped by shape; the default), table, csv or json "
    "(one row per result), turtle or json-ld (the standard SHACL validation report). "
    "Default with -o: from the file's extension (.txt .csv .json .ttl .jsonld).",
)
@output_option
@fail_on_option(
    VALIDATION_SEVERITIES, "violation", "Exit 1 when a result has this severity or a higher one."
)
@source_options(files=True, reason=True)
@click.pass_context
def validate(
    ctx: click.Context,
    shapes: tuple[str, ...],
    inference: str,
    fmt: str | None,
    output: str | None,
    fail_on: str,
    source,
) -> None:
    """Check data against mktgraph's SHACL shapes (or your own), with the ontology.

    Prints whether the data conforms, or how many violations, warnings and infos it has,
    then each result: the node, the property, the value and what is wrong. Exit 0 when
    nothing reaches the --fail-on level (warnings alone pass by default), 1 when something
    does, 2 when a file is missing or malformed.

    \b
    Examples:
      mktgraph validate --example
      mktgraph validate examples/northwind.ttl --fail-on warning
      mktgraph validate examples/northwind.ttl --format turtle -o report.ttl
      mktgraph validate --endpoint http://localhost:7878 --server oxigraph
      mktgraph validate --store company.db
      mktgraph validate examples/northwind.ttl --reason
    """
    _validate(ctx, source, shapes, inference, fmt, output, fail_on)


def _validate(
    ctx: click.Context,
    source,
    shapes: tuple[str, ...],
    inference: str,
    fmt: str,
    output: str | None,
    fail_on: str,
) -> None:
    from mktgraph.api import validate_data
    from mktgraph.output import render_validation, validation_format
    from mktgraph.sources import open_source

    inputs = source.inputs(*shapes)
    _check_output(output, inputs)
    fmt = validation_format(fmt, output)
    with open_source(source) as graph_source:
        result = validate_data(graph_source, list(shapes) or None, inference=inference, warn=warn)
    emit(render_validation(result, fmt), output, inputs)
    if output or fmt != "text":
        click.echo(result.summary(), err=True)
    for warning in result.warnings:  # terms mktgraph does not define: shapes never see them
        warn(warning)
    if result.fails(fail_on):
        ctx.exit(1)


@cli.command()
@click.argument("classes", nargs=-1, metavar="[CLASS]...")
@click.option(
    "-o",
    "--output",
    "directory",
    default=".",
    show_default=True,
    metavar="DIR",
    help="The folder to write the templates and their README.md into.",
)
@click.option("--force", is_flag=True, help="Overwrite templates that exist (they may be filled).")
def template(classes: tuple[str, ...], directory: str, force: bool) -> None:
    """Write CSV templates for a company's data, derived from the shapes.

    One CSV file per CLASS (a template name such as `deals`, a class such as
    `Deal`, or `mkt:Deal`; all of them without CLASS), holding the header row, and a
    README.md that explains each column: required or not, what a cell holds and the
    allowed values of fixed sets (channels, deal stages, SERVQUAL dimensions).
    Fill them and bring them in with `mktgraph import`.

    \b
    Example:
      mktgraph template deals leads campaigns -o company-data/
    """
    from mktgraph.templates import write_templates

    for path in write_templates(classes, directory, force=force):
        click.echo(str(path))


@cli.command("import")
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option(
    "--mapping",
    default="mktgraph",
    show_default=True,
    metavar="NAME|FILE",
    help="A shipped mapping (mktgraph: the templates of `mktgraph template`; salesforce; "
    "hubspot) or your own RML/YARRRML mapping file.",
)
@output_option
@source_options(local=False)
@click.option(
    "--base",
    metavar="IRI",
    help="The namespace for the IRIs minted from the rows' IDs (default "
    "https://example.org/data/); the same rows give the same IRIs every time.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="In a store or on a server, the values the imported rows fill replace the old ones "
    "(a changed row's old amount goes); without it, values are added.",
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    help="The CSV field separator (default: found from the header; comma, semicolon, tab).",
)
@click.option(
    "--validate",
    "then_validate",
    is_flag=True,
    help="Validate the result against the shapes, pointing at file, row and column; exit "
    "codes as `mktgraph validate`.",
)
@format_option(VALIDATE_FORMATS, "With --validate: the results format.", default="text")
@fail_on_option(
    VALIDATION_SEVERITIES,
    "violation",
    "With --validate: the least severe result that fails (exit 1).",
)
@click.pass_context
def import_(
    ctx: click.Context,
    files: tuple[str, ...],
    mapping: str,
    output: str | None,
    source,
    base: str | None,
    replace: bool,
    delimiter: str | None,
    then_validate: bool,
    fmt: str,
    fail_on: str,
) -> None:
    """Turn CSV or Excel exports into RDF in mktgraph's vocabulary, through a mapping.

    Each FILE is read as the mapping's source of the same name (deals.csv, Opportunity.csv)
    or the one whose columns it has. Every cell the mapping reads is checked first: a
    missing column, an unknown stage, an unreadable date or a non-numeric amount stops the
    import with one line naming the file, row and column, and nothing is written. Dates,
    numbers, currencies and stage names are normalised. Where each value came from is kept
    beside the graph (FILE.sources.db, or inside the store), so `mktgraph validate` names
    the file, row and column of each result.

    \b
    Examples:
      mktgraph template deals leads -o data/   # fill them, then:
      mktgraph import data/*.csv --base https://example.org/acme/ -o acme.ttl --validate
      mktgraph import Opportunity.csv Lead.csv --mapping salesforce --store acme.db
    """
    from mktgraph.importing import DEFAULT_BASE, run_import

    if not files:
        raise click.UsageError("give the CSV or .xlsx files to import")
    if replace and output:
        raise click.UsageError("--replace is for --store and --endpoint; -o writes a new file")
    report = run_import(
        files,
        mapping,
        output=output,
        store=source.store,
        endpoint=source.endpoint,
        graph=source.graph,
        base=base or DEFAULT_BASE,
        replace=replace,
        delimiter=delimiter,
    )
    from mktgraph.output import import_summary

    click.echo(import_summary(report, replace=replace), nl=False, err=True)
    if then_validate:
        import dataclasses

        checked = dataclasses.replace(source, data=(output,) if output else ())
        _validate(ctx, checked, (), "rdfs", fmt, None, fail_on)


@cli.command()
@click.argument("folder", required=False, metavar="DIR")
@click.option("--dest", "dest", metavar="DIR", help="The folder to write (the same as DIR).")
@click.option("--replace", is_flag=True, help="Replace DIR if it is not empty.")
def release(folder: str | None, dest: str | None, replace: bool) -> None:
    """Write the release folder to serve at https://w3id.org/mktgraph/.

    The merged ontology at its IRI and version IRI (Turtle, RDF/XML, JSON-LD, N-Triples), the
    shapes, the JSON-LD context, a Protégé catalog, the documentation and an Apache .htaccess
    with content negotiation. The same commit gives the same bytes. The folder is built
    whole beside DIR, then moved in: DIR never holds a partial release.

    \b
    Example:
      mktgraph release site/mktgraph
    """
    from mktgraph.release import build_release

    if (folder is None) == (dest is None):
        raise click.UsageError("give the release folder once: DIR or --dest DIR")
    made = build_release(folder or dest, replace=replace)
    click.echo(f"released {made.version} into {made.folder}: {len(made.files)} files")


@cli.command()
@click.option(
    "-o",
    "--output",
    metavar="DIR",
    default="mktgraph-docs",
    show_default=True,
    help="The folder to write the pages into (made all at once: never half-written).",
)
@click.option("--replace", is_flag=True, help="Replace the folder's contents if it has any.")
def docs(output: str, replace: bool) -> None:
    """Write the ontology's documentation as HTML pages with SVG diagrams.

    index.html has an entry for every class, property and individual (label, definition,
    IRI, hierarchy, domains and ranges, examples, source), anchored at its IRI's local name
    (index.html#SalesActivity), the sales-vs-marketing table and two diagrams; each framework
    has a page with its components in order and its diagram.

    \b
    Example:
      mktgraph docs -o site && xdg-open site/index.html
    """
    from mktgraph.htmldoc import build_docs

    written = build_docs(output, replace=replace)
    click.echo(f"wrote {len(written)} files to {output} (open {output}/index.html)")


@cli.command()
@click.argument("files", nargs=-1, metavar="[ONTOLOGY|DATA]...")
@click.option(
    "--check",
    "only",
    multiple=True,
    metavar="NAME",
    help="Run only this check; repeatable. `--list-checks` names them.",
)
@click.option("--skip", multiple=True, metavar="NAME", help="Leave this check out; repeatable.")
@click.option("--list-checks", is_flag=True, help="List the checks, their severity and title.")
@format_option(
    LINT_FORMATS,
    "text (a summary, then the findings grouped by check), table, csv or json.",
    default="text",
)
@output_option
@fail_on_option(
    LINT_SEVERITIES, "error", "Exit 1 when a finding has this severity or a higher one."
)
@click.pass_context
def lint(
    ctx: click.Context,
    files: tuple[str, ...],
    only: tuple[str, ...],
    skip: tuple[str, ...],
    list_checks: bool,
    fmt: str,
    output: str | None,
    fail_on: str,
) -> None:
    """Check an ontology's quality: mktgraph's own, one that extends it, or data.

    Each check is a SPARQL query in queries/lint (ROBOT report and OOPS! style): terms
    without a label or definition, several labels in one language, classes or properties
    used but not declared, terms in mktgraph's namespace that mktgraph does not define,
    subclass cycles, properties without a domain, punning, equivalence to outside terms,
    deprecated terms still used, restrictions on annotation properties. Files are checked
    together with mktgraph's ontology, and only what they bring is reported. Exit 0 when
    nothing reaches --fail-on, 1 when something does, 2 for unusable input.

    \b
    Examples:
      mktgraph lint
      mktgraph lint ontology/optional/schema-mappings.ttl --fail-on warning
      mktgraph lint examples/northwind.ttl --check unknown-mktgraph-term --format csv
    """
    from mktgraph import lint as linting
    from mktgraph.output import render_checks, render_lint

    if list_checks:
        listed = _table_or_csv(None if fmt == "text" else fmt)
        emit(render_checks(linting.select_checks(only, skip), listed), output)
        return
    _check_output(output, files)
    result = linting.lint(files, only=only, skip=skip)
    emit(render_lint(result, fmt), output, files)
    if output or fmt != "text":
        click.echo(result.summary(), err=True)
    if result.fails(fail_on):
        ctx.exit(1)


def main() -> None:
    """Console-script entry point."""
    import signal

    from mktgraph import exiting

    with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
        signal.signal(signal.SIGTERM, _terminate)
    exiting.process_ends_with_command()
    try:
        cli(prog_name="mktgraph")
    except SystemExit as done:
        exiting.end(done.code)  # returns unless a large store was left to the exit
        raise
    except KeyboardInterrupt:  # before or after a command (while Click parses, say)
        click.echo("interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        click.echo("terminated", err=True)
        sys.exit(EXIT_TERMINATED)
