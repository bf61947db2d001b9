"""The assistant as LangChain components: a retriever of cited passages, and a tool that answers.

- :class:`AssistantRetriever` (a ``langchain_core`` ``BaseRetriever``) returns the engine's
  passages as ``Document`` objects whose metadata carries what a citation needs: the
  document's file and title, the section, the page (and printed page label), the chunk
  and its offsets in the document's cleaned text, and the retrieval score.
- :func:`ask_tool` wraps :meth:`Assistant.ask` as a tool for agent frameworks: it returns
  the answer JSON (the same as ``assistant ask --json``), with the safeguarding notice.

Only the engine's public API is used. LangChain is imported here (and in the optional
LLM answerer) only; importing this module is what pulls it in.

    from assistant import Assistant, Settings
    from assistant.integrations.langchain import AssistantRetriever

    retriever = AssistantRetriever(assistant=Assistant(Settings.from_env()), k=4)
    chain = retriever | (lambda docs: "\\n\\n".join(d.page_content for d in docs))
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import BaseTool, StructuredTool
from pydantic import ConfigDict, Field

from assistant.engine import Assistant
from assistant.models import Passage, Turn

__all__ = ["AssistantRetriever", "ask_tool", "passage_document"]


def passage_document(passage: Passage) -> Document:
    """One passage as a LangChain ``Document`` with its citation metadata."""
    chunk = passage.chunk
    metadata: dict[str, Any] = {
        "document": chunk.file_name,
        "title": chunk.title,
        "section": chunk.section_path,
        "page": chunk.page,
        "page_label": chunk.page_label,
        "doc_id": chunk.doc_id,
        "chunk_id": chunk.chunk_id,
        "start": chunk.start,
        "end": chunk.end,
        "rank": passage.rank,
        "score": round(passage.score, 6),
    }
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.chunk_id)


class AssistantRetriever(BaseRetriever):
    """The assistant's hybrid retrieval (dense and BM25, many documents) as a LangChain retriever."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Assistant
    k: int = Field(default=4, ge=1, le=50)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [passage_document(p) for p in self.assistant.passages(query, k=self.k)]


def ask_tool(assistant: Assistant, *, name: str = "safeguarding_guidance") -> BaseTool:
    """A tool that answers a question from the indexed safeguarding documents, with citations."""

    def ask(question: str, history: list[dict[str, str]] | None = None) -> str:
        turns = [Turn(str(t.get("question", "")), str(t.get("answer", ""))) for t in history or []]
        return json.dumps(assistant.ask(question, turns, user="langchain").to_dict(), ensure_ascii=False)

    return StructuredTool.from_function(
        ask,
        name=name,
        description=(
            "Answers a question about safeguarding children (thresholds, procedures, timescales, roles) from the "
            "indexed local documents only. Returns JSON: 'answer' (with [n] citation markers), 'citations' (each "
            "with document, section, page and the verbatim quote), 'abstained' (true when the documents do not "
            "answer) and 'notice'. The answer is guidance, not a decision. Do not include names or other "
            "identifying details of children or families in the question."
        ),
    )
