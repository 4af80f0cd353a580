"""The closed CKG namespace mirrors ontology/chainkg.ttl exactly, and ids make stable IRIs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from graph.rdf.ontology import ontology_path
from graph.vocab.namespaces import CKG, data_iri, is_slug


def test_ckg_terms_mirror_the_ontology():
    g = Graph().parse(ontology_path("chainkg.ttl"))
    ns = str(CKG._NS)
    in_ontology = {str(s)[len(ns) :] for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(ns)}
    in_code = set(CKG.__annotations__)
    assert in_code == in_ontology


def test_misspelt_term_raises():
    with pytest.raises(AttributeError):
        CKG.upstreamof  # noqa: B018


@given(st.from_regex(r"[a-z0-9][a-z0-9-]{0,30}", fullmatch=True))
def test_slug_ids_round_trip_through_iris(ident):
    assert is_slug(ident)
    iri = data_iri("org", ident)
    assert str(iri).rsplit("/", 1)[1] == f"org-{ident}"
    assert Graph().parse(data=f"<{iri}> <urn:p> <urn:o> .", format="nt")
