"""File downloads: the one place that builds ``Content-Disposition`` headers.

Browsers get an ASCII ``filename="…"`` (old clients, proxies) and the real name as
``filename*=UTF-8''…`` (RFC 6266 with RFC 5987 encoding), so "Entwurf-Termin-bestätigen.odt"
arrives with its umlauts. Downloads are never cached: they hold user content.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.responses import Response

_UNSAFE_ASCII = re.compile(r'[^A-Za-z0-9._-]+')


def content_disposition(filename: str, ascii_fallback: str) -> str:
    fallback = _UNSAFE_ASCII.sub("-", ascii_fallback).strip("-") or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes, media_type: str, filename: str, ascii_fallback: str) -> Response:
    headers = {"Content-Disposition": content_disposition(filename, ascii_fallback),
               "Cache-Control": "no-store"}
    return Response(content, media_type=media_type, headers=headers)
