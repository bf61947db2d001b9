"""Development probes: five safeguarding policies written for testing by helper sessions, with the
questions practitioners would type about them (eval/probes/questions.jsonl), asked over an index that
also holds the development documents. Tuned on (development data), never part of the gate.

    python eval/probes/run.py                 # about 5 minutes on 2 CPUs
    python eval/probes/run.py --out DIR       # also writes DIR/results.jsonl

Each question names its document and the short phrases a right answer holds ("expect"); an empty list
marks a question the document does not answer (a near miss), which should be refused.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SHARED = Path(ROOT.parent / "shared" / "corpus-dev" / "docs")
DEVELOPMENT = [
    SHARED / "hanworth-villa-fc-safeguarding-policy-and-reporting.md",
    SHARED / "lexden-montessori-nursery-safeguarding-policy.pdf",
    ROOT / "corpus" / "havering-lscb-annual-report-2014-15.txt",
    ROOT / "eval" / "synthetic" / "synthetic-westbrook-child-protection-procedures.md",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant import Assistant, Settings

    work = Path(tempfile.mkdtemp(prefix="probes-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for path in [*sorted((HERE / "docs").iterdir()), *(p for p in DEVELOPMENT if p.exists())]:
        shutil.copy(path, corpus / path.name)
    assistant = Assistant(Settings.from_env(data_dir=work / "data", corpus_dir=corpus))
    assistant.ingest()
    results = []
    for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        answer = assistant.ask(item["q"])
        if item["expect"]:
            ok = not answer.abstained and all(e.lower() in answer.answer.lower() for e in item["expect"])
        else:
            ok = answer.abstained
        results.append({**item, "ok": ok, "abstained": answer.abstained, "answer": answer.answer})
    by_doc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in results:
        counts = by_doc[r["doc"]]
        slot = 0 if r["expect"] else 2
        counts[slot] += int(r["ok"])
        counts[slot + 1] += 1
    for doc, (a, at, u, ut) in sorted(by_doc.items()):
        print(f"{doc}: answered right {a}/{at}, refused {u}/{ut}")
    a, at, u, ut = (sum(c[i] for c in by_doc.values()) for i in range(4))
    print(f"all: answered right {a}/{at}, refused {u}/{ut}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        with (args.out / "results.jsonl").open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(r) + "\n" for r in results)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
