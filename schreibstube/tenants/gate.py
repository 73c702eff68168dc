"""The one permission gate: every access decision goes through :func:`allowed`.

Resources are described by their owner (tenant, user) and visibility. Rules:

* nothing crosses tenants, ever;
* private resources (``visibility="private"``) are read and written by their owner only;
* tenant-shared resources (``"tenant"``) are read by everyone in the tenant and managed
  (``write``/``delete``) by tenant admins only.

Callers use :func:`require` to raise ``NotFound`` — not ``Forbidden`` — for resources of
other users, so that ids of foreign objects cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from schreibstube.errors import Forbidden, NotFound
from schreibstube.tenants.identity import CurrentUser

Action = Literal["read", "write", "delete"]


@dataclass(frozen=True)
class Owned:
    tenant_id: str
    user_id: str | None
    visibility: Literal["private", "tenant"] = "private"


def allowed(user: CurrentUser, action: Action, resource: Owned) -> bool:
    if resource.tenant_id != user.tenant_id:
        return False
    if resource.visibility == "private":
        return resource.user_id == user.user_id
    if action == "read":
        return True
    return user.role == "tenant_admin"


def require(user: CurrentUser, action: Action, resource: Owned) -> None:
    if allowed(user, action, resource):
        return
    visible = resource.tenant_id == user.tenant_id and (
        resource.visibility == "tenant" or resource.user_id == user.user_id
    )
    raise Forbidden() if visible else NotFound()
