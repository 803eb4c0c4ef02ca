"""Every date and time the user reads, formatted by babel for the chosen locale; gettext set-up."""

from __future__ import annotations

import functools
import gettext as gettext_module
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from babel import Locale as BabelLocale


# babel is imported where a date or time is first formatted, not with this module: the
# command line's commands that format nothing do not load it.


def format_date(day: date, format: str, locale: str) -> str:  # noqa: A002 - babel's name
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format, locale=locale)


def format_time(moment: datetime, format: str, locale: str) -> str:  # noqa: A002 - babel's name
    from babel.dates import format_time as babel_format_time

    return babel_format_time(moment, format, locale=locale)


def format_skeleton(skeleton: str, day: date, locale: str) -> str:
    from babel.dates import format_skeleton as babel_format_skeleton

    return babel_format_skeleton(skeleton, day, locale=locale)


FALLBACK_LOCALE = "en_US"
DOMAIN = "diary"


@functools.cache
def translations_folder() -> Path:
    """The folder of the compiled catalogues (<locale>/LC_MESSAGES/diary.mo).

    resources/translations in the repository; the build maps it into the package
    (`diary.resources`), so it is read the same way from a checkout, a wheel or a bundle.
    """
    from importlib.resources import files

    # A package on disk (checkout, wheel, one-folder bundle): gettext wants a real folder.
    return Path(str(files("diary.resources").joinpath("translations")))


_translation: gettext_module.NullTranslations = gettext_module.NullTranslations()


def system_locale() -> str:
    """The system's locale as babel knows it, or en_US when there is none (C, POSIX)."""
    return resolve_locale(None)


def resolve_locale(name: str | None) -> str:
    """A locale name babel accepts: `name` if valid, else the system's, else en_US."""
    # Without a name, the answer depends on the environment babel reads it from.
    system = "|".join(os.environ.get(v, "") for v in _LOCALE_VARIABLES) if not name else ""
    return _resolve(name, system)


_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_CTYPE", "LANG")


@functools.lru_cache(maxsize=32)
def _resolve(name: str | None, system: str) -> str:
    """(`system`: the environment the system's locale is read from, for the cache.)"""
    from babel import Locale, UnknownLocaleError, default_locale

    if not name:
        name = (default_locale() or "").replace("_POSIX", "")
    try:
        return str(Locale.parse(name or FALLBACK_LOCALE))
    except (UnknownLocaleError, ValueError, TypeError):
        return FALLBACK_LOCALE


def _catalogue(locale: str) -> gettext_module.NullTranslations:
    """The catalogue of `locale` or of its language; English strings when there is none."""
    language = locale.split("_", 1)[0]
    folder = translations_folder()
    if not any((folder / name).is_dir() for name in (locale, language)):
        # gettext would first normalise each name through the `locale` module (2 ms of a
        # cold start) to look in folders named after them, and there are none.
        return gettext_module.NullTranslations()
    return gettext_module.translation(DOMAIN, folder, languages=[locale, language], fallback=True)


@functools.lru_cache(maxsize=16)
def translation_for(locale: str | None) -> gettext_module.NullTranslations:
    """The catalogue of `locale` (English strings when there is none), for one message."""
    return _catalogue(resolve_locale(locale))


def install(locale: str) -> None:
    """Load the gettext catalogue of `locale` (English strings when there is none)."""
    global _translation
    _translation = _catalogue(locale)


def gettext(message: str) -> str:
    """Translate a user-visible string (looked up at call time, never at import)."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a sentence with a count in the plural form the language wants for `count`
    (the count itself is filled in by the caller's `.format`)."""
    return _translation.ngettext(singular, plural, count)


_ = gettext

# CLDR's supplemental paperSize: these territories print on US Letter, the rest on A4.
LETTER_TERRITORIES = frozenset(
    ("BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE")
)


def paper_size(locale: str) -> str:
    """"Letter" or "A4": the paper people in `locale`'s territory print on."""
    # "en_US", "es_419", "zh_Hans_CN": the territory is the part after the script, if any.
    parts = locale.replace("-", "_").split("_")[1:]
    territory = next((part.upper() for part in parts if len(part) == 2), "")
    return "Letter" if territory in LETTER_TERRITORIES else "A4"


class Formatter:
    """Dates and times for one locale and one display zone."""

    def __init__(self, locale: str | None, zone: str) -> None:
        self.locale = resolve_locale(locale)
        self.zone = zone
        self._tz = ZoneInfo(zone)
        self._time_cache: dict[tuple[int, int], str] = {}
        self._first_weekday: int | None = None

    @functools.cached_property
    def _babel(self) -> BabelLocale:
        from babel import Locale

        return Locale.parse(self.locale)

    @property
    def first_weekday(self) -> int:
        """The first day of the week, 0 = Monday, as the locale has it."""
        if self._first_weekday is None:
            self._first_weekday = int(self._babel.first_week_day)
        return self._first_weekday

    @property
    def uses_24h(self) -> bool:
        return "H" in self._babel.time_formats["short"].pattern

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._tz)

    def weekday_short(self, day: date) -> str:
        return format_skeleton("E", day, locale=self.locale)

    def weekday_names(self) -> list[str]:
        """Abbreviated day names, Monday first."""
        from babel.dates import get_day_names

        names = get_day_names("abbreviated", locale=self.locale)
        return [str(names[i]) for i in range(7)]

    def day_header(self, day: date) -> str:
        """Weekday and day/month, e.g. "Mon, 11/23", "Mo., 23.11.", "lun. 23/11"."""
        return format_skeleton("MEd", day, locale=self.locale)

    def day_title(self, day: date) -> str:
        """Weekday with day and month name, e.g. "Mon, Nov 23"."""
        return format_skeleton("MMMEd", day, locale=self.locale)

    def time(self, moment: datetime) -> str:
        """A time of day, 12- or 24-hour as the locale has it ("2:40 PM", "14:40")."""
        local = self.local(moment)
        key = (local.hour, local.minute)
        text = self._time_cache.get(key)
        if text is None:
            # CLDR puts a narrow no-break space before AM/PM; not every font has it. (The
            # short time format has no zone in it: the wall-clock time is all it depends on.)
            text = format_time(local, "short", locale=self.locale).replace("\u202f", " ")
            self._time_cache[key] = text
        return text

    def time_range(self, start: datetime, end: datetime) -> str:
        return f"{self.time(start)} – {self.time(end)}"

    def slot(self, moment: datetime) -> str:
        """A slot as offered to the user: weekday and time, e.g. "Tue 14:40"."""
        local = self.local(moment)
        return f"{self.weekday_short(local.date())} {self.time(local)}"

    def month_title(self, day: date) -> str:
        return format_skeleton("yMMMM", day, locale=self.locale)

    def date_long(self, day: date) -> str:
        return format_date(day, "full", locale=self.locale)

    def date_medium(self, day: date) -> str:
        return format_date(day, "medium", locale=self.locale)

    def minutes(self, count: int) -> str:
        """A duration in minutes, e.g. "45 min", "1 h 30 min"."""
        hours, rest = divmod(int(count), 60)
        if hours and rest:
            return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)
        if hours:
            return _("{hours} h").format(hours=hours)
        return _("{minutes} min").format(minutes=rest)
