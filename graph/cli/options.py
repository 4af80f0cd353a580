"""What every ``chainkg`` command shares: click settings, the user-error type, and the common options."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from graph.errors import GraphError
from graph.text import did_you_mean

__all__ = [
    "format_option",
    "CONTEXT",
    "OUT_DEFAULT",
    "UserError",
    "ChainkgGroup",
    "SEEDS_OPTION",
    "ENDPOINT_OPTION",
    "GRAPH_OPTION",
    "pick_chains",
]

OUT_DEFAULT = Path("out")
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class UserError(click.ClickException):
    """A user-facing error: exit code 2, as for bad usage."""

    exit_code = 2


class ChainkgGroup(click.Group):
    """A click group that shows :class:`graph.errors.GraphError` as one ``Error:`` message (exit 2)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except GraphError as err:
            lines = str(err).splitlines() or [type(err).__name__]
            if len(lines) > 1:
                lines = [f"{len(lines)} problems 个问题:", *(f"  {line}" for line in lines)]
            raise UserError("\n".join(lines)) from err


def SEEDS_OPTION(func):  # noqa: N802 - reads as a decorator constant
    return click.option(
        "--seeds",
        "seeds_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("seeds"),
        show_default=True,
        help="种子目录 seeds folder.",
    )(func)


# Commands that can read the graph from a SPARQL server instead of --seeds (query, gaps, anchors) share these.
ENDPOINT_OPTION = click.option(
    "--endpoint",
    metavar="URL",
    help="远程 SPARQL 端点 use this SPARQL 1.1 query endpoint instead of --seeds (see chainkg push).",
)
GRAPH_OPTION = click.option(
    "--graph", "graph_iri", metavar="IRI", help="端点上的命名图 named graph at --endpoint."
)


def pick_chains(seeds, names: tuple[str, ...]) -> list[str] | None:
    """Chain ids for ``--chain`` values (id, Chinese or English name); None when none was given."""
    if not names:
        return None
    ids = []
    for name in names:
        chain = next((c for c in seeds.chains if name in (c.id, c.name, getattr(c, "name_en", None))), None)
        if chain is None:
            valid = ", ".join(f"{c.id} ({c.name})" for c in seeds.chains)
            hint = did_you_mean(name, [c.id for c in seeds.chains] + [c.name for c in seeds.chains])
            raise UserError(f'--chain: unknown chain "{name}"{hint}; 可选 valid: {valid}')
        ids.append(chain.id)
    return sorted(set(ids))


def format_option(choices: Sequence[str], *, default: str = "table", note: str = "") -> Callable:
    """The ``--format`` option every reporting command takes: one of ``choices``, ``note`` added to its help."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="输出格式 output format" + (f" ({note})." if note else "."),
    )
