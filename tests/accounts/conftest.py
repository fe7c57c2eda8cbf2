"""Staff-account tests send through a real SMTP server (aiosmtpd) and run jobs as ``worker --burst``."""
from __future__ import annotations

import re

import pytest

from tests.helpers import run_due_jobs

RESET_LINK = re.compile(r"https?://[^\s\"<>]+/login/reset/([A-Za-z0-9._-]+)")
INVITE_LINK = re.compile(r"https?://[^\s\"<>]+/invitations/([A-Za-z0-9._-]+)")


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def work(app):
    """Run the due jobs as ``flask worker --burst`` does."""
    return lambda: run_due_jobs(app)


def reset_token_in(text: str) -> str:
    (token,) = set(RESET_LINK.findall(text))
    return token
