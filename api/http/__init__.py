"""The HTTP service: the FastAPI app (``create_app``), GraphQL over HTTP, snapshots and reload, limits, settings.

    uvicorn modelatlas.api.http:app_from_env --factory      # what ``modelatlas serve --workers N`` runs
"""

from modelatlas.api.http.app import app_from_env, create_app
from modelatlas.api.http.settings import Settings

__all__ = ["Settings", "app_from_env", "create_app"]
