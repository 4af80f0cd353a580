"""Vocabulary: namespaces (closed), units, the ontology and SHACL shapes as package data, display labels."""
