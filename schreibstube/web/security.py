"""Security headers and cross-site request protection for every response.

* A strict Content-Security-Policy without ``unsafe-inline``: scripts and styles only from
  our own static files, no frames, no external images.
* State-changing requests (POST/PATCH/PUT/DELETE) must come from our own origin: the
  ``Origin`` header (or, failing that, ``Referer``) must match the request host. API clients
  without a browser send neither header and are allowed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class SecurityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in UNSAFE and not _same_origin(scope):
            await _forbidden(send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _same_origin(scope: Scope) -> bool:
    headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
    source = headers.get("origin") or headers.get("referer")
    if not source:
        return True
    return urlsplit(source).netloc == headers.get("host", "")


async def _forbidden(send: Send) -> None:
    body = b"Anfrage von fremder Herkunft abgelehnt."
    await send({"type": "http.response.start", "status": 403, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]})
    await send({"type": "http.response.body", "body": body})
