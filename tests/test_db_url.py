"""diary.db_url: a database URL kept or shown never carries its password."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from diary.cli import main
from diary.db_url import without_password
from diary.storage import StorageError, open_database

# Anything a person may type in a password, "@" and ":" included; "/" and "?" only where
# they cannot be taken for the start of the database name.
PASSWORD_CHARACTERS = string.ascii_letters + string.digits + "@:!#$%^&*()-_=+[]{};'\",.<>~ "


@given(st.text(PASSWORD_CHARACTERS, min_size=1, max_size=30))
def test_the_whole_password_is_hidden(password: str) -> None:
    url = f"postgresql+psycopg://owner:{password}@db.example.com:5432/diary"
    assert without_password(url) == "postgresql+psycopg://owner:***@db.example.com:5432/diary"


@given(st.text(string.ascii_letters + string.digits + "/?:!", min_size=1, max_size=30))
def test_a_password_without_at_signs_is_hidden_as_sqlalchemy_parses_it(password: str) -> None:
    url = f"postgresql+psycopg://owner:{password}@db.example.com/diary"
    assert without_password(url) == make_url(url).render_as_string(hide_password=True)


def test_urls_without_a_password_are_kept_as_given() -> None:
    for url in (
        "postgresql+psycopg://owner@db.example.com/diary",
        "postgresql+psycopg:///diary",
        "sqlite:////home/me/work@home/diary.sqlite3",
        "/home/me/diary.sqlite3",
        "",
    ):
        assert without_password(url) == url


def test_a_password_in_the_query_is_hidden() -> None:
    url = "postgresql+psycopg://owner@host/diary?sslmode=require&password=s3cret&x=1"
    assert without_password(url) == (
        "postgresql+psycopg://owner@host/diary?sslmode=require&password=***&x=1"
    )


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://owner:Secret-42@127.0.0.1:1/none",  # nobody listens there
        "postgresql+psycopg://owner:Secret-42@db.example.com:no-port/none",  # not a URL
        "nosuchdriver://owner:Secret-42@db.example.com/none",
    ],
)
def test_a_database_that_cannot_be_opened_is_named_without_its_password(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(StorageError) as refused:
        open_database(url)
    assert "Secret-42" not in str(refused.value)
    with pytest.raises(SystemExit) as ended:
        main(["--db", url, "list"])
    code = ended.value.code
    _out, err = capsys.readouterr()
    assert code == 2 and "Secret-42" not in err and err.startswith("diary: error: cannot open")
