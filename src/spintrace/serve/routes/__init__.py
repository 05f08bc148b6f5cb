"""The server's routes, one APIRouter module per resource; ``serve.app`` includes them all.

Routes only parse the request, run pipeline work off the event loop (``Workbench.run``) and shape
the answer; the shared request helpers live in ``common``.
"""

from spintrace.serve.routes import compare, documents, health, pages, search, trace

ROUTERS = (pages.router, health.router, compare.router, search.router, trace.router, documents.router)

__all__ = ["ROUTERS"]
