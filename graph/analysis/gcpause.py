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

__all__ = ["PROMOTE_AT", "paused_gc"]

# Objects allocated in a block below which the young collection's walk of them costs under 0.02 s.
PROMOTE_AT = 50_000


@contextmanager
def paused_gc(*, promote: bool = False) -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block (and restore it as it was).

    With ``promote``, what was allocated meanwhile goes to the oldest generation on the way out instead of being
    examined by the next young collection, which otherwise walks every object built in the block (0.13–0.18 s for
    the 250,000–400,000 rows of a big query at 1M triples). For blocks that build data without cycles, such as
    query rows: reference counting frees it as usual, and a full collection still sees it. If the caller had frozen
    objects (``gc.freeze``), the new ones join them until the caller unfreezes.

    Example:
        >>> with paused_gc():
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
        >>> with paused_gc(promote=True):
        ...     rows = [(str(i),) for i in range(PROMOTE_AT)]
        >>> gc.get_count()[0] < PROMOTE_AT, gc.get_freeze_count()
        (True, 0)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Only after a big block: gc.get_freeze_count walks the frozen objects (0.03 s where a caller froze a
        # million-triple view), which a small result would pay for nothing.
        if promote and gc.get_count()[0] >= PROMOTE_AT:
            was_frozen = gc.get_freeze_count() > 0
            gc.freeze()  # every tracked object to the permanent generation, the young counts reset (no walk)
            if not was_frozen:
                gc.unfreeze()  # and from there to the oldest generation
        if was_enabled:
            gc.enable()
