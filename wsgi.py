"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi …``."""
import sys

from newsroom import create_app
from newsroom.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"newsroom: {error}")
