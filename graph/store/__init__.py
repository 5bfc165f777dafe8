"""The store beyond memory: the graph in a SPARQL 1.1 store (an Oxigraph server) as the source of truth.

``dataset`` writes a graph's records as N-Quads with a named graph per source and derives the store's index graph
in the store itself; ``client`` speaks the SPARQL 1.1 Protocol and the Graph Store Protocol; ``queries`` holds the
SPARQL that lineage, reach and alternatives push down; ``backend`` answers them, in memory or through the store;
``server`` starts and stops an ``oxigraph`` server (tests, benchmarks).
"""
