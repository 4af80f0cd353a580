"""SPARQL: engines (rdflib, Oxigraph, remote), named queries, result formats, push, and the local endpoint."""
