"""The exception tree of Schreibstube.

Every failure a user can cause or meet is one of these. Each carries a German message
(``user_message``) that says what happened and what to do, an English ``kind`` used in logs
and API error bodies, and an HTTP status. The mapping to HTTP happens once, in
``schreibstube.web.errors``; services never build HTTP responses themselves.

Log lines built from these errors carry ``kind`` and numbers only, never content.

::

    SchreibstubeError                 (500)
    ├── ConfigError                   invalid settings, refused at start-up
    ├── NotFound                      (404) resource missing or not visible to this user
    ├── Forbidden                     (403) the permission gate said no
    ├── InvalidInput                  (422) a request that cannot be served as asked
    │   ├── ContextOverflow           prompt does not fit the model's context (says by how much)
    │   └── FileTooLarge              (413) upload over the size/page limit
    ├── DocumentError                 (422) a file could not be read
    │   ├── EncryptedDocument         password protected
    │   ├── DamagedDocument           broken beyond one repair attempt
    │   ├── UnsupportedFormat         no loader for this format
    │   ├── EmptyDocument             no text (e.g. scan without OCR)
    │   └── ParseTimeout              parsing exceeded its time budget
    └── UpstreamError                 (502) the model server failed
        ├── RateLimited               (429) upstream said 429 after our retries; retry_after
        ├── UpstreamTimeout           (504) no answer in time
        ├── ContentFiltered           the provider's content filter hit input or output
        ├── StreamInterrupted         connection lost mid-stream; partial text kept
        └── UpstreamUnavailable       (503) connection refused, DNS, 5xx
"""

from __future__ import annotations


class SchreibstubeError(Exception):
    """Base class. ``user_message`` is German and safe to show; ``kind`` is for logs/API."""

    status_code = 500
    kind = "internal_error"
    default_message = "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut."

    def __init__(self, user_message: str | None = None, **details: object) -> None:
        self.user_message = user_message or self.default_message
        self.details = details
        super().__init__(self.user_message)


class ConfigError(SchreibstubeError):
    kind = "config_error"
    default_message = "Die Konfiguration ist ungültig."


class NotFound(SchreibstubeError):
    status_code = 404
    kind = "not_found"
    default_message = "Der Eintrag wurde nicht gefunden oder wurde bereits gelöscht."


class Forbidden(SchreibstubeError):
    status_code = 403
    kind = "forbidden"
    default_message = "Sie haben keine Berechtigung für diese Aktion."


class InvalidInput(SchreibstubeError):
    status_code = 422
    kind = "invalid_input"
    default_message = "Die Eingabe ist ungültig."


class ContextOverflow(InvalidInput):
    kind = "context_overflow"

    def __init__(self, needed: int, limit: int, model: str) -> None:
        self.needed, self.limit, self.model = needed, limit, model
        over = needed - limit
        super().__init__(
            f"Der Text ist zu lang für das Modell „{model}“: Er braucht etwa {needed} Tokens, "
            f"erlaubt sind {limit} – also rund {over} Tokens zu viel. Bitte kürzen Sie die "
            "Eingabe, beginnen Sie eine neue Unterhaltung oder wählen Sie ein Modell mit "
            "größerem Kontext.",
            needed=needed,
            limit=limit,
        )


class FileTooLarge(InvalidInput):
    status_code = 413
    kind = "file_too_large"
    default_message = "Die Datei ist zu groß."


class DocumentError(SchreibstubeError):
    status_code = 422
    kind = "document_error"
    default_message = "Die Datei konnte nicht gelesen werden."


class EncryptedDocument(DocumentError):
    kind = "document_encrypted"


class DamagedDocument(DocumentError):
    kind = "document_damaged"


class UnsupportedFormat(DocumentError):
    kind = "document_unsupported"


class EmptyDocument(DocumentError):
    kind = "document_empty"


class ParseTimeout(DocumentError):
    kind = "document_timeout"


class UpstreamError(SchreibstubeError):
    status_code = 502
    kind = "upstream_error"
    default_message = (
        "Das Sprachmodell hat mit einem Fehler geantwortet. Bitte versuchen Sie es in einigen "
        "Minuten erneut. Besteht das Problem weiter, wenden Sie sich an Ihren IT-Service."
    )


class RateLimited(UpstreamError):
    status_code = 429
    kind = "upstream_rate_limited"

    def __init__(self, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        if retry_after:
            wait = max(1, round(retry_after))
            msg = (
                "Das Sprachmodell ist gerade ausgelastet. Bitte warten Sie etwa "
                f"{wait} Sekunden und senden Sie die Nachricht dann erneut."
            )
        else:
            msg = (
                "Das Sprachmodell ist gerade ausgelastet. Bitte warten Sie einen Moment und "
                "senden Sie die Nachricht dann erneut."
            )
        super().__init__(msg, retry_after=retry_after)


class UpstreamTimeout(UpstreamError):
    status_code = 504
    kind = "upstream_timeout"
    default_message = (
        "Das Sprachmodell hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut, "
        "gegebenenfalls mit einer kürzeren Eingabe."
    )


class ContentFiltered(UpstreamError):
    status_code = 422
    kind = "upstream_content_filter"

    def __init__(self, where: str) -> None:
        self.where = where
        if where == "input":
            msg = (
                "Der Inhaltsfilter des Modellanbieters hat Ihre Eingabe abgelehnt. Bitte "
                "formulieren Sie die Anfrage um."
            )
        else:
            msg = (
                "Der Inhaltsfilter des Modellanbieters hat die Antwort des Modells "
                "unterbrochen. Der bis dahin erzeugte Text wurde gespeichert. Bitte "
                "formulieren Sie die Anfrage um."
            )
        super().__init__(msg, where=where)


class OutputTruncated(SchreibstubeError):
    """Not raised: the note stored with an answer that stopped at its length limit
    (``finish_reason == "length"``), so that it is never shown as complete."""

    kind = "output_truncated"
    default_message = (
        "Die Antwort hat die Höchstlänge erreicht und wurde hier abgeschnitten. Bitten Sie bei "
        "Bedarf um eine kürzere Fassung oder um die Fortsetzung."
    )


class StreamInterrupted(UpstreamError):
    kind = "upstream_stream_interrupted"
    default_message = (
        "Die Verbindung zum Sprachmodell ist während der Antwort abgebrochen. Der bis dahin "
        "erzeugte Text wurde gespeichert und ist als unvollständig markiert. Bitte senden Sie "
        "die Nachricht erneut."
    )


class UpstreamUnavailable(UpstreamError):
    status_code = 503
    kind = "upstream_unavailable"
    default_message = (
        "Das Sprachmodell ist derzeit nicht erreichbar. Bitte versuchen Sie es später erneut "
        "oder wählen Sie ein anderes Modell."
    )
