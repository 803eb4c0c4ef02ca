"""`diary account|sync|conflicts` as a person types them: real processes, real servers.

The child processes have no keyring (PYTHON_KEYRING_BACKEND is the failing backend), as
on a headless machine: the password comes from DIARY_CALDAV_PASSWORD at each sync.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.dav_servers import PASSWORD, USER, DavServer, free_port, fresh_calendar

ZONE = "Europe/Berlin"


class Diary:
    def __init__(self, db: Path) -> None:
        self.db = db

    def __call__(
        self, *args: str, stdin: str | None = None, password: str | None = None
    ) -> tuple[int, str, str]:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("DIARY_CALDAV_PASSWORD", None)
        if password is not None:
            env["DIARY_CALDAV_PASSWORD"] = password
        done = subprocess.run(
            [sys.executable, "-m", "diary", "--db", str(self.db), "--tz", ZONE, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        return done.returncode, done.stdout, done.stderr


@pytest.fixture
def diary(tmp_path: Path) -> Diary:
    return Diary(tmp_path / "diary.sqlite3")


def test_add_sync_list_and_remove_an_account(diary: Diary, dav_server: DavServer) -> None:
    phone = fresh_calendar(dav_server, "Jobs")
    calendar = f"{dav_server.root.rstrip('/')}{phone.path}"
    code, out, err = diary(
        "add", "--title", "Boiler check", "--start", "2030-06-03T10:00", "--duration", "60"
    )
    assert code == 0, err
    code, out, err = diary(
        "account",
        "add",
        "Work",
        "--url",
        dav_server.root,
        "--username",
        USER,
        "--calendar",
        calendar,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0, err
    assert "no system keyring" in err and "DIARY_CALDAV_PASSWORD" in err
    code, out, err = diary("account", "list", "--json")
    (account,) = json.loads(out)
    assert account["name"] == "Work" and account["calendar_url"] == calendar
    assert account["password"] == "none"
    code, out, err = diary("sync", "--json", password=PASSWORD)
    assert code == 0, err
    summary = json.loads(out)
    assert {k: summary[k] for k in ("pushed", "pulled", "deleted", "conflicts", "flagged")} == {
        "pushed": 1,
        "pulled": 0,
        "deleted": 0,
        "conflicts": 0,
        "flagged": 0,
    }
    assert all(isinstance(summary[k], int) for k in ("pushed", "pulled", "deleted"))
    assert len(phone.names()) == 1
    code, out, err = diary("sync", "Work", password=PASSWORD)
    assert code == 0 and "pushed 0" in out
    code, out, err = diary("conflicts", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, err = diary("account", "remove", "Work")
    assert code == 0
    code, out, err = diary("account", "list", "--json")
    assert json.loads(out) == []
    for text in (out, err):
        assert PASSWORD not in text
    assert PASSWORD.encode() not in diary.db.read_bytes()


def test_without_a_password_the_sync_says_so_and_exits_2(
    diary: Diary, dav_server: DavServer
) -> None:
    phone = fresh_calendar(dav_server)
    calendar = f"{dav_server.root.rstrip('/')}{phone.path}"
    code, _out, err = diary(
        "account",
        "add",
        "Work",
        "--url",
        dav_server.root,
        "--username",
        USER,
        "--calendar",
        calendar,
    )
    assert code == 0, err
    code, out, err = diary("sync", "--json")
    assert code == 2
    assert "no password" in err and "DIARY_CALDAV_PASSWORD" in err
    assert json.loads(out)["errors"]


def test_an_unreachable_server_exits_4_and_loses_nothing(diary: Diary) -> None:
    url = f"http://127.0.0.1:{free_port()}/dav/"
    code, _out, err = diary(
        "account",
        "add",
        "Away",
        "--url",
        url,
        "--username",
        USER,
        "--password-stdin",
        stdin="secret-never-shown\n",
    )
    assert code == 0, err  # kept; the first sync will find the calendars
    assert "could not" in err or "cannot reach" in err
    code, out, err = diary("sync", password="secret-never-shown")
    assert code == 4
    assert "cannot reach" in err and "nothing was lost" in err
    assert "secret-never-shown" not in out + err


def test_bad_configuration_is_refused_in_words(diary: Diary, dav_server: DavServer) -> None:
    code, _out, err = diary(
        "account", "add", "Bad", "--url", "ftp://example.org/", "--username", USER
    )
    assert code == 2 and "--url" in err
    code, _out, err = diary(
        "account", "add", "Bad", "--url", "https://bob:pw@cal.example.org/", "--username", "bob"
    )
    assert code == 2 and "must not hold a user name or password" in err and "pw@" not in err
    code, _out, err = diary(
        "account",
        "add",
        "Busy",
        "--url",
        dav_server.root,
        "--username",
        USER,
        "--calendar",
        "Jobs",
        "--busy",
        "No such calendar",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 2 and "No such calendar" in err
    code, _out, err = diary("sync", "Nobody", password=PASSWORD)
    assert code == 2 and "no account called 'Nobody'" in err
    code, _out, err = diary("conflicts", "resolve", "12345", "--keep", "desktop")
    assert code == 2 and "no conflict #12345" in err


# Radicale only: Xandikos, as the tests run it, serves without logins over plain HTTP.
@pytest.mark.parametrize("dav_server", ["radicale"], indirect=True)
def test_a_wrong_password_exits_2(diary: Diary, dav_server: DavServer) -> None:
    code, _out, err = diary(
        "account",
        "add",
        "Work",
        "--url",
        dav_server.root,
        "--username",
        USER,
        "--password-stdin",
        stdin="not it\n",
    )
    assert code == 2 and "refused the user name or password" in err
    assert "not it" not in err
