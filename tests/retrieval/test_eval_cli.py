"""`schreibstube eval retrieval` on a slice of the law evaluation set, as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "eval" / "laws-de"


def slice_set(tmp: Path, prefix: str) -> list[str]:
    corpus = [line for line in (EVAL / "corpus.jsonl").read_text().splitlines()
              if json.loads(line)["_id"].startswith(prefix)]
    qrels = [line for line in (EVAL / "qrels.tsv").read_text().splitlines()[1:]
             if line.split("\t")[1].startswith(prefix)]
    qids = {q.split("\t")[0] for q in qrels}
    queries = [line for line in (EVAL / "queries.jsonl").read_text().splitlines()
               if json.loads(line)["_id"] in qids]
    files = [("c.jsonl", corpus), ("q.jsonl", queries), ("r.tsv", ["query-id\tcorpus-id\tscore", *qrels])]
    for name, lines in files:
        (tmp / name).write_text("\n".join(lines) + "\n")
    return [str(tmp / n) for n in ("c.jsonl", "q.jsonl", "r.tsv")]


def test_eval_prints_all_metrics_for_both_systems(tmp_path: Path) -> None:
    corpus, queries, qrels = slice_set(tmp_path, "ifg-")
    cmd = [sys.executable, "-m", "schreibstube.cli", "eval", "retrieval", "--corpus", corpus,
           "--queries", queries, "--qrels", qrels, "--embedder", "hashing", "--json"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    systems = json.loads(result.stdout)["systems"]
    assert set(systems) == {"Schreibstube (hybrid)", "BM25 (baseline)"}
    for metrics in systems.values():
        assert {"MRR@10", "Recall@1", "Recall@5", "Recall@10", "nDCG@10"} <= set(metrics)
        assert 0 < metrics["Recall@10"] <= 1
