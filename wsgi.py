"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi …``."""
import gc
import sys

from newsroom import create_app
from newsroom.config import ConfigError

# Start-up allocates some 90,000 objects that live as long as the process (modules, classes,
# routes, mappers); the collector would walk them about 200 times for nothing, a seventh of the
# start-up. Collect once afterwards and freeze the survivors, which also keeps them out of
# every later collection and their pages shared between forked gunicorn workers.
gc.disable()
try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"newsroom: {error}")
finally:
    gc.enable()
gc.collect()
gc.freeze()
