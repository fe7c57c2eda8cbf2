"""Staff accounts: password reset by mail and the profile page (name, password, notifications)."""
from newsroom.accounts import profile, reset  # noqa: F401  (routes and jobs register on import)
