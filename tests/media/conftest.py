"""An editor signed in on an app whose media folder is the test's own."""
from __future__ import annotations

import pytest

from newsroom.models import Role


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "media"))
    with app.app_context():
        yield app


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Ines Varga")
