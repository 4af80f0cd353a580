"""Hash joins for rdflib's SPARQL evaluator, while an :class:`~graph.sparql.engine.RdflibEngine` query runs.

rdflib evaluates a join whose sides cannot take the left side's bindings (a sub-select, a nested join, DISTINCT, LIMIT
inside) and every ``MINUS`` by reading both sides and comparing each left solution with every right one
(``_join`` and ``_minus`` in ``rdflib/plugins/sparql/evalutils.py``, 7.6): ``anchor-suppliers`` at 40 copies of the
Shangrao graph made 1.3 million such comparisons (2.7 s). Here the right side is indexed once by the variables all its
solutions bind, and each left solution is compared only with the right solutions that agree on them. The answers and
their order are rdflib's own: the right solutions are kept in the order rdflib walks them, and every pair still passes
rdflib's own ``compatible`` / ``disjointDomain`` test; the pairs skipped differ on a variable both bind, which rdflib's
test rejects too.

While :func:`hash_joins` is active (RdflibEngine's queries), rdflib's ``evalJoin`` and ``evalMinus`` are these;
outside they are rdflib's own again, so other rdflib use in the process (pySHACL) evaluates as it always did. rdflib's
hook for custom evaluation (``CUSTOM_EVALS``) would do the same job but is tried, and raises, for every part of every
query in the process (about 1 % at 40 copies, measured). A query another thread runs meanwhile also gets the index:
same answers, same order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from rdflib.plugins.sparql import evaluate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import FrozenDict, QueryContext

__all__ = ["hash_joins", "join", "minus"]

_LOCK = threading.Lock()
_users = 0  # queries running with the index; rdflib's own functions come back at 0
_RDFLIB = (evaluate.evalJoin, evaluate.evalMinus)
# Up to this many right rows, comparing with each costs less than building the index (many joins inside an EXISTS
# meet an empty or one-row right side once per row of the query).
_SMALL = 8


class _Index:
    """The right side of a join or MINUS, in rdflib's order, grouped by the values of variables all of it binds."""

    def __init__(self, right: Iterable[FrozenDict]) -> None:
        self.rows: list[FrozenDict] = list(right)
        self.shared: frozenset = frozenset()  # no index: every left row is compared with every right row
        if len(self.rows) > _SMALL:
            domains = [set(row) for row in self.rows]  # iterating a FrozenDict gives the variables it binds
            self.shared = frozenset(set.intersection(*domains))
        self.groups: dict[tuple, dict[tuple, list[FrozenDict]]] = {}  # per key variables: key values -> rows

    def candidates(self, left: FrozenDict) -> Sequence[FrozenDict]:
        """The right rows that may be compatible with ``left``: those that agree with it on every variable both bind
        in all cases (all rows when there is none)."""
        if not self.shared:
            return self.rows
        keys = tuple(sorted(self.shared.intersection(left)))
        if not keys:
            return self.rows
        groups = self.groups.get(keys)
        if groups is None:  # left solutions nearly always bind the same variables: built once
            groups = self.groups[keys] = {}
            for row in self.rows:
                groups.setdefault(tuple(row[k] for k in keys), []).append(row)
        return groups.get(tuple(left[k] for k in keys), ())


def join(left: Iterable[FrozenDict], right: Iterable[FrozenDict]) -> Iterator[FrozenDict]:
    """rdflib's ``_join``: every compatible pair merged, for each left solution the right ones in the order given."""
    index = _Index(right)
    for a in left:
        for b in index.candidates(a):
            if a.compatible(b):
                yield a.merge(b)


def minus(left: Iterable[FrozenDict], right: Iterable[FrozenDict]) -> Iterator[FrozenDict]:
    """rdflib's ``_minus``: the left solutions that no right solution sharing a variable is compatible with."""
    index = _Index(right)
    for a in left:
        if all(not a.compatible(b) or a.disjointDomain(b) for b in index.candidates(a)):
            yield a


def _eval_join(ctx: QueryContext, part: CompValue) -> Iterator[FrozenDict]:
    """rdflib's ``evalJoin`` with the all-pairs case indexed (a lazy join feeds each left row to the right side)."""
    if part.lazy:
        return evaluate.evalLazyJoin(ctx, part)
    return join(evaluate.evalPart(ctx, part.p1), set(evaluate.evalPart(ctx, part.p2)))


def _eval_minus(ctx: QueryContext, part: CompValue) -> Iterator[FrozenDict]:
    """rdflib's ``evalMinus``, indexed."""
    return minus(evaluate.evalPart(ctx, part.p1), set(evaluate.evalPart(ctx, part.p2)))


@contextmanager
def hash_joins() -> Iterator[None]:
    """Let rdflib evaluate all-pairs joins and MINUS with an index (same answers, same order) inside the block."""
    global _users
    with _LOCK:
        _users += 1
        evaluate.evalJoin, evaluate.evalMinus = _eval_join, _eval_minus
    try:
        yield
    finally:
        with _LOCK:
            _users -= 1
            if not _users:
                evaluate.evalJoin, evaluate.evalMinus = _RDFLIB
