"""`jigiya serve --production` and `/healthz` as a load balancer sees it in production."""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from jigiya import cli

ROOT = Path(__file__).resolve().parents[3]
CONF = str(ROOT / "jigiya" / "gunicorn_conf.py")


@pytest.fixture
def three_cores(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)


@pytest.fixture
def launched(monkeypatch):
    """What `serve --production` would run, recorded instead of run."""
    calls: dict[str, list] = {"django": [], "supervise": [], "execv": []}
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls["django"].append)
    monkeypatch.setattr(cli, "supervise", lambda commands: calls["supervise"].append(commands))
    monkeypatch.setattr(os, "execv", lambda path, args: calls["execv"].append(args))
    return calls


def _gunicorn(bind: str, workers: str) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--config", CONF, "--bind", bind,
            "--workers", workers, "jigiya.wsgi:application"]  # fmt: skip


def test_serve_production_runs_gunicorn_with_two_workers_a_core_plus_one_and_the_worker(
    three_cores, launched
):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--production"])

    assert launched["django"] == [["jigiya", "collectstatic", "--no-input", "--verbosity", "0"]]
    assert launched["supervise"] == [
        [
            _gunicorn("127.0.0.1:8000", "7"),
            [sys.executable, "-m", "jigiya.cli", "worker", "--no-reload"],
        ]
    ]
    assert launched["execv"] == []


def test_serve_production_takes_a_bind_address_and_a_number_of_workers(three_cores, launched):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--production", "--bind", "0.0.0.0:9000", "--workers", "3"])

    assert launched["supervise"][0][0] == _gunicorn("0.0.0.0:9000", "3")


def test_serve_production_without_the_worker_becomes_gunicorn(three_cores, launched):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--production", "--no-worker"])

    assert launched["execv"] == [_gunicorn("127.0.0.1:8000", "7")]
    assert launched["django"] == [["jigiya", "collectstatic", "--no-input", "--verbosity", "0"]]


def test_serve_production_refuses_zero_workers_before_doing_anything(launched):
    with pytest.raises(SystemExit, match=r"--workers must be at least 1\."):
        cli.main(["serve", "--production", "--workers", "0"])

    assert launched == {"django": [], "supervise": [], "execv": []}


def test_serve_without_production_is_still_the_development_server(launched):
    cli.main(["serve"])

    assert launched["django"] == [["jigiya", "runserver", "127.0.0.1:8000"]]


def test_healthz_answers_any_host_over_plain_http_while_pages_redirect(client, settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = []  # the middleware alone must be enough
    settings.ALLOWED_HOSTS = ["jigiya.example.org"]

    health = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    head = client.head("/healthz", HTTP_HOST="10.0.0.7:8000")
    page = client.get("/accounts/login/", HTTP_HOST="jigiya.example.org")
    stranger = client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000")

    assert (health.status_code, health.content) == (200, b"ok")
    assert head.status_code == 200
    assert (page.status_code, page["Location"]) == (
        301,
        "https://jigiya.example.org/accounts/login/",
    )
    assert stranger.status_code == 400  # other pages still check the host


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT"}}
    return env | {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "jigiya.example.org",
        "JIGIYA_VAR_DIR": str(tmp_path),
        "GUNICORN_ACCESSLOG": "",
    }


def _first_answer(url: str, headers: dict[str, str], process: subprocess.Popen) -> httpx.Response:
    """The first answer of a server still starting (a bounded wait, not a timing)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return httpx.get(url, headers=headers, timeout=5)
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_healthz_answers_200_over_http_from_gunicorn_with_the_production_settings(tmp_path):
    port = _free_port()
    command = cli.gunicorn_command(bind=f"127.0.0.1:{port}", workers=1)
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=_production_env(tmp_path), stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        health = _first_answer(f"{base}/healthz", {"Host": "10.0.0.7"}, process)
        page = httpx.get(f"{base}/accounts/login/", headers={"Host": "jigiya.example.org"})
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()

    assert (health.status_code, health.text) == (200, "ok")
    assert (page.status_code, page.headers["location"]) == (
        301,
        "https://jigiya.example.org/accounts/login/",
    )
