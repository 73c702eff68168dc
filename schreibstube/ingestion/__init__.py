"""Background ingestion of uploaded documents: queue in the database, claimed by workers.

``queue``     add documents (bytes into the database, status ``queued``), claim the next one
              atomically (exactly one worker gets it, stale claims are retried)
``pipeline``  process one claimed document: read (isolated) → pages → chunks + vectors
``worker``    the asyncio loop that runs in every app process with bounded concurrency
"""
