"""The thresholds & timescales register: every rule the documents state, with its quote.

Rules are found by generic patterns, matched to questions and kept in the data folder.
"""
