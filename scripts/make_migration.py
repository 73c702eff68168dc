"""Developer helper: autogenerate an Alembic migration against a fresh SQLite database.

Usage: .venv/bin/python scripts/make_migration.py "message"
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from schreibstube.storage.db import MIGRATIONS, Database

with tempfile.TemporaryDirectory() as tmp:
    db = Database(f"sqlite:///{Path(tmp) / 'm.db'}")
    db.upgrade()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=sys.argv[1], autogenerate=True)
