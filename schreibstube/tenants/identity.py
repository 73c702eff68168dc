"""Who is asking: the current user, resolved once per request.

Modes (``auth_mode`` in settings):

* ``single_user`` — the embedded default: one tenant and one user, created on first use.
* ``trusted_header`` — the intranet reverse proxy (which does SSO) sets
  ``X-Schreibstube-Tenant``, ``X-Schreibstube-User`` and ``X-Schreibstube-Proxy-Secret``;
  requests without the right secret are refused. Tenants must exist (created by operators),
  users are created on first sight. ``X-Schreibstube-Roles: tenant_admin`` makes the user an
  admin of their tenant (manages shared collections and templates).

In single-user mode the one user is the admin of the default tenant.

The resulting :class:`CurrentUser` is the only thing services receive about identity; it
carries the tenant, and every repository filters by it (see ``storage/scope.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schreibstube.errors import Forbidden
from schreibstube.storage.db import Database
from schreibstube.storage.tables import Tenant, User


@dataclass(frozen=True)
class CurrentUser:
    tenant_id: str
    user_id: str
    tenant_slug: str
    name: str
    role: str = "user"  # "user" | "tenant_admin"


def ensure_tenant(session: Session, slug: str, name: str | None = None) -> Tenant:
    tenant = session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        tenant = Tenant(slug=slug, name=name or slug)
        session.add(tenant)
        session.flush()
    return tenant


def ensure_user(session: Session, tenant: Tenant, external_id: str, role: str = "user") -> CurrentUser:
    user = session.scalar(
        select(User).where(User.tenant_id == tenant.id, User.external_id == external_id)
    )
    if user is None:
        user = User(tenant_id=tenant.id, external_id=external_id, display_name=external_id, role=role)
        session.add(user)
        session.flush()
    elif user.role != role:  # the identity source (proxy / single-user mode) is authoritative
        user.role = role
    return CurrentUser(tenant.id, user.id, tenant.slug, user.display_name, user.role)


def find_tenant(session: Session, slug: str) -> Tenant | None:
    return session.scalar(select(Tenant).where(Tenant.slug == slug))


def resolve(db: Database, tenant_slug: str, user_name: str, role: str, *,
            create_tenant: bool) -> CurrentUser:
    """Find or create the tenant and user behind a request.

    Get-or-create races: two requests (threads or processes) that see a new user at once both
    find nothing and both insert; the unique index lets one win and the other fails with an
    IntegrityError. Its transaction is rolled back and the lookup repeated, which then finds
    the winner's row. One retry is enough: the row cannot disappear again.
    """
    for attempt in range(2):
        try:
            with db.session() as s:
                tenant = find_tenant(s, tenant_slug)
                if tenant is None:
                    if not create_tenant:
                        raise Forbidden("Ihre Behörde ist für Schreibstube nicht freigeschaltet.")
                    tenant = ensure_tenant(s, tenant_slug)
                return ensure_user(s, tenant, user_name, role)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")
