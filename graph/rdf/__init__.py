"""RDF: seeds → rdflib graph (pure), the format table, deterministic serialisers, SHACL validation."""
