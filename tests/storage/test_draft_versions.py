"""Draft versions get distinct numbers even when revisions of one draft arrive at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from schreibstube.context import AppContext
from schreibstube.storage import drafts as repo
from schreibstube.tenants import identity


def test_concurrent_revisions_get_consecutive_numbers(ctx: AppContext) -> None:
    user = identity.resolve(ctx.db, "land", "anna", "user", create_tenant=True)
    with ctx.db.session() as s:
        draft_id = repo.create(s, user=user, text_type="email", request={}, model="m").id
    start = threading.Barrier(6)

    def revise(_: int) -> int:
        start.wait()
        with ctx.db.session() as s:
            draft = repo.get(s, draft_id, user=user)
            return repo.add_version(s, draft, user=user, model="m", instruction="kuerzer").number

    with ThreadPoolExecutor(6) as pool:
        numbers = sorted(pool.map(revise, range(6)))
    assert numbers == [1, 2, 3, 4, 5, 6]
