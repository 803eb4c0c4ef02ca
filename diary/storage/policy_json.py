"""The diary's Policy as JSON: working hours as "HH:MM-HH:MM" (or null), Monday first."""

from __future__ import annotations

import dataclasses
import json
from datetime import time
from typing import Any

from diary.domain.model import Policy, WorkingHours
from diary.storage.errors import StorageError

DAYS_IN_WEEK = 7


def hours_to_text(hours: WorkingHours | None) -> str | None:
    if hours is None:
        return None
    return f"{hours.start:%H:%M}-{hours.end:%H:%M}"


def hours_from_text(text: str | None) -> WorkingHours | None:
    """Parse "08:00-18:00"; None (a day off) stays None."""
    if text is None:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as error:
        raise StorageError(f"working hours {text!r} are not of the form HH:MM-HH:MM") from error
    return WorkingHours(start, end)


def policy_to_json(policy: Policy) -> str:
    fields = {field.name: getattr(policy, field.name) for field in dataclasses.fields(policy)}
    fields["week"] = [hours_to_text(hours) for hours in policy.week]
    return json.dumps(fields, sort_keys=True)


def policy_from_json(text: str, *, default_zone: str) -> Policy:
    """The stored policy; missing fields take their defaults, unknown ones are ignored."""
    if not text.strip():
        return Policy(zone=default_zone)
    try:
        stored: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as error:
        raise StorageError(f"the diary's stored policy is not valid JSON: {error}") from error
    if not isinstance(stored, dict):
        raise StorageError("the diary's stored policy is not a JSON object")
    known = {field.name for field in dataclasses.fields(Policy)}
    values = {name: value for name, value in stored.items() if name in known}
    values.setdefault("zone", default_zone)
    if "week" in values:
        week = values["week"]
        if not isinstance(week, list) or len(week) != DAYS_IN_WEEK:
            raise StorageError("the diary's stored policy needs working hours for 7 days")
        values["week"] = tuple(hours_from_text(day) for day in week)
    try:
        return Policy(**values)
    except TypeError as error:
        raise StorageError(f"the diary's stored policy is unreadable: {error}") from error
