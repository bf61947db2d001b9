"""The index layer: what is stored and how it is kept in step with the document folders.

- ``embeddings``: the sentence-transformers model (offline), loaded once.
- ``vectorstore``: Chroma, embedded or a server.
- ``lexical``: BM25 over the same chunks.
- ``catalog``: the SQLite catalogue of documents, chunks and sentence vectors.
- ``ingest``: incremental, idempotent, crash-safe ingest that keeps the three in step.
"""
