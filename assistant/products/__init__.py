"""Products made from the engine's public API: briefings, their exporters, the evaluation."""
