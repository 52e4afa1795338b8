"""deploy/: the systemd units pass `systemd-analyze verify`, the nginx site `nginx -t`, the
compose file `docker compose config` (each where the tool is installed), and all of them say
what the app expects of them (its settings, its entry points, one scheduler)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app.config import SETTINGS_DOC, UPLOAD_OVERHEAD
from tests.ops.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").iterdir())
VENV_BIN = "/opt/nhiemvu/venv/bin/"
DOCUMENTED = {setting.name for setting in SETTINGS_DOC}


def _unit(name: str) -> dict[str, list[str]]:
    """A unit file's settings, each name with its values in order."""
    values: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


# --- systemd -----------------------------------------------------------------------------------


def test_the_units_run_the_app_as_production_runs_it():
    assert {unit.name for unit in UNITS} == {
        "nhiemvu-web.service",
        "nhiemvu-scheduler.service",
        "nhiemvu-backup.service",
        "nhiemvu-backup.timer",
    }
    web, scheduler, backup = (
        _unit(f"nhiemvu-{name}.service") for name in ("web", "scheduler", "backup")
    )
    assert web["ExecStart"] == [f"{VENV_BIN}gunicorn app.wsgi:app"]
    assert scheduler["ExecStart"] == [f"{VENV_BIN}flask --app app jobs run"]
    assert scheduler["Restart"] == ["always"]  # a lost lock ends it; it comes back as standby
    assert backup["ExecStart"] == [
        f"{VENV_BIN}flask --app app backup create",
        f"{VENV_BIN}flask --app app backup prune",
    ]
    assert backup["Type"] == ["oneshot"]  # the prune runs only after a good archive
    for unit in (web, scheduler, backup):
        assert unit["EnvironmentFile"] == ["/etc/nhiemvu.env"]
        assert unit["User"] == ["nhiemvu"]
    timer = _unit("nhiemvu-backup.timer")
    assert timer["OnCalendar"] == ["*-*-* 01:30:00"]
    assert timer["Persistent"] == ["true"]


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
)
def test_systemd_analyze_verify(tmp_path: Path):
    # The units as installed, with the programs where this checkout has them (verify checks
    # that each ExecStart exists and is executable).
    for unit in UNITS:
        text = unit.read_text().replace(VENV_BIN, f"{Path(sys.executable).parent}/")
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    # A misspelt setting is only a warning for systemd: any output fails here.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


# --- the environment file ----------------------------------------------------------------------


def _systemd_environment(path: Path) -> dict[str, str]:
    """The variables of an EnvironmentFile as systemd reads it (quotes removed)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[name.strip()] = value
    return values


ENV_EXAMPLE = DEPLOY / "nhiemvu.env.example"


def test_the_shell_and_systemd_read_the_env_file_alike():
    # The `nhiemvu` command sources it with sh; the units read it with systemd.
    result = subprocess.run(
        ["sh", "-c", 'set -a; . "$0"; set +a; env -0', str(ENV_EXAMPLE)],
        capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    shell = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    expected = _systemd_environment(ENV_EXAMPLE)
    assert {name: shell.get(name) for name in expected} == expected
    assert expected["PROVINCE_NAME"] == "Bình Định"
    assert subprocess.run(["sh", "-n", str(DEPLOY / "nhiemvu")], check=False).returncode == 0


def test_the_env_example_is_a_working_configuration(tmp_path, monkeypatch):
    from app.config import Settings

    for name, value in _systemd_environment(ENV_EXAMPLE).items():
        monkeypatch.setenv(name, value)
    settings = Settings(tmp_path, {}).as_mapping()
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://nhiemvu@/nhiemvu"
    assert settings["PROXY_COUNT"] == 1
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["PROVINCE_NAME"] == "Bình Định"
    assert settings["BACKUP_DIR"] == "/var/backups/nhiemvu"
    assert settings["ATTACHMENTS_DIR"] == str(tmp_path / "attachments")


# --- nginx -------------------------------------------------------------------------------------


NGINX_SITE = DEPLOY / "nginx" / "nhiemvu.conf"


def test_the_nginx_site_forwards_what_the_app_trusts():
    site = NGINX_SITE.read_text()
    assert site.count("{") == site.count("}")
    # Every header ProxyFix trusts with PROXY_COUNT=1 is set by nginx, never the client's.
    for header in ("For", "Proto", "Host", "Port", "Prefix"):
        assert re.search(rf"proxy_set_header X-Forwarded-{header} ", site), header
    assert "proxy_set_header X-Request-ID $request_id;" in site
    # Uploads up to the import limit (20 MB) and the form around it get through.
    limit = int(re.search(r"client_max_body_size (\d+)m;", site).group(1)) * 1024 * 1024
    assert limit >= 20 * 1024 * 1024 + UPLOAD_OVERHEAD
    assert re.search(r"location /static/ \{\s+alias /opt/nhiemvu/static/;", site)
    assert "return 301 https://$host$request_uri;" in site
    assert "proxy_pass http://nhiemvu_web;" in site


def _nginx() -> str | None:
    return os.environ.get("NGINX") or shutil.which("nginx")


@pytest.mark.skipif(_nginx() is None, reason="nginx is not installed here (set NGINX=path)")
def test_nginx_accepts_the_site(tmp_path: Path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=nhiemvu.test", "-keyout", str(tmp_path / "privkey.pem"),
         "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = (
        NGINX_SITE.read_text()
        .replace("/etc/ssl/nhiemvu/", f"{tmp_path}/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/opt/nhiemvu/static/", f"{ROOT}/app/static/")
        .replace("/var/www/html", str(tmp_path))
    )
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log {tmp_path}/access.log; {temp} include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(
        [_nginx(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


# --- Docker Compose ----------------------------------------------------------------------------


COMPOSE = DEPLOY / "compose.yaml"


def test_the_compose_file_runs_one_scheduler_beside_the_web_workers():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "scheduler", "backup"}
    assert services["web"]["command"] == ["gunicorn", "app.wsgi:app"]
    assert "--workers=" in services["web"]["environment"]["GUNICORN_CMD_ARGS"]
    assert services["scheduler"]["command"] == ["flask", "jobs", "run"]
    assert "deploy" not in services["scheduler"]  # no replicas: one scheduler
    major = int(services["db"]["image"].split(":")[1])
    assert major >= 15
    for name in ("web", "scheduler", "backup", "migrate"):
        assert "instance:/var/lib/nhiemvu" in services[name]["volumes"]
        assert set(services[name]["environment"]) <= DOCUMENTED
    assert "backups:/var/backups/nhiemvu" in services["backup"]["volumes"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "--require-hashes -r /opt/nhiemvu/requirements.lock" in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump, for flask backup


def _compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(
        ["docker", "compose", "version"], capture_output=True, text=True, check=False, timeout=60
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not _compose_available(),
    reason="docker compose is not installed here (the docker client alone cannot check it)",
)
def test_docker_compose_config():
    env = {
        **os.environ,
        "POSTGRES_PASSWORD": "compose-check",
        "SECRET_KEY": "compose-check-secret-key-0123456789abcdef",
    }
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
