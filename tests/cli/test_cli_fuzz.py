"""Junk on the command line: never a traceback, exit 0/1/2/3 only, nothing changed on 2.

Every word and ACTION of the real parser is driven (read from `build_parser()`, so a new
command is fuzzed from the day it is added) with its own options and positionals, whose
values are drawn from junk: huge numbers, nan, dates outside 1900-2200 and on a
clock-change night, bytes that are not UTF-8 (as Python hands them over), megabyte
strings, and paths to a FIFO, a symbolic link, a folder, a missing folder, the database
itself and /dev/zero. The clock is a FixedClock (2026-11-20), so runs are repeatable.

`make test` runs FUZZ_EXAMPLES examples (about 10 s); `make soak` runs 5,000
(DIARY_FUZZ_EXAMPLES) and prints how the exit codes were spread.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from diary.cli import main
from diary.cli.entry import build_parser
from diary.cli.table import COMMANDS
from diary.services.clock import FixedClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FUZZ_EXAMPLES = int(os.environ.get("DIARY_FUZZ_EXAMPLES", "120"))
DB_NAME = "diary.sqlite3"
NEW_DB = "new.sqlite3"


@dataclass(frozen=True)
class Argument:
    """An option (`--start`) or a positional (`uid`) of one command."""

    name: str  # the flag, or the positional's dest
    takes_value: bool
    choices: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Word:
    """One runnable command: its words, options and positionals, read from the parser."""

    words: tuple[str, ...]
    options: tuple[Argument, ...]
    positionals: tuple[Argument, ...]
    one_of: tuple[tuple[Argument, ...], ...]  # required groups: exactly one is needed


def _subparsers(parser: argparse.ArgumentParser) -> argparse._SubParsersAction | None:  # type: ignore[type-arg]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def _walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> Iterator[Word]:
    options: list[Argument] = []
    positionals: list[Argument] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue
        choices = tuple(str(c) for c in action.choices or ())
        if action.option_strings:
            flag = action.option_strings[-1]
            options.append(Argument(flag, action.nargs != 0, choices, action.required))
        else:
            positionals.append(Argument(action.dest, True, choices, True))
    by_flag = {o.name: o for o in options}
    groups = tuple(
        tuple(by_flag[a.option_strings[-1]] for a in group._group_actions)
        for group in parser._mutually_exclusive_groups
        if group.required
    )
    yield Word(words, tuple(options), tuple(positionals), groups)
    sub = _subparsers(parser)
    if sub is not None:
        for name, child in sub.choices.items():
            yield from _walk(child, (*words, name))


def every_word() -> list[Word]:
    top = _subparsers(build_parser())
    assert top is not None
    found: list[Word] = []
    for name, child in top.choices.items():
        found.extend(_walk(child, (name,)))
    return found


WORDS = every_word()


def test_every_word_of_the_table_is_fuzzed() -> None:
    assert {w.words[0] for w in WORDS} == {c.word for c in COMMANDS}
    assert ("promise", "tell") in {w.words for w in WORDS}


# -- junk ----------------------------------------------------------------------------------

PATHS = (
    "out.ics",
    "out.pdf",
    "out.png",
    "out.csv",
    "fifo",
    "link",
    "folder",
    "folder/",
    "missing/x.ics",
    DB_NAME,
    DB_NAME + "-wal",
    "/dev/zero",
    "/dev/null",
    "calendar.ics",
    "notes.txt",
)
DATABASES = (
    "foo://bar",
    "sqlite+nosuch:///x.sqlite3",
    "postgresql+psycopg://nobody@127.0.0.1:1/none",
    "://",
    "notes.txt",
    "calendar.ics",
    "folder",
    "fifo",
    "/dev/zero",
    NEW_DB,
)
NUMBERS = (
    "0",
    "1",
    "-1",
    "30",
    "1440",
    "99999999999999999999",
    "9" * 5000,
    "158310721",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "3.5",
    " 7 ",
    "#2",
)
MOMENTS = (
    "2026-11-24T09:00",
    "2026-11-24",
    "0001-01-01T00:00",
    "9999-12-31",
    "9999-12-31T23:59",
    "1899-12-31",
    "2201-01-01",
    "2200-12-31T23:30",
    "2026-10-25T01:30",
    "2026-03-29T01:30",
    "2026-11-24T09:00+14:00",
    "2026-11-24T09:00-23:59",
    "tomorrow",
    "2026-02-30",
)
WORDS_OF_JUNK = (
    "",
    " ",
    "Home",
    "Kitchen",
    "Zoë Müller-Łukasik",
    "Mars/Olympus",
    "Europe/London",
    "../../etc/passwd",
    "A" * 300,
    "x" * 200_000,
    "\udcff\udcfe",
    "caf\udce9",
    "--",
    "-",
    "--json",
    "de_DE",
    "xx_INVALID",
    "hours.mon",
    "08:00-18:00",
    "speed",
    "road-factor",
    "zone",
    "locale",
    "margin",
    "base",
    "reserve",
)
text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=30,
)
junk = st.one_of(
    st.sampled_from(NUMBERS),
    st.sampled_from(MOMENTS),
    st.sampled_from(WORDS_OF_JUNK),
    st.sampled_from(PATHS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    text,
)


# Half the time a plausible value (so commands get past parsing and reach the service),
# half the time one of the edge cases above.
plausible_moment = st.builds(
    lambda day, minutes: f"2026-11-{day:02d}T{minutes // 60:02d}:{minutes % 60:02d}",
    st.integers(20, 30),
    st.integers(0, 24 * 60 - 1),
) | st.sampled_from(("2026-11-24T09:30", "2026-11-24T10:05", "2026-11-23T08:00"))
KINDS = {
    "moment": plausible_moment | st.sampled_from(MOMENTS),
    "number": st.integers(0, 600).map(str) | st.sampled_from(NUMBERS),
    "path": st.sampled_from(PATHS),
    "name": st.sampled_from(("Home", "Kitchen", "Zoë Müller-Łukasik", "Survey"))
    | st.sampled_from(WORDS_OF_JUNK),
    # Stand-ins for the template's own references, filled in by _run.
    "uid": st.sampled_from(("@UID", "@SERIES", "@OCCURRENCE")) | st.sampled_from(WORDS_OF_JUNK),
    "id": st.sampled_from(("1", "#1")) | st.sampled_from(NUMBERS),
    "key": st.sampled_from(
        (
            "hours.mon",
            "hours.sun",
            "reserve",
            "wrapup",
            "wrapup.block",
            "travel",
            "base",
            "travel-from-base",
            "speed",
            "road-factor",
            "zone",
            "locale",
            "margin",
        )
    ),
    "value": st.sampled_from(
        (
            "08:00-18:00",
            "off",
            "07:00-06:00",
            "25:00-26:00",
            "yes",
            "maybe",
            "Home",
            "Europe/Berlin",
            "de_DE",
            "xx_INVALID",
            "system",
            "none",
        )
    )
    | st.sampled_from(NUMBERS)
    | st.sampled_from(WORDS_OF_JUNK),
}


def _kind(name: str) -> str:
    """What kind of value an argument expects, guessed from its name."""
    name = name.lstrip("-").lower()
    if name in ("start", "end", "due", "after", "from", "to", "date", "until"):
        return "moment"
    if name in (
        "duration",
        "wrapup",
        "effort",
        "margin",
        "every",
        "count",
        "lat",
        "lon",
        "minutes",
        "id",
    ):
        return "number"
    if name in ("file", "out", "csv", "db"):
        return "path"
    return "name"


def _value(draw: st.DrawFn, argument: Argument) -> str:
    if argument.choices and draw(st.integers(0, 2)) > 0:
        return draw(st.sampled_from(argument.choices))
    if draw(st.integers(0, 4)) > 0:
        return draw(KINDS[_kind(argument.name)])
    return draw(junk)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command with (mostly) its required arguments, values of their kind or junk."""
    word = draw(st.sampled_from(WORDS))
    argv: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        argv += ["--tz", draw(st.sampled_from(("UTC", "America/New_York", "", "Mars/X")) | text)]
    if draw(st.integers(0, 14)) == 0:  # another database than the diary's (given last, it wins)
        argv += ["--db", draw(st.sampled_from(DATABASES))]
    argv += list(word.words)
    for positional in word.positionals:
        if draw(st.integers(0, 19)) > 0:
            argv.append(_value(draw, positional))
    chosen = [o for o in word.options if o.required and draw(st.integers(0, 19)) > 0]
    chosen += [draw(st.sampled_from(g)) for g in word.one_of if draw(st.integers(0, 19)) > 0]
    if word.options:
        chosen += draw(st.lists(st.sampled_from(word.options), max_size=2))
    for option in chosen:
        argv.append(option.name)
        if option.takes_value:
            argv.append(_value(draw, option))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(junk))  # a stray token
    return argv


# -- the diary and what "unchanged" means --------------------------------------------------


REFERENCES: dict[str, str] = {}  # "@UID" -> the template's UID, filled by `template`


def _run(db: Path, argv: list[str]) -> int:
    argv = [REFERENCES.get(item, item) for item in argv]

    def printer(_db: str | None, _view: str, _day: date, out: Path, _zone: str) -> None:
        out.write_bytes(b"%PDF-1.4 fake\n")

    try:
        return main(
            ["--db", str(db), "--tz", "Europe/London", *argv],
            clock=FixedClock(NOW),
            printer=printer,
        )
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small diary with a place, a customer, an appointment, a series and a promise."""
    folder = tmp_path_factory.mktemp("template")
    db = folder / DB_NAME
    for argv in (
        ["location", "add", "Home", "--address", "1 Home St"],
        ["location", "add", "Kitchen", "--lat", "51.5", "--lon", "-0.1"],
        ["travel", "set", "Home", "Kitchen", "20"],
        ["policy", "set", "base", "Home"],
        ["customer", "add", "Zoë Müller-Łukasik", "--email", "zoe@example.com"],
        ["add", "--title", "Survey", "--start", "2026-11-24T09:00", "--duration", "60"],
        [
            "add",
            "--title",
            "Overlap",
            "--start",
            "2026-11-24T09:30",
            "--duration",
            "60",
            "--force",
            "--reason",
            "two-person job",
        ],
        [
            "add-series",
            "--title",
            "Stand-up",
            "--start",
            "2026-11-23T08:00",
            "--duration",
            "15",
            "--repeat",
            "weekly",
            "--count",
            "6",
            "--kind",
            "block",
        ],
        [
            "promise",
            "add",
            "--customer",
            "Zoë Müller-Łukasik",
            "--what",
            "Quote",
            "--due",
            "2026-11-27T17:00",
        ],
        ["export", str(folder / "calendar.ics")],
    ):
        assert _run(db, argv) == 0, argv
    listing = io.StringIO()
    with contextlib.redirect_stdout(listing):
        assert _run(db, ["list", "--from", "2026-11-20", "--to", "2026-12-31", "--json"]) == 0
    refs = {item["title"]: item["uid"] for item in reversed(json.loads(listing.getvalue()))}
    single, occurrence = refs["Survey"], refs["Stand-up"]
    series = occurrence.split("#")[0]
    REFERENCES.update({"@UID": single, "@SERIES": series, "@OCCURRENCE": occurrence})
    (folder / "notes.txt").write_text("not a calendar\n" + "x" * 10_000, encoding="utf-8")
    return folder


def _world(folder: Path) -> dict[str, object]:
    """Every row of every table (the diaries' revision too), and every file of the folder
    but the database's own."""
    with sqlite3.connect(folder / DB_NAME) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        rows: dict[str, object] = {
            # Sorted here: the search index's FTS5 tables have no rowid to order by.
            t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
        }
    connection.close()
    for path in sorted(folder.rglob("*")):
        if path.name.startswith((DB_NAME, NEW_DB)):
            continue  # the diary's own files; a fresh --db path gets a new, empty diary
        info = path.lstat()
        rows[f"file {path.relative_to(folder)}"] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return rows


def _fresh(template: Path, into: Path) -> Path:
    shutil.copy(template / DB_NAME, into / DB_NAME)
    shutil.copy(template / "calendar.ics", into / "calendar.ics")
    shutil.copy(template / "notes.txt", into / "notes.txt")
    os.mkfifo(into / "fifo")
    (into / "target.txt").write_text("keep me\n", encoding="utf-8")
    (into / "link").symlink_to(into / "target.txt")
    (into / "folder").mkdir()
    return into / DB_NAME


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_junk_never_tracebacks_and_a_refusal_changes_nothing(
    template: Path,
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with tempfile.TemporaryDirectory(dir=template.parent) as work:
        folder = Path(work)
        db = _fresh(template, folder)
        monkeypatch.chdir(folder)  # relative paths in the junk land here
        before = _world(folder)
        code = _run(db, argv)
        _out, err = capsys.readouterr()
        event(f"exit {code}: {'usage' if 'usage:' in err else 'run'}")
        assert "Traceback" not in err
        assert code in (0, 1, 2, 3), (code, err[-500:])
        if code in (1, 2, 3):
            # Not a row, not the diary's revision: a write that changed nothing leaves the
            # database as it was (issue 16).
            assert _world(folder) == before, err[-500:]
        if code == 2:
            assert err.strip(), "a refusal says why"
            assert len(err) < 2000, "messages quote a short excerpt of the input"
        assert (folder / "target.txt").read_text(encoding="utf-8") == "keep me\n"
        assert (folder / "fifo").is_fifo() and (folder / "link").is_symlink()
