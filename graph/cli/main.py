"""The ``chainkg`` command line: thin click commands over the library.

Errors meant for users (:class:`graph.errors.GraphError`) become one ``Error: …`` message on stderr with exit code 2;
anything else is a bug and keeps its traceback. Each command family lives in its own module, named after its
commands; command bodies import the library lazily so that ``chainkg --help`` starts fast.
"""

from __future__ import annotations

import logging

import click

from graph import __version__
from graph.cli import build, diff, extract, gaps, national, pipeline, push, query, report, targets, workbook
from graph.cli.options import CONTEXT, ChainkgGroup

__all__ = ["cli"]


@click.group(cls=ChainkgGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="chainkg")
@click.option("-v", "--verbose", is_flag=True, help="显示日志 show log messages.")
def cli(verbose: bool) -> None:
    """chainkg 产业链知识图谱: industry-chain knowledge graphs for development zones.

    \b
    Example:
        chainkg build            # seeds/ → out/ (RDF, GraphML, index.html)
        chainkg validate         # SHACL check of the built graph
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


for _family in (build, gaps, targets, report, query, push, national, workbook, extract, diff, pipeline):
    for _command in _family.COMMANDS:
        cli.add_command(_command)
