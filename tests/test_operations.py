"""Operating the site: /healthz, a database that cannot be reached, ProxyFix behind proxies."""
from __future__ import annotations

import socket

import pytest

from newsroom import create_app
from newsroom.config import ConfigError
from newsroom.extensions import db
from newsroom.models import Comment
from newsroom.comments.intake import form_token
from tests.conftest import test_config as config_for


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_database(tmp_path):
    """An app whose database cannot be reached (a PostgreSQL URL on a closed port)."""
    url = f"postgresql+psycopg://newsroom@127.0.0.1:{_closed_port()}/gone?connect_timeout=2"
    app = create_app(config_for(url), instance_path=str(tmp_path))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_healthz_answers_ok_with_redis_absent(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "absent"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_names_an_unreachable_database(unreachable_database):
    response = unreachable_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable", "database": "unreachable", "redis": "absent"}
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_healthz_checks_a_configured_redis(make_app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({error})")
    up = make_app(REDIS_URL="redis://127.0.0.1:6379/0").test_client().get("/healthz")
    down = make_app(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0").test_client().get("/healthz")
    assert (up.status_code, up.get_json()["redis"]) == (200, "ok")
    assert down.status_code == 503
    assert down.get_json() == {"status": "unavailable", "database": "ok", "redis": "unreachable"}


@pytest.mark.parametrize("path", ["/", "/articles/tide-gauge", "/sections/harbour", "/feed.xml"])
def test_readers_get_a_503_page_with_retry_after_when_the_database_is_down(
    unreachable_database, path
):
    response = unreachable_database.test_client().get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "briefly unavailable" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_the_api_answers_503_in_json_when_the_database_is_down(unreachable_database):
    response = unreachable_database.test_client().get("/api/v1/articles")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert response.get_json()["error"]["status"] == 503


def test_without_proxy_fix_forwarded_headers_are_ignored(client, make):
    article = make.article()
    db.session.commit()
    client.post(f"/articles/{article.slug}/comments", headers={"X-Forwarded-For": "203.0.113.9"},
                data={"name": "Ada", "email": "ada@example.org", "body": "Hi.",
                      "form_token": form_token(article)}, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert db.session.query(Comment).one().ip_address == "10.0.0.2"


def test_proxy_fix_takes_the_client_address_from_the_trusted_proxy(make_app, make):
    app = make_app(PROXY_FIX=1, SITE_URL=None, TRUSTED_HOSTS="news.example")
    with app.app_context():
        article = make.article(slug="behind-proxy")
        db.session.commit()
        client = app.test_client()
        headers = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9", "X-Forwarded-Proto": "https",
                   "X-Forwarded-Host": "news.example"}
        client.post("/articles/behind-proxy/comments", headers=headers,
                    data={"name": "Ada", "email": "ada@example.org", "body": "Hi.",
                          "form_token": form_token(article)},
                    environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert db.session.query(Comment).one().ip_address == "203.0.113.9"  # one proxy: the last
        page = client.get("/articles/behind-proxy", headers=headers).get_data(as_text=True)
        assert '<link rel="canonical" href="https://news.example/articles/behind-proxy">' in page


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "99"])
def test_a_bad_proxy_count_stops_start_up(value, tmp_path):
    with pytest.raises(ConfigError, match="NEWSROOM_PROXY_FIX"):
        create_app({"TESTING": True, "SECRET_KEY": "k", "PROXY_FIX": value},
                   instance_path=str(tmp_path))


def test_a_missing_sqlite_file_folder_is_a_503(tmp_path):
    app = create_app(config_for(f"sqlite:///{tmp_path}/no/such/folder/newsroom.db"),
                     instance_path=str(tmp_path))
    response = app.test_client().get("/")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
