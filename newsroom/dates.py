"""The site's one clock: dates shown and typed in NEWSROOM_TIMEZONE, stored in UTC."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from wtforms import DateTimeLocalField

#: How datetime-local inputs are shown (first) and read.
DATETIME_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def site_zone() -> ZoneInfo:
    """The zone every date on the site and the desks is shown and typed in."""
    return current_app.config["TIMEZONE_INFO"]


def local(value: datetime) -> datetime:
    """An aware UTC ``value`` in the site's zone (a naive one is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(site_zone())


def zone_label(value: datetime | None = None) -> str:
    """The zone's name as readers know it at ``value`` ("CET", "UTC"), else its IANA name."""
    moment = local(value or datetime.now(timezone.utc))
    abbreviation = moment.tzname() or ""
    return abbreviation if abbreviation.isalpha() else site_zone().key


def show_date(value: datetime | None) -> str:
    """'25 November 2026, 14:05 CET': day, time and the zone named."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment.day} {moment:%B %Y, %H:%M} {zone_label(value)}"


def show_day(value: datetime | None) -> str:
    """'3 November 2026': the day in the site's zone."""
    if value is None:
        return ""
    moment = local(value)
    return f"{moment.day} {moment:%B %Y}"


def iso_datetime(value: datetime | None) -> str:
    """ISO 8601 with the site zone's offset: machines read the same instant the page shows."""
    return local(value).isoformat() if value else ""


def html_datetime(value: datetime | None) -> str:
    """ISO 8601 to the second, as HTML's ``<time datetime>`` allows (at most 3 fraction digits)."""
    return local(value).isoformat(timespec="seconds") if value else ""


def from_local(value: datetime | None) -> datetime | None:
    """A naive date and time typed in the site's zone, as an aware UTC datetime."""
    if value is None:
        return None
    if value.tzinfo is not None:
        return value.astimezone(timezone.utc)
    return value.replace(tzinfo=site_zone()).astimezone(timezone.utc)


def day_start(value: date) -> datetime:
    """Midnight at the start of ``value`` in the site's zone, in UTC."""
    return from_local(datetime.combine(value, time.min))


def local_today() -> date:
    """Today's date in the site's zone."""
    return local(datetime.now(timezone.utc)).date()


class LocalDateTimeField(DateTimeLocalField):
    """A datetime-local input typed and shown in the site's zone; its data is aware UTC."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATETIME_FORMAT)
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        return local(self.data).strftime(self.format[0])

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = from_local(self.data)
