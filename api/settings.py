"""Service settings from ``MODELATLAS_*`` environment variables, built when the app is made, never at import.

>>> Settings.from_env(environ={"MODELATLAS_PORT": "9000"}).port
9000
>>> Settings.from_env(environ={"MODELATLAS_RATE_LIMIT": ""}).rate_limit
''
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Mapping

__all__ = ["Settings"]

PREFIX = "MODELATLAS_"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    data_dir: str = ""  # empty: the shipped knowledge base
    production: bool = True  # introspection, suggestions and GraphiQL off
    max_depth: int = 8
    max_aliases: int = 15
    max_tokens: int = 1000
    max_body_bytes: int = 65536
    max_page_size: int = 100
    response_cache: bool = True  # cache responses by (document, variables, data version); ETag and 304
    max_cost: int = 10000  # estimated nodes a request may touch (reported in extensions.cost)
    timeout_seconds: float = 5.0  # wall-clock budget of one GraphQL request
    rate_limit: str = "600/minute"  # per client address; "" turns it off
    cors_origins: str = ""  # comma-separated allow-list of origins; empty: no cross-origin access
    admin_token: str = ""  # bearer token of POST /admin/reload; empty: the endpoint is off
    imports: bool = True  # serve the imported catalogs (models.dev, genai-prices) beside the curated data
    cache: bool = True  # use the compiled cache (restarts on unchanged inputs skip parse and validation)
    cache_dir: str = ""  # empty: $XDG_CACHE_HOME/modelatlas
    today: str = ""  # ISO date to answer "today" questions as of (tests); empty: the real date

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Read ``MODELATLAS_<FIELD>`` variables; keyword overrides win. Bad values raise ValueError naming the variable."""
        env = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or (raw == "" and f.type not in ("str", str)):
                continue  # an empty text setting is a value (MODELATLAS_RATE_LIMIT= turns the limit off)
            try:
                if f.type in ("bool", bool):
                    if raw.lower() not in ("1", "0", "true", "false", "yes", "no"):
                        raise ValueError("expected true or false")
                    values[f.name] = raw.lower() in ("1", "true", "yes")
                elif f.type in ("int", int):
                    values[f.name] = int(raw)
                elif f.type in ("float", float):
                    values[f.name] = float(raw)
                else:
                    values[f.name] = raw
            except ValueError as exc:
                raise ValueError(f"{PREFIX}{f.name.upper()}={raw!r}: {exc}") from exc
        return replace(cls(**values), **overrides)

    def to_env(self) -> dict[str, str]:
        return {PREFIX + k.upper(): str(v) for k, v in asdict(self).items()}

    def data_paths(self) -> list[Path] | None:
        return [Path(self.data_dir)] if self.data_dir else None

    def cache_path(self) -> Path | None:
        return Path(self.cache_dir) if self.cache_dir else None
