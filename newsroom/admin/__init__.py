"""The admin area: background jobs (pending, running, failed; retry) and the development outbox."""
from newsroom.admin import views  # noqa: F401  (routes register on import)
