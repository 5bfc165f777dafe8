"""HTTP content negotiation: the offered media type an ``Accept`` header prefers (RFC 9110 section 12.5.1).

>>> negotiate("text/turtle;q=0.5, application/ld+json", ["text/turtle", "application/ld+json"])
'application/ld+json'
>>> negotiate("", ["text/turtle", "application/n-triples"])  # no header: the first offered
'text/turtle'
>>> negotiate("text/*", ["application/ld+json", "text/turtle"])
'text/turtle'
>>> negotiate("image/png", ["text/turtle"]) is None, negotiate("text/turtle;q=0, */*", ["text/turtle"]) is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["accepts_html", "negotiate", "parse_accept"]


def parse_accept(header: str) -> list[tuple[str, float]]:
    """``(media range, q)`` of each entry of an ``Accept`` header, in the header's order (bad q values count as 0).

    >>> parse_accept("text/html, application/xml;q=0.9, */*;q=0.8")
    [('text/html', 1.0), ('application/xml', 0.9), ('*/*', 0.8)]
    """
    entries = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        entries.append((media.lower(), q))
    return entries


def negotiate(header: str, offered: Sequence[str]) -> str | None:
    """The offered type with the highest q (ties: the most specific range, then the order offered); None if none is
    acceptable. An empty header accepts everything."""
    entries = parse_accept(header) or [("*/*", 1.0)]
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, media in enumerate(offered):
        kind = media.split("/")[0] + "/*"
        matches = [(2 if range_ == media else 1 if range_ == kind else 0, q)
                   for range_, q in entries if range_ in (media, kind, "*/*")]
        if not matches:
            continue
        specificity, q = max(matches)  # the most specific range that matches sets the q value
        rank = (q, specificity, -position)
        if q > 0 and (best is None or rank > best):
            best, chosen = rank, media
    return chosen


def accepts_html(header: str) -> bool:
    """Whether a browser is asking: ``text/html`` named explicitly and preferred over the RDF types.

    >>> accepts_html("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), accepts_html("*/*")
    (True, False)
    """
    entries = dict(parse_accept(header))
    html = max(entries.get("text/html", 0.0), entries.get("application/xhtml+xml", 0.0))
    rdf = max((q for media, q in entries.items() if media in ("text/turtle", "application/ld+json",
                                                               "application/n-triples")), default=0.0)
    return html > 0 and html >= rdf
