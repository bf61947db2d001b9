"""Products made from the engine's public API (never the index, retrieval or answering internals).

- ``briefing``: seven-part "7-minute briefings", every item a cited quote;
- ``exporters``: Markdown, HTML, DOCX and PDF of any cited report;
- ``conversation``: a whole conversation with its sources, for supervision notes;
- ``evaluation``: the evaluation runner, its metrics per part, genre and document, and the gate.
"""
