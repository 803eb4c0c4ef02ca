"""The one recurrence engine: which starts a series has in a window (RFC 5545 §3.8.5).

Every part of diary that needs a series' occurrences (import, storage, checks, views,
export) asks `Recurrence.compile(...).between(lo, hi)`. The work is bounded by the window
asked for: a rule is re-anchored to a period shortly before the window (jumping over the
years between DTSTART and it in constant time), so a daily series from 2012 or a
FREQ=SECONDLY rule from year 1 costs what its visible occurrences cost.

Semantics, where RFC 5545 leaves room, follow what recurring-ical-events (and so the
dateutil library beneath both) does, except where noted:
- DTSTART is always an occurrence (§3.8.5.3), even when it does not match the rule.
- Rules run in the wall-clock time of the series' zone; a start that falls in a DST gap
  is read with the offset before the gap, so it moves forward (§3.3.5).
- A DATE (or floating) UNTIL is the whole of that day in the series' zone: "bounds the
  recurrence rule in an inclusive manner" (§3.3.10). recurrence-ical-events reads
  it as midnight UTC and drops an occurrence on the UNTIL day itself.
- EXDATEs remove the occurrence at the same instant; an all-day EXDATE removes the day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import (
    DAILY,
    HOURLY,
    MINUTELY,
    MONTHLY,
    SECONDLY,
    WEEKLY,
    YEARLY,
    rrule,
    rrulestr,
    weekday,
)

# More starts than this for one series in one window is refused with numbers, never cut.
MAX_WINDOW_OCCURRENCES = 50_000
# COUNT rules are resolved to their last start once; rules whose periods do not all hold
# exactly one occurrence are counted one by one, at most this many.
MAX_COUNTED = 200_000
_BY_PARTS = re.compile(r"(^|;)\s*BY", re.IGNORECASE)
_NEGATIVE_COUNT = re.compile(r";?\s*COUNT=-\d+", re.IGNORECASE)  # as recurring-ical-events
# Seconds of each fixed-length frequency (wall-clock arithmetic, as dateutil steps them).
_FIXED = {SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: 86400, WEEKLY: 7 * 86400}
_QUANTUM = 4  # re-anchoring moves DTSTART by whole blocks of this many rule periods
_ANCHORS_KEPT = 8
# Wall-clock time runs back at most this far when clocks go back (a fold): the window is
# widened by it in wall-clock time, then cut exactly by instants.
_MARGIN = timedelta(hours=3)


class RuleError(ValueError):
    """A rule that cannot be expanded, or a window with too many starts; says why."""

    def __init__(self, problem: str, *, prop: str = "RRULE") -> None:
        super().__init__(problem)
        self.problem = problem
        self.prop = prop


def _naive(moment: datetime, tz: ZoneInfo) -> datetime:
    """An aware instant as naive wall-clock time in `tz`."""
    return moment.astimezone(tz).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """What repeats (RFC 5545 §3.8.5): DTSTART, RRULE values, RDATEs and EXDATEs.

    `start` is aware; for an all-day series it is local midnight of the first day in
    `zone`. RDATEs and EXDATEs are aware instants (all-day ones at local midnight).
    """

    start: datetime
    zone: str
    rules: tuple[str, ...] = ()
    rdates: tuple[datetime, ...] = ()
    exdates: tuple[datetime, ...] = ()
    all_day: bool = False

    def compile(self) -> CompiledRecurrence:
        """The rules parsed and checked; RuleError says what is wrong with which."""
        return CompiledRecurrence(self)


@dataclass(slots=True)
class _Rule:
    rule: rrule
    last: datetime | None  # naive wall-clock last start; None: it never ends
    simple: bool  # one occurrence per period, at DTSTART's phase (no BY parts)
    # rrules re-anchored near recent windows (building one costs as much as a week of
    # starts), oldest first
    anchored: dict[datetime, rrule] = field(default_factory=dict)


@dataclass(slots=True)
class CompiledRecurrence:
    """A Recurrence ready to expand; build once, ask many windows."""

    source: Recurrence
    tz: ZoneInfo = field(init=False)
    rules: list[_Rule] = field(init=False)
    _excluded: frozenset[float] = field(init=False)
    _excluded_days: frozenset[date] = field(init=False)
    _extra: tuple[datetime, ...] = field(init=False)  # DTSTART and RDATEs, by instant
    _all_rules: list[_Rule] = field(init=False)  # as written (COUNT=0 ones too)

    def __post_init__(self) -> None:
        source = self.source
        if source.start.tzinfo is None:
            raise ValueError("a recurrence starts at an aware datetime")
        self.tz = ZoneInfo(source.zone)
        start = _naive(source.start, self.tz)
        compiled = [self._compile(text, start) for text in source.rules if text.strip()]
        self._all_rules = compiled
        # COUNT=0 (or a COUNT that ends before DTSTART) adds nothing to the set.
        self.rules = [rule for rule in compiled if rule.last is None or rule.last >= start]
        self._excluded = frozenset(moment.timestamp() for moment in source.exdates)
        self._excluded_days = (
            frozenset(_naive(moment, self.tz).date() for moment in source.exdates)
            if source.all_day
            else frozenset()
        )
        extra = {moment.timestamp(): moment for moment in source.rdates}
        ends = [rule.last for rule in compiled]
        if not compiled or any(end is None or end >= start for end in ends):
            extra[source.start.timestamp()] = source.start
        self._extra = tuple(extra[key] for key in sorted(extra))

    # -- compiling -------------------------------------------------------------------

    def _compile(self, text: str, start: datetime) -> _Rule:
        value = _NEGATIVE_COUNT.sub("", text.strip().removeprefix("RRULE:"))
        value = self._until_in_wall_time(value)
        try:
            parsed = rrulestr(value, dtstart=start, cache=False)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
            raise RuleError(f"cannot read the rule {text.strip()!r}: {exc}") from exc
        if not isinstance(parsed, rrule):  # pragma: no cover - one RRULE value is one rrule
            raise RuleError(f"cannot read the rule {text.strip()!r}")
        simple = not _BY_PARTS.search(value)
        count = parsed._count
        if count is None:
            return _Rule(parsed, parsed._until, simple)
        last = _last_of_count(parsed, count, simple, text.strip())
        if parsed._until is not None and (last is None or parsed._until < last):
            last = parsed._until
        bounded = _rebuilt(parsed, start, until=last)
        return _Rule(bounded, last, simple)

    def _until_in_wall_time(self, value: str) -> str:
        """UNTIL as naive wall-clock time in the series' zone (dates: the whole day)."""
        parts = []
        for part in value.split(";"):
            name, _, raw = part.partition("=")
            if name.strip().upper() == "UNTIL" and raw.strip():
                raw = raw.strip()
                try:
                    if raw.upper().endswith("Z"):
                        moment = datetime.strptime(raw.upper(), "%Y%m%dT%H%M%SZ")
                        local = _naive(moment.replace(tzinfo=UTC), self.tz)
                    elif "T" in raw.upper():
                        local = datetime.strptime(raw.upper(), "%Y%m%dT%H%M%S")
                    else:
                        day = datetime.strptime(raw, "%Y%m%d")
                        local = day.replace(hour=23, minute=59, second=59)
                except ValueError as exc:
                    raise RuleError(f"UNTIL={raw} is not a date or date-time") from exc
                part = f"UNTIL={local:%Y%m%dT%H%M%S}"
            parts.append(part)
        return ";".join(parts)

    # -- questions -------------------------------------------------------------------

    @property
    def last(self) -> datetime | None:
        """The last start (aware), or None for a series without end."""
        ends: list[datetime] = []
        for rule in self.rules:
            if rule.last is None:
                return None
            found = None
            for found in _anchored(rule, rule.last):  # noqa: B007 - the last one is wanted
                pass
            if found is not None:
                ends.append(self._aware(found))
        ends.extend(moment for moment in self._extra if self._keeps(moment))
        return max(ends, key=lambda moment: moment.timestamp()) if ends else None

    def between(self, lo: datetime, hi: datetime, *, limit: int | None = None) -> list[datetime]:
        """Every start in [lo, hi), ascending, aware in the series' zone.

        With `limit`, only the first `limit` of them (and no error). Without, RuleError
        when there are more than MAX_WINDOW_OCCURRENCES: refused with numbers, never cut.
        """
        lo_s, hi_s = lo.timestamp(), hi.timestamp()
        if hi_s <= lo_s:
            return []
        wanted = limit if limit is not None else MAX_WINDOW_OCCURRENCES + 1
        found: dict[float, datetime] = {}
        for moment in self._extra:
            if lo_s <= moment.timestamp() < hi_s and self._keeps(moment):
                found[moment.timestamp()] = moment.astimezone(self.tz)
        naive_lo = _naive(lo, self.tz) - self._fold_margin(lo, lo + _MARGIN)
        naive_hi = _naive(hi, self.tz) + self._fold_margin(hi - _MARGIN, hi)
        for rule in self.rules:
            if rule.last is not None and rule.last < naive_lo:
                continue
            taken = 0  # each rule's starts come in order: the first `wanted` of each suffice
            simple = _simple_starts(rule, naive_lo)
            for local in simple if simple is not None else _anchored(rule, naive_lo):
                if local >= naive_hi or taken >= wanted:
                    break
                if local < naive_lo:
                    continue
                moment = self._aware(local)
                instant = moment.timestamp()
                if lo_s <= instant < hi_s and self._keeps(moment):
                    found[instant] = moment
                    taken += 1
        starts = [found[key] for key in sorted(found)]
        if limit is not None:
            return starts[:limit]
        if len(starts) > MAX_WINDOW_OCCURRENCES:
            raise RuleError(
                f"the series repeats more than {MAX_WINDOW_OCCURRENCES:,} times "
                f"between {lo:%Y-%m-%d %H:%M} and {hi:%Y-%m-%d %H:%M} UTC"
            )
        return starts

    def portable_rules(self) -> tuple[list[str], list[datetime]]:
        """RRULE values and extra RDATEs that every client expands to exactly this set.

        Clients disagree where RFC 5545 is loose: ical.js leaves out a DTSTART the rule
        does not produce (§3.8.5.3: "undefined") and counts RDATEs towards COUNT; vobject
        counts such a DTSTART towards COUNT (§3.3.10) where dateutil and
        recurring-ical-events (and so diary) do not, and compares UNTIL with starts an
        hour off after a clock change. So a DTSTART the rules skip is written as an RDATE
        too, a COUNT with RDATEs, EXDATEs or such a DTSTART is written as an UNTIL, and
        an UNTIL as the one of _until: the same occurrences for every reader.
        """
        source = self.source
        start = _naive(source.start, self.tz)
        # inc=True rather than a second earlier: a DTSTART at 0001-01-01 00:00 has none.
        synchronised = any(rule.rule.after(start, inc=True) == start for rule in self._all_rules)
        rules: list[str] = []
        for text, rule in zip(
            (line for line in source.rules if line.strip()), self._all_rules, strict=True
        ):
            value = text.strip().removeprefix("RRULE:")
            counted = re.search(r"(^|;)\s*COUNT=", value, re.I) is not None
            if rule.last is not None and (
                not counted or source.rdates or source.exdates or not synchronised
            ):
                value = self._until(value, rule)
            rules.append(value)
        extra: list[datetime] = []
        if (rules or source.rdates) and not synchronised:
            extra.append(source.start)
        return rules, extra

    def _until(self, value: str, rule: _Rule) -> str:
        """The rule with its end written as an UNTIL every client reads alike.

        The UNTIL is the last start itself; for daily and longer periods one hour after
        it (still before the next start; RFC 5545 §3.3.10 lets UNTIL fall between), since
        vobject compares it with starts carrying DTSTART's UTC offset, an hour off after a
        clock change.
        """
        assert rule.last is not None
        last = None
        for last in _anchored(rule, rule.last):  # noqa: B007 - the last one is wanted
            pass
        if last is None:
            return value
        parts = [
            part
            for part in value.split(";")
            if part.split("=", 1)[0].strip().upper() not in ("COUNT", "UNTIL")
        ]
        if self.source.all_day:
            until = f"{last:%Y%m%d}"
        else:
            moment = self._aware(last).astimezone(UTC)
            if rule.rule._freq <= DAILY:
                moment += timedelta(hours=1)
            until = f"{moment:%Y%m%dT%H%M%SZ}"
        return ";".join([*parts, f"UNTIL={until}"])

    def is_start(self, moment: datetime) -> bool:
        """Whether `moment` is one of the series' starts (a valid RECURRENCE-ID)."""
        return bool(self.between(moment, moment + timedelta(seconds=1)))

    # -- helpers ---------------------------------------------------------------------

    def _fold_margin(self, early: datetime, late: datetime) -> timedelta:
        """_MARGIN if the clocks may go back between two instants (<= _MARGIN apart), else 0.

        Wall-clock time only runs backwards when the UTC offset drops; without that, an
        instant's wall-clock time orders like the instant and the window needs no margin.
        """
        if early.astimezone(self.tz).utcoffset() == late.astimezone(self.tz).utcoffset():
            return timedelta(0)
        return _MARGIN

    def _aware(self, local: datetime) -> datetime:
        """Wall-clock time as an instant: fold 0, a gap time read with the earlier offset."""
        return local.replace(tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)

    def _keeps(self, moment: datetime) -> bool:
        """Not removed by an EXDATE (an all-day series' EXDATE removes its day)."""
        if moment.timestamp() in self._excluded:
            return False
        return not (self._excluded_days and _naive(moment, self.tz).date() in self._excluded_days)


def _last_of_count(parsed: rrule, count: int, simple: bool, text: str) -> datetime | None:
    """The naive last start of a COUNT rule: arithmetic when every period has one start."""
    freq, interval, start = parsed._freq, parsed._interval, parsed._dtstart
    assert start is not None
    if simple and freq in _FIXED:
        try:
            return start + timedelta(seconds=_FIXED[freq] * interval * (count - 1))
        except OverflowError:
            return None  # beyond year 9999: as good as no end
    if simple and freq == MONTHLY and start.day <= 28:
        months = start.month - 1 + interval * (count - 1)
        year = start.year + months // 12
        return start.replace(year=year, month=months % 12 + 1) if year <= 9999 else None
    if simple and freq == YEARLY and (start.month, start.day) != (2, 29):
        year = start.year + interval * (count - 1)
        return start.replace(year=year) if year <= 9999 else None
    if count <= 0:
        return start - timedelta(seconds=1)
    if count > MAX_COUNTED:
        raise RuleError(
            f"{text}: COUNT={count:,} with this rule would have to be counted one by one; "
            f"diary counts at most {MAX_COUNTED:,}",
            prop="RRULE",
        )
    last = None
    for last in parsed.replace(count=count):  # noqa: B007 - the last one is wanted
        pass
    return last


def _period_index(moment: datetime, freq: int, wkst: int) -> int:
    """Which period of `freq` a naive moment is in, counted from year 1."""
    if freq == YEARLY:
        return moment.year
    if freq == MONTHLY:
        return moment.year * 12 + moment.month - 1
    day = moment.toordinal()
    if freq == WEEKLY:
        return (day - (moment.weekday() - wkst) % 7) // 7
    if freq == DAILY:
        return day
    seconds = (day * 86400) + moment.hour * 3600 + moment.minute * 60 + moment.second
    return seconds // _FIXED[freq]


def _period_start(index: int, freq: int) -> datetime:
    """The naive start of period `index` (see _period_index; not for WEEKLY)."""
    if freq == YEARLY:
        return datetime(index, 1, 1)
    if freq == MONTHLY:
        return datetime(index // 12, index % 12 + 1, 1)
    if freq == DAILY:
        return datetime.fromordinal(index)
    seconds = index * _FIXED[freq]
    days, rest = divmod(seconds, 86400)
    return datetime.fromordinal(days) + timedelta(seconds=rest)


def _anchor(rule: rrule, target: datetime) -> datetime | None:
    """A new naive DTSTART one period or more before `target`, in phase with the rule."""
    start = rule._dtstart
    assert start is not None
    freq, interval, wkst = rule._freq, rule._interval, rule._wkst
    first = _period_index(start, freq, wkst)
    wanted = _period_index(target, freq, wkst)
    # Whole blocks of _QUANTUM steps: neighbouring windows share an anchor (and the rrule
    # built for it, see _anchored), for at most _QUANTUM periods more to step through.
    steps = ((wanted - first) // interval - 1) // _QUANTUM * _QUANTUM
    if steps <= 0:
        return None
    index = first + steps * interval
    try:
        if freq == WEEKLY:
            week_start = start - timedelta(days=(start.weekday() - wkst) % 7)
            return datetime.combine(week_start.date(), datetime.min.time()) + timedelta(
                weeks=steps * interval
            )
        return _period_start(index, freq)
    except (ValueError, OverflowError):
        return None


def _simple_starts(rule: _Rule, target: datetime) -> Iterator[datetime] | None:
    """The starts from `target` on of a rule with one start a period (no BY parts), by
    arithmetic on wall-clock time as dateutil steps it; None for any other rule."""
    parsed = rule.rule
    start = parsed._dtstart
    if not rule.simple or start is None:
        return None
    freq, interval = parsed._freq, parsed._interval
    if freq in _FIXED:
        step = timedelta(seconds=_FIXED[freq] * interval)
        skip = max(0, -(-(target - start) // step))  # whole steps before target, rounded up

        def fixed() -> Iterator[datetime]:
            moment = start + skip * step
            while rule.last is None or moment <= rule.last:
                yield moment
                moment += step

        return fixed()
    if (
        freq == MONTHLY
        and start.day <= 28
        or freq == YEARLY
        and (start.month, start.day) != (2, 29)
    ):
        months = interval * (12 if freq == YEARLY else 1)
        behind = (target.year - start.year) * 12 + target.month - start.month
        skip = max(0, behind // months - 1)

        def calendar_steps() -> Iterator[datetime]:
            index = start.year * 12 + start.month - 1 + skip * months
            while True:
                year, month = divmod(index, 12)
                if year > 9999:
                    return
                moment = start.replace(year=year, month=month + 1)
                if rule.last is not None and moment > rule.last:
                    return
                yield moment
                index += months

        return calendar_steps()
    return None


def _anchored(rule: _Rule, target: datetime) -> Iterable[datetime]:
    """The rule's starts from shortly before `target` on (the same starts as the rule's)."""
    anchor = _anchor(rule.rule, target)
    if anchor is None:
        return iter(rule.rule)
    rebuilt = rule.anchored.get(anchor)
    if rebuilt is None:
        rebuilt = _rebuilt(rule.rule, anchor, until=rule.last)
        try:  # shared between threads: a lost race only costs a rebuild
            while len(rule.anchored) >= _ANCHORS_KEPT:
                rule.anchored.pop(next(iter(rule.anchored)), None)
            rule.anchored[anchor] = rebuilt
        except (RuntimeError, StopIteration):
            pass
    return iter(rebuilt)


def _rebuilt(parsed: rrule, anchor: datetime, *, until: datetime | None) -> rrule:
    """The same rule from another DTSTART, with every BY part spelled out.

    dateutil fills BY parts the rule leaves out from DTSTART (the day of month of a
    MONTHLY rule, the weekday of a WEEKLY one, the time of day): written out, they keep
    meaning the original DTSTART's values.
    """
    weekdays: list[weekday] = [weekday(day) for day in parsed._byweekday or ()]
    weekdays += [weekday(day, n) for day, n in parsed._bynweekday or ()]
    monthdays = (*parsed._bymonthday, *parsed._bynmonthday)
    return rrule(
        parsed._freq,
        dtstart=anchor,
        interval=parsed._interval,
        wkst=parsed._wkst,
        until=until,
        bysetpos=parsed._bysetpos,
        bymonth=parsed._bymonth,
        bymonthday=monthdays or None,
        byyearday=parsed._byyearday,
        byeaster=parsed._byeaster,
        byweekno=parsed._byweekno,
        byweekday=weekdays or None,
        byhour=tuple(parsed._byhour) if parsed._byhour is not None else None,
        byminute=tuple(parsed._byminute) if parsed._byminute is not None else None,
        bysecond=tuple(parsed._bysecond) if parsed._bysecond is not None else None,
        cache=False,
    )


def starts_between(recurrence: Recurrence, lo: datetime, hi: datetime) -> list[datetime]:
    """Shorthand: the starts of `recurrence` in [lo, hi)."""
    return recurrence.compile().between(lo, hi)


def check_rules(rules: Sequence[str], start: datetime, zone: str) -> None:
    """RuleError if one of `rules` cannot be read (nothing is expanded)."""
    Recurrence(start=start, zone=zone, rules=tuple(rules)).compile()
