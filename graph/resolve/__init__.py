"""Identity resolution: one canonical model for each provider-specific id (see ``resolver`` for the rules)."""

from modelatlas.graph.resolve.normalize import ParsedId, parse_id, parse_name
from modelatlas.graph.resolve.resolver import Resolution, Resolver
from modelatlas.graph.resolve.tables import IdentityTables

__all__ = ["IdentityTables", "ParsedId", "Resolution", "Resolver", "parse_id", "parse_name"]
