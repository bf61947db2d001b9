"""The one exception hierarchy of the assistant.

Only the edges (the CLI and the web UI) turn these into messages and exit codes;
everything below raises them with a message a practitioner or maintainer can act on.

    AssistantError
    ├── ConfigurationError        a setting or environment variable is invalid
    ├── DocumentError             one input document cannot be used (the run goes on)
    │   ├── UnsupportedDocument   unknown type, or content that does not match its extension
    │   ├── EmptyDocument         zero bytes, or no text at all
    │   ├── DocumentTooLarge      over the configured size limit
    │   ├── EncryptedDocument     password-protected and the empty password does not open it
    │   ├── CorruptDocument       truncated or malformed file
    │   └── NoTextLayer           a scanned PDF that OCR cannot read (OCR off or missing, no text found)
    ├── IndexError_               the index is missing, locked or unreadable
    │   └── IndexBusy             another ingest holds the lock
    ├── EvaluationError           the evaluation could not run
    │   └── DatasetError          a malformed evaluation dataset (names line and field)
    ├── AnswerError               an answer could not be produced (e.g. empty question)
    │   └── IdentifyingDetails    a briefing topic (or other text kept) holds identifying details
    └── AccessDenied              the action needs a sign-in the caller does not have
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AccessDenied",
    "AnswerError",
    "AssistantError",
    "ConfigurationError",
    "CorruptDocument",
    "DatasetError",
    "DocumentError",
    "DocumentTooLarge",
    "EmptyDocument",
    "EncryptedDocument",
    "EvaluationError",
    "IdentifyingDetails",
    "IndexBusy",
    "IndexError_",
    "NoTextLayer",
    "UnsupportedDocument",
]


class AssistantError(Exception):
    """Base of every error the assistant raises on purpose."""


class ConfigurationError(AssistantError):
    """A setting is invalid; the message names the variable and what to do."""


class DocumentError(AssistantError):
    """One document cannot be ingested. Carries the file so reports can name it."""

    reason = "cannot be read"

    def __init__(self, path: Path | str, detail: str | None = None) -> None:
        self.path = Path(path)
        self.detail = detail or self.reason
        super().__init__(f"{self.path.name}: {self.detail}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Errors cross process boundaries (documents are parsed in a child process).
        return (self.__class__, (self.path, self.detail))


class UnsupportedDocument(DocumentError):
    reason = "unsupported file type (use PDF, DOCX, Markdown, HTML or plain text)"


class EmptyDocument(DocumentError):
    reason = "the file is empty or holds no text"


class DocumentTooLarge(DocumentError):
    reason = "the file is larger than the configured limit (ASSISTANT_MAX_FILE_MB)"


class EncryptedDocument(DocumentError):
    reason = "the PDF is password-protected; save an unprotected copy and ingest that"


class CorruptDocument(DocumentError):
    reason = "the file is damaged or truncated and could not be parsed"


class NoTextLayer(DocumentError):
    reason = "the PDF has no text layer (a scan?) and OCR could not read it"


class IndexError_(AssistantError):  # noqa: N801 - avoid shadowing the builtin IndexError
    """The index cannot be used."""


class IndexBusy(IndexError_):
    """Another ingest is running against the same data folder."""


class EvaluationError(AssistantError):
    """The evaluation could not run."""


class DatasetError(EvaluationError):
    """A malformed evaluation dataset; the message names line and field."""


class AnswerError(AssistantError):
    """The question cannot be answered as asked (empty, too long...)."""


class IdentifyingDetails(AnswerError):
    """Text that would be kept (a briefing's topic and file name) holds identifying details."""


class AccessDenied(AssistantError):
    """The caller is not signed in with the rights the action needs."""
