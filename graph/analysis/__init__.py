"""Analysis over the graph: the networkx view, chain gaps and anchors, target ranking. Pure functions, no I/O."""
