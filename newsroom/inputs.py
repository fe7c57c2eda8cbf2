"""The boundary for anonymous input: control characters and numbers, checked in one place.

Every request's query string and form values pass through :class:`CleanParameters`: NUL and
the other C0 control characters (and DEL) are stripped, keeping tab, line feed and carriage
return in form values. A path that carries one is not a page of ours (404). Numbers are ASCII
digits within the database's integer range: ``<int:…>`` in a URL, ``args.get(…, type=int)``
and ``?page=`` all follow :func:`ascii_int`, so "²", "٣" or thirty digits never reach a query.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, ValidationError

#: The largest id PostgreSQL's INTEGER holds; ids and page numbers never go beyond it.
MAX_INT = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}\Z")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f]")


def has_controls(text: str) -> bool:
    """Whether ``text`` carries any control character (such a path is refused with 404)."""
    return _ANY_CONTROL.search(text) is not None


def ascii_int(value, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """``value`` as an int if it is plain ASCII digits between ``minimum`` and ``maximum``."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None


def is_id(value) -> bool:
    """True for a string that can be a row id (ASCII digits, 1 up to the integer range)."""
    return ascii_int(value, minimum=1) is not None


def strip_controls(value: str) -> str:
    """``value`` without C0 control characters other than tab, line feed and carriage return."""
    if value.isprintable():  # no control character at all: the common case, checked in C
        return value
    return _CONTROLS.sub("", value)


class CleanParameters(ImmutableMultiDict):
    """Query-string and form values with control characters stripped; ints parsed strictly."""

    def __init__(self, mapping=None):
        items = MultiDict(mapping).items(multi=True)
        super().__init__([
            (strip_controls(key), strip_controls(value) if isinstance(value, str) else value)
            for key, value in items
        ])

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        if type is int:
            number = ascii_int(super().get(key))
            return default if number is None else number
        return super().get(key, default, type)


class CleanRequest(Request):
    """Flask's request with :class:`CleanParameters` for ``args`` and ``form``."""

    parameter_storage_class = CleanParameters


class BoundedIntConverter(IntegerConverter):
    """``<int:…>``: ASCII digits up to :data:`MAX_INT`; anything else is not this route."""

    regex = r"[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = ascii_int(value)
        if number is None:
            raise ValidationError()
        return number


def init_app(app: Flask) -> None:
    """Use the clean request class and the bounded int converter; refuse control characters."""
    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def refuse_control_characters():
        if has_controls(request.path):
            abort(404)


# --- text that XML and readers' screens must not get --------------------------------------

#: What XML 1.0 cannot carry: C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Bidirectional controls (RLO and friends) that can make a name read as something else.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def xml_safe(value: str) -> str:
    """``value`` without the characters an XML document cannot contain."""
    return _NOT_XML.sub("", value)


def clean_name(value: str | None) -> str | None:
    """A person's name or a headline as stored: no XML-invalid or bidi control characters."""
    if value is None:
        return None
    return _BIDI.sub("", xml_safe(value))


def punycode_url(url: str | None) -> str | None:
    """``url`` with its host in ASCII (punycode), so a look-alike host shows what it is."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host.isascii():
            return url
        ascii_host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return url
    netloc = parts.netloc.rsplit("@", 1)
    hostport = netloc[-1]
    hostport = hostport.lower().replace(host, ascii_host, 1)
    netloc[-1] = hostport
    return urlunsplit(parts._replace(netloc="@".join(netloc)))
