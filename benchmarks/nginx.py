"""deploy/nginx.conf rendered with real values and run by Debian's nginx (benchmarks and tests)."""
from __future__ import annotations

import os
import pwd
import re
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"
NGINX = "/usr/sbin/nginx"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


class NginxError(RuntimeError):
    """nginx refused the configuration or did not start; the message carries its own words."""


def render(values: dict[str, str], template: Path = TEMPLATE) -> str:
    """The template with every ``@NAME@`` replaced; a missing or unknown value is an error."""
    text = template.read_text()
    wanted = set(PLACEHOLDER.findall(text))
    if wanted != set(values):
        raise KeyError(f"placeholders {sorted(wanted)} but values for {sorted(values)}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_values(prefix: Path, upstream: str, **overrides: str) -> dict[str, str]:
    """Placeholder values for a throw-away nginx under ``prefix`` on a free local port."""
    values = {
        "SERVER_NAME": "news.example",
        "LISTEN": f"127.0.0.1:{free_port()}",
        "UPSTREAM": upstream,
        "STATIC_DIR": str(ROOT / "static"),
        "MEDIA_DIR": str(prefix / "media"),
        "CACHE_DIR": str(prefix / "cache"),
        "LOG_DIR": str(prefix / "logs"),
        # Workers run as whoever runs this (root in CI): they must read the checkout and the
        # temporary folders, which another account could not.
        "USER": pwd.getpwuid(os.getuid()).pw_name,
    }
    values.update(overrides)
    return values


@contextmanager
def running(prefix: Path, values: dict[str, str], template: Path = TEMPLATE):
    """nginx with the rendered config under ``prefix``; yields its base URL, stops it after."""
    for folder in ("media", "cache", "logs"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(values, template))
    command = [NGINX, "-p", str(prefix), "-c", str(conf),
               "-g", f"daemon off; pid {prefix / 'nginx.pid'};"]
    checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise NginxError(checked.stderr.strip())
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    host, port = values["LISTEN"].rsplit(":", 1)
    try:
        _wait_for(process, host, int(port))
        yield f"http://{host}:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful: finish in-flight requests
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(process: subprocess.Popen, host: str, port: int) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise NginxError(f"nginx exited: {process.stderr.read().strip()}")
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise NginxError(f"nginx did not listen on {host}:{port} within 5 s")
