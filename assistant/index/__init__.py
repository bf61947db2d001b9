"""The index layer: what is stored and how it is kept in step with the document folders.

- ``embeddings``: the embedding model (ONNX Runtime int8 by default, or torch), loaded once, offline;
- ``onnx_backend``: the ONNX export of the packaged weights, cached and checksummed;
- ``vectorstore``: Chroma, embedded or a server;
- ``lexical``: BM25 over the same chunks;
- ``catalog``: the SQLite catalogue of documents, chunks and sentence vectors;
- ``ingest``: :class:`Index`: incremental, idempotent, crash-safe ingest and a read API of plain values.
"""
