"""``chainkg national``: read the national A-share chain dataset into RDF files or an Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import click

from graph.cli.options import CONTEXT

__all__ = ["COMMANDS", "national"]


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

    from graph.files import write_bytes
    from graph.inputs.national.rdf import national_ntriples, national_store
    from graph.inputs.national.read import read_national
    from graph.rdf.fastio import fast_bytes
    from graph.rdf.formats import FORMATS

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


COMMANDS = [national]
