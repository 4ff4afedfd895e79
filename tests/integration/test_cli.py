"""The `deskbase` command line, run as a real process on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.integration.conftest import run_cli


def test_db_upgrade_and_user_create(cli_env: dict[str, str]) -> None:
    up = run_cli(cli_env, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert "up to date" in up.stdout
    made = run_cli(
        cli_env, "user", "create", "--email", "Boss@Example.com", "--password", "secret-pass", "--admin"
    )
    assert made.returncode == 0, made.stderr
    assert "boss@example.com" in made.stdout.lower()
    again = run_cli(cli_env, "user", "create", "--email", "boss@example.com", "--password", "secret-pass")
    assert again.returncode == 1
    assert "exists" in again.stdout
    short = run_cli(cli_env, "user", "create", "--email", "x@example.com", "--password", "short")
    assert short.returncode == 1
    assert "password" in short.stdout
