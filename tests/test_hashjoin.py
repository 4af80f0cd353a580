"""graph/sparql/hashjoin.py gives rdflib's own joins and MINUS answers, in rdflib's order, and acts only inside
RdflibEngine's queries."""

from __future__ import annotations

import random

import pytest
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import evaluate
from rdflib.plugins.sparql.evalutils import _join, _minus
from rdflib.plugins.sparql.sparql import FrozenDict

import graph.sparql.hashjoin as hashjoin
from graph.sparql.engine import RdflibEngine
from graph.vocab.namespaces import PREFIXES


def _solutions(rng: random.Random, names: str, n: int) -> set[FrozenDict]:
    """``n`` random solutions over the variables ``names``, each leaving some unbound, with few distinct values so
    that many pairs agree."""
    out = set()
    for _ in range(n):
        bound = [v for v in names if rng.random() < 0.8]
        out.add(FrozenDict({Variable(v): Literal(rng.randrange(3)) for v in bound}))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_join_and_minus_match_rdflib_in_order(seed):
    rng = random.Random(seed)
    left = list(_solutions(rng, "abc", 25))
    right = _solutions(rng, "bcd", 25)  # a set, as rdflib passes it: both walk it in the same order
    assert list(hashjoin.join(left, right)) == list(_join(left, right))
    assert list(hashjoin.minus(left, right)) == list(_minus(left, right))


def test_right_side_binding_nothing_in_common():
    left = [FrozenDict({Variable("a"): Literal(1)}), FrozenDict({})]
    right = {FrozenDict({Variable("d"): Literal(2)}), FrozenDict({})}
    assert list(hashjoin.join(left, right)) == list(_join(left, right))
    assert list(hashjoin.minus(left, right)) == list(_minus(left, right)) == left


_TTL = """
ckd:a ckg:inSegment ckd:s1, ckd:s2 ; org:hasSite ckd:site-a .
ckd:b ckg:inSegment ckd:s1 .
ckd:c ckg:inSegment ckd:s2 ; org:hasSite ckd:site-c .
ckd:s0 ckg:upstreamOf ckd:s1 .
ckd:s2 ckg:upstreamOf ckd:s1 .
ckd:f1 rdf:subject ckd:a ; rdf:predicate ckg:inSegment ; rdf:object ckd:s1 .
"""

# two sub-selects (rdflib joins the second without the outer bindings, all pairs), an OPTIONAL leaving ?site unbound, a MINUS
_QUERIES = [
    """SELECT ?p ?s ?up ?site WHERE {
      ?p ckg:inSegment ?s . OPTIONAL { ?p org:hasSite ?site }
      { SELECT ?up ?s WHERE { ?up ckg:upstreamOf ?s } }
      { SELECT ?up WHERE { ?up ckg:upstreamOf ?any } }
    } ORDER BY ?p ?s ?up""",
    """SELECT ?p ?s WHERE {
      ?p ckg:inSegment ?s MINUS { ?f rdf:subject ?p ; rdf:predicate ckg:inSegment ; rdf:object ?s }
    } ORDER BY ?p ?s""",
    """SELECT ?p ?site WHERE {
      { SELECT ?p WHERE { ?p ckg:inSegment ?s } } OPTIONAL { ?p org:hasSite ?site } MINUS { ?p org:hasSite ?site }
    }""",
]


@pytest.fixture(scope="module")
def small() -> Graph:
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    return Graph().parse(data=head + _TTL, format="turtle")


@pytest.mark.parametrize("text", _QUERIES)
def test_engine_uses_hash_joins_and_answers_as_rdflib(small, text, monkeypatch):
    rdflib_join, rdflib_minus = evaluate.evalJoin, evaluate.evalMinus
    calls = []
    for name in ("join", "minus"):
        real = getattr(hashjoin, name)
        monkeypatch.setattr(hashjoin, name, lambda a, b, real=real: calls.append(1) or real(a, b))
    plain = [tuple(row) for row in small.query(text, initNs=PREFIXES)]  # rdflib on its own: not taken over
    assert calls == []
    assert RdflibEngine(small).query(text).rows == plain
    assert calls  # RdflibEngine's query went through the index
    assert plain and evaluate.evalJoin is rdflib_join and evaluate.evalMinus is rdflib_minus  # restored


def test_minus_keeps_rows_without_a_shared_variable(small):
    # MINUS removes nothing when the two sides share no variable (SPARQL 1.1 §8.3.3)
    rows = (
        RdflibEngine(small).query("SELECT ?p WHERE { ?p org:hasSite ?x MINUS { ?q ckg:upstreamOf ?r } }").rows
    )
    assert sorted(rows) == [(URIRef(PREFIXES["ckd"] + "a"),), (URIRef(PREFIXES["ckd"] + "c"),)]
