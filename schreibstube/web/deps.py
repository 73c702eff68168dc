"""Request dependencies: the application context and the current user (one place)."""

from __future__ import annotations

import hmac

from fastapi import Request

from schreibstube.context import AppContext
from schreibstube.errors import Forbidden
from schreibstube.tenants import identity
from schreibstube.tenants.identity import CurrentUser

H_TENANT, H_USER, H_SECRET = "x-schreibstube-tenant", "x-schreibstube-user", "x-schreibstube-proxy-secret"
H_ROLES = "x-schreibstube-roles"


def get_ctx(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def current_user(request: Request) -> CurrentUser:
    """Resolve who is asking, per ``auth_mode``; cached per process (ids never change)."""
    ctx = get_ctx(request)
    settings = ctx.settings
    if settings.auth_mode == "single_user":
        key = (settings.default_tenant, settings.default_user, "tenant_admin")
    else:
        secret = settings.trusted_proxy_secret.get_secret_value() if settings.trusted_proxy_secret else ""
        sent = request.headers.get(H_SECRET, "")
        tenant, user = request.headers.get(H_TENANT, ""), request.headers.get(H_USER, "")
        if not (secret and hmac.compare_digest(sent, secret) and tenant and user):
            raise Forbidden("Anmeldung fehlt. Bitte öffnen Sie Schreibstube über das Intranet.")
        roles = {r.strip() for r in request.headers.get(H_ROLES, "").split(",")}
        key = (tenant, user, "tenant_admin" if "tenant_admin" in roles else "user")
    cache: dict[tuple[str, str, str], CurrentUser] = request.app.state.user_cache
    if key not in cache:
        cache[key] = identity.resolve(ctx.db, *key, create_tenant=settings.auth_mode == "single_user")
    return cache[key]
