"""The user that CLI commands act as: the settings' default tenant and user (its admin)."""

from __future__ import annotations

from schreibstube.context import AppContext
from schreibstube.tenants.identity import CurrentUser, ensure_tenant, ensure_user


def local_user(ctx: AppContext) -> CurrentUser:
    with ctx.db.session() as s:
        tenant = ensure_tenant(s, ctx.settings.default_tenant)
        return ensure_user(s, tenant, ctx.settings.default_user, "tenant_admin")
