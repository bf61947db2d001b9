"""The assistant: the facade every face (CLI, web app, HTTP API, LangChain) and every product
(briefings, evaluation, exports) drives. It owns the components and hands out plain values.

Public API, in four groups:

- indexing: :meth:`Assistant.ingest`, :meth:`~Assistant.ensure_index`, :meth:`~Assistant.remove`,
  :meth:`~Assistant.status`, :meth:`~Assistant.is_empty`, :meth:`~Assistant.close`;
- reading what is indexed: :meth:`~Assistant.documents`, :meth:`~Assistant.document_text`,
  :meth:`~Assistant.document_chunks`, :meth:`~Assistant.term_statistics`, :meth:`~Assistant.rules`;
- searching and answering: :meth:`~Assistant.ask`, :meth:`~Assistant.ask_stream`,
  :meth:`~Assistant.passages`, :meth:`~Assistant.search`, :meth:`~Assistant.evidence_units`;
- privacy: :meth:`~Assistant.find_identifiers`, :meth:`~Assistant.redact`;
- the fitted answer scorer's model (:class:`AnswerScorer`, :data:`ANSWER_FEATURES`), for the
  command that fits it.

Heavy parts (the embedding model, the vector store, the identifier analyser) are created
on first use and kept for the life of the process. Nothing outside this module reaches
the index, the retriever or the answerer.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answering.extractive import (
    Candidate,
    Composition,
    ExtractiveAnswerer,
    level_heading,
    merge_parts,
    table_header,
    without_restatements,
)
from assistant.answering.llm import LLMAnswerer, StreamEvent
from assistant.answering.outline import asks_for_items, outline_items
from assistant.answering.question import (
    QuestionProfile,
    profile_question,
    split_question,
    standalone_part,
    standalone_question,
)
from assistant.answering.scenario import ask_part
from assistant.answering.scoring import FEATURES as ANSWER_FEATURES
from assistant.answering.scoring import SCORER_FILE as ANSWER_SCORER_FILE
from assistant.answering.scoring import AnswerScorer, load_scorer
from assistant.config import Settings
from assistant.errors import AnswerError
from assistant.index.embeddings import EmbeddingModel, create_embedder
from assistant.index.ingest import Index
from assistant.models import (
    Answer,
    Chunk,
    Citation,
    Condition,
    DocumentRecord,
    EvidenceUnit,
    IndexHealth,
    IngestReport,
    Passage,
    Progress,
    Turn,
    identity_text,
    keep_verbatim,
    source_line,
)
from assistant.retrieval import Mention, Retriever, without_mentions
from assistant.services.audit import AuditLog
from assistant.services.privacy import Identifier, IdentifierDetector, describe
from assistant.text.cues import about_a_child, asks_what_to_do, says_unreachable
from assistant.text.kinds import unnamed_setting, without_kind
from assistant.text.normalise import fold, term_set
from assistant.text.rows import labelled_row
from assistant.text.vocabulary import GENERAL_CONCERN, UNREACHABLE_CONCERN
from assistant.wording import (
    ABSTAIN_ADVICE,
    CONDITION_ITEM,
    CONDITIONS_LEAD,
    DOCUMENT_NOT_ANSWERED,
    GENERAL_DUTY_LEAD,
    KIND_NAMES,
    NEAREST_NOT_ANSWER,
    NEAREST_OTHER_CHANNEL,
    NEAREST_UNSURE,
    NOT_ANSWERED,
    NOTICE,
    UNREACHABLE_DUTY_LEAD,
)

if TYPE_CHECKING:
    import numpy as np

    from assistant.rules import RegisterEntry, RegisterMatcher

__all__ = [
    "ANSWER_FEATURES",
    "ANSWER_SCORER_FILE",
    "MAX_HISTORY_ANSWER_CHARS",
    "MAX_HISTORY_TURNS",
    "NOTICE",
    "AnswerScorer",
    "Assistant",
]

log = logging.getLogger(__name__)

MAX_HISTORY_TURNS = 20
"""Earlier turns a question is read with (the most recent; older ones are dropped)."""
MAX_HISTORY_ANSWER_CHARS = 8000
"""Characters of an earlier answer that are kept (its opening is what a follow-up uses)."""


class Assistant:
    """Ingest documents and answer questions about them, with verbatim citations."""

    def __init__(self, settings: Settings, *, embedder: EmbeddingModel | None = None) -> None:
        self.settings = settings
        self._given_embedder = embedder
        self._lock = threading.RLock()
        self._register: tuple[int, list[RegisterEntry]] | None = None
        self._matcher: RegisterMatcher | None = None
        self._use_corpus_vocabulary()

    def _use_corpus_vocabulary(self) -> None:
        """The national glossary plus the corpus folder's own ``vocabulary.json``, if it has one."""
        from assistant.text.vocabulary import LOCAL_VOCABULARY_FILE, use_local_vocabulary

        if use_local_vocabulary(self.settings.corpus_dir / LOCAL_VOCABULARY_FILE):
            self._matcher = None  # it holds terms derived from the vocabulary

    # -- components (private, lazy) -------------------------------------------------------

    @cached_property
    def _embedder(self) -> EmbeddingModel:
        return self._given_embedder or create_embedder(self.settings)

    @cached_property
    def _index(self) -> Index:
        return Index(self.settings, self._embedder)

    @cached_property
    def _retriever(self) -> Retriever:
        return Retriever(self._index, self._embedder)

    @cached_property
    def _answerer(self) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            self._index.unit_vectors,
            self._embedder.embed_documents,
            self._index.idf,
            self._index.doc_freq,
            max_citations=self.settings.max_citations,
            scorer=load_scorer(),
            gate=self.settings.answer_gate,
        )

    @cached_property
    def _llm(self) -> LLMAnswerer | None:
        """The optional language-model answerer (None unless ASSISTANT_LLM_PROVIDER is set)."""
        return LLMAnswerer.from_settings(self.settings)

    @cached_property
    def _identifiers(self) -> IdentifierDetector:
        return IdentifierDetector()

    @cached_property
    def _audit_log(self) -> AuditLog:
        return AuditLog(self.settings.data_dir / "audit", self.settings.retention_days)

    def warm_up(self) -> None:
        """Load the model, the indexes and the identifier analyser before the first question."""
        self._embedder.warm_up()
        self._index.warm_up()
        self._identifiers.warm_up()
        if not self._index.is_empty():
            self._register_matcher()
        _ = self._llm  # a bad LLM configuration is reported at start-up

    def close(self) -> None:
        """Release the catalogue and the vector store (the next call opens them again)."""
        if "_index" in self.__dict__:
            self._index.close()
            for name in ("_index", "_retriever", "_answerer"):
                self.__dict__.pop(name, None)

    # -- indexing -------------------------------------------------------------------------

    def ingest(
        self, paths: Sequence[Path] | None = None, *, progress: Progress | None = None, skip: Sequence[Path] = ()
    ) -> IngestReport:
        """Index documents (``skip``: files to leave alone), then rebuild the register when anything changed."""
        with self._lock:
            self._use_corpus_vocabulary()  # the file may have changed since the start
            report = self._index.ingest(paths, progress=progress, skip=skip)
            if report.changed or not self._index.is_empty():
                self._rules()
            return report

    def ensure_index(self, *, progress: Progress | None = None) -> IngestReport | None:
        """Build the index from the corpus folder when it is empty (first use)."""
        if not self._index.is_empty():
            return None
        return self.ingest(progress=progress)

    def remove(self, doc_ids: Sequence[str]) -> None:
        """Drop documents from the index (and from the register)."""
        with self._lock:
            self._index.remove(doc_ids)
            self._rules()

    def status(self) -> dict[str, Any]:
        """What is indexed: counts, the corpus version, the stores and each document (``status --json``)."""
        return self._index.status()

    def is_empty(self) -> bool:
        """Is nothing indexed yet?"""
        return self._index.is_empty()

    def health(self) -> IndexHealth:
        """What each store of the index holds, and whether they agree (reads everything: slow)."""
        return self._index.health()

    @property
    def corpus_version(self) -> int:
        """Changes whenever a document is added, changed or removed."""
        return self._index.version

    # -- reading what is indexed -----------------------------------------------------------

    def documents(self) -> list[DocumentRecord]:
        """The indexed documents (title, file, pages, passages, when indexed), in file-name order."""
        return self._index.documents()

    def document_text(self, doc_id: str) -> str | None:
        """A document's cleaned text: every citation quotes a slice of it."""
        return self._index.document_text(doc_id)

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """A document's chunks in order (each with its section and page)."""
        return self._index.document_chunks(doc_id)

    def term_statistics(self) -> tuple[dict[str, int], int]:
        """(how many passages hold each index term, how many passages there are)."""
        return self._index.term_statistics()

    def rules(self, search: str = "") -> list[RegisterEntry]:
        """The thresholds & timescales register, or the entries about ``search``, best first."""
        from assistant.rules import search_register

        entries = self._rules()
        return search_register(entries, search) if search.strip() else list(entries)

    def _rules(self) -> list[RegisterEntry]:
        """The register of the current index (built after ingest, saved, and cached per version)."""
        from assistant.rules import ensure_register, register_path

        version = self._index.version
        if self._register is None or self._register[0] != version:
            entries = ensure_register(register_path(self.settings.data_dir), version, self._index.iter_documents)
            self._register = (version, entries)
        return self._register[1]

    def _register_matcher(self) -> RegisterMatcher:
        """The register's question matcher, rebuilt only when the index changes."""
        from assistant.rules import RegisterMatcher

        entries = self._rules()
        if self._matcher is None or self._matcher.entries is not entries:
            self._matcher = RegisterMatcher(entries)
        return self._matcher

    # -- privacy --------------------------------------------------------------------------

    def find_identifiers(self, text: str) -> list[Identifier]:
        """Identifying details in ``text`` (names, dates of birth, contact details, addresses...)."""
        return self._identifiers.find(text)

    def _case_details(self, question: str) -> list[Identifier]:
        """The identifying details of a case in a question: not the full name of someone the documents
        themselves give ("the phone number for Harriet Okonjo", the club's welfare officer), which is
        what is asked about (a given name alone, "her mum Sarah", stays a detail of the case)."""
        return [
            found
            for found in self._identifiers.find(question)
            if not (
                found.kind == "PERSON"
                and len(stems := term_set(question[found.start : found.end])) >= 2
                and all(self._index.doc_freq(t) for t in stems)
            )
        ]

    def redact(self, text: str) -> str:
        """``text`` with identifying details replaced by placeholders such as ``[PERSON]``."""
        return self._identifiers.redact(text)

    # -- searching ------------------------------------------------------------------------

    def passages(self, question: str, history: Sequence[Turn] = (), *, k: int | None = None) -> list[Passage]:
        """The passages retrieval returns for a question in its conversation, best first."""
        standalone, _, _ = standalone_question(question, history)
        return self._retriever.search(standalone, k or self.settings.top_k)

    def search(self, query: str, k: int) -> tuple[list[Passage], np.ndarray]:
        """Passages for a query (no conversation) and the query's vector."""
        return self._retriever.search_with_vector(query, k)

    def evidence_units(self, passages: Sequence[Passage]) -> list[EvidenceUnit]:
        """The sentences, table rows and headings of ``passages`` with their vectors (what answers quote)."""
        candidates, vectors = self._answerer.candidates(passages)
        return [
            EvidenceUnit(
                c.passage,
                c.start,
                c.end,
                c.text,
                "row" if c.is_row else "heading" if c.is_heading else "sentence",
                vectors[c.key],
            )
            for c in candidates
        ]

    # -- answering ------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Turn] = (), *, id: object = None, user: str | None = None) -> Answer:
        """Answer one question (with the conversation so far) from the indexed documents.

        The extractive answer always comes first; when an LLM is configured, its text is
        used instead only if every sentence survives citation checking. ``user`` identifies
        the asker for the audit log, which stores only a pseudonym, the time and the
        documents cited - never the question.
        """
        answer, passages = self._ask_extractive(question, history, id=id)
        if self._use_llm(answer) and self._llm is not None:
            answer = self._llm.answer(answer.question, history, passages, answer)
        self._audit(answer, user)
        return answer

    def ask_stream(
        self, question: str, history: Sequence[Turn] = (), *, id: object = None, user: str | None = None
    ) -> Iterator[StreamEvent]:
        """Like :meth:`ask`, as events: checked sentences as they come, then the final answer."""
        answer, passages = self._ask_extractive(question, history, id=id)
        if not self._use_llm(answer) or self._llm is None:
            self._audit(answer, user)
            yield StreamEvent.final(answer)
            return
        for event in self._llm.stream(answer.question, history, passages, answer):
            if event.kind == "final" and event.answer is not None:
                self._audit(event.answer, user)
            yield event

    def _use_llm(self, answer: Answer) -> bool:
        """Identifying details are never sent to a language model."""
        return self.settings.llm_provider is not None and not answer.warnings

    def _audit(self, answer: Answer, user: str | None) -> None:
        self._audit_log.record(
            event="ask",
            user=user,
            documents=[c.document for c in answer.citations],
            abstained=answer.abstained,
            mode=answer.mode,
            warnings=len(answer.warnings),
        )

    def _ask_extractive(
        self, question: str, history: Sequence[Turn] = (), *, id: object = None
    ) -> tuple[Answer, list[Passage]]:
        started = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise AnswerError("the question is empty: type a question about the documents")
        if len(question) > self.settings.max_question_chars:
            raise AnswerError(
                f"the question is {len(question)} characters long; keep it under {self.settings.max_question_chars}"
            )
        history = self._bounded_history(history)
        warnings: list[str] = []
        found = self._case_details(question)
        if found:
            warnings.append(describe(found))
        timings: dict[str, float] = {}

        # Identifying details help nobody find guidance: they are left out of the search.
        clean = _without(question, found)
        clean_history = [Turn(_without(t.question, self._case_details(t.question)), t.answer) for t in history]
        standalone, weights, inherited = standalone_question(clean, clean_history)
        if history and not found and self.settings.llm_provider is not None and self._llm is not None:
            rewritten = self._llm.rewrite_follow_up(question, history)
            if rewritten != standalone:
                standalone, weights, inherited = rewritten, {}, None
        parts = split_question(standalone) if standalone == clean else [standalone]
        mentions = self._retriever.mentions(standalone) if len(parts) == 1 else []
        answers: list[tuple[str, Composition]] = []
        passages: list[Passage] = []
        if len(mentions) > 1 and _apart(mentions):
            # "Do Lexden and Hanworth Villa name the same person?": each document named is asked on
            # its own (the other's name left out) and each answer is quoted with its source
            for mention in mentions:
                own_query = without_mentions(standalone, [m for m in mentions if m is not mention])
                own, own_passages = self._compose(own_query, weights, inherited, timings)
                answers.append((" ".join(mention.words), own))
                _gather(passages, own_passages)
            composition = merge_parts(
                answers, self.settings.max_citations, missing=DOCUMENT_NOT_ANSWERED, attributed=True
            )
        elif len(parts) == 1:
            said = clean_history[-1].answer if clean_history and standalone != clean else ""
            composition, passages = self._compose(standalone, weights, inherited, timings, said)
            if not said and not mentions:
                composition, passages = self._each_setting(
                    standalone, composition, passages, weights, inherited, timings
                )
        else:
            # each part is answered on its own, later parts with the earlier as context
            earlier: list[Turn] = []
            for part in parts:
                part_query, part_weights, part_kind = standalone_part(part, earlier)
                part_composition, part_passages = self._compose(part_query, part_weights, part_kind, timings)
                answers.append((part, part_composition))
                _gather(passages, part_passages)
                earlier = [Turn(part, " ".join(_display(c) for c in part_composition.selected))]
            composition = merge_parts(answers, self.settings.max_citations)

        version = self._index.version
        if composition.abstained:
            related = self._answerer.related(passages)
            text = f"{NOT_ANSWERED} {ABSTAIN_ADVICE}"
            nearest = composition.nearest
            if nearest is not None:
                # a neighbouring fact of the kind asked for is disclosed as such, first under related reading
                first = self._answerer.citations([nearest])[0]
                others = [c for c in related if (c.doc_id, c.start) != (first.doc_id, first.start)][:2]
                related = [replace(c, n=n) for n, c in enumerate([first, *others], start=1)]
                kind = KIND_NAMES.get(composition.asked, "value")
                quote = " ".join(_display(nearest).split())
                disclosure = (
                    NEAREST_OTHER_CHANNEL
                    if nearest.other_channel
                    else NEAREST_UNSURE
                    if nearest.fits and not nearest.other_subject and not nearest.year_mismatch
                    else NEAREST_NOT_ANSWER
                )
                text = f"{NOT_ANSWERED} {disclosure.format(kind=kind, quote=quote)} {ABSTAIN_ADVICE}"
            answer = Answer(
                question=question,
                answer=text,
                abstained=True,
                citations=(),
                notice=NOTICE,
                related=tuple(related),
                warnings=tuple(warnings),
                id=id,
                standalone_query=standalone,
                corpus_version=version,
            )
        else:
            citations = keep_verbatim(self._answerer.citations(composition.selected), self._index.document_text)
            conditions = _conditions(composition, citations)
            answer = Answer(
                question=question,
                answer=_compose_text(composition, citations, conditions),
                conditions=conditions,
                abstained=not citations,
                citations=tuple(citations),
                notice=NOTICE,
                warnings=tuple(warnings),
                id=id,
                standalone_query=standalone,
                corpus_version=version,
            )
        timings["total"] = (time.perf_counter() - started) * 1000
        answer.timings_ms.update({k: round(v, 1) for k, v in timings.items()})
        answer.diagnostics.update(composition.diagnostics)
        if composition.reason:
            answer.diagnostics["reason"] = composition.reason
        log.info(
            "answered question_chars=%d abstained=%s citations=%d documents=%s ms=%.0f",
            len(question),
            answer.abstained,
            len(answer.citations),
            sorted({c.document for c in answer.citations}),
            timings["total"],
        )
        return answer, passages

    def _bounded_history(self, history: Sequence[Turn]) -> list[Turn]:
        """The conversation as the server will read it: every earlier question within the
        question limit (else :class:`AnswerError`), the most recent turns only, and each
        earlier answer (the assistant's own output) cut to its opening."""
        limit = self.settings.max_question_chars
        turns: list[Turn] = []
        for number, turn in enumerate(history, start=1):
            question = (turn.question or "").strip()
            if len(question) > limit:
                raise AnswerError(
                    f"history item {number}: the question is {len(question):,} characters long; keep it under {limit:,}"
                )
            turns.append(Turn(question, (turn.answer or "")[:MAX_HISTORY_ANSWER_CHARS]))
        return turns[-MAX_HISTORY_TURNS:]

    def _compose(
        self,
        query: str,
        weights: dict[str, float],
        expects: str | None,
        timings: dict[str, float],
        said: str = "",
        within: frozenset[str] = frozenset(),
    ) -> tuple[Composition, list[Passage]]:
        """Retrieve passages for one standalone question and choose its evidence (``said``: in a
        follow-up, the answer just given; ``within``: the documents to search, when not all)."""
        profile = replace(profile_question(query, weights=weights, expects=expects), said=said)
        mark = time.perf_counter()
        passages, query_vector = self._retriever.search_with_vector(query, self.settings.top_k, within=within)
        timings["retrieve"] = timings.get("retrieve", 0.0) + (time.perf_counter() - mark) * 1000
        mark = time.perf_counter()
        composition = self._answerer.compose(profile, passages, query_vector)
        composition = self._consult_register(composition, query, profile)
        composition = self._outline(composition, profile)
        # "... and can't reach the welfare officer", "who do I tell if the DSL is away?"
        unreachable = says_unreachable(fold(query).lower())
        general = self._general_duty(composition, query, passages, unreachable)
        if general is not None:
            composition, passages = general
        if unreachable:
            composition = _unreachable_first(composition)
        timings["compose"] = timings.get("compose", 0.0) + (time.perf_counter() - mark) * 1000
        return composition, passages

    def _each_setting(
        self,
        query: str,
        composition: Composition,
        passages: list[Passage],
        weights: dict[str, float],
        expects: str | None,
        timings: dict[str, float],
    ) -> tuple[Composition, list[Passage]]:
        """A question about "the club" (or "our nursery", "the setting") that names none, answered
        from one club's document in a corpus holding several clubs' documents, is answered from each
        of them that answers it, each quote with whose it is: which club the practitioner means is
        theirs to tell, not the assistant's to guess."""
        kind = unnamed_setting(query)
        if kind is None or composition.abstained or composition.conditions or composition.headings:
            return composition, passages
        cited = {composition.selected[0].passage.chunk.doc_id}
        own_kind = self._retriever.of_kind(kind)
        if not cited <= own_kind:
            return composition, passages
        # within one document "the club" is every passage's subject: the word no longer tells passages apart
        scoped = without_kind(query, kind)
        # the other documents of the kind, those the search found nearest first
        votes: dict[str, float] = {}
        for passage in passages:
            votes[passage.chunk.doc_id] = votes.get(passage.chunk.doc_id, 0.0) + 1.0 / passage.rank
        others = sorted(own_kind - cited, key=lambda d: (-votes.get(d, 0.0), d))[: _SETTING_DOCUMENTS - 1]
        answers = [("", composition)]
        for document in others:
            own, own_passages = self._compose(scoped, weights, expects, timings, within=frozenset({document}))
            selected = [c for c in own.selected if c.passage.chunk.doc_id == document]
            if own.abstained or not selected:
                continue
            answers.append(("", replace(own, selected=selected)))
            _gather(passages, own_passages)
        if len(answers) == 1:
            return composition, passages
        return merge_parts(answers, self.settings.max_citations, attributed=True), passages

    def _general_duty(
        self, composition: Composition, query: str, passages: list[Passage], unreachable: bool
    ) -> tuple[Composition, list[Passage]] | None:
        """A described situation that asks only what to do or whom to tell ("A mum arrives drunk to
        collect her son. What should I do?"), for which no passage is specific enough, is answered with
        what the same documents say to do with any concern about a child, introduced as such
        (``unreachable``: the situation says the usual person cannot be reached; what to do then is
        looked for instead)."""
        if not composition.abstained or not composition.thin or not passages:
            return None
        asked = ask_part(query)
        if asked == query or not asks_what_to_do(fold(asked).lower()) or not about_a_child(fold(query).lower()):
            return None
        # the document the situation is most about (the nursery's policy for a nursery situation): each
        # passage found votes for its document, the nearer the more
        votes: dict[str, float] = {}
        for passage in passages:
            votes[passage.chunk.doc_id] = votes.get(passage.chunk.doc_id, 0.0) + 1.0 / passage.rank
        duty = UNREACHABLE_CONCERN if unreachable else GENERAL_CONCERN
        found, vector = self._retriever.search_with_vector(duty, self.settings.top_k)
        # the general duty is looked for, not asked: its words need not all be the document's
        profile = profile_question(duty, expects="procedure")
        # a heading holding one of its words is about concerns in general (read now: a corpus's own
        # vocabulary may change the terms)
        concern_terms = term_set(f"{GENERAL_CONCERN} {duty}")
        for document in sorted(votes, key=lambda d: (-votes[d], d))[:_SITUATION_DOCUMENTS]:
            own = [replace(p, rank=n) for n, p in enumerate((p for p in found if p.chunk.doc_id == document), 1)]
            general = self._answerer.compose(profile, own, vector, gate="off") if own else None
            if general is not None and not general.abstained:
                # the duty for any concern stands under a heading about concerns ("Reporting a concern",
                # "If I am worried about a child"), not under one about a single subject ("Prevent duty")
                selected = [
                    c for c in general.selected if concern_terms & term_set(" ".join(c.passage.chunk.section[-1:]))
                ]
                if selected:
                    general = replace(general, selected=selected)
                    break
        else:
            return None
        diagnostics = {**composition.diagnostics, "general_duty": 1.0}
        lead = UNREACHABLE_DUTY_LEAD if unreachable else GENERAL_DUTY_LEAD
        return replace(general, lead=lead, diagnostics=diagnostics), [*passages, *own]

    def _outline(self, composition: Composition, profile: QuestionProfile) -> Composition:
        """A list question whose evidence only introduces items written as the document's headings
        ("Working Together describes four categories of abuse", then a section for each) is answered
        with those headings."""
        if not asks_for_items(profile) or composition.abstained or not composition.selected:
            return composition
        best = composition.selected[0]
        if best.is_list or best.is_section or best.is_steps or composition.conditions:
            return composition
        intro, items = outline_items(profile, best, self._index.document_chunks(best.passage.chunk.doc_id))
        if not items:
            return composition
        return replace(composition, selected=items, lead=f"{intro}:" if intro else "", headings=True)

    def _consult_register(self, composition: Composition, question: str, profile: QuestionProfile) -> Composition:
        """For "how long / how often / what is the threshold" questions, lead with the
        register's rule when it matches, quoting the same verbatim passage. A rule from a
        document the question does not name ("in Westbrook" asked, another authority's rule
        found) is not one."""
        names = profile.names
        matcher = self._register_matcher()
        entry = matcher.match(question)
        if entry is None:
            return composition
        entry = matcher.widest(entry)
        cited = entry.citation
        source = term_set(f"{entry.rule} {identity_text(cited.title, cited.document, cited.publisher)}")
        if any(not term_set(name) & source for name in names):
            return composition
        chunk = self._index.chunks([entry.citation.chunk_id]).get(entry.citation.chunk_id)
        if (
            chunk is None
            or chunk.text[entry.citation.start - chunk.start : entry.citation.end - chunk.start] != entry.rule
        ):
            return composition
        rule = Candidate(Passage(chunk, 0.0, 0), entry.citation.start, entry.citation.end, entry.rule, False)
        if composition.abstained:
            if composition.rejects(rule):
                return composition  # the rule was read and found to be about something else
            return Composition([rule], False, diagnostics={**composition.diagnostics, "register": 1.0})
        overlapping = [
            c
            for c in composition.selected
            if c.start < rule.end and rule.start < c.end and c.passage.chunk.doc_id == chunk.doc_id
        ]
        if any(not (rule.start <= c.start and c.end <= rule.end) for c in overlapping):
            return composition
        if overlapping:
            # the rule's quote holds what was chosen and goes on (to its exception): it takes its place
            at = composition.selected.index(overlapping[0])
            kept = [c for c in composition.selected if c not in overlapping]
            selected = [*kept[:at], rule, *kept[at:]]
            return replace(composition, selected=without_restatements(profile.expects, selected))
        selected = without_restatements(profile.expects, [rule, *composition.selected])[: self.settings.max_citations]
        return Composition(
            selected, False, lead=composition.lead, diagnostics={**composition.diagnostics, "register": 1.0}
        )


def _unreachable_first(composition: Composition) -> Composition:
    """The evidence with what to do when the usual person cannot be reached ("If the Welfare Officer is not
    available, report to the Deputy Welfare Officer", "In her absence the Deputy DSL ...") first, for a
    question that says they cannot be."""
    first = [c for c in composition.selected if says_unreachable(fold(c.text).lower())]
    return replace(composition, selected=[*first, *(c for c in composition.selected if c not in first)])


_SITUATION_DOCUMENTS = 2
_SETTING_DOCUMENTS = 3
"""At most how many documents of one kind of setting ("the club") answer a question naming none."""
"""How many of the documents a situation is most about are tried for their general duty, in turn."""


def _gather(passages: list[Passage], more: Sequence[Passage]) -> None:
    """Add to ``passages`` those of ``more`` it does not hold yet (several parts of one question)."""
    known = {p.chunk.chunk_id for p in passages}
    passages.extend(p for p in more if p.chunk.chunk_id not in known)


def _apart(mentions: Sequence[Mention]) -> bool:
    """Do the mentions name different documents (not "Westbrook" and then "the Westbrook procedures")?"""
    return all(not a.doc_ids & b.doc_ids for n, a in enumerate(mentions) for b in mentions[n + 1 :])


def _without(text: str, found: Sequence[Identifier]) -> str:
    """The text with identifier spans cut out."""
    for span in sorted(found, key=lambda i: i.start, reverse=True):
        text = text[: span.start] + " " + text[span.end :]
    return " ".join(text.split())


def _display(candidate: Candidate) -> str:
    """A table row reads better with its header row; a list reads better on one line."""
    if candidate.is_list:
        intro, *items = candidate.text.split("\n")
        # items that already end in ";" or "," (or "; and") do not get a second separator
        items = [re.sub(r"[;,]?\s*(?:\b(?:and|or)\b)?\s*$", "", item.strip()) for item in items]
        # a section's heading introduces its lines ("How to Report a Concern: Contact ...; ...")
        text = intro.rstrip()
        if candidate.is_section and not candidate.is_steps and not text.endswith((".", ":", "?", "!")):
            text += ":"
        for n, item in enumerate(item for item in items if item):
            # an item that is a whole sentence is followed by a space, a fragment by "; "
            text += " " if n == 0 or text.endswith((".", "!", "?", ":")) else "; "
            text += item
        return text
    header = table_header(candidate) if candidate.is_row else ""
    text = candidate.text.replace("\n", " ")  # a label and its value on the next line read as one
    if header:
        # each figure named by its column ("Contacts received - 2013-14: 7410; 2014-15: 6984")
        return labelled_row(text, header) or f"{text} (table: {header})"
    return text


def _conditions(composition: Composition, citations: list[Citation]) -> tuple[Condition, ...]:
    """Each condition a criterion states beside what the situation says, with the criterion's [n]."""
    by_start = {(c.doc_id, c.start): c.n for c in citations}
    return tuple(
        Condition(words, stated, by_start[(criterion.passage.chunk.doc_id, criterion.start)])
        for criterion, words, stated in composition.conditions
        if (criterion.passage.chunk.doc_id, criterion.start) in by_start
    )


def _compose_text(composition: Composition, citations: list[Citation], conditions: Sequence[Condition] = ()) -> str:
    by_start = {(c.doc_id, c.start): c for c in citations}
    parts = [composition.lead] if composition.lead else []
    if conditions:
        # a described situation: the documents' conditions first, each beside what the question says
        items = "; ".join(
            CONDITION_ITEM.format(condition=c.condition, stated=c.stated, n=c.citation) for c in conditions
        )
        parts.append(f"{CONDITIONS_LEAD} {items}.")
    if composition.headings:
        # the items of a list written as headings: one list, each item with its citation
        headings = [
            f"{c.text} [{by_start[(c.passage.chunk.doc_id, c.start)].n}]"
            for c in composition.selected
            if (c.passage.chunk.doc_id, c.start) in by_start
        ]
        return " ".join([*parts, "; ".join(headings) + ".", *composition.unanswered])
    # where documents differ, each quote says whose it is ("Anytown Safeguarding Partnership,
    # Child protection procedures, March 2024: ...")
    for candidate in composition.selected:
        citation = by_start.get((candidate.passage.chunk.doc_id, candidate.start))
        if citation is None:
            continue
        source = source_line(citation.title, citation.publisher, citation.date) if composition.attributed else ""
        # "what level is ...?": the heading that names the descriptor's level ("7. Level 4: Specialist")
        level = level_heading(candidate) if composition.levels else ""
        if level and level not in candidate.text:
            source = f"{source}, {level}" if source else level
        parts.append(f"{source + ': ' if source else ''}{_display(candidate)} [{citation.n}]")
    parts.extend(composition.unanswered)
    return " ".join(parts)
