"""The command line of promises, customers and the report: words, JSON fields and exit codes."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli.runner import NOW, Diary

TZ = ZoneInfo("Europe/London")
ZOE = "Zoë Müller-Łukasik"


@pytest.fixture
def diary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Diary:
    d = Diary(tmp_path / "diary.sqlite3", capsys)
    d.ok("customer", "add", ZOE, "--email", "zoe@example.com")
    d.ok("customer", "add", "Bram de Vries", "--phone", "+44 20 7946 0012", "--prefers", "text")
    return d


def soon(days: int, hour: int = 12) -> str:
    """An ISO local time `days` from the runner's fixed today (NOW, not the real clock)."""
    day = NOW.astimezone(TZ).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ).replace(tzinfo=None).isoformat()


def test_promise_add_prints_the_id_and_list_json_has_the_contract_fields(diary: Diary) -> None:
    first = diary.ok(
        "promise", "add", "--customer", ZOE, "--what", "Quote", "--due", soon(10), "--effort", "60"
    ).strip()
    second = diary.ok(
        "promise", "add", "--customer", "Bram de Vries", "--what", "Spare part", "--due", soon(20)
    ).strip()
    assert first.isdigit() and second.isdigit() and first != second
    items = json.loads(diary.ok("promise", "list", "--json"))
    assert [i["id"] for i in items] == [int(first), int(second)]
    assert set(items[0]) >= {
        "id",
        "customer",
        "what",
        "due",
        "check_at",
        "status",
        "at_risk",
        "reasons",
    }
    item = items[0]
    assert item["customer"] == ZOE and item["what"] == "Quote" and item["status"] == "open"
    assert item["at_risk"] is False and item["reasons"] == []
    due = datetime.fromisoformat(item["due"])
    assert due.utcoffset() is not None
    assert due - datetime.fromisoformat(item["check_at"]) == timedelta(hours=24)
    assert json.loads(diary.ok("promise", "list", "--json", "--at-risk")) == []
    assert "Quote" in diary.ok("promise", "list")


def test_check_and_done_change_the_status(diary: Diary) -> None:
    pid = diary.ok("promise", "add", "--customer", ZOE, "--what", "Q", "--due", soon(3)).strip()
    diary.ok("promise", "check", pid)
    [item] = json.loads(diary.ok("promise", "list", "--json"))
    assert item["status"] == "checked"
    diary.ok("promise", "done", pid)
    assert json.loads(diary.ok("promise", "list", "--json")) == []


def test_bad_input_exits_2_naming_the_argument(diary: Diary) -> None:
    code, _, err = diary("promise", "add", "--customer", "Nobody", "--what", "Q", "--due", soon(3))
    assert code == 2 and "customer" in err
    code, _, err = diary("promise", "add", "--customer", ZOE, "--what", "Q", "--due", "soon")
    assert code == 2 and "--due" in err
    code, _, err = diary("promise", "add", "--customer", ZOE, "--what", "Q", "--due", soon(-3))
    assert code == 2 and "due" in err and "past" in err
    code, _, err = diary("promise", "check", "99")
    assert code == 2 and "ID" in err
    code, _, err = diary("promise", "done", "abc")
    assert code == 2 and "ID" in err
    code, _, err = diary("promise", "suggest-due", "--effort", "-5")
    assert code == 2 and "--effort" in err
    code, _, err = diary("customer", "show", "Nobody")
    assert code == 2 and "customer" in err


def test_suggest_due_prints_a_working_days_end_after_now(diary: Diary) -> None:
    diary.ok("policy", "set", "zone", "Europe/London")
    out = diary.ok("promise", "suggest-due", "--effort", "600", "--margin", "0").strip()
    due = datetime.fromisoformat(out)
    assert due.utcoffset() is not None and due > NOW
    assert due.astimezone(TZ).strftime("%H:%M") == "18:00" and due.weekday() < 5
    later = datetime.fromisoformat(diary.ok("promise", "suggest-due", "--effort", "600").strip())
    assert later > due  # the policy's margin: one more working day


def test_customer_list_and_show(diary: Diary) -> None:
    diary.ok(
        "add", "--title", "Survey", "--start", soon(5, 10), "--duration", "60", "--customer", ZOE
    )
    diary.ok("promise", "add", "--customer", ZOE, "--what", "Quote", "--due", soon(8))
    rows = {r["name"]: r for r in json.loads(diary.ok("customer", "list", "--json"))}
    assert rows[ZOE]["open_promises"] == 1 and rows[ZOE]["prefers"] == "email"
    assert rows[ZOE]["next_appointment"].startswith(soon(5, 10)[:10])
    assert rows["Bram de Vries"]["next_appointment"] is None
    assert "Bram de Vries" in diary.ok("customer", "list")
    shown = json.loads(diary.ok("customer", "show", ZOE, "--json"))
    assert [a["title"] for a in shown["future"]] == ["Survey"] and shown["past"] == []
    assert [p["what"] for p in shown["promises"]] == ["Quote"]
    assert shown["planned"]["meeting_minutes"] == 60 and shown["spent"]["total_minutes"] == 0
    assert "Survey" in diary.ok("customer", "show", ZOE)
    diary.ok("customer", "add", "Aisha Okafor")  # the existing `customer add` still works


def test_tell_drafts_the_message(diary: Diary) -> None:
    pid = diary.ok(
        "promise", "add", "--customer", "Bram de Vries", "--what", "Spare part", "--due", soon(2)
    ).strip()
    draft = json.loads(diary.ok("promise", "tell", pid, "--json", "--locale", "en_GB"))
    assert draft["channel"] == "text" and "Spare part" in draft["body"]
    assert len(draft["body"]) <= 300


def test_report_customers_prints_and_writes_csv(diary: Diary, tmp_path: Path) -> None:
    diary.ok("add", "--title", "Survey", "--start", "2026-11-24T09:00", "--duration", "60",
             "--customer", ZOE)  # fmt: skip
    diary.ok("add", "--title", "Fix", "--start", "2026-11-25T09:00", "--duration", "30",
             "--customer", "Bram de Vries")  # fmt: skip
    out_file = tmp_path / "report.csv"
    out = diary.ok(
        "report", "customers", "--from", "2026-11-23", "--to", "2026-11-29", "--csv", str(out_file)
    )
    assert ZOE in out and "more than their share" in out
    rows = list(csv.DictReader(out_file.open(encoding="utf-8")))
    assert [r["customer"] for r in rows] == [ZOE, "Bram de Vries"]
    assert rows[0]["meeting_minutes"] == "60" and rows[0]["wrapup_minutes"] == "15"
    assert rows[0]["over_share"] == "yes" and rows[1]["over_share"] == "no"
    code, _, err = diary("report", "customers", "--from", "2026-11-29", "--to", "2026-11-23")
    assert code == 2 and "--to" in err
    code, _, err = diary("report", "customers", "--from", "2026-11-23")
    assert code == 2 and "--to" in err
