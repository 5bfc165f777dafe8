"""The response media type a GraphQL-over-HTTP client accepts, and the status code that goes with it.

The spec's own type ``application/graphql-response+json`` is answered when the ``Accept`` header prefers it (or
ranks it level with ``application/json``); otherwise, and when ``Accept`` is missing or ``*/*``, the legacy
``application/json``. Under the legacy type a GraphQL request error (parse, validation, variable coercion, the
operation to run) is answered 200 with the errors, as the spec says; under the new type it is a 400.

>>> negotiate(None), negotiate("*/*"), negotiate("application/graphql-response+json, application/json;q=0.9")
('application/json', 'application/json', 'application/graphql-response+json')
>>> negotiate("application/json;q=1, application/graphql-response+json;q=0.5")
'application/json'
>>> status_for(GRAPHQL_RESPONSE, 400, graphql_error=True), status_for(JSON, 400, graphql_error=True)
(400, 200)
"""

from __future__ import annotations

__all__ = ["GRAPHQL_RESPONSE", "JSON", "negotiate", "status_for"]

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def negotiate(accept: str | None) -> str:
    """``GRAPHQL_RESPONSE`` when ``accept`` ranks it at least as high as ``application/json``, else ``JSON``."""
    if not accept:
        return JSON
    ranks = {JSON: 0.0, GRAPHQL_RESPONSE: 0.0}
    for item in accept.split(",")[:32]:  # a hostile header of many items costs no more than 32
        media, *params = item.split(";")
        media = media.strip().lower()
        if media in ranks:
            ranks[media] = max(ranks[media], _quality(params))
    return GRAPHQL_RESPONSE if ranks[GRAPHQL_RESPONSE] > 0 and ranks[GRAPHQL_RESPONSE] >= ranks[JSON] else JSON


def status_for(media: str, status: int, *, graphql_error: bool) -> int:
    """The status of a response: a GraphQL request error is 200 under the legacy type, ``status`` otherwise."""
    return 200 if graphql_error and media == JSON else status
