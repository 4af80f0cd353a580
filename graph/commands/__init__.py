"""CLI commands of each feature, one module per feature; ``graph.cli`` registers them."""
