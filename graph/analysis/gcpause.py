"""Pause Python's cyclic garbage collector while a big graph's plain data is built.

Building the networkx view or the page data of a million-triple graph allocates a few hundred thousand dicts and
lists; each allocation burst triggers collections that walk every live object, which took over a third of the
page's build time (docs/benchmarks.md). Those structures hold no reference cycles, so nothing is left for the
collector to find; reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block (and restore it as it was).

    Example:
        >>> with paused_gc():
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
