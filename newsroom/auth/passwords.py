"""What a staff password must be: at least 12 characters and not a commonly used password.

The list is zxcvbn's (the 30,000 most common passwords from leaked sets, shipped inside the
package: no network needed). A password is refused when it, or it with trailing digits and
punctuation taken off, is on the list, whatever its case: "Password1234!" is "password".
"""
from __future__ import annotations

from functools import lru_cache

MIN_LENGTH = 12
MAX_LENGTH = 1024  # long enough for any passphrase; hashing it costs nothing unusual
_TRAILING = "0123456789!@#$%^&*()-_=+.,;:?~ "


class WeakPassword(ValueError):
    """The password does not meet the rules; the message says which, in one line."""


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str) -> None:
    """:raises WeakPassword: too short, too long, or a common password."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"The password is too short: use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"The password is too long: use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in _common() or lowered.rstrip(_TRAILING) in _common():
        raise WeakPassword("That password is too common: choose one that is hard to guess.")
