"""The workbench: a local web page and an HTTP API over the library (``coop serve``).

Needs the ``web`` extra (FastAPI, uvicorn, python-multipart). Every call into the engine
goes through :mod:`coopengine.web.library`; the pages and the API render what it returns,
so the CLI, the library and the web give the same answers.
"""

from __future__ import annotations

__all__ = ["MISSING_EXTRA"]

MISSING_EXTRA = (
    "coop serve needs the web extra: pip install 'coopengine[web]' "
    "(FastAPI, uvicorn and python-multipart)"
)
