"""Pure queries over the KnowledgeGraph: lineage, aliases, migration paths, alternatives."""
