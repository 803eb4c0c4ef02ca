"""diary.services.db_url: a database URL kept or shown never carries its password."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from diary.services.db_url import without_password

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
