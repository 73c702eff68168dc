"""Retrieval: chunking, German analysis, embeddings, keyword + vector search, fusion.

``service`` is the entry point (index a document, search collections); ``index`` defines the
backend interface, implemented by ``index_sqlite`` (FTS5 + sqlite-vec) and ``index_postgres``
(tsvector + pgvector).
"""
