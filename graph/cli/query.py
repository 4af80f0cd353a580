"""``chainkg query``, ``chainkg queries`` and ``chainkg serve``: SPARQL on the command line and as a local endpoint."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from graph.cli.options import CONTEXT, ENDPOINT_OPTION, GRAPH_OPTION, SEEDS_OPTION, UserError, format_option
from graph.errors import QueryError

__all__ = ["COMMANDS", "query", "queries", "serve", "read_query_text"]

_DATA = click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="查询此 RDF 文件 query this RDF file (e.g. out/kg.ttl) instead of building --seeds.",
)

# The embedded engines; --endpoint chooses a SPARQL 1.1 server instead.
_ENGINE = click.option(
    "--engine",
    "engine_name",
    type=click.Choice(["oxigraph", "rdflib", "auto"]),
    default="oxigraph",
    show_default=True,
    help="查询引擎 engine: Oxigraph (complete SPARQL 1.1, fast at any size) or rdflib; auto = oxigraph.",
)


def _timeout_option(help_text: str, minimum: float = 0) -> click.Option:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=minimum),
        default=10.0,  # graph.sparql.policy.DEFAULT_TIMEOUT, spelt out so that --help imports nothing
        show_default=True,
        help=help_text,
    )


def read_query_text(arg: str) -> str:
    """The query an argument stands for: ``-`` is stdin, an existing file (or a name ending ``.rq``) is read,
    anything else is the SPARQL text itself."""
    if arg == "-":
        return sys.stdin.read()
    path = Path(arg)
    if path.suffix in (".rq", ".sparql") or ("\n" not in arg and len(arg) < 256 and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise QueryError(f"{path}: cannot read the query file ({err.strerror})") from err
        except UnicodeDecodeError as err:
            raise QueryError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    return arg


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise QueryError(
                f'--param: "{pair}" should be KEY=VALUE, e.g. --param segment=ckd:seg-liion-cell'
            )
        values[key.strip()] = value
    return values


@click.command(context_settings=CONTEXT)
@click.argument("text", required=False, metavar="[QUERY | FILE.rq | -]")
@click.option("-n", "--name", help="运行命名查询 run a named query (see chainkg queries).")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE", help="命名查询参数 a parameter.")
@format_option(
    ["table", "csv", "tsv", "json"],
    note="json = SPARQL 1.1 Results JSON; CONSTRUCT gives Turtle, or JSON-LD with json",
)
@SEEDS_OPTION
@_DATA
@_ENGINE
@ENDPOINT_OPTION
@GRAPH_OPTION
@_timeout_option("查询超时(秒) seconds before the query is abandoned (0: no limit); loading is not counted.")
def query(
    text: str | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    seeds_dir: Path,
    data: Path | None,
    engine_name: str,
    endpoint: str | None,
    graph_iri: str | None,
    timeout: float,
) -> None:
    """SPARQL 查询 Run a SPARQL query (text, a .rq file, - for stdin, or --name) over the graph.

    Every chainkg prefix (ckg:, ckd:, rdfs:, skos:, org:, prov:, oa: …) is predeclared. Tables show prefixed
    names with labels; csv, tsv and json follow the SPARQL 1.1 result formats. A query runs at most --timeout
    seconds; SERVICE (a query that would contact another server) is refused.

    \b
    Example:
        chainkg query 'SELECT ?e WHERE { ?e a ckg:Enterprise }'
        chainkg query my-question.rq --format csv
        echo 'ASK { ckd:org-jinko ckg:isAnchor true }' | chainkg query -
        chainkg query --name upstream-suppliers --param segment=ckd:seg-liion-cell
        chainkg query --name lookup-name -p name=晶科 --data out/kg.ttl
        chainkg query --name chain-coverage --endpoint http://127.0.0.1:7878/query
    """
    from graph.build.source import open_engine
    from graph.sparql.engine import labels
    from graph.sparql.named import get_named_query
    from graph.sparql.policy import run_with_timeout
    from graph.sparql.results import format_result

    if (text is None) == (name is None):
        raise UserError("给出查询或 --name give a QUERY (text, FILE.rq or -) or --name NAME, not both")
    if params and name is None:
        raise UserError("--param 只用于 --name: parameters go with a named query (--name NAME)")
    sparql = get_named_query(name).bind(_params(params)) if name else read_query_text(text or "")
    engine = open_engine(
        seeds_dir=seeds_dir, data=data, engine=engine_name, endpoint=endpoint, graph=graph_iri
    )
    if endpoint is not None and timeout:
        engine.timeout = timeout  # type: ignore[attr-defined] # the RemoteEngine's read timeout

    def answer() -> str:
        result = engine.query(sparql)
        names = {}
        if fmt == "table" and result.kind == "select":
            names = labels(engine, [t for row in result.rows for t in row])
        return format_result(result, fmt, names)

    # a server's answer is bounded by the read timeout of each request; a local engine by a watchdog thread
    click.echo(run_with_timeout(answer, None if endpoint else timeout), nl=False)


@click.command(context_settings=CONTEXT)
def queries() -> None:
    """命名查询列表 List the named queries with their titles and parameters.

    \b
    Example:
        chainkg queries
        chainkg query --name chain-coverage
    """
    from graph.sparql.named import load_named_queries

    for q in load_named_queries().values():
        click.echo(f"{q.name}  {q.title_zh} · {q.title_en}")
        click.echo(f"    {q.about}")
        for p in q.params:
            default = "必填 required" if p.default is None else f"默认 default {p.default}"
            click.echo(f"    --param {p.name}=<{p.kind}>  {p.description} ({default})")
        if q.examples:
            pairs = " ".join(f"-p {k}={v}" for k, v in sorted(q.examples.items()))
            click.echo(f"    例 e.g. chainkg query -n {q.name} {pairs}")


@click.command(context_settings=CONTEXT)
@SEEDS_OPTION
@_DATA
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="监听地址 address to bind; 127.0.0.1 keeps the server on this machine (0.0.0.0 opens it to the network).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="端口 port (0: any free port).",
)
@_timeout_option("查询超时(秒) seconds before a query is stopped.", minimum=0.1)
@click.option(
    "--cors",
    metavar="ORIGIN",
    help="允许跨域 allow this origin (or *) to call /sparql from a browser; other sites get 403.",
)
@_ENGINE
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="查询进程数 query processes started at once; up to twice as many start while all are busy.",
)
def serve(
    seeds_dir: Path,
    data: Path | None,
    host: str,
    port: int,
    timeout: float,
    cors: str | None,
    engine_name: str,
    workers: int,
) -> None:
    """本地服务 Serve the view (/), a read-only SPARQL endpoint (/sparql), a query page (/query) and the 招商地图 (/map).

    Binds 127.0.0.1 by default so only this machine can reach it, and answers only requests addressed to that
    host. SPARQL Update and SERVICE are refused, and so are requests a browser sends from another site (unless
    --cors names it). A query that runs longer than --timeout is stopped and the server goes on. The default
    graph is the union of the named graphs (the zone's data, the ontology, or those of a .nq/.trig --data file);
    default-graph-uri and named-graph-uri choose others. Every page works offline.

    \b
    Example:
        chainkg serve                     # http://127.0.0.1:8000/ , /query and /map
        chainkg serve --data out/kg.ttl --port 8080 --timeout 30 --workers 4
    """
    from graph.build.source import load_pages_for_serving
    from graph.sparql.server import make_server

    served = load_pages_for_serving(seeds_dir=seeds_dir, data=data)
    full, view, map_page = served.full, served.view, served.map_page
    server = make_server(
        full,
        view,
        host=host,
        port=port,
        timeout=timeout,
        cors=cors,
        workers=workers,
        engine=engine_name,
        map_page=map_page,
    )
    url = server.url
    click.echo(
        f"chainkg serve: {url} 视图 view · {url}query 查询页 query page · {url}map 招商地图 map · {url}sparql SPARQL 端点 endpoint"
    )
    click.echo("按 Ctrl+C 停止 press Ctrl+C to stop")
    # SIGTERM (systemd, docker stop, kill) ends the server like Ctrl+C, so workers and the snapshot are cleaned up
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


COMMANDS = [query, queries, serve]
