"""HTTP front-end: a REST API and a web page over the same compare/search pipeline.

``create_app`` builds the FastAPI application; ``spintrace serve`` runs it under uvicorn.
The app only orchestrates: parsing and limits live in ``requests``/``guard``, the shared model,
index and worker threads in ``service``, and every comparison goes through
``spintrace.pipeline.compare``.
"""

from spintrace.serve.app import create_app

__all__ = ["create_app"]
