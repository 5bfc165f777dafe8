"""The curated identity tables of ``data/identity.toml``: owners, id prefixes, provider mappings, hand-pinned aliases.

>>> tables = IdentityTables.load()
>>> tables.maker_of_owner("mistralai"), tables.maker_of_word("claude")
('mistral', 'anthropic')
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from modelatlas.graph.errors import DataError
from modelatlas.graph.load import default_data_dir

__all__ = ["IdentityTables", "identity_file"]


def identity_file(data_dir: Path | None = None) -> Path:
    """``identity.toml`` of the data directory (default: the shipped one)."""
    return (data_dir or default_data_dir()) / "identity.toml"


@dataclass(frozen=True)
class IdentityTables:
    owners: Mapping[str, str] = field(default_factory=dict)
    prefixes: Mapping[str, str] = field(default_factory=dict)
    maker_names: Mapping[str, str] = field(default_factory=dict)
    providers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    maker_apis: Mapping[str, str] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)
    not_models: frozenset[str] = frozenset()
    not_owners: frozenset[str] = frozenset()
    route_prefixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sold_variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    base_hosts: frozenset[str] = frozenset()  # providers listing base checkpoints beside instruct ones
    version: str = ""

    @classmethod
    def load(cls, path: Path | None = None) -> IdentityTables:
        """Read the tables; a missing file or a bad entry raises DataError naming the file and the key."""
        path = path or identity_file()
        try:
            raw = path.read_bytes()
            doc = tomllib.loads(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DataError(f"{path}: cannot read identity tables: {exc}") from exc
        from modelatlas.graph.resolve.normalize import parse_id

        def table(name: str) -> dict[str, str]:
            value = doc.get(name, {})
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise DataError(f"{path}: [{name}] must map names to strings")
            return {k.lower(): v for k, v in value.items()}

        providers = doc.get("providers", {})
        if not isinstance(providers, dict):
            raise DataError(f"{path}: [providers.<source>] must be tables")
        aliases = {parse_id(k).key: v for k, v in table("aliases").items()}

        def lists(name: str) -> Mapping[str, tuple[str, ...]]:
            value = doc.get(name, {})
            if not isinstance(value, dict) or not all(
                    isinstance(v, list) and all(isinstance(i, str) for i in v) for v in value.values()):
                raise DataError(f"{path}: [{name}] must map names to lists of strings")
            return MappingProxyType({k.lower(): tuple(i.lower() for i in v) for k, v in value.items()})

        def ids(name: str, key: str) -> frozenset[str]:
            value = doc.get(name, {})
            found = value.get(key, []) if isinstance(value, dict) else None
            if not isinstance(found, list) or not all(isinstance(i, str) for i in found):
                raise DataError(f"{path}: [{name}] {key} must be a list of strings")
            return frozenset(i.lower() for i in found)

        return cls(
            owners=MappingProxyType(table("owners")), prefixes=MappingProxyType(table("prefixes")),
            maker_names=MappingProxyType(table("maker_names")),
            providers=MappingProxyType({s: MappingProxyType({k.lower(): v for k, v in m.items()}) for s, m in providers.items()}),
            maker_apis=MappingProxyType(table("maker_apis")), aliases=MappingProxyType(aliases),
            not_models=ids("not_models", "ids"), not_owners=ids("not_owners", "ids"),
            route_prefixes=lists("route_prefixes"), sold_variants=lists("sold_variants"),
            base_hosts=ids("base_hosts", "providers"),
            version=hashlib.sha256(raw).hexdigest()[:16],
        )

    def maker_of_owner(self, owner: str) -> str | None:
        return self.owners.get(owner.lower())

    def maker_of_word(self, first: str, second: str | None = None) -> str | None:
        """Maker named by an id's first word (or first two, ``open-mistral``)."""
        if second and f"{first}-{second}" in self.prefixes:
            return self.prefixes[f"{first}-{second}"]
        return self.prefixes.get(first)

    def provider_slug(self, source: str, provider_id: str) -> str:
        """The curated provider slug a catalog's provider id stands for, else the id itself."""
        return self.providers.get(source, {}).get(provider_id.lower(), provider_id.lower())
