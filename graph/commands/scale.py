"""``chainkg push`` (load the graph into a SPARQL server) and ``chainkg national`` (read the national dataset)."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli import CONTEXT, SEEDS_OPTION

__all__ = ["COMMANDS", "push", "national"]


def _with_ontology(lines: list[bytes]) -> list[bytes]:
    """Add the ontology, as local queries see it (graph.sparql.load_graph), so a server answers the same."""
    from graph.fastio import ntriples_lines
    from graph.validate import load_ontology

    return sorted(set(lines) | set(ntriples_lines(load_ontology())))


@click.command(context_settings=CONTEXT)
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="图存储协议地址 SPARQL 1.1 Graph Store URL, e.g. http://127.0.0.1:7878/store (Oxigraph).",
)
@click.option(
    "--graph",
    "graph_iri",
    metavar="IRI",
    help="命名图 named graph to load into (default: the default graph).",
)
@click.option("--replace", is_flag=True, help="替换 replace the graph's content instead of adding to it.")
@SEEDS_OPTION
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="推送此 RDF 文件 push this RDF file (e.g. out/kg.nt) instead of building --seeds.",
)
@click.option(
    "--national",
    "national_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="推送全国数据集 push the national dataset read from this folder instead.",
)
@click.option(
    "--chunk",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="每块三元组数 triples per request.",
)
def push(
    endpoint: str,
    graph_iri: str | None,
    replace: bool,
    seeds_dir: Path,
    data: Path | None,
    national_dir: Path | None,
    chunk: int,
) -> None:
    """推送到服务器 Load the graph (plus the ontology) into a SPARQL server over the Graph Store Protocol.

    Sends sorted N-Triples in chunks, retrying transient errors. A login comes only from the environment
    variables CHAINKG_ENDPOINT_USER and CHAINKG_ENDPOINT_PASSWORD (HTTP Basic or Digest), never from the
    command line. If a chunk fails, the error says how far it got; run the same command again to finish.

    \b
    Example:
        chainkg push --endpoint http://127.0.0.1:7878/store --replace
        chainkg push --endpoint http://127.0.0.1:7878/store --graph https://example.org/kg --data out/kg.nt
        CHAINKG_ENDPOINT_USER=dba CHAINKG_ENDPOINT_PASSWORD=… chainkg push \\
            --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth --graph https://example.org/kg --replace
    """
    from graph.cli import UserError
    from graph.fastio import ntriples_lines
    from graph.push import push_lines, read_lines
    from graph.remote import check_endpoint

    check_endpoint(endpoint)
    if data is not None and national_dir is not None:
        raise UserError("--data 与 --national 只能选一个 give --data or --national, not both")
    if national_dir is not None:
        from graph.national import read_national
        from graph.nationalrdf import national_ntriples

        nt = national_ntriples(read_national(national_dir))
        lines = _with_ontology([line for line in nt.split(b"\n") if line])
    elif data is not None:
        lines = _with_ontology(read_lines(data))
    else:
        from graph.sparql import load_graph

        lines = ntriples_lines(load_graph(seeds_dir=seeds_dir))  # already holds the ontology
    result = push_lines(lines, endpoint, graph=graph_iri, replace=replace, chunk=chunk)
    click.echo(result.line())


@click.command(context_settings=CONTEXT)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="写出 RDF write kg.ttl, kg.nt and kg.jsonld into this folder.",
)
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="写入 Oxigraph 库 also load the graph into an on-disk Oxigraph store in this folder.",
)
def national(folder: Path, out: Path | None, store: Path | None) -> None:
    """全国数据集 Read a national A-share dataset folder, report its data problems, and export it as RDF.

    FOLDER holds company.json, industry.json, industry_industry.json, company_industry.json, product.json,
    company_product.json and product_product.json (JSON Lines). Problems such as duplicate names or dangling
    codes are warnings with counts, not errors.

    \b
    Example:
        chainkg national ../shared/datasets/a-share-chain
        chainkg national ../shared/datasets/a-share-chain --out national-out --store national-store
    """
    import pyoxigraph as ox

    from graph.export import FORMATS, write_bytes
    from graph.fastio import fast_bytes
    from graph.national import read_national
    from graph.nationalrdf import national_ntriples, national_store

    nat = read_national(folder)
    for w in nat.warnings:
        click.echo(f"警告 warning: {w}", err=True)
    target = ox.Store(str(store)) if store is not None else None
    nt = national_ntriples(nat)  # sorted: loaded into the store and reused for every export
    st = national_store(nat, target, nt=nt)
    click.echo(
        f"chainkg national: 企业 companies {len(nat.companies)} · 行业 industries {len(nat.industries)} · "
        f"产品 products {len(nat.products)} · 主营 company→product {len(nat.company_products)} · "
        f"产品关系 product links {len(nat.product_links)} · 三元组 triples {len(st)}"
    )
    if out is not None:
        for fmt in FORMATS.values():
            write_bytes(out / f"kg{fmt.suffix}", fast_bytes(st, fmt.name, nt=nt))
        click.echo(f"  输出 written to {out}/: {', '.join(f'kg{f.suffix}' for f in FORMATS.values())}")
    if store is not None:
        st.flush()  # type: ignore[attr-defined]
        click.echo(f"  Oxigraph 库 store in {store}/ (serve it: oxigraph serve --location {store})")


COMMANDS = [push, national]
