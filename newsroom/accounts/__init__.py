"""Staff accounts: password reset by mail, invitations for new staff, and the profile page."""
from newsroom.accounts import invitations, joining, profile, reset  # noqa: F401  (routes, jobs)
