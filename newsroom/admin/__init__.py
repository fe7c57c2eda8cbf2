"""The admin area: staff invitations, background jobs (retry) and the development outbox."""
from newsroom.admin import invitations, views  # noqa: F401  (routes register on import)
