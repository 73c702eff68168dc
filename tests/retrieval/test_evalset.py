"""Integrity of the committed German law test set in eval/laws-de (BEIR format)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from schreibstube.retrieval.evaluation import EvalSet, load_beir
from schreibstube.testing import shared_data_dir

ROOT = Path(__file__).resolve().parents[2]
EVALSET = ROOT / "eval" / "laws-de"
LAWS = shared_data_dir(ROOT) / "laws"
LAW_IDS = {"gg", "vwvfg", "bdsg_2018", "bgg", "bitv_2_0", "ifg", "egovg", "ozg"}


@pytest.fixture(scope="module")
def evalset() -> EvalSet:
    return load_beir(EVALSET)


def test_has_enough_queries_and_every_query_is_judged(evalset):
    assert len(evalset.queries) >= 150
    assert set(evalset.qrels) == set(evalset.queries)


def test_every_qrel_points_at_an_existing_document(evalset):
    missing = {d for judged in evalset.qrels.values() for d in judged} - set(evalset.corpus)
    assert not missing


def test_all_eight_laws_are_asked_about(evalset):
    laws = {re.sub(r"-(anlage-)?\d+[a-z]?$", "", d) for j in evalset.qrels.values() for d in j}
    assert laws == LAW_IDS


def test_queries_are_unique_and_do_not_copy_paragraph_titles(evalset):
    texts = [t.lower() for t in evalset.queries.values()]
    assert len(set(texts)) == len(texts)
    for qid, judged in evalset.qrels.items():
        query = evalset.queries[qid].lower()
        for doc_id in judged:
            title = evalset.corpus[doc_id].title.lower()
            heading = re.sub(r"^.*?(§|art|anlage) \S+ ?", "", title)  # "nichtigkeit des ..."
            assert query != title and not (len(heading.split()) > 1 and heading in query), qid


def test_corpus_is_what_the_build_script_produces(tmp_path):
    script = ROOT / "scripts" / "build_evalset.py"
    cmd = [sys.executable, str(script), "--laws", str(LAWS), "--out", str(tmp_path)]
    subprocess.run(cmd, check=True, capture_output=True)
    committed = (EVALSET / "corpus.jsonl").read_bytes()
    assert (tmp_path / "corpus.jsonl").read_bytes() == committed
