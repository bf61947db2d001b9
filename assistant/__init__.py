"""Safeguarding guidance assistant: grounded, cited answers from local documents.

Public API (imported lazily so that ``import assistant`` stays cheap)::

    from assistant import Assistant, Settings
    bot = Assistant(Settings.from_env())
    bot.ingest()
    answer = bot.ask("When must an initial child protection conference be held?")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "NOTICE",
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "IngestReport",
    "Settings",
    "Turn",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.engine import Assistant
    from assistant.errors import AssistantError
    from assistant.models import Answer, Citation, IngestReport, Turn
    from assistant.wording import NOTICE

_LOCATIONS = {
    "Settings": "config",
    "Assistant": "engine",
    "NOTICE": "wording",
    "AssistantError": "errors",
    "IngestReport": "models",
    "Answer": "models",
    "Citation": "models",
    "Turn": "models",
}


def __getattr__(name: str) -> Any:
    if name in _LOCATIONS:
        import importlib

        module = importlib.import_module(f".{_LOCATIONS[name]}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
