"""Who wrote a comment, as records may keep it: a keyed hash of the email, or an erased placeholder."""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app

#: The name an erased or anonymised comment shows.
ANONYMOUS = "Anonymous"
#: The reserved top-level domain (RFC 2606) of the address an erased comment keeps.
PLACEHOLDER_DOMAIN = "invalid"


def email_digest(email: str) -> str:
    """A keyed hash of ``email``: links records about one commenter without keeping the address."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def placeholder_email(email: str) -> str:
    """What an erased comment keeps in its (required) email column."""
    return f"erased-{email_digest(email)[:16]}@{PLACEHOLDER_DOMAIN}"


def is_placeholder_email(email: str) -> bool:
    """Whether ``email`` is what an erasure left, not anyone's address."""
    return email.lower().endswith(f"@{PLACEHOLDER_DOMAIN}")
