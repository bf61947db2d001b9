"""Text handling shared by every layer (imports nothing of the package but the base).

- ``normalise``: folding words and digits, per cent, year spans; index and query terms.
- ``sentences``: the one sentence splitter (exact offsets into the cleaned text).
- ``units``: evidence units (sentences, table rows, headings) quoted by answers.
- ``vocabulary``: the field's abbreviations and everyday synonyms.
"""
