"""Server-side HTTP requests that may only reach public addresses (the SSRF guard).

Every fetch the server makes on behalf of someone else's input — outlets' feeds today,
webhooks, source checks and media downloads later — goes through :func:`get`.
"""
from newsroom.outbound.addresses import AddressPolicy, AddressRefused, is_public_address
from newsroom.outbound.client import (
    BadRedirect,
    HTTPStatusError,
    Limits,
    OutboundError,
    Response,
    TimedOut,
    TooLarge,
    TooManyRedirects,
    Unreachable,
    get,
)

__all__ = [
    "AddressPolicy",
    "AddressRefused",
    "BadRedirect",
    "HTTPStatusError",
    "Limits",
    "OutboundError",
    "Response",
    "TimedOut",
    "TooLarge",
    "TooManyRedirects",
    "Unreachable",
    "get",
    "is_public_address",
]
