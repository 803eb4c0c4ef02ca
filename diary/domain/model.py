"""Value types of the appointment book: plain, immutable, no Qt and no SQL."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta


def later(moment: datetime, delta: timedelta) -> datetime:
    """`moment` plus real elapsed time, in moment's own zone (DST-safe, unlike `+`)."""
    return (moment.astimezone(UTC) + delta).astimezone(moment.tzinfo)


def duration_between(start: datetime, end: datetime) -> timedelta:
    """The real time from `start` to `end` (DST-safe: `end - start` of two datetimes with
    the same zone subtracts wall clocks and is an hour off across a clock change)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


class Kind(enum.StrEnum):
    MEETING = "meeting"
    BLOCK = "block"
    ALL_DAY = "all-day"


class Channel(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    TEXT = "text"


class Rule(enum.StrEnum):
    """The names the rules are known by everywhere: flags, JSON, exports."""

    DOUBLE_BOOKING = "double-booking"
    BUFFER = "buffer"
    RESERVE = "reserve"
    AFTER_HOURS = "after-hours"


class Severity(enum.StrEnum):
    ERROR = "error"  # refused unless overridden
    WARNING = "warning"  # shown, never refused


SEVERITY: dict[Rule, Severity] = {
    Rule.DOUBLE_BOOKING: Severity.ERROR,
    Rule.BUFFER: Severity.ERROR,
    Rule.RESERVE: Severity.ERROR,
    Rule.AFTER_HOURS: Severity.WARNING,
}


@dataclass(frozen=True, slots=True)
class Location:
    """A place meetings happen at (or the base the day starts from); `remote` needs no drive."""

    id: int
    name: str
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    remote: bool = False

    @property
    def label(self) -> str:
        """What a person calls the place: its address if known, else its name."""
        return self.address or self.name


@dataclass(frozen=True, slots=True)
class Customer:
    """Someone the owner meets and makes promises to, with the channel they prefer."""

    id: int
    name: str
    email: str = ""
    phone: str = ""
    prefers: Channel = Channel.EMAIL
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Appointment:
    """One timed appointment (or all-day marker); `start`/`end` are aware, end exclusive.

    An imported event may have no length (end = start, RFC 5545 §3.6.1): it marks a
    moment and takes no time, so the rules leave it alone (`timed` is False).
    """

    uid: str
    title: str
    start: datetime
    end: datetime
    zone: str
    kind: Kind = Kind.MEETING
    customer: Customer | None = None
    location: Location | None = None
    wrapup_minutes: int | None = None  # None: the policy's default for the kind
    override_reason: str | None = None
    notes: str = ""
    cancelled: bool = False
    sequence: int = 0
    created: datetime | None = None
    updated: datetime | None = None
    series_uid: str | None = None
    recurrence_id: datetime | None = None
    # `ref`, worked out once: the rules, the caches and the views ask for it again and
    # again, and an occurrence's costs a strftime (most of a week's listing with series).
    _ref: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"appointment {self.uid!r}: start and end must be aware datetimes")
        if self.end.timestamp() < self.start.timestamp():
            raise ValueError(f"appointment {self.uid!r}: end must not be before start")
        if self.recurrence_id is None:
            ref = self.uid
        else:
            ref = f"{self.uid}#{self.recurrence_id.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"
        object.__setattr__(self, "_ref", ref)

    @property
    def duration(self) -> timedelta:
        """Real elapsed time (aware datetimes sharing a zone subtract by the wall clock)."""
        return duration_between(self.start, self.end)

    @property
    def all_day(self) -> bool:
        return self.kind is Kind.ALL_DAY

    @property
    def timed(self) -> bool:
        """Takes time in the diary: the rules apply to it."""
        return (
            not self.cancelled
            and self.kind is not Kind.ALL_DAY
            and self.end.timestamp() > self.start.timestamp()
        )

    @property
    def ref(self) -> str:
        """Identity in the diary: the UID, plus the occurrence for a member of a series."""
        return self._ref

    def moved_to(self, start: datetime) -> Appointment:
        return replace(self, start=start, end=later(start, self.duration))

    def resized_to(self, end: datetime) -> Appointment:
        return replace(self, end=end)


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """One day's working hours, wall-clock times in the diary's zone."""

    start: time
    end: time

    @property
    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


def _default_week() -> tuple[WorkingHours | None, ...]:
    day = WorkingHours(time(8, 0), time(18, 0))
    return (day, day, day, day, day, None, None)


@dataclass(frozen=True, slots=True)
class Policy:
    """The owner's rules of the house; working hours are wall-clock times in `zone`."""

    zone: str = "UTC"
    week: tuple[WorkingHours | None, ...] = field(default_factory=_default_week)  # Monday first
    reserve_minutes: int = 60
    wrapup_meeting_minutes: int = 15
    wrapup_block_minutes: int = 0
    default_travel_minutes: int = 20
    base_location_id: int | None = None
    travel_from_base: bool = True
    average_speed_kmh: float = 40.0
    road_factor: float = 1.3
    promise_margin_days: int = 1
    locale: str = ""  # empty: the system's
    sync_minutes: int = 15  # the window syncs its calendar accounts this often (0: on demand)
    owner_name: str = ""  # the owner's name, the heading of the day sheet

    def hours_on(self, weekday: int) -> WorkingHours | None:
        return self.week[weekday]

    def wrapup_for(self, appointment: Appointment) -> int:
        if appointment.wrapup_minutes is not None:
            return appointment.wrapup_minutes
        if appointment.kind is Kind.MEETING:
            return self.wrapup_meeting_minutes
        if appointment.kind is Kind.BLOCK:
            return self.wrapup_block_minutes
        return 0


@dataclass(frozen=True, slots=True)
class BufferShortfall:
    """What a buffer breach is short of, so it can be said in words."""

    missing_minutes: int
    wrapup_minutes: int
    travel_minutes: int
    previous_title: str | None  # None: the day's start from the base location
    travel_from: str | None  # label of the place travelled from


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule that the appointment `ref` breaks; the fields beyond `rule` say why."""

    rule: Rule
    ref: str
    other_ref: str | None = None
    other_title: str | None = None
    shortfall: BufferShortfall | None = None
    day: str | None = None  # ISO date of the day whose reserve or hours are concerned
    free_minutes: int | None = None
    reserve_minutes: int | None = None
    # The title of `ref` itself, so a message can name it; not part of what the flag is (two
    # verdicts on the same appointment are equal whether or not they carry it).
    title: str | None = field(default=None, compare=False)

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.rule]

    @property
    def refusable(self) -> bool:
        return self.severity is Severity.ERROR
