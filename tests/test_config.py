"""Configuration: environment variables, the secret key rules, cookie flags."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import create_app
from newsroom.config import ConfigError
from newsroom.models import User

ROOT = Path(__file__).resolve().parent.parent


def test_environment_variables_are_read_with_their_types(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSROOM_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("NEWSROOM_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("NEWSROOM_SITE_NAME", "The Estuary Post")
    monkeypatch.setenv("NEWSROOM_SITE_URL", "https://estuary.example/")
    monkeypatch.setenv("NEWSROOM_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("NEWSROOM_COMMENT_MIN_SECONDS", "7")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'env.db'}"
    assert app.config["SITE_NAME"] == "The Estuary Post"
    assert app.config["SITE_URL"] == "https://estuary.example"
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["COMMENT_MIN_SECONDS"] == 7


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "k"}, instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'newsroom.db'}"


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path):
    first = create_app({"DEBUG": True}, instance_path=str(tmp_path))
    second = create_app({"DEBUG": True}, instance_path=str(tmp_path))
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="NEWSROOM_SECRET_KEY"):
        create_app({}, instance_path=str(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_wsgi_exits_with_one_line_when_the_secret_key_is_missing(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "FLASK_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("newsroom: NEWSROOM_SECRET_KEY must be set")


@pytest.mark.parametrize(
    ("site_url", "secure"), [("https://news.example", True), ("http://news.example", False), (None, False)]
)
def test_cookies_are_secure_on_https_and_always_httponly_lax(tmp_path, site_url, secure):
    app = create_app({"SECRET_KEY": "k", "SITE_URL": site_url}, instance_path=str(tmp_path))
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_server_side_fetches_default_to_public_addresses_on_web_ports(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "k"}, instance_path=str(tmp_path))
    assert app.config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"] is False
    assert app.config["SYNDICATION_ALLOWED_PORTS"] == frozenset({80, 443})


def test_the_private_network_switch_and_ports_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSROOM_SECRET_KEY", "k")
    monkeypatch.setenv("NEWSROOM_SYNDICATION_ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("NEWSROOM_SYNDICATION_ALLOWED_PORTS", "80, 443,8080")
    app = create_app(instance_path=str(tmp_path))
    assert app.config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"] is True
    assert app.config["SYNDICATION_ALLOWED_PORTS"] == frozenset({80, 443, 8080})


@pytest.mark.parametrize("ports", ["http", "0", "80,70000"])
def test_bad_allowed_ports_stop_start_up(ports, tmp_path):
    with pytest.raises(ConfigError, match="SYNDICATION_ALLOWED_PORTS"):
        create_app({"TESTING": True, "SECRET_KEY": "k", "SYNDICATION_ALLOWED_PORTS": ports},
                   instance_path=str(tmp_path))


def test_wsgi_collects_once_after_start_up_and_leaves_the_collector_on(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "FLASK_"))}
    env |= {"NEWSROOM_SECRET_KEY": "k", "NEWSROOM_DATABASE_URL": f"sqlite:///{tmp_path}/app.db"}
    probe = "import gc, wsgi; print(gc.isenabled(), gc.get_freeze_count() > 10_000)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]



def test_passwords_are_hashed_with_scrypt_at_its_default_cost(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSROOM_SECRET_KEY", "k")
    app = create_app(instance_path=str(tmp_path))
    with app.app_context():
        user = User(email="ada@newsroom.example")
        user.set_password("a long enough passphrase")
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert user.check_password("a long enough passphrase")
    assert not user.check_password("a long enough passphrasE")


def test_only_a_testing_app_may_choose_a_cheaper_password_hash(monkeypatch, tmp_path):
    cheap = "scrypt:256:8:1"
    with monkeypatch.context() as env:
        env.setenv("NEWSROOM_SECRET_KEY", "k")
        env.setenv("NEWSROOM_PASSWORD_HASH_METHOD", cheap)
        with pytest.raises(ConfigError, match="NEWSROOM_PASSWORD_HASH_METHOD"):
            create_app(instance_path=str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "k", "PASSWORD_HASH_METHOD": cheap},
                     instance_path=str(tmp_path))
    with app.app_context():
        user = User(email="ada@newsroom.example")
        user.set_password("a long enough passphrase")
    assert user.password_hash.startswith(f"{cheap}$")
    assert user.check_password("a long enough passphrase")
