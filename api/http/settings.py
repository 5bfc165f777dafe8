"""Service settings from ``MODELATLAS_*`` environment variables, built when the app is made, never at import.

An empty variable leaves a setting at its default, except a text setting, where empty is a value
(``MODELATLAS_RATE_LIMIT=`` turns the limit off). ``from_env`` turns a bad value into a ValueError that
names the variable, which ``modelatlas serve`` prints before it stops.

>>> Settings(port=9000).port
9000
>>> Settings(cors_origins="https://a.example, https://b.example").cors_origins
['https://a.example', 'https://b.example']
>>> Settings.from_env(max_cost="lots")
Traceback (most recent call last):
...
ValueError: MODELATLAS_MAX_COST='lots': Input should be a valid integer, unable to parse string as an integer
>>> Settings(today="2026-11-25").to_env()["MODELATLAS_TODAY"]
'2026-11-25'
>>> Settings.from_env(admin_token="short")   # a secret is never echoed
Traceback (most recent call last):
...
ValueError: MODELATLAS_ADMIN_TOKEN=(5 characters, hidden): must have at least 32 characters
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import limits
from pydantic import ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticUseDefault
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from modelatlas.api.http.proxies import trusted_networks

__all__ = ["MIN_ADMIN_TOKEN", "PREFIX", "Settings", "env_text"]

PREFIX = "MODELATLAS_"
MIN_ADMIN_TOKEN = 32  # characters: a token worth guessing at 2,500 tries a second must be long
SECRETS = {"admin_token", "redis_url"}  # never printed in an error message (a Redis URL may hold a password)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    data_dir: Path | None = None  # the shipped knowledge base
    production: bool = True  # introspection, suggestions and GraphiQL off
    max_depth: int = 8
    max_aliases: int = 15
    max_tokens: int = 1000
    max_body_bytes: int = 65536
    max_page_size: int = 100
    trusted_documents: bool = False  # execute only the trusted documents (the explorer's manifest), by hash
    response_cache: bool = True  # cache responses by (document, variables, data version); ETag and 304
    max_cost: int = 10000  # estimated nodes a request may touch (reported in extensions.cost)
    timeout_seconds: float = 5.0  # wall-clock budget of one GraphQL request
    executor: Literal["compiled", "reference"] = "compiled"  # compiled plans, or graphql-core's executor alone
    rate_limit: str = "600/minute"  # per client address, in the `limits` notation; "" turns it off
    cpu_budget: float = 30.0  # CPU seconds of parsing, validation and execution per client and minute; 0: no budget
    work_threads: int = 2  # threads that parse, validate and execute (off the event loop); more wait their turn
    header_timeout_seconds: float = 10.0  # a request's headers must arrive within this (else 408, closed)
    body_timeout_seconds: float = 10.0  # a request's body must arrive within this (else 408)
    keep_alive_seconds: int = 5  # an idle keep-alive connection is closed after this
    graceful_shutdown_seconds: int = 10  # a stopping worker waits this long for its connections to finish
    cors_origins: Annotated[list[str], NoDecode] = []  # comma-separated allow-list; empty: no cross-origin access
    trusted_proxies: Annotated[list[str], NoDecode] = []  # addresses/CIDRs whose X-Forwarded-For counts; empty: none
    admin_token: str = ""  # bearer token of POST /admin/reload (at least 32 characters); empty: the endpoint is off
    imports: bool = True  # serve the imported catalogs (models.dev, genai-prices) beside the curated data
    cache: bool = True  # use the compiled cache (restarts on unchanged inputs skip parse and validation)
    cache_dir: Path | None = None  # $XDG_CACHE_HOME/modelatlas
    catalog_dir: Path | None = None  # refreshed catalogs and import value snapshots; None: <cache dir>/catalogs
    today: date | None = None  # answer "today" questions as of this date (tests); None: the real date
    redis_url: str = ""  # rate limits, persisted queries and response cache shared in this Redis; empty: in process
    sparql_timeout_seconds: float = 10.0  # wall-clock budget of one /sparql query (500 QUERY_TIMEOUT past it)
    sparql_max_results: int = 10000  # rows or triples one /sparql answer may hold (500 RESULT_LIMIT_EXCEEDED past it)
    sparql_workers: int = 2  # /sparql queries evaluated at once (threads); others wait within their time budget
    sparql_prebuild: bool = True  # build the snapshot's RDF store at start (in a thread), not on the first request
    sparql_store: str = ""  # http://host:port of a SPARQL 1.1 store (Oxigraph server) loaded by `modelatlas store load`:
    #                         lineage, reach and alternatives are then computed there; empty: in memory

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "" and info.field_name is not None and cls.model_fields[info.field_name].annotation is not str:
            raise PydanticUseDefault()
        return value

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        return [o.strip() for o in value.split(",") if o.strip()] if isinstance(value, str) else value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        trusted_networks(value)  # a ValueError on text such as "localhost"
        return value

    @field_validator("admin_token")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < MIN_ADMIN_TOKEN:
            raise ValueError(f"must have at least {MIN_ADMIN_TOKEN} characters")
        return value

    @field_validator("sparql_timeout_seconds", "sparql_max_results", "sparql_workers")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("must be greater than 0")
        return value

    @field_validator("rate_limit")
    @classmethod
    def _limits_notation(cls, value: str) -> str:
        if value.strip():
            limits.parse(value)  # a ValueError on text such as "fast"
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if value.strip():
            import redis

            redis.ConnectionPool.from_url(value.strip())  # a ValueError on a URL that is not redis://, rediss://, unix://
        return value.strip()

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """The ``MODELATLAS_*`` variables, keyword ``overrides`` winning; a bad value is a ValueError naming it."""
        try:
            return cls(**overrides)
        except ValidationError as exc:
            error = exc.errors()[0]
            message = str(error["msg"]).removeprefix("Value error, ")
            name = str(error["loc"][0])
            shown = f"({len(str(error['input']))} characters, hidden)" if name in SECRETS else repr(error["input"])
            raise ValueError(f"{PREFIX}{name.upper()}={shown}: {message}") from None

    def to_env(self) -> dict[str, str]:
        """The variables that make ``from_env`` build these settings again (for worker processes)."""
        return {PREFIX + name.upper(): env_text(value) for name, value in self}

    def data_paths(self) -> list[Path] | None:
        return [self.data_dir] if self.data_dir else None

    def catalog_path(self) -> Path:
        """Where ``modelatlas import --from`` installs catalogs and every import keeps its value snapshots."""
        from modelatlas.graph.cache import default_cache_dir

        return self.catalog_dir or (self.cache_dir or default_cache_dir()) / "catalogs"


def env_text(value: object) -> str:
    """A setting's value as an environment variable spells it.

    >>> env_text(True), env_text(None), env_text(["a", "b"]), env_text(5.0)
    ('true', '', 'a,b', '5.0')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
