"""Failed sign-ins are slowed, then refused for a while, per address and per account.

The throttle is on in every test app: it does not follow RATELIMIT_ENABLED (see
newsroom/auth/throttle.py), so these tests use the default ``app`` fixture.
"""
from __future__ import annotations

import types
import uuid

import limits.storage.memory
import pytest
from limits.storage import RedisStorage

from newsroom.auth import throttle
from newsroom.auth.views import FAILED
from newsroom.extensions import db
from newsroom.models import Role
from tests import factories
from tests.auth.conftest import PASSWORD

WRONG = "not the password"


@pytest.fixture
def accounts(make):
    make.user(Role.MODERATOR, email="mod@newsroom.example")
    make.user(Role.EDITOR, email="ed@newsroom.example")
    db.session.commit()


@pytest.fixture
def clock(monkeypatch):
    """A hand-moved clock for the in-memory storage (and the throttle's wait arithmetic)."""
    now = types.SimpleNamespace(value=1_800_000_000.0)
    fake_time = types.SimpleNamespace(time=lambda: now.value)
    monkeypatch.setattr(limits.storage.memory, "time", fake_time)
    monkeypatch.setattr(throttle, "time", fake_time)

    def advance(seconds: float) -> None:
        now.value += seconds

    return advance


def _is_throttled(response) -> bool:
    html = response.get_data(as_text=True)
    return response.status_code == 429 and "Too many failed sign-in attempts" in html


def test_an_account_is_slowed_after_three_failures_from_anywhere(accounts, sign_in):
    for n in range(3):
        assert sign_in("mod@newsroom.example", WRONG, ip=f"198.51.100.{n}").status_code == 400

    response = sign_in("mod@newsroom.example", PASSWORD, ip="198.51.100.99")

    assert _is_throttled(response)
    assert "wait 1 minute " in response.get_data(as_text=True)
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert sign_in("ed@newsroom.example", ip="198.51.100.99").status_code == 302


def test_an_address_is_slowed_after_ten_failures_on_any_accounts(accounts, sign_in):
    for n in range(10):
        assert sign_in(f"guess{n}@newsroom.example", WRONG, ip="203.0.113.5").status_code == 400

    assert _is_throttled(sign_in("ed@newsroom.example", ip="203.0.113.5"))
    assert sign_in("ed@newsroom.example", ip="203.0.113.6").status_code == 302


@pytest.mark.parametrize("email", ["mod@newsroom.example", "nobody@newsroom.example"])
def test_throttling_does_not_tell_whether_the_account_exists(accounts, sign_in, email):
    answers = [sign_in(email, WRONG) for _ in range(4)]

    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert all(FAILED in a.get_data(as_text=True) for a in answers[:3])
    assert _is_throttled(answers[3])


def test_slowed_then_refused_for_a_while(accounts, sign_in, clock):
    for _ in range(3):
        sign_in("mod@newsroom.example", WRONG)
    assert _is_throttled(sign_in("mod@newsroom.example"))

    clock(61)  # the burst limit has passed: two more tries before the long limit
    for _ in range(2):
        assert sign_in("mod@newsroom.example", WRONG).status_code == 400
    clock(61)
    refused = sign_in("mod@newsroom.example")
    assert _is_throttled(refused)
    assert "wait 13 minutes" in refused.get_data(as_text=True)

    clock(13 * 60)
    assert sign_in("mod@newsroom.example").status_code == 302


def test_a_success_clears_the_account_count(accounts, sign_in):
    for _ in range(2):
        sign_in("mod@newsroom.example", WRONG)
    assert sign_in("mod@newsroom.example").status_code == 302
    for _ in range(2):
        assert sign_in("mod@newsroom.example", WRONG).status_code == 400

    assert sign_in("mod@newsroom.example").status_code == 302


def test_limits_come_from_the_configuration(make_app):
    app = make_app(
        LOGIN_FAILURE_LIMIT_PER_ACCOUNT="1 per hour", LOGIN_FAILURE_LIMIT_PER_IP="2 per hour"
    )
    client = app.test_client()

    first = client.post("/login", data={"email": "x@newsroom.example", "password": WRONG})
    second = client.post("/login", data={"email": "x@newsroom.example", "password": WRONG})

    assert (first.status_code, second.status_code) == (400, 429)
    assert "wait 60 minutes" in second.get_data(as_text=True)


@pytest.fixture
def redis_url():
    """A Redis URL when the server at 127.0.0.1:6379 answers; keys of this test removed after."""
    redis = pytest.importorskip("redis")
    server = redis.Redis(host="127.0.0.1", port=6379, db=0, socket_connect_timeout=0.5)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis server answers at 127.0.0.1:6379 ({error})")
    prefix = f"newsroom-test-{uuid.uuid4().hex}"
    yield "redis://127.0.0.1:6379/0", prefix
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)
    server.close()


def test_redis_counts_are_shared_by_every_app_server(make_app, redis_url):
    url, prefix = redis_url
    servers = [make_app(REDIS_URL=url, RATELIMIT_KEY_PREFIX=prefix) for _ in range(2)]
    with servers[0].app_context():
        assert servers[0].config["RATELIMIT_STORAGE_URI"] == url
        factories.user(Role.MODERATOR, email="mod@newsroom.example")
        db.session.commit()
    first, second = (server.test_client() for server in servers)
    login = {"email": "mod@newsroom.example", "password": WRONG}

    for client in (first, second, first):
        assert client.post("/login", data=login).status_code == 400
    login["password"] = PASSWORD

    assert _is_throttled(second.post("/login", data=login))
    assert _is_throttled(first.post("/login", data=login))
    storage = servers[1].extensions[throttle.EXTENSION_KEY].storage
    assert isinstance(storage, RedisStorage)
    assert any(prefix in key.decode() for key in storage.storage.scan_iter(match="*login-account*"))
