"""Outbound fixtures: a feed server the default policy must not reach, and a fake internet.

``internet`` stands in for DNS and routing: names map to public addresses, and a connection to
a public address on port 80 is carried to the local feed server, so the default policy can be
exercised end to end without leaving the machine.
"""
from __future__ import annotations

import pytest

from newsroom.outbound import addresses, client
from tests.feed_server import FeedServer
from tests.syndication.conftest import valley  # noqa: F401  (the outlet fixture)

PUBLIC = "93.184.215.14"  # a globally routable address (never actually contacted)


@pytest.fixture
def local_server():
    """A feed server on 127.0.0.1 with the app left at its default (public-only) policy."""
    with FeedServer() as server:
        yield server


class Internet:
    """Answers for names, and where connections to public addresses really go."""

    def __init__(self, server: FeedServer):
        self.server = server
        self.names: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []
        self.connections: list[tuple[str, int]] = []

    def add(self, name: str, *answers: list[str]) -> None:
        """``name`` resolves to each answer in turn (the last one repeats)."""
        self.names[name] = list(answers)

    def url(self, name: str, path: str) -> str:
        return f"http://{name}{path}"

    def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.names:
            return self.real_resolve(host, port)
        answers = self.names[host]
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def open_socket(self, address, timeout, socket_options, source_address):
        self.connections.append(address)
        if address[0] == PUBLIC:
            address = ("127.0.0.1", self.server.httpd.server_port)
        return self.real_open(address, timeout, socket_options, source_address)


@pytest.fixture
def internet(local_server, monkeypatch):
    net = Internet(local_server)
    net.real_resolve, net.real_open = addresses.resolve, client.open_socket
    monkeypatch.setattr(addresses, "resolve", net.resolve)
    monkeypatch.setattr(client, "open_socket", net.open_socket)
    return net
