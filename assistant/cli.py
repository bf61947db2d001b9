"""The ``assistant`` command. The only place (with the web UI) where errors become messages.

Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 partial ingest.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from assistant.config import Settings
from assistant.errors import AnswerError, AssistantError, ConfigurationError, DatasetError
from assistant.logs import configure_logging
from assistant.models import Answer, IngestReport, Turn, source_line
from assistant.products.briefing import AUDIENCES, FORMATS

if TYPE_CHECKING:
    from assistant.engine import Assistant
    from assistant.products.evaluation import Corpus

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("assistant")


def _fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigurationError as exc:
        _fail(str(exc), 2)


def _setup_logging(settings: Settings) -> None:
    configure_logging(settings, file_name="assistant.log", console_level=logging.WARNING)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the assistant's errors into one readable line and an exit code; never a traceback."""
    try:
        yield
    except ConfigurationError as exc:
        _fail(str(exc), 2)
    except DatasetError as exc:
        _fail(str(exc), 2)
    except AssistantError as exc:
        _fail(str(exc), 1)
    except KeyboardInterrupt:
        _fail("interrupted; the index is left as it was before the interrupted step", 130)
    except click.exceptions.Exit:
        raise
    except Exception as exc:  # the last line of defence: log the details, show a summary
        log.exception("unexpected failure")
        _fail(f"unexpected failure ({type(exc).__name__}); details are in the log under ASSISTANT_DATA_DIR/logs", 1)


class _ProgressBar:
    """tqdm bars on stderr, one per stage, so stdout stays clean JSON."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._stage = ""

    def __call__(self, stage: str, done: int, total: int, name: str) -> None:
        if not self.enabled or stage in ("scan", "lexical", "done"):
            if stage == "done":
                self.close()
            return
        from tqdm import tqdm

        if stage != self._stage:
            self.close()
            # "index": done and total are bytes of the files being indexed, counted as their chunks are
            # embedded, so the bar moves batch by batch and tqdm's estimate of the time left holds
            self._bar = tqdm(
                total=total,
                desc="indexing",
                unit="B",
                unit_scale=True,
                unit_divisor=1000,
                file=sys.stderr,
                leave=False,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}] {postfix}",
            )
            self._stage = stage
        if self._bar is not None:
            if self._bar.total != total:
                self._bar.reset(total=total)
            self._bar.update(max(0, done - self._bar.n))
            self._bar.set_postfix_str(name[:60], refresh=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._stage = ""


def _assistant(settings: Settings) -> Assistant:
    from assistant.engine import Assistant

    return Assistant(settings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="safeguarding-assistant", prog_name="assistant")
def main() -> None:
    """Safeguarding guidance assistant: ingest documents, ask questions, get cited answers.

    Settings come from ASSISTANT_* environment variables (ASSISTANT_DATA_DIR,
    ASSISTANT_CORPUS_DIR, ...); see README.md.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[Path, ...], as_json: bool, quiet: bool) -> None:
    """Index documents (default: the corpus folder). Unchanged files are skipped."""
    settings = _settings()
    _setup_logging(settings)
    with _errors():
        bar = _ProgressBar(not quiet)
        report = _assistant(settings).ingest(list(paths) or None, progress=bar)
        bar.close()
        _print_report(report, as_json)
        sys.exit(report.exit_code)


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.failed)} failed "
        f"({report.chunks_added} chunks added; index: {report.documents} documents, {report.chunks} chunks; "
        f"{report.seconds:.1f} s)"
    )
    for name, reason in report.skipped:
        click.echo(f"skipped {name}: {reason}")
    for name, reason in report.failed:
        click.echo(f"failed {name}: {reason}", err=True)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(as_json: bool) -> None:
    """Show what is indexed."""
    settings = _settings()
    _setup_logging(settings)
    with _errors():
        data = _assistant(settings).status()
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        click.echo(f"{data['documents']} documents, {data['chunks']} chunks (corpus version {data['corpus_version']})")
        click.echo(f"data folder: {data['data_dir']}; vector store: {data['vector_store']}")
        for doc in data["details"]:
            pages = f", {doc['pages']} pages" if doc["pages"] else ""
            source = source_line(doc["title"], doc["publisher"] or "", doc["date"] or "")
            kind = f"{doc['genre']}, " if doc["genre"] else ""
            click.echo(
                f"  {doc['file_name']}: {source} ({kind}{doc['chunks']} chunks{pages}, indexed {doc['indexed_at']})"
            )


@main.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.option("--jsonl", is_flag=True, help="Read JSON lines from stdin, write one answer per line.")
@click.option("--debug", is_flag=True, help="Include timings and scoring diagnostics in the JSON.")
def ask(question: str | None, as_json: bool, jsonl: bool, debug: bool) -> None:
    """Answer a question from the indexed documents, with citations."""
    settings = _settings()
    _setup_logging(settings)
    if not jsonl and not question:
        _fail("give a question, or use --jsonl to read questions from stdin", 2)
    with _errors():
        assistant = _assistant(settings)
        bar = _ProgressBar(True)
        built = assistant.ensure_index(progress=bar)
        bar.close()
        if built is not None:
            click.echo(f"built the index: {built.documents} documents, {built.chunks} chunks", err=True)
            for name, reason in built.failed:
                click.echo(f"failed {name}: {reason}", err=True)
        if jsonl:
            _ask_jsonl(assistant, debug)
            return
        answer = assistant.ask(question or "")
        if as_json or debug:
            click.echo(json.dumps(answer.to_dict(debug=debug), ensure_ascii=False, indent=2))
        else:
            _print_answer(answer)


def _jsonl_request(line: str) -> tuple[Any, str, list[Turn]]:
    """(id, question, history) of one ``ask --jsonl`` line; ValueError names what is wrong."""
    request = json.loads(line)
    if not isinstance(request, dict) or not isinstance(request.get("question"), str):
        raise ValueError("each line must be an object with a string field 'question'")
    history = request.get("history") or []
    if not isinstance(history, list):
        raise ValueError("'history' must be a list of {question, answer} objects")
    turns = []
    for position, turn in enumerate(history, start=1):
        if not isinstance(turn, dict) or not isinstance(turn.get("question", ""), str):
            raise ValueError(f"history item {position} must be an object with a string field 'question'")
        turns.append(Turn(turn.get("question", ""), str(turn.get("answer", ""))))
    return request.get("id"), request["question"], turns


def _ask_jsonl(assistant: Assistant, debug: bool) -> None:
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            request_id, question, history = _jsonl_request(line)
        except ValueError as exc:
            click.echo(json.dumps({"id": None, "error": f"line {number}: {exc}"}, ensure_ascii=False))
            continue
        try:
            answer = assistant.ask(question, history, id=request_id)
            click.echo(json.dumps(answer.to_dict(debug=debug), ensure_ascii=False))
        except AnswerError as exc:
            click.echo(json.dumps({"id": request_id, "error": str(exc)}, ensure_ascii=False))
        sys.stdout.flush()


def _print_answer(answer: Answer) -> None:
    for warning in answer.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(answer.answer)
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            click.echo(f"[{c.n}] {c.location()}\n    “{c.quote}”")
    if answer.related:
        click.echo("\nRelated:")
        for c in answer.related:
            click.echo(f"- {c.document}{' — ' + c.section if c.section else ''}: “{c.quote}”")
    click.echo(f"\n{answer.notice}")


def _corpus_option(help: str) -> Callable[[F], F]:
    """``--corpus FILE``: the evaluation corpus's manifest (default eval/corpus.json)."""
    return click.option(
        "--corpus",
        "corpus_file",
        type=click.Path(path_type=Path),
        default=Path("eval/corpus.json"),
        show_default=True,
        help=help,
    )


def _evaluation_corpus(corpus_file: Path) -> Corpus:
    """The evaluation corpus's documents and datasets; the shared documents are read from
    ``ASSISTANT_SHARED_DIR`` (default ../shared)."""
    import os

    from assistant.products.evaluation import load_corpus

    shared = Path(os.environ.get("ASSISTANT_SHARED_DIR") or Path.cwd().parent / "shared")
    return load_corpus(corpus_file, root=Path.cwd(), shared=shared)


@main.command("eval")
@_corpus_option("The evaluation corpus: its documents are indexed apart, in --index-dir.")
@click.option(
    "--dataset",
    "datasets",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Questions to ask (repeatable; default: the corpus's datasets).",
)
@click.option(
    "--use-index",
    is_flag=True,
    help="Ask the index of ASSISTANT_DATA_DIR instead of indexing the corpus (bring your own documents).",
)
@click.option(
    "--index-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the evaluation corpus is indexed (default: <data dir>/eval-index).",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Write summary.md, report.html, results.jsonl here.",
)
@click.option(
    "--baseline", type=click.Path(path_type=Path), default=None, help="Compare with a baseline (eval/baseline.json)."
)
@click.option("--thresholds", type=click.Path(path_type=Path), default=Path("eval/thresholds.json"), show_default=True)
@click.option("--gate/--no-gate", default=True, help="Exit 1 when the gate fails.")
@click.option(
    "--write-baseline", type=click.Path(path_type=Path), default=None, help="Save this run as the new baseline."
)
@click.option(
    "--leave-one-out/--no-leave-one-out",
    "left_out",
    default=True,
    help="Also ask each document's questions without it (they should be refused); evaluation corpus only.",
)
@click.option(
    "--briefings/--no-briefings",
    default=True,
    help="Also check the corpus's briefing topics and register searches (evaluation corpus only).",
)
def evaluate(
    corpus_file: Path,
    datasets: tuple[Path, ...],
    use_index: bool,
    index_dir: Path | None,
    report_dir: Path | None,
    baseline: Path | None,
    thresholds: Path,
    gate: bool,
    write_baseline: Path | None,
    left_out: bool,
    briefings: bool,
) -> None:
    """Run the evaluation (seed, development and held-out parts) and check the quality gate."""
    from assistant.products.evaluation import (
        check_gate,
        compare,
        index_corpus,
        leave_one_out,
        load_datasets,
        run_evaluation,
        summarise,
        write_report,
    )

    settings = _settings()
    _setup_logging(settings)
    with _errors():
        bar = _ProgressBar(True)
        if use_index:
            corpus = None
            assistant = _assistant(settings)
            assistant.ensure_index(progress=bar)
        else:
            corpus = _evaluation_corpus(corpus_file)
            assistant = _assistant(settings.with_(data_dir=index_dir or settings.data_dir / "eval-index"))
            index_corpus(assistant, corpus, progress=bar)
        bar.close()
        items = load_datasets(corpus, datasets)
        from tqdm import tqdm

        with tqdm(total=len(items), desc="evaluating", unit="question", file=sys.stderr, leave=False) as progress_bar:
            results = run_evaluation(assistant, items, progress=lambda done, total: progress_bar.update(1))
        report = summarise(results)
        if corpus is not None and left_out:
            report.left_out = leave_one_out(
                assistant, corpus, items, progress=lambda name: click.echo(f"asking without {name} ...", err=True)
            )
            for row in report.left_out:
                click.echo(
                    f"without {row['document']} ({row['part']}): {row['refused']:.3f} of {row['questions']} refused"
                )
        if corpus is not None and briefings:
            from assistant.products.topic_checks import add_topic_checks

            add_topic_checks(
                report, assistant, corpus, progress=lambda case: click.echo(f"briefing {case} ...", err=True)
            )
        limits = json.loads(thresholds.read_text(encoding="utf-8")) if thresholds.is_file() else {}
        failures = check_gate(report, limits) if limits or gate else []
        previous = json.loads(baseline.read_text(encoding="utf-8")) if baseline and baseline.is_file() else None
        if report_dir is not None:
            write_report(report, report_dir, baseline=previous, gate=failures)
        for part, row in report.parts.items():
            shown = ", ".join(f"{k} {v:.3f}" for k, v in row["metrics"].items())
            click.echo(f"{part}: {row['counts']['items']} items: {shown}")
        click.echo(
            f"all: {report.counts['items']} items: " + ", ".join(f"{k} {v:.3f}" for k, v in report.metrics.items())
        )
        click.echo(f"latency p50 {report.latency['p50']:.0f} ms, p95 {report.latency['p95']:.0f} ms")
        if previous is not None:
            diff = compare(report, previous)
            click.echo(
                f"against the baseline: newly failed {diff['newly_failed'] or 'none'}; "
                f"newly passed {diff['newly_passed'] or 'none'}"
            )
        if write_baseline is not None:
            write_baseline.write_text(
                json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        if failures:
            click.echo("gate FAILED:", err=True)
            for failure in failures:
                click.echo(f"  - {failure}", err=True)
            if gate:
                sys.exit(1)
        else:
            click.echo("gate passed")


@main.command("fit-scorer")
@_corpus_option("The evaluation corpus; only its seed and development questions are asked.")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the scorer (default: the one shipped in the package, assistant/answering/scorer.json).",
)
def fit_scorer_command(corpus_file: Path, output: Path | None) -> None:
    """Fit the answer scorer on the seed and development questions (never the held-out ones)."""
    from assistant.engine import ANSWER_SCORER_FILE
    from assistant.products.calibration import dataset_version, fit_scorer, without_their_document
    from assistant.products.evaluation import index_corpus, load_dataset, run_evaluation

    settings = _settings()
    _setup_logging(settings)
    with _errors():
        corpus = _evaluation_corpus(corpus_file)
        # every question gets the answer the engine would give: the gate being fitted is off
        assistant = _assistant(settings.with_(data_dir=settings.data_dir / "eval-index", answer_gate="off"))
        bar = _ProgressBar(True)
        index_corpus(assistant, corpus, progress=bar)
        bar.close()
        chosen = [(path, part) for path, part in corpus.datasets if part != "held-out"]
        items = [
            item for path, part in chosen for item in load_dataset(path, corpus, part=part) if item.part != "held-out"
        ]
        click.echo(f"asking {len(items)} seed and development questions with the evidence gate off ...", err=True)
        results = run_evaluation(assistant, items)
        click.echo("asking each document's own questions without it ...", err=True)
        results += without_their_document(assistant, corpus, items)
        report = fit_scorer(
            results,
            fitted_on={"datasets": dataset_version([path for path, _ in chosen]), "command": "assistant fit-scorer"},
        )
        target = output or ANSWER_SCORER_FILE
        target.write_text(report.scorer.to_json(), encoding="utf-8")
        click.echo(
            f"fitted on {report.items} answers ({report.positives} right): decisions without cost "
            f"{report.decision_accuracy:.3f}, {report.cross_validated_accuracy:.3f} cross-validated (5 folds); "
            f"cut-off {report.scorer.cutoff:.3f}; written to {target}"
        )


@main.command()
@click.argument("documents", nargs=-1, required=True)
def remove(documents: tuple[str, ...]) -> None:
    """Remove documents from the index (by file name or document id)."""
    settings = _settings()
    _setup_logging(settings)
    with _errors():
        assistant = _assistant(settings)
        records = assistant.documents()
        wanted = [r.doc_id for r in records if r.file_name in documents or r.doc_id in documents]
        unknown = [d for d in documents if not any(d in (r.file_name, r.doc_id) for r in records)]
        if unknown:
            _fail(f"not in the index: {', '.join(unknown)} (see 'assistant status')", 1)
        assistant.remove(wanted)
        click.echo(f"removed {len(wanted)} document(s)")


@main.command()
@click.argument("topic")
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    default="all",
    show_default=True,
    help="Whose duties and sections come first (the facts do not change).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to this file.")
def brief(topic: str, audience: str, fmt: str, output: Path | None) -> None:
    """A cited multi-agency "7-minute briefing" on a topic, from the documents only."""
    settings = _settings()
    _setup_logging(settings)
    if output is None and fmt in ("docx", "pdf"):
        _fail(f"--format {fmt} is binary: give a file with -o/--output", 2)
    with _errors():
        from assistant.products.briefing import build_briefing, render

        assistant = _assistant(settings)
        bar = _ProgressBar(True)
        assistant.ensure_index(progress=bar)
        bar.close()
        data = render(build_briefing(assistant, topic, audience), fmt)
        if output is not None:
            output.write_bytes(data)
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(data.decode("utf-8"))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the entries as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the entries as CSV.")
@click.option("--search", "text", default="", help="Only entries matching this text (e.g. fostering, ICPC).")
def thresholds(as_json: bool, as_csv: bool, text: str) -> None:
    """The thresholds & timescales register: every stated rule, with its verbatim source."""
    settings = _settings()
    _setup_logging(settings)
    if as_json and as_csv:
        _fail("choose one of --json and --csv", 2)
    with _errors():
        from assistant.rules import to_csv, to_json

        assistant = _assistant(settings)
        bar = _ProgressBar(True)
        assistant.ensure_index(progress=bar)
        bar.close()
        entries = assistant.rules(text)
        if as_json:
            click.echo(to_json(entries))
        elif as_csv:
            click.echo(to_csv(entries), nl=False)
        else:
            for entry in entries:
                where = entry.citation.location(with_document=False)
                click.echo(
                    f"{entry.describe()}  [{entry.kind}]\n    “{entry.rule}”\n    {entry.citation.document}: {where}"
                )
            click.echo(f"{len(entries)} entries", err=True)


@main.group()
def feedback() -> None:
    """Practitioners' feedback on answers (stored redacted in the data folder)."""


@feedback.command("export")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV (the export format).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (default: stdout).",
)
def feedback_export(as_csv: bool, output: Path | None) -> None:
    """Export every feedback row (older rows are purged first, per ASSISTANT_RETENTION_DAYS)."""
    from assistant.services.feedback import FeedbackStore

    settings = _settings()
    _setup_logging(settings)
    if not as_csv:
        _fail("choose an export format: --csv", 2)
    with _errors():
        store = FeedbackStore.from_settings(settings)
        store.purge_older_than(settings.retention_days)
        if output is None:
            count = store.export_csv(sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = store.export_csv(handle)
        click.echo(f"exported {count} feedback row(s)" + (f" to {output}" if output else ""), err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
