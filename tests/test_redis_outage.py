"""A Redis outage never takes the site down (issue 9, point 3).

Each test starts its own redis-server on a free port and stops it (or freezes it with SIGSTOP)
by its PID; the machine's Redis is never touched. While it is gone or silent: article pages,
the reply POST and staff sign-in answer as usual, limits are counted in the process, one line
says so, and everything goes back to Redis when it answers again.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import uuid

import pytest
import redis

from newsroom.extensions import db
from newsroom.models import Role
from newsroom.comments.intake import form_token
from tests.auth.conftest import PASSWORD
from tests.comments.conftest import REPLY

REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")

DEGRADED = "Redis unreachable"
RECOVERED = "Redis reachable again"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    """A throw-away redis-server of this test's, on its own port, controlled by its PID."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        probe = redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.2)
        for _ in range(100):  # bounded: about 5 s at most
            if self.process.poll() is not None:
                raise RuntimeError("redis-server exited at start")
            try:
                probe.ping()
                return
            except redis.RedisError:
                try:
                    self.process.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    pass
        raise RuntimeError("redis-server did not answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a frozen server cannot act on TERM
            self.process.terminate()
            self.process.wait(timeout=10)

    def freeze(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def keys(self, pattern: str) -> list[bytes]:
        return list(redis.Redis(port=self.port, socket_timeout=1).scan_iter(match=pattern))


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(make_app, own_redis):
    """An app on ``own_redis`` (limits, throttle, page cache), a story and a moderator."""
    prefix = f"outage-{uuid.uuid4().hex[:8]}"
    app = make_app(
        REDIS_URL=own_redis.url, RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix,
        PAGE_CACHE_ENABLED=True, PAGE_CACHE_KEY_PREFIX=f"{prefix}:page:",
        REDIS_TIMEOUT=0.2, REDIS_RETRY_SECONDS=0, COMMENT_RATE_LIMIT="5 per minute",
    )
    with app.app_context():
        from tests import factories

        article = factories.article("Ferry timetable", slug="ferry-timetable")
        factories.user(Role.MODERATOR, email="desk@newsroom.example")
        db.session.commit()
        token = form_token(article)
    return app, prefix, token


def reader(app, ip: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def post_reply(client, token: str, n: int):
    ip = client.environ_base["REMOTE_ADDR"]
    data = {**REPLY, "form_token": token, "body": f"Outage reply number {n} from {ip}."}
    return client.post("/articles/ferry-timetable/comments", data=data)


def sign_in(client, password: str = PASSWORD):
    return client.post("/login", data={"email": "desk@newsroom.example", "password": password})


def everything_answers(app, token: str, ip: str) -> None:
    """Pages, replies, a failed and a good sign-in all answer as if Redis were there."""
    client = reader(app, ip)
    for _ in range(3):
        assert client.get("/articles/ferry-timetable").status_code == 200
        assert client.get("/").status_code == 200
    assert [post_reply(client, token, n).status_code for n in (1, 2)] == [303, 303]
    staff = reader(app, ip)
    assert sign_in(staff, "wrong password").status_code == 400
    response = sign_in(staff)
    assert response.status_code == 302, response.status_code
    assert staff.get("/moderation/").status_code == 200


def messages(caplog, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


@pytest.mark.parametrize("outage", ["stopped", "frozen"])
def test_pages_replies_and_sign_in_survive_an_outage_and_recover(site, own_redis, caplog, outage):
    app, prefix, token = site
    everything_answers(app, token, "192.0.2.1")
    assert own_redis.keys(f"{prefix}:page:*"), "the page went to the shared cache"
    assert own_redis.keys(f"*{prefix}*login-ip*"), "the failed sign-in was counted in Redis"

    caplog.set_level(logging.INFO)
    own_redis.stop() if outage == "stopped" else own_redis.freeze()
    everything_answers(app, token, "192.0.2.2")
    everything_answers(app, token, "192.0.2.3")
    assert len(messages(caplog, DEGRADED)) == 1  # once, however many requests failed
    assert not messages(caplog, RECOVERED)

    own_redis.start() if outage == "stopped" else own_redis.thaw()
    before = set(own_redis.keys(f"{prefix}:page:*"))
    client = reader(app, "192.0.2.4")
    # a URL the page cache's front has not kept yet, so the keyed store (Redis) is asked
    assert client.get("/articles/ferry-timetable?cpage=1").status_code == 200
    assert sign_in(client, "wrong password").status_code == 400
    assert len(messages(caplog, RECOVERED)) == 1
    assert len(messages(caplog, DEGRADED)) == 1
    assert own_redis.keys(f"*{prefix}*login-ip*192.0.2.4*"), "counting is back in Redis"
    if outage == "stopped":  # a fresh server starts empty: the page is stored there again
        assert not before and own_redis.keys(f"{prefix}:page:*")


def test_limits_are_counted_in_the_process_while_redis_is_down(site, own_redis):
    app, _prefix, token = site
    own_redis.stop()
    client = reader(app, "192.0.2.9")
    codes = [post_reply(client, token, n).status_code for n in range(1, 7)]
    assert codes[:5] == [303] * 5  # POST/redirect/GET, never a 302
    assert codes[5] == 429  # "5 per minute", counted by this process


def test_the_sign_in_throttle_still_slows_guessing_while_redis_is_down(site, own_redis):
    app, _prefix, _token = site
    own_redis.stop()
    client = reader(app, "192.0.2.10")
    codes = [sign_in(client, "wrong password").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]  # three per account per minute, counted in the process


def test_a_redis_that_accepts_and_never_answers_costs_a_timeout_not_a_hang(make_app, caplog):
    """A listener that takes connections and never replies (a wedged or overloaded Redis)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        app = make_app(REDIS_URL=url, RATELIMIT_ENABLED=True, PAGE_CACHE_ENABLED=True,
                       REDIS_TIMEOUT=0.2, REDIS_RETRY_SECONDS=60)
        with app.app_context():
            from tests import factories

            article = factories.article("Ferry timetable", slug="ferry-timetable")
            factories.user(Role.MODERATOR, email="desk@newsroom.example")
            db.session.commit()
            token = form_token(article)
        caplog.set_level(logging.WARNING)
        everything_answers(app, token, "192.0.2.20")
        assert len(messages(caplog, DEGRADED)) == 1


def test_the_log_line_names_no_url_or_password(make_app, caplog):
    port = free_port()  # nothing listens there
    app = make_app(REDIS_URL=f"redis://:s3cret-pass@127.0.0.1:{port}/0", PAGE_CACHE_ENABLED=True,
                   REDIS_TIMEOUT=0.2)
    with app.app_context():
        from tests import factories

        factories.article("Ferry timetable", slug="ferry-timetable")
        db.session.commit()
    caplog.set_level(logging.WARNING)
    assert app.test_client().get("/articles/ferry-timetable").status_code == 200
    [line] = messages(caplog, DEGRADED)
    assert "s3cret" not in line and str(port) not in line


def test_redis_clients_are_given_short_timeouts(make_app, own_redis):
    app = make_app(REDIS_URL=own_redis.url, PAGE_CACHE_ENABLED=True, REDIS_TIMEOUT="0.3")
    store = app.extensions["newsroom_page_cache"]
    options = store.client.connection_pool.connection_kwargs
    assert options["socket_timeout"] == 0.3 and options["socket_connect_timeout"] == 0.3
    limiter_options = app.config["RATELIMIT_STORAGE_OPTIONS"]
    assert limiter_options["socket_timeout"] == 0.3
    assert app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
