"""Defect 13: with debug off and no LUOSHI_SECRET_KEY Luoshi started with the public development key and only
warned; `check --deploy` gave W004, W008, W012, W016 and W019 with production settings."""

import os
import secrets
import subprocess
import sys

PRODUCTION = {
    "LUOSHI_DEBUG": "false",
    "LUOSHI_ALLOWED_HOSTS": "luoshi.example.gov.cn",
    "LUOSHI_BEHIND_PROXY": "true",
    "LUOSHI_CSRF_TRUSTED_ORIGINS": "https://luoshi.example.gov.cn",
}


def _luoshi(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("LUOSHI_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "luoshi.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_secret_key_luoshi_refuses_to_start() -> None:
    result = _luoshi("check", **PRODUCTION)
    assert result.returncode != 0
    assert "LUOSHI_SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    result = _luoshi(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        LUOSHI_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_the_demo_still_starts_with_the_development_key() -> None:
    assert _luoshi("check", LUOSHI_DEBUG="true").returncode == 0
