"""Metrics against hand-computed cases; loading and comparing on a tiny BEIR set."""

import json
import math
from pathlib import Path

import pytest

from schreibstube.retrieval.evaluation import (
    compare,
    evaluate,
    format_table,
    load_beir,
    ndcg,
    recall,
    reciprocal_rank,
)


@pytest.mark.parametrize(
    ("ranked", "expected"),
    [(["a", "b", "c"], 1.0), (["x", "y", "a"], 1 / 3), (["x"] * 10 + ["a"], 0.0), ([], 0.0)],
)
def test_reciprocal_rank_uses_first_relevant_hit_within_ten(ranked, expected):
    assert reciprocal_rank(ranked, {"a": 1, "b": 1}) == pytest.approx(expected)


@pytest.mark.parametrize(("k", "expected"), [(1, 0.0), (2, 1 / 3), (4, 2 / 3), (10, 2 / 3)])
def test_recall_is_share_of_relevant_documents_in_top_k(k, expected):
    ranked = ["x", "a", "y", "b"]
    assert recall(ranked, {"a": 1, "b": 1, "c": 1}, k) == pytest.approx(expected)


def test_ndcg_binary_relevance_hand_computed():
    # DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3)
    expected = 1.5 / (1 + 1 / math.log2(3))
    assert ndcg(["a", "x", "b"], {"a": 1, "b": 1}) == pytest.approx(expected)
    assert expected == pytest.approx(0.9197, abs=1e-4)


def test_ndcg_graded_relevance_rewards_the_better_document_first():
    # DCG = 1/1 + 2/log2(3); ideal = 2/1 + 1/log2(3)
    expected = (1 + 2 / math.log2(3)) / (2 + 1 / math.log2(3))
    assert ndcg(["b", "a"], {"a": 2, "b": 1}) == pytest.approx(expected)
    assert ndcg(["a", "b"], {"a": 2, "b": 1}) == pytest.approx(1.0)
    assert ndcg(["x", "y"], {"a": 2}) == 0.0


def test_evaluate_averages_over_judged_queries_only():
    rankings = {"erste": ["a", "b"], "zweite": ["x", "b"], "dritte": ["a"]}

    def search(query: str, k: int) -> list[tuple[str, float]]:
        return [(doc_id, 1.0) for doc_id in rankings[query][:k]]

    queries = {"q1": "erste", "q2": "zweite", "q3": "dritte"}
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}  # q3 has no judgement and is skipped
    metrics = evaluate(search, queries, qrels)
    assert metrics["MRR@10"] == pytest.approx((1 + 1 / 2) / 2)
    assert metrics["Recall@1"] == pytest.approx(0.5)


def test_load_beir_reads_corpus_queries_and_qrels(tmp_path: Path):
    docs = [{"_id": "ifg-1", "title": "IFG § 1", "text": "Jeder hat Anspruch."}]
    (tmp_path / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in docs))
    (tmp_path / "queries.jsonl").write_text(json.dumps({"_id": "q1", "text": "Anspruch?"}))
    (tmp_path / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\nq1\tifg-1\t1\n")
    evalset = load_beir(tmp_path)
    assert evalset.corpus["ifg-1"].title == "IFG § 1"
    assert evalset.queries == {"q1": "Anspruch?"}
    assert evalset.qrels == {"q1": {"ifg-1": 1}}


def test_compare_keeps_system_order_and_formats_a_row_per_system():
    queries, qrels = {"q1": "frage"}, {"q1": {"a": 1}}
    systems = {"gut": lambda q, k: [("a", 2.0)], "schlecht": lambda q, k: [("b", 9.0)]}
    rows = compare(systems, queries, qrels)
    assert [r.name for r in rows] == ["gut", "schlecht"]
    assert [r.metrics["nDCG@10"] for r in rows] == [1.0, 0.0]
    table = format_table(rows).splitlines()
    assert table[0].startswith("| system | MRR@10") and len(table) == 4
