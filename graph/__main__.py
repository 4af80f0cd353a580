"""``python -m graph`` runs the chainkg command line."""

from graph.cli import cli

cli()
