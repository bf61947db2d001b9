"""The thresholds & timescales register: every rule the documents state, with its verbatim quote.

- ``entry``: the entry (subject, rule, value, unit, condition, kind, citation), as JSON and CSV;
- ``extraction``: the generic patterns that find rules in a sentence;
- ``subjects``: what each rule is about;
- ``build``: the register of a corpus, from the index's documents and chunks (plain values);
- ``matching``: searching it, and matching a question to the rule it asks for;
- ``storage``: keeping it in the data folder, stamped with the corpus version.

The engine builds it after each ingest and consults it when answering; nothing here reads
the index or imports the engine.
"""

from __future__ import annotations

from assistant.rules.build import Documents, build_register
from assistant.rules.entry import CSV_FIELDS, KINDS, Kind, RegisterEntry, from_csv, from_json, to_csv, to_json
from assistant.rules.extraction import RuleMatch, find_rules, same_length_lower
from assistant.rules.matching import (
    MAX_SEARCH_CHARS,
    RegisterMatcher,
    concept_groups,
    match_question,
    search_register,
    spelled_out_forms,
)
from assistant.rules.storage import ensure_register, load_register, register_path, save_register, saved_version

__all__ = [
    "CSV_FIELDS",
    "KINDS",
    "MAX_SEARCH_CHARS",
    "Documents",
    "Kind",
    "RegisterEntry",
    "RegisterMatcher",
    "RuleMatch",
    "build_register",
    "concept_groups",
    "ensure_register",
    "find_rules",
    "from_csv",
    "from_json",
    "load_register",
    "match_question",
    "register_path",
    "same_length_lower",
    "save_register",
    "saved_version",
    "search_register",
    "spelled_out_forms",
    "to_csv",
    "to_json",
]
