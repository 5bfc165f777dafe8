"""The web service and the command line: settings, the FastAPI app, limits, the CLI."""
