"""Hybrid search on both databases: relevance, tenant isolation, deletion, permissions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from schreibstube.errors import NotFound
from schreibstube.retrieval import service
from schreibstube.retrieval.embedder import E5Embedder, Embedder, HashingEmbedder
from schreibstube.retrieval.index import Hit, SearchIndex, compound_parts, make_index, reciprocal_rank_fusion
from schreibstube.storage.db import Database
from schreibstube.storage.tables import Chunk, Collection, DocumentPage, StoredDocument
from schreibstube.tenants.identity import CurrentUser, ensure_tenant, ensure_user

QUESTION = "Wann ist ein Verwaltungsakt nichtig?"
NICHTIG = "§ 44 Nichtigkeit des Verwaltungsaktes"


@dataclass
class Env:
    db: Database
    index: SearchIndex
    embedder: Embedder
    law: str


@pytest.fixture
def env(db_url: str, shared_data: Path) -> Iterator[Env]:
    db = Database(db_url)
    db.upgrade()
    law = (shared_data / "laws" / "vwvfg.md").read_text(encoding="utf-8")
    yield Env(db, make_index(db), HashingEmbedder(), law)
    db.dispose()


def user(s: Session, tenant: str, name: str = "alice") -> CurrentUser:
    return ensure_user(s, ensure_tenant(s, tenant), name)


def add_document(
    env: Env, who: CurrentUser, *, text: str | None = None, shared: bool = False, lines_per_page: int = 60
) -> tuple[str, str]:
    """A new collection of ``who`` holding the law (or ``text``), indexed; (collection, document)."""
    lines = (env.law if text is None else text).splitlines()
    with env.db.session() as s:
        c = Collection(
            tenant_id=who.tenant_id,
            user_id=who.user_id,
            name="Recht",
            visibility="tenant" if shared else "private",
        )
        s.add(c)
        s.flush()
        doc = StoredDocument(
            tenant_id=who.tenant_id,
            user_id=who.user_id,
            collection_id=c.id,
            purpose="collection",
            name="vwvfg.md",
        )
        s.add(doc)
        s.flush()
        pages = [
            DocumentPage(
                tenant_id=who.tenant_id,
                document_id=doc.id,
                number=n // lines_per_page + 1,
                text="\n".join(lines[n : n + lines_per_page]),
            )
            for n in range(0, len(lines), lines_per_page)
        ]
        s.add_all(pages)
        service.index_document(s, env.index, env.embedder, document=doc, pages=pages)
        return c.id, doc.id


def ask(env: Env, who: CurrentUser, collections: list[str], query: str = QUESTION, k: int = 3) -> list[Hit]:
    with env.db.session() as s:
        return service.search(
            s, env.index, env.embedder, user=who, collection_ids=collections, query=query, k=k
        )


def search_rows(env: Env) -> dict[str, int]:
    """Rows in every search structure of the backend."""
    with env.db.session() as s:
        counts = {"chunks": s.scalar(select(func.count()).select_from(Chunk)) or 0}
        if not env.db.is_postgres:
            from schreibstube.retrieval.index_sqlite import load_sqlite_vec

            load_sqlite_vec(s)
            counts["fts"] = s.scalar(text("SELECT count(*) FROM chunks_fts_vocab")) or 0
            counts["vec"] = s.scalar(text("SELECT count(*) FROM chunks_vec")) or 0
        return counts


def test_question_finds_the_paragraph_on_nullity(env: Env) -> None:
    with env.db.session() as s:
        alice = user(s, "amt-a")
    collection, document = add_document(env, alice)
    hits = ask(env, alice, [collection])
    assert NICHTIG in [h.heading for h in hits]
    top = next(h for h in hits if h.heading == NICHTIG)
    assert top.document_id == document and 28 <= top.page_start <= top.page_end <= 29
    assert top.keyword_rank is not None and top.vector_rank is not None


def test_other_tenants_and_other_collections_are_never_searched(env: Env) -> None:
    with env.db.session() as s:
        alice, mallory = user(s, "amt-a"), user(s, "amt-b", "mallory")
    mine, _ = add_document(env, alice)
    add_document(env, alice)  # same text, another collection of the same user
    add_document(env, mallory)  # same text, another tenant
    with env.db.session() as s:
        allowed = set(s.scalars(select(Chunk.id).where(Chunk.collection_id == mine)))
        query_vector = env.embedder.embed([QUESTION], "query")[0]
        scope = {"tenant_id": alice.tenant_id, "collection_ids": [mine]}
        keyword = env.index.keyword_ids(s, query=QUESTION, limit=500, **scope)  # type: ignore[arg-type]
        vector = env.index.vector_ids(s, vector=query_vector, limit=500, **scope)  # type: ignore[arg-type]
    assert keyword and vector
    assert set(keyword) <= allowed and set(vector) <= allowed
    assert len(vector) == len(allowed)  # the filter runs inside the vector scan, not after a top-k


def test_delete_document_removes_chunks_terms_and_vectors(env: Env) -> None:
    with env.db.session() as s:
        alice = user(s, "amt-a")
    collection, document = add_document(env, alice)
    assert min(search_rows(env).values()) > 100
    with env.db.session() as s:
        removed = env.index.delete_document(s, document)
    assert removed > 100
    assert ask(env, alice, [collection]) == []
    assert set(search_rows(env).values()) == {0}


def test_reindexing_a_document_replaces_its_chunks(env: Env) -> None:
    with env.db.session() as s:
        alice = user(s, "amt-a")
    collection, document = add_document(env, alice, text="# Alt\n\nDer alte Text über Fischereirechte.")
    with env.db.session() as s:
        doc = s.get(StoredDocument, document)
        page = DocumentPage(tenant_id=alice.tenant_id, document_id=document, number=1,
                            text="# Neu\n\nDer neue Text über Baugenehmigungen.")
        assert service.index_document(s, env.index, env.embedder, document=doc, pages=[page]) == 1  # type: ignore[arg-type]
    assert [h.heading for h in ask(env, alice, [collection], "Baugenehmigung Fischereirecht")] == ["Neu"]
    assert search_rows(env)["chunks"] == 1


def test_private_collection_of_a_colleague_is_not_found(env: Env) -> None:
    with env.db.session() as s:
        alice, bob = user(s, "amt-a"), user(s, "amt-a", "bob")
    private, _ = add_document(env, alice, text="# Intern\n\nPersonalakte Müller")
    shared, _ = add_document(env, alice, text="# Rundschreiben\n\nPersonalakte Vorlage", shared=True)
    assert [h.heading for h in ask(env, bob, [shared], "Personalakte")] == ["Rundschreiben"]
    with pytest.raises(NotFound):
        ask(env, bob, [shared, private], "Personalakte")


def test_compound_in_the_question_matches_its_parts(env: Env) -> None:
    with env.db.session() as s:
        alice = user(s, "amt-a")
    text_ = "# Hilfe\n\nDie Behörde bestellt einen Dolmetscher für Gebärdensprache.\n\n# Sonst\n\nAnderes."
    collection, _ = add_document(env, alice, text=text_)
    with env.db.session() as s:
        ids = env.index.keyword_ids(
            s,
            tenant_id=alice.tenant_id,
            collection_ids=[collection],
            query="Gebärdensprachdolmetscher",
            limit=5,
        )
    assert len(ids) == 1


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 9, 1]])
    assert [item for item, _ in fused] == [2, 1, 9, 3]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_compound_parts_follow_the_known_vocabulary() -> None:
    known = {"verwalt", "verfahr", "gesetz"}
    parts = compound_parts("Gilt das Verwaltungsverfahrensgesetz?", lambda stems: stems & known)
    assert parts == ["verwaltungs", "verfahrens", "gesetz"]
    assert compound_parts("Verwaltungsverfahrensgesetz", lambda stems: set()) == []


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    a = HashingEmbedder().embed(["Nichtigkeit des Verwaltungsaktes", ""], "passage")
    b = HashingEmbedder().embed(["Nichtigkeit des Verwaltungsaktes"], "query")
    assert a.shape == (2, 384) and a.dtype == np.float32
    assert np.linalg.norm(a[0]) == pytest.approx(1.0) and not a[1].any()
    assert np.array_equal(a[0], b[0])


@pytest.mark.embedded
def test_e5_ranks_the_nullity_paragraph_first(env: Env) -> None:
    if env.db.is_postgres:
        pytest.skip("the real model runs once, on SQLite; the backends are compared above")
    env.embedder = E5Embedder()
    start = env.law.index("#### § 43 ")
    with env.db.session() as s:
        alice = user(s, "amt-a")
    collection, _ = add_document(env, alice, text=env.law[start : env.law.index("#### § 51 ")])
    hits = ask(env, alice, [collection])
    assert hits[0].heading == NICHTIG
    assert hits[0].vector_rank == 1
