"""The guarded client end to end: refused addresses, redirects to them, rebinding, ports."""
from __future__ import annotations

import socket
import threading

import pytest

from newsroom.syndication.fetching import FetchError, FetchSettings, fetch_url
from newsroom.syndication.ingest import ingest_outlet
from newsroom.extensions import db
from newsroom.outbound import AddressPolicy
from tests.outbound.conftest import PUBLIC
from tests.syndication.conftest import fixture_bytes

FEED = fixture_bytes("valley_ledger_rss2.xml")
RSS = {"Content-Type": "application/rss+xml"}
ANY_PORT = AddressPolicy(ports=frozenset())
REFUSED = "the feed could not be fetched"


def settings(policy: AddressPolicy = AddressPolicy()) -> FetchSettings:
    return FetchSettings(user_agent="test", timeout=2, policy=policy)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "2130706433", "0x7f.0.0.1", "127.1", "[::ffff:127.0.0.1]"]
)
def test_the_default_refuses_a_local_server_in_any_spelling(local_server, host):
    local_server.route("/feed.xml", body=FEED, headers=RSS)
    url = f"http://{host}:{local_server.httpd.server_port}/feed.xml"
    with pytest.raises(FetchError, match=f"^{REFUSED}$"):
        fetch_url(url, settings(ANY_PORT))
    assert local_server.requests == []


def test_the_outlet_fetch_refuses_loopback_by_default(app, valley, local_server):
    assert app.config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"] is False
    app.config["SYNDICATION_ALLOWED_PORTS"] = frozenset()
    valley.feed_url = local_server.route("/feed.xml", body=FEED, headers=RSS)
    run = ingest_outlet(valley)
    db.session.commit()
    assert run.error == REFUSED and run.created == 0
    assert local_server.requests == []


def test_the_switch_lets_the_same_fetch_through(app, valley, local_server):
    app.config.update(SYNDICATION_ALLOW_PRIVATE_NETWORKS=True, SYNDICATION_ALLOWED_PORTS=set())
    valley.feed_url = local_server.route("/feed.xml", body=FEED, headers=RSS)
    assert ingest_outlet(valley).created == 3


def test_a_public_host_is_fetched_through_the_fake_internet(internet):
    """The harness the next tests rely on really fetches when nothing is wrong."""
    internet.add("feeds.valley-ledger.example", [PUBLIC])
    internet.server.route("/feed.xml", body=FEED, headers=RSS)
    fetched = fetch_url(internet.url("feeds.valley-ledger.example", "/feed.xml"), settings())
    assert fetched.content == FEED
    assert internet.server.requests[0][1]["Host"] == "feeds.valley-ledger.example"


@pytest.mark.parametrize(
    "target",
    ["http://127.0.0.1/feed.xml", "http://localhost/feed.xml", "http://[::1]/feed.xml",
     "http://2130706433/feed.xml", "http://169.254.169.254/latest/meta-data/",
     "http://internal.valley-ledger.example/feed.xml", "http://10.1.2.3/", "http://100.64.1.1/",
     "http://[::ffff:10.0.0.1]/", "http://224.0.0.1/"],
)
def test_a_redirect_to_a_non_public_address_is_refused(internet, target):
    internet.add("feeds.valley-ledger.example", [PUBLIC])
    internet.add("internal.valley-ledger.example", ["10.0.0.7"])
    internet.server.route("/old", status=302, headers={"Location": target})
    with pytest.raises(FetchError, match=f"^{REFUSED}$"):
        fetch_url(internet.url("feeds.valley-ledger.example", "/old"), settings())
    assert [path for path, _ in internet.server.requests] == ["/old"]
    assert internet.connections == [(PUBLIC, 80)]


def test_a_redirect_to_another_port_is_refused(internet):
    internet.add("feeds.valley-ledger.example", [PUBLIC])
    target = f"http://feeds.valley-ledger.example:6379/"
    internet.server.route("/old", status=301, headers={"Location": target})
    with pytest.raises(FetchError, match=f"^{REFUSED}$"):
        fetch_url(internet.url("feeds.valley-ledger.example", "/old"), settings())
    assert internet.connections == [(PUBLIC, 80)]


def test_the_connection_goes_to_the_vetted_address(internet):
    """A resolver that answers public, then private (DNS rebinding), is asked once."""
    internet.add("rebind.example", [PUBLIC], ["127.0.0.1"])
    internet.server.route("/feed.xml", body=FEED, headers=RSS)
    assert fetch_url(internet.url("rebind.example", "/feed.xml"), settings()).content == FEED
    assert internet.lookups == ["rebind.example"]
    assert internet.connections == [(PUBLIC, 80)]


def test_a_rebinding_name_is_checked_again_on_the_next_hop(internet):
    internet.add("rebind.example", [PUBLIC], ["127.0.0.1"])
    internet.server.route("/a", status=302, headers={"Location": "/b"})
    internet.server.route("/b", body=FEED, headers=RSS)
    with pytest.raises(FetchError, match=f"^{REFUSED}$"):
        fetch_url(internet.url("rebind.example", "/a"), settings())
    assert internet.lookups == ["rebind.example", "rebind.example"]
    assert [path for path, _ in internet.server.requests] == ["/a"]


def test_a_name_with_one_private_answer_among_public_ones_is_refused(internet):
    internet.add("mixed.example", [PUBLIC, "10.0.0.7"])
    with pytest.raises(FetchError, match=f"^{REFUSED}$"):
        fetch_url(internet.url("mixed.example", "/feed.xml"), settings())
    assert internet.connections == []


@pytest.fixture
def not_http():
    """A TCP service that is not HTTP (like a Redis): answers a line and hangs up."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(1024)
                connection.sendall(b"-ERR unknown command 'GET'\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    listener.close()


def test_open_and_closed_ports_fail_with_the_same_words(not_http):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    policy = AddressPolicy(allow_private=True, ports=frozenset())
    messages = []
    for port in (closed, not_http):
        with pytest.raises(FetchError) as raised:
            fetch_url(f"http://127.0.0.1:{port}/", settings(policy))
        messages.append(str(raised.value))
    assert messages == [REFUSED, REFUSED]


def test_an_outlet_feed_that_is_a_file_path_is_not_read(app, valley, tmp_path):
    """The outlet form takes http(s) only; a path stored some other way is refused, not read."""
    secret = tmp_path / "feed.xml"
    secret.write_bytes(FEED)
    valley.feed_url = str(secret)
    run = ingest_outlet(valley)
    db.session.commit()
    assert run.error.startswith("not an http(s) URL") and run.created == 0
