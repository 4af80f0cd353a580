"""The ``chainkg`` command line; :mod:`graph.cli.main` defines the group and registers every command family."""

from graph.cli.main import cli

__all__ = ["cli"]
