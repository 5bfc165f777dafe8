"""GraphiQL for development mode, from assets served by this app (``api/static/graphiql``), never a CDN.

>>> "/graphiql-assets/graphiql.min.js" in graphiql_page("/graphql")
True
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ASSETS_DIR", "ASSETS_PATH", "graphiql_page"]

ASSETS_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
ASSETS_PATH = "/graphiql-assets"


def graphiql_page(endpoint: str) -> str:
    """The HTML page; GraphiQL posts JSON to ``endpoint``."""
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>modelatlas GraphiQL</title>
  <link rel="stylesheet" href="{ASSETS_PATH}/graphiql.min.css">
  <style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="{ASSETS_PATH}/react.production.min.js"></script>
  <script src="{ASSETS_PATH}/react-dom.production.min.js"></script>
  <script src="{ASSETS_PATH}/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({{ url: {endpoint!r} }});
    const example = '{{\\n  model(id: "mistral-small-2402") {{\\n    name\\n    successors {{ kind model {{ slug }} }}\\n  }}\\n}}\\n';
    ReactDOM.createRoot(document.getElementById("graphiql"))
      .render(React.createElement(GraphiQL, {{ fetcher, defaultQuery: example }}));
  </script>
</body>
</html>
"""
