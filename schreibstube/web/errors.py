"""The one place where ``SchreibstubeError``s become HTTP responses.

API paths get JSON ``{"error": {"kind", "message"}}``; pages get the error template. Only
the error kind and request path are logged.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from schreibstube.errors import NotFound, SchreibstubeError

log = logging.getLogger(__name__)


def error_body(kind: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": {"kind": kind, "message": message, **extra}}


def install(app: FastAPI) -> None:
    @app.exception_handler(SchreibstubeError)
    async def _domain(request: Request, exc: SchreibstubeError) -> Response:
        log.info("request failed path=%s kind=%s", request.url.path, exc.kind)
        headers = {}
        retry_after = getattr(exc, "retry_after", None)
        if retry_after:
            headers["Retry-After"] = str(round(retry_after))
        if request.url.path.startswith("/api/"):
            return JSONResponse(
                error_body(exc.kind, exc.user_message), status_code=exc.status_code,
                headers=headers,
            )
        from schreibstube.web.pages import render_error

        return render_error(request, exc.user_message, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        fields = [".".join(str(p) for p in e["loc"][1:]) for e in exc.errors()]
        return JSONResponse(
            error_body("invalid_input", "Die Anfrage ist unvollständig oder ungültig.",
                       fields=fields),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        """Routing errors (unknown path, wrong method) in the same shape and language."""
        if exc.status_code == 404:
            return await _domain(request, NotFound("Diese Seite gibt es nicht. Bitte prüfen Sie die "
                                                   "Adresse oder beginnen Sie auf der Startseite."))
        message = "Diese Anfrage ist hier nicht möglich."
        if request.url.path.startswith("/api/"):
            return JSONResponse(error_body("http_error", message), status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        from schreibstube.web.pages import render_error

        return render_error(request, message, exc.status_code)
