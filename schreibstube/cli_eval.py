"""`schreibstube eval retrieval` — BEIR-format evaluation of our retrieval vs plain BM25."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def register(main: click.Group, settings_from: Any, fail_cleanly: Any) -> None:
    @main.group("eval")
    def eval_group() -> None:
        """Evaluations (retrieval quality)."""

    @eval_group.command("retrieval")
    @click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
    @click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
    @click.option("--qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True)
    @click.option("--embedder", type=click.Choice(["e5", "hashing"]), default="e5", show_default=True)
    @click.option("--json", "as_json", is_flag=True)
    @fail_cleanly
    def retrieval(corpus: Path, queries: Path, qrels: Path, embedder: str, as_json: bool) -> None:
        """MRR@10, Recall@1/5/10, nDCG@10 for our hybrid retrieval and a BM25 baseline."""
        from schreibstube.retrieval.eval_harness import run_eval
        from schreibstube.retrieval.evaluation import format_table
        from schreibstube.retrieval.runtime import make_embedder

        err = sys.stderr

        def progress(phase: str, done: int, total: int) -> None:
            err.write(f"\rIndexiere {done}/{total} Dokumente …")
            err.flush()

        result = run_eval(corpus, queries, qrels, make_embedder(embedder), progress)
        err.write("\n")
        if as_json:
            click.echo(json.dumps({
                "documents": result.documents, "chunks": result.chunks, "queries": result.queries,
                "index_seconds": round(result.index_seconds, 1),
                "systems": {r.name: {**r.metrics, "ms_per_query": r.seconds_per_query * 1000}
                            for r in result.rows}}, indent=2))
            return
        click.echo(f"{result.documents} Dokumente, {result.chunks} Textstellen, {result.queries} Fragen, "
                   f"Index in {result.index_seconds:.1f} s\n")
        click.echo(format_table(result.rows))
