"""The ingestion loop that runs inside every app process (and in CLI commands).

Each process runs one :class:`IngestionWorker`: it claims queued documents from the database
(see ``queue``) and processes up to ``concurrency`` at a time in threads (parsing itself runs
in child processes). Uploads wake the loop at once through ``notify()``; otherwise it polls,
which is also how work queued by *other* processes is found. Nothing is kept in memory that
another process would need: a restart picks up where the database says.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable

from schreibstube.documents import Limits
from schreibstube.ingestion import pipeline, queue
from schreibstube.ingestion.pipeline import Indexer
from schreibstube.storage.db import Database

log = logging.getLogger(__name__)


class IngestionWorker:
    def __init__(self, db: Database, limits: Limits, indexer: Indexer | None, *,
                 concurrency: int = 2, poll_s: float = 2.0, stale_after_s: float = 600) -> None:
        self.db, self.limits, self.indexer = db, limits, indexer
        self.concurrency, self.poll_s, self.stale_after_s = concurrency, poll_s, stale_after_s
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.on_done: Callable[[str, str], None] | None = None

    def notify(self) -> None:
        self._wake.set()

    def _claim(self) -> str | None:
        with self.db.session() as s:
            return queue.claim_next(s, self.id, stale_after_s=self.stale_after_s)

    def _process(self, doc_id: str) -> str:
        return pipeline.process(self.db, doc_id, self.id, limits=self.limits, indexer=self.indexer)

    async def run_once(self) -> int:
        """Claim and process queued documents until none is left; returns how many ran."""
        running: set[asyncio.Task[str]] = set()
        count = 0
        while True:
            if len(running) >= self.concurrency:
                _, running = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            doc_id = await asyncio.to_thread(self._claim)
            if doc_id is None:
                break
            count += 1
            running.add(asyncio.ensure_future(self._run(doc_id)))
        if running:
            await asyncio.gather(*running)
        return count

    async def _run(self, doc_id: str) -> str:
        status = await asyncio.to_thread(self._process, doc_id)
        if self.on_done:
            self.on_done(doc_id, status)
        return status

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
            except Exception as exc:  # keep the loop alive; the next round retries
                log.error("ingestion round failed worker=%s error=%s", self.id, type(exc).__name__)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_s)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
