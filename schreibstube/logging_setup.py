"""Logging: one line per event, ids/sizes/timings only (no prompt, answer or document text).

Uvicorn's access log is kept (paths contain ids only, never content); request bodies are
never logged anywhere.
"""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
