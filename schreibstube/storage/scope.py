"""Tenant scoping in one place: the only function that adds owner filters to queries.

Repositories build their selects and pass them through :func:`owned_by`; no repository writes
its own ``tenant_id ==`` filter. A resource type opts in by having ``tenant_id`` and
``user_id`` columns.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select

from schreibstube.tenants.identity import CurrentUser

S = TypeVar("S", bound=Select[Any])


def owned_by(stmt: S, table: Any, *, user: CurrentUser) -> S:
    """Restrict ``stmt`` to rows of ``table`` owned by ``user`` in ``user``'s tenant."""
    return stmt.where(table.tenant_id == user.tenant_id, table.user_id == user.user_id)


def in_tenant(stmt: S, table: Any, *, user: CurrentUser) -> S:
    """Restrict ``stmt`` to rows of ``table`` in ``user``'s tenant (shared resources)."""
    return stmt.where(table.tenant_id == user.tenant_id)


def visible_to(stmt: S, table: Any, *, user: CurrentUser) -> S:
    """Restrict ``stmt`` to rows of ``table`` the user may see: own rows plus rows shared
    with the whole tenant (``visibility == "tenant"``)."""
    return stmt.where(table.tenant_id == user.tenant_id,
                      (table.visibility == "tenant") | (table.user_id == user.user_id))


def in_collections(stmt: S, table: Any, *, tenant_id: str, collection_ids: list[str]) -> S:
    """Restrict ``stmt`` to rows of ``table`` in the given collections of one tenant (search).
    ``table`` may be a mapped class or a ``.c`` column collection (search tables of SQLite)."""
    return stmt.where(table.tenant_id == tenant_id, table.collection_id.in_(collection_ids))
