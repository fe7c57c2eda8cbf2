"""Reply notifications: "Email me when someone replies", double opt-in, one-click unsubscribe.

``confirmed(email)`` tells whether the owner of an address has proved they control it (by
confirming a subscription); ``browser_proves(email)`` whether this browser is the one that did.
"""
from newsroom.subscriptions import views  # noqa: F401  (routes register on import)
from newsroom.subscriptions.service import browser_proves, confirmed

__all__ = ["browser_proves", "confirmed"]
