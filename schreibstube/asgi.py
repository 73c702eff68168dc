"""ASGI entry for multi-worker servers: ``uvicorn schreibstube.asgi:app --workers N``.

Settings come from the environment / ``SCHREIBSTUBE_CONFIG``; built when a worker imports this.
"""

from schreibstube.app import create_app
from schreibstube.logging_setup import configure_logging
from schreibstube.settings import load_settings

_settings = load_settings()
configure_logging(_settings.log_level)
app = create_app(_settings.model_copy(update={"auto_migrate": False}))
