"""The assistant composed with real LangChain objects (no network, no language model)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def test_the_retriever_composes_in_a_chain_with_citation_metadata(seed_assistant: Any) -> None:
    from langchain_core.prompts import ChatPromptTemplate
    from langchain_core.runnables import RunnableLambda, RunnableParallel, RunnablePassthrough

    from assistant.integrations.langchain import AssistantRetriever

    retriever = AssistantRetriever(assistant=seed_assistant, k=3)
    prompt = ChatPromptTemplate.from_messages(
        [("system", "Answer only from these passages:\n{context}"), ("human", "{question}")]
    )
    chain = RunnableParallel(docs=retriever, question=RunnablePassthrough()) | RunnableLambda(
        lambda x: {
            "docs": x["docs"],
            "messages": prompt.invoke(
                {
                    "context": "\n\n".join(
                        f"[{d.metadata['document']}, p. {d.metadata['page_label']}] {d.page_content}" for d in x["docs"]
                    ),
                    "question": x["question"],
                }
            ).to_messages(),
        }
    )
    result = chain.invoke("When must an initial child protection conference be held?")
    docs = result["docs"]
    assert len(docs) == 3
    for doc in docs:
        meta = doc.metadata
        assert meta["document"] == "havering-lscb-annual-report-2014-15.txt"
        assert meta["title"] and meta["section"] and meta["page_label"]
        assert meta["chunk_id"] == doc.id and meta["start"] < meta["end"]
        text = seed_assistant.document_text(meta["doc_id"])
        assert text[meta["start"] : meta["end"]] == doc.page_content  # verbatim, citable
    assert [d.metadata["rank"] for d in docs] == [1, 2, 3]
    assert any("fifteen day" in d.page_content for d in docs)
    assert "fifteen day" in result["messages"][0].content  # the passages reached the prompt
    batch = retriever.batch(["What is the MASH?", "What counts as private fostering?"])
    assert len(batch) == 2 and all(batch)


def test_the_tool_answers_with_citations_and_the_notice(seed_assistant: Any) -> None:
    from langchain_core.tools import BaseTool

    from assistant.integrations.langchain import ask_tool

    tool = ask_tool(seed_assistant)
    assert isinstance(tool, BaseTool) and tool.name == "safeguarding_guidance"
    assert "question" in tool.args and "identifying details" in tool.description
    answer = json.loads(tool.invoke({"question": "What counts as private fostering?"}))
    assert not answer["abstained"] and answer["citations"] and "999" in answer["notice"]
    follow = json.loads(
        tool.invoke(
            {
                "question": "And the year before?",
                "history": [{"question": "How many contacts were received in 2014-15?", "answer": ""}],
            }
        )
    )
    assert follow["citations"]
