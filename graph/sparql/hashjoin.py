"""Hash joins for rdflib's SPARQL evaluator, while an :class:`~graph.sparql.engine.RdflibEngine` query runs.

rdflib evaluates a join whose sides cannot take the left side's bindings (a sub-select, a nested join, DISTINCT, LIMIT
inside) and every ``MINUS`` by reading both sides and comparing each left solution with every right one
(``_join`` and ``_minus`` in ``rdflib/plugins/sparql/evalutils.py``, 7.6): ``anchor-suppliers`` at 40 copies of the
Shangrao graph made 1.3 million such comparisons (2.7 s). Here the right side is indexed once by the variables all its
solutions bind, and each left solution is compared only with the right solutions that agree on them. The answers and
their order are rdflib's own: the right solutions are kept in the order rdflib walks them, and every pair still passes
rdflib's own ``compatible`` / ``disjointDomain`` test; the pairs skipped differ on a variable both bind, which rdflib's
test rejects too.

The evaluator is registered in rdflib's ``CUSTOM_EVALS`` (its documented extension point) but acts only while
:func:`hash_joins` is active in the current thread or task; everywhere else rdflib evaluates as it always does.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import rdflib.plugins.sparql
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import FrozenDict, QueryContext

__all__ = ["hash_joins", "join", "minus"]

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("chainkg_hash_joins", default=False)


class _Index:
    """The right side of a join or MINUS, in rdflib's order, grouped by the values of variables all of it binds."""

    def __init__(self, right: Iterable[FrozenDict]) -> None:
        self.rows: list[FrozenDict] = list(right)
        domains = [set(row) for row in self.rows]  # iterating a FrozenDict gives the variables it binds
        self.shared: frozenset = frozenset(set.intersection(*domains)) if domains else frozenset()
        self.groups: dict[tuple, dict[tuple, list[FrozenDict]]] = {}  # per key variables: key values -> rows

    def candidates(self, left: FrozenDict) -> Sequence[FrozenDict]:
        """The right rows that may be compatible with ``left``: those that agree with it on every variable both bind
        in all cases (all rows when there is none)."""
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


def _evaluate(ctx: QueryContext, part: CompValue) -> object:
    """Take over a non-lazy join and a MINUS while active; leave every other part to rdflib."""
    if _ACTIVE.get():
        if part.name == "Join" and not part.lazy:
            return join(evalPart(ctx, part.p1), set(evalPart(ctx, part.p2)))
        if part.name == "Minus":
            return minus(evalPart(ctx, part.p1), set(evalPart(ctx, part.p2)))
    raise NotImplementedError  # rdflib's way of saying: evaluate it yourself


rdflib.plugins.sparql.CUSTOM_EVALS["chainkg_hash_joins"] = _evaluate


@contextmanager
def hash_joins() -> Iterator[None]:
    """Let rdflib evaluate non-lazy joins and MINUS with an index (same answers, same order) inside the block."""
    token = _ACTIVE.set(True)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
