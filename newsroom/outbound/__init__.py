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
    request,
)



def configured_policy() -> AddressPolicy:
    """The current app's rule (NEWSROOM_SYNDICATION_ALLOW_PRIVATE_NETWORKS, …_ALLOWED_PORTS)."""
    from flask import current_app

    config = current_app.config
    return AddressPolicy(
        allow_private=config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"],
        ports=frozenset(config["SYNDICATION_ALLOWED_PORTS"]),
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
    "configured_policy",
    "get",
    "is_public_address",
    "request",
]
