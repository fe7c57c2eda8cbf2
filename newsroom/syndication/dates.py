"""Feed dates: localized month and day names, and dates too implausible to keep."""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone


#: Languages whose month and day names a feed date may use (dateparser's codes).
LANGUAGES = (
    "en", "pt", "es", "fr", "de", "it", "nl", "ca", "ro", "pl", "sv", "da", "nb", "fi", "cs",
    "tr", "ru",
)
#: A date earlier than this, or more than a day ahead, is treated as missing.
EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
FUTURE_SLACK = timedelta(days=1)

#: Words feedparser's own RFC 822 / W3C / asctime handlers read; a date using only these is theirs.
_ENGLISH = frozenset(
    word.lower()
    for word in (
        *calendar.month_name[1:], *calendar.month_abbr[1:], "sept",
        *calendar.day_name, *calendar.day_abbr, "t", "z", "am", "pm", "ut", "utc", "gmt",
        "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt",
    )
)
_WORDS = re.compile(r"[^\W\d_]+")


def localized_date(text: str):
    """feedparser date handler: "Seg, 24 Set 2018" and the like, as a UTC 9-tuple.

    Returns None (so feedparser's own handlers run) for dates written with English names
    or numbers only, which keeps dateparser out of the common path; dateparser is imported
    on first use so that loading the app does not pay for it.
    """
    words = {word.lower() for word in _WORDS.findall(text or "")}
    if not words or words <= _ENGLISH:
        return None
    import dateparser  # noqa: PLC0415 - lazily: it loads its language data on import

    parsed = dateparser.parse(
        text,
        languages=list(LANGUAGES),
        settings={
            "TIMEZONE": "UTC",
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["absolute-time"],
        },
    )
    return parsed.utctimetuple() if parsed else None


_registered = False


def register() -> None:
    """Teach feedparser the localized forms (once per process)."""
    global _registered  # noqa: PLW0603 - feedparser's handler list is process-wide too
    if not _registered:
        import feedparser  # on first use, as parsing imports it

        feedparser.registerDateHandler(localized_date)
        _registered = True


def to_utc(parsed_time) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime (None when absent or absurd)."""
    if not parsed_time:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=timezone.utc)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def implausible(value: datetime, now: datetime) -> str | None:
    """Why ``value`` cannot be a story's date, or None when it is plausible."""
    if value < EARLIEST:
        return f"before {EARLIEST.year}"
    if value > now + FUTURE_SLACK:
        return "more than a day in the future"
    return None
