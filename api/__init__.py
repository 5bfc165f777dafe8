"""modelatlas's front doors: the HTTP service (``api.http``) and the command line (``api.cli``)."""
