"""The `deskbase` command line, run as a real process on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.integration.conftest import run_cli


def test_db_upgrade_and_user_create(cli_env: dict[str, str]) -> None:
    up = run_cli(cli_env, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert "up to date" in up.stdout
    made = run_cli(cli_env, "user", "create", "Boss@Example.com", "--password", "secret-pass-1", "--admin")
    assert made.returncode == 0, made.stderr
    assert "boss@example.com" in made.stdout.lower()
    assert "admin" in made.stdout
    again = run_cli(cli_env, "user", "create", "boss@example.com", "--password", "secret-pass-1")
    assert again.returncode == 1
    assert "exists" in again.stdout
    short = run_cli(cli_env, "user", "create", "x@example.com", "--password", "short")
    assert short.returncode == 1
    assert "password" in short.stdout


def test_users_and_roles(cli_env: dict[str, str]) -> None:
    # No first admin from the caller's environment (`make test` exports one): only these users.
    cli_env = {**cli_env, "DESKBASE_ADMIN_EMAIL": "", "DESKBASE_ADMIN_PASSWORD": ""}
    made = run_cli(cli_env, "role", "create", "agent", "--title", "Support agent")
    assert made.returncode == 0, made.stdout + made.stderr
    bad = run_cli(cli_env, "role", "create", "Bad Name")
    assert bad.returncode == 1
    assert "not allowed" in bad.stdout
    listed = run_cli(cli_env, "role", "list")
    assert listed.returncode == 0, listed.stderr
    assert "Support agent" in listed.stdout
    assert "admin" in listed.stdout
    assert "member" in listed.stdout
    user = run_cli(
        cli_env, "user", "create", "amy@example.com", "--password", "Violet-77-go", "--name", "Amy"
    )
    assert user.returncode == 0, user.stdout + user.stderr
    assert "member" in user.stdout
    agent = run_cli(
        cli_env, "user", "create", "bo@example.com", "--password", "Violet-88-go", "--role", "agent"
    )
    assert agent.returncode == 0, agent.stdout + agent.stderr
    unknown = run_cli(
        cli_env, "user", "create", "cy@example.com", "--password", "Violet-99-go", "--role", "x"
    )
    assert unknown.returncode == 1
    assert "unknown role" in unknown.stdout
    assigned = run_cli(cli_env, "role", "assign", "amy@example.com", "agent", "--default")
    assert assigned.returncode == 0, assigned.stdout + assigned.stderr
    assert "default agent" in assigned.stdout
    gone = run_cli(cli_env, "user", "deactivate", "bo@example.com")
    assert gone.returncode == 0, gone.stdout + gone.stderr
    rows = {
        line.split("│")[2].strip(): line
        for line in run_cli(cli_env, "user", "list").stdout.splitlines()
        if "@example.com" in line
    }
    assert set(rows) == {"amy@example.com", "bo@example.com"}
    assert "agent, member" in rows["amy@example.com"]
    assert rows["amy@example.com"].rstrip(" │").endswith("yes")
    assert rows["bo@example.com"].rstrip(" │").endswith("no")
    nobody = run_cli(cli_env, "user", "deactivate", "nobody@example.com")
    assert nobody.returncode == 1
    assert "No user" in nobody.stdout
