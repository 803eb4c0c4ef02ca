"""Promises said in words: risk reasons, the 24-hour check questions and customer messages.

Every sentence goes through the translation catalogue (diary.i18n.gettext); dates are
formatted by babel for the chosen locale, in the zone the promise was made in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from diary.domain.model import Channel
from diary.domain.promises import Promise, PromiseStatus, RiskKind, RiskReason
from diary.i18n import format_date, format_time, resolve_locale, translation_for
from diary.i18n import gettext as _

if TYPE_CHECKING:
    from diary.services.promises import PromiseView

TEXT_LIMIT = 300


@dataclass(frozen=True, slots=True)
class MessageDraft:
    """A message to the customer, ready for the channel they prefer.

    email: open `mailto_url` (subject and body filled in);
    text: copy `body` to the clipboard (at most 300 characters);
    phone: read `call_script` out.
    """

    channel: Channel
    recipient: str  # e-mail address or phone number ("" when unknown)
    subject: str
    body: str
    mailto_url: str | None = None
    call_script: str | None = None


def describe_reason(reason: RiskReason) -> str:
    """One sentence that says why a promise is at risk."""
    if reason.kind is RiskKind.LATE:
        return _("past due and not done")
    if reason.kind is RiskKind.CHECK_OVERDUE:
        return _("the 24-hour check has not been confirmed")
    return _("needs {needed} min of work, only {free} min free before it is due").format(
        needed=reason.needed_minutes, free=reason.free_minutes
    )


def describe_reasons(reasons: tuple[RiskReason, ...] | list[RiskReason]) -> list[str]:
    return [describe_reason(r) for r in reasons]


def check_questions(promise: Promise) -> list[str]:
    """What the 24-hour check asks; confirming it marks the promise checked."""
    questions = [
        _("Is everything in hand for “{what}” ({customer})?").format(
            what=promise.what, customer=promise.customer.name
        )
    ]
    if promise.depends_on:
        questions.append(_("Has {name} confirmed?").format(name=promise.depends_on))
    return questions


def format_moment(moment: datetime, locale: str | None, zone: str) -> str:
    """A date and time for a customer, e.g. "Tuesday, November 24, 2026, 5:00 PM"."""
    chosen = resolve_locale(locale or None)
    local = moment.astimezone(ZoneInfo(zone))
    return _("{date}, {time}").format(
        date=format_date(local.date(), "full", locale=chosen),
        time=format_time(local, "short", locale=chosen),
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def _channel(promise: Promise) -> Channel:
    """The preferred channel, unless the customer gave nothing to reach them there by."""
    customer = promise.customer
    preferred = customer.prefers
    if preferred is Channel.EMAIL and not customer.email and customer.phone:
        return Channel.PHONE
    if preferred in (Channel.TEXT, Channel.PHONE) and not customer.phone and customer.email:
        return Channel.EMAIL
    return preferred


def draft_message(
    view: PromiseView, new_due: datetime | None, locale: str | None = None
) -> MessageDraft:
    """Tell the customer first: the promise, its original date, a realistic new one, sorry."""
    # In the customer's language as chosen for this message, whatever the window shows.
    _ = translation_for(locale).gettext
    promise = view.promise
    customer = promise.customer
    original = format_moment(promise.due, locale, promise.zone)
    new = format_moment(new_due, locale, promise.zone) if new_due is not None else None
    late = view.assessment.status is PromiseStatus.LATE
    channel = _channel(promise)
    subject = _("About “{what}”: a new date").format(what=promise.what)
    if late:
        news = _("“{what}”, promised for {original}, is not ready yet.").format(
            what=promise.what, original=original
        )
    else:
        news = _("“{what}”, promised for {original}, will not be ready in time.").format(
            what=promise.what, original=original
        )
    offer = (
        _("I can now promise it for {new}.").format(new=new)
        if new is not None
        else _("I will call you with a new date very soon.")
    )
    apology = _("I am sorry for the delay and for any trouble it causes you.")
    greeting = _("Dear {name},").format(name=customer.name)
    closing = _("Kind regards")
    if channel is Channel.EMAIL:
        body = "\n\n".join((greeting, f"{news} {offer}", apology, closing))
        url = (
            f"mailto:{quote(customer.email, safe='@')}?subject={quote(subject)}&body={quote(body)}"
        )
        return MessageDraft(channel, customer.email, subject, body, mailto_url=url)
    if channel is Channel.TEXT:
        short_new = (
            _("New date: {new}.").format(new=new) if new is not None else _("New date to follow.")
        )
        tail = f" {short_new} " + _("Sorry!")
        head = _("Hi {name}: “{what}” (due {original}) is delayed.").format(
            name=customer.name, what=promise.what, original=original
        )
        body = _shorten(head, TEXT_LIMIT - len(tail)) + tail
        return MessageDraft(channel, customer.phone, subject, _shorten(body, TEXT_LIMIT))
    script = "\n".join(
        (
            "- "
            + _("Hello {name}, I am calling about “{what}”.").format(
                name=customer.name, what=promise.what
            ),
            "- " + news,
            "- " + _("Apologise: {apology}").format(apology=apology),
            "- " + offer,
            "- " + _("Ask whether the new date works; note what was agreed."),
        )
    )
    return MessageDraft(channel, customer.phone, subject, script, call_script=script)
