"""Republishing rights: the licence, credit, embargo and expiry a story (or an outlet) carries.

An outlet holds the defaults its agreement sets; ingest copies them onto each story, where
the desk may change them story by story.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from newsroom.models.base import UTCDateTime, str_enum


class Licence(enum.StrEnum):
    """Under what terms a story is republished."""

    CC_BY = "cc-by-4.0"
    CC_BY_ND = "cc-by-nd-4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0"
    PERMISSION = "permission"  #: "Republished with permission"
    OTHER = "other"  #: the terms are in ``licence_text``


#: What a reader sees for each licence, and the Creative Commons deed it links to.
LICENCE_LABELS = {
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC_BY_ND: "CC BY-ND 4.0",
    Licence.CC_BY_NC_ND: "CC BY-NC-ND 4.0",
    Licence.PERMISSION: "Republished with permission",
    Licence.OTHER: "Other terms",
}
LICENCE_DEEDS = {
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    Licence.CC_BY_NC_ND: "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


class ExpiryAction(enum.StrEnum):
    """What happens to a story when its republishing rights expire."""

    UNPUBLISH = "unpublish"  #: back to a draft: the page answers 404
    NOINDEX = "noindex"  #: stays up, kept out of search results


class RightsColumns:
    """The rights columns shared by outlets (the defaults) and articles (the story's own)."""

    #: None: not recorded.
    licence: Mapped[Optional[Licence]] = mapped_column(str_enum(Licence, "licence"))
    #: The terms in words, for ``Licence.OTHER`` (or notes on any licence).
    licence_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The credit the licence requires, shown under the attribution line.
    credit_line: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Not to be published before this time.
    embargo_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: The right to republish ends at this time; ``expiry_action`` says what then happens.
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    expiry_action: Mapped[ExpiryAction] = mapped_column(
        str_enum(ExpiryAction, "expiry_action"), default=ExpiryAction.UNPUBLISH,
        server_default=ExpiryAction.UNPUBLISH.value,
    )
