"""Dates and times as people type them, read with the locale's own patterns (babel/CLDR).

Accepted, in every locale: the locale's short, medium and long dates (numbers in the
pattern's order: 12/4/2026 in the US, 4.12.2026 in Germany, 04/12/2026 in France; two-digit
days, months and years; month names), ISO 8601 (2026-12-04, 2026-12-04T14:30), 24-hour
times (14:30, 14.30, 14h30, 1430) and 12-hour times with the locale's AM/PM markers or the
English ones (2:30 PM, 2 pm). Whatever cannot be read raises `DateInputError` with a
sentence that says what was typed and how to type it: nothing is ever guessed into
another value.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time

from diary.i18n import _

_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ISO_MOMENT = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})[T\s]+(.+)$")
# The words around a time some people type: "14 Uhr", "14 h 30", "à 14h".
_TIME_FILLERS = ("uhr", "a", "um", "at", "oclock", "o'clock", "h")
_ENGLISH_PERIODS = {
    "am": "am",
    "a.m.": "am",
    "pm": "pm",
    "p.m.": "pm",
}


# Nobody types a date longer than this; a paste of a page of text is refused at once
# instead of being tried at every space (the date/time split is quadratic in the length).
MAX_INPUT = 80


class DateInputError(ValueError):
    """Typed text that is not a date or time: the message says so, with an example."""


def _short(text: str) -> str:
    """`text` as the error quotes it: a long paste is cut to its start."""
    return text if len(text) <= MAX_INPUT else text[:MAX_INPUT] + "…"


def _fold(text: str) -> str:
    """Case, accents and spacing folded, for comparing words: "Févr." -> "fevr"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace(" ", "").replace("\u202f", "").replace("\u00a0", "").rstrip(".")


@dataclass(frozen=True, slots=True)
class _Patterns:
    order: tuple[str, ...]  # "d", "M", "y" in the order the short date has them
    date_display: str  # babel pattern the fields show: the short date with a 4-digit year
    time_display: str
    months: dict[str, int]  # folded month names (wide, abbreviated) -> 1..12
    days: frozenset[str]  # folded weekday names: ignored when typed
    periods: dict[str, str]  # folded AM/PM markers -> "am" | "pm"


@functools.lru_cache(maxsize=32)
def _patterns(locale: str) -> _Patterns:
    from babel import Locale

    babel = Locale.parse(locale)
    short = babel.date_formats["short"].pattern
    order = tuple(dict.fromkeys(c for c in short if c in "dMy"))
    if sorted(order) != ["M", "d", "y"]:
        order = ("y", "M", "d")
    date_display = re.sub(r"y+", "yyyy", short)
    time_display = babel.time_formats["short"].pattern
    months: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in babel.months[context][width].items():
                months[_fold(str(name))] = int(number)
    days = frozenset(
        _fold(str(name))
        for context in ("format", "stand-alone")
        for width in ("wide", "abbreviated", "short")
        for name in babel.days[context][width].values()
    )
    periods = {_fold(name): value for name, value in _ENGLISH_PERIODS.items()}
    for width in ("abbreviated", "wide", "narrow"):
        for key in ("am", "pm"):
            name = babel.day_periods["format"][width].get(key)
            if name:
                periods[_fold(str(name))] = key
    return _Patterns(order, date_display, time_display, months, days, periods)


def _format(value: date | datetime | time, pattern: str, locale: str) -> str:
    from babel.dates import format_date, format_time

    if isinstance(value, time):
        text = format_time(value, pattern, locale=locale)
    elif isinstance(value, datetime):
        text = format_time(value.time(), pattern, locale=locale)
    else:
        text = format_date(value, pattern, locale=locale)
    # CLDR puts a narrow no-break space before AM/PM: not every font has it, nobody types it.
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def format_date_input(day: date, locale: str) -> str:
    """What a date field shows: the locale's short date with the whole year ("12/4/2026")."""
    return _format(day, _patterns(locale).date_display, locale)


def format_time_input(moment: time, locale: str) -> str:
    """What a time field shows: the locale's short time ("2:30 PM", "14:30")."""
    return _format(moment, _patterns(locale).time_display, locale)


def format_moment_input(moment: datetime, locale: str) -> str:
    """Date and time as a date-and-time field shows them ("12/4/2026 2:30 PM")."""
    return f"{format_date_input(moment.date(), locale)} {format_time_input(moment.time(), locale)}"


def example_moment(locale: str) -> str:
    return format_moment_input(datetime(2026, 12, 4, 14, 30), locale)


def example_date(locale: str) -> str:
    return format_date_input(date(2026, 12, 4), locale)


def example_time(locale: str) -> str:
    return format_time_input(time(14, 30), locale)


def _year(token: str) -> int:
    value = int(token)
    if len(token) <= 2:
        # Two digits are this century's (diaries plan ahead, not back to the 1900s).
        return 2000 + value
    return value


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_date(text: str, locale: str, default_year: int | None) -> date | None:
    iso = _ISO_DATE.match(text)
    if iso:
        return _date_or_none(int(iso[1]), int(iso[2]), int(iso[3]))
    patterns = _patterns(locale)
    month_from_name: int | None = None
    for word in _WORD.findall(text):
        folded = _fold(word)
        if folded in patterns.months:
            if month_from_name is not None:
                return None
            month_from_name = patterns.months[folded]
        elif folded not in patterns.days and folded not in ("de", "der", "the", "of", "le"):
            return None
    numbers = _NUMBER.findall(text)
    if month_from_name is not None:
        # "Dec 4, 2026", "4. Dezember 2026", "4 déc. 2026": a day and perhaps a year.
        if len(numbers) == 1 and default_year is not None and len(numbers[0]) <= 2:
            return _date_or_none(default_year, month_from_name, int(numbers[0]))
        if len(numbers) != 2:
            return None
        first, second = numbers
        if len(first) >= 3:  # the year first: "2026 Dec 4"
            return _date_or_none(_year(first), month_from_name, int(second))
        return _date_or_none(_year(second), month_from_name, int(first))
    if len(numbers) == 3:
        if len(numbers[0]) >= 3:  # a year first, whatever the locale: 2026/12/04
            order: tuple[str, ...] = ("y", "M", "d")
        else:
            order = patterns.order
        fields = dict(zip(order, numbers, strict=True))
        if len(fields["d"]) > 2 or len(fields["M"]) > 2:
            return None
        return _date_or_none(_year(fields["y"]), int(fields["M"]), int(fields["d"]))
    if len(numbers) == 2 and default_year is not None:
        order = tuple(part for part in patterns.order if part != "y")
        fields = dict(zip(order, numbers, strict=True))
        if len(fields["d"]) > 2 or len(fields["M"]) > 2:
            return None
        return _date_or_none(default_year, int(fields["M"]), int(fields["d"]))
    return None


def parse_date(text: str, locale: str, *, default_year: int | None = None) -> date:
    """The date `text` names in `locale`; a day and month alone take `default_year` (when
    given). Raises DateInputError."""
    stripped = text.strip()
    fits = stripped and len(stripped) <= MAX_INPUT
    found = _read_date(stripped, locale, default_year) if fits else None
    if found is None:
        raise DateInputError(
            _("“{text}” is not a date. Type it like {example}.").format(
                text=_short(stripped), example=example_date(locale)
            )
        )
    return found


_TIME = re.compile(
    r"^(?P<pre>\D*?)\s*"
    r"(?P<hour>\d{1,4})(?:\s*[:.h]\s*(?P<minute>\d{1,2})(?:\s*[:.]\s*(?P<second>\d{1,2}))?)?"
    r"\s*(?P<post>\D*)$"
)


def _read_time(text: str, locale: str) -> time | None:
    patterns = _patterns(locale)
    match = _TIME.match(text.strip())
    if match is None:
        return None
    period: str | None = None
    for part in (match["pre"], match["post"]):
        words = "".join(w for w in part.split() if _fold(w) not in _TIME_FILLERS)
        words = _fold(words)
        if not words:
            continue
        if words not in patterns.periods or period is not None:
            return None
        period = patterns.periods[words]
    hour_text = match["hour"]
    minute_text = match["minute"]
    if minute_text is None and len(hour_text) in (3, 4):  # "1430", "930"
        hour_text, minute_text = hour_text[:-2], hour_text[-2:]
    if len(hour_text) > 2 or (minute_text is not None and len(minute_text) != 2):
        return None
    hour = int(hour_text)
    minute = int(minute_text) if minute_text else 0
    second = int(match["second"]) if match["second"] else 0
    if period is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if period == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return None
    return time(hour, minute, second)


def parse_time(text: str, locale: str) -> time:
    """The time of day `text` names (24-hour, or 12-hour with AM/PM). Raises DateInputError."""
    stripped = text.strip()
    found = _read_time(stripped, locale) if stripped and len(stripped) <= MAX_INPUT else None
    if found is None:
        raise DateInputError(
            _("“{text}” is not a time of day. Type it like {example}.").format(
                text=_short(stripped), example=example_time(locale)
            )
        )
    return found


def parse_moment(text: str, locale: str, *, default_year: int | None = None) -> datetime:
    """A date and a time of day (naive: a wall-clock time, its zone is the caller's)."""
    stripped = text.strip()
    iso = _ISO_MOMENT.match(stripped) if len(stripped) <= MAX_INPUT else None
    candidates: list[tuple[str, str]] = []
    if iso:
        candidates.append((iso[1], iso[2]))
    # Every split at a space or comma: the date on the left, the time on the right.
    splits = re.finditer(r"[\s,]+", stripped) if len(stripped) <= MAX_INPUT else ()
    for match in splits:
        candidates.append((stripped[: match.start()], stripped[match.end() :]))
    for date_text, time_text in candidates:
        day = _read_date(date_text.strip(" ,"), locale, default_year)
        clock = _read_time(time_text, locale) if day is not None else None
        if day is not None and clock is not None:
            return datetime.combine(day, clock)
    raise DateInputError(
        _("“{text}” is not a date and time. Type it like {example}.").format(
            text=_short(stripped), example=example_moment(locale)
        )
    )
