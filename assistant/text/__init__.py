"""Text handling shared by every layer (it imports nothing of the package but the base).

- ``normalise``: folding words and digits, per cent, year spans; index and query terms;
- ``sentences``: the one sentence splitter (exact spans of cleaned text; an answer's sentences);
- ``units``: evidence units (sentences, table rows, headings) quoted by answers, and table headers;
- ``cues``: cue patterns (what a question asks for, what a sentence states);
- ``tokens``: the model's word pieces (chunk sizes, sentence pooling);
- ``tables``: the one CSV writer (cells neutralised for spreadsheets);
- ``vocabulary``: the field's abbreviations and everyday synonyms.
"""
