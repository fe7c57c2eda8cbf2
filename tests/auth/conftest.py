"""Helpers for the staff-account tests: a known password and a sign-in POST."""
from __future__ import annotations

import pytest

PASSWORD = "correct horse battery"


@pytest.fixture
def sign_in(client):
    """``sign_in(email, password=PASSWORD, ip=…, next=…)`` posts the login form."""

    def post(email: str, password: str = PASSWORD, *, ip: str = "198.51.100.1", next: str = ""):
        data = {"email": email, "password": password}
        if next:
            data["next"] = next
        return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip})

    return post
