"""When an issue appears: its date, with the time written beside it or the configured time of day, in
Berlin; and the one clock a build publishes by. `Issue.public_at` is the predicate; this module reads
what editors and the command line write and says it back in German."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .fields import Fields
from .problems import cut
from .text import BERLIN, german_date

NOON = datetime.time(12)  # `feed.time_of_day`'s default
_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_WITH_TIME = "oder mit Uhrzeit in Berliner Zeit JJJJ-MM-TT HH:MM, z. B. „date: 2027-03-01 09:00“."
_NOW_ALLOWED = "Erlaubt ist ein Zeitpunkt in Berliner Zeit als „JJJJ-MM-TT HH:MM“, z. B. --now \"2027-03-01 08:59\"."


@dataclass(frozen=True)
class Clock:
    """The one moment a build publishes by, and the time of day at which an issue dated without a
    time appears."""

    now: datetime.datetime  # aware
    time_of_day: datetime.time = NOON

    @classmethod
    def real(cls, time_of_day: datetime.time = NOON) -> Clock:
        return cls(datetime.datetime.now(BERLIN), time_of_day)


def issue_date(fields: Fields, key: str = "date") -> tuple[datetime.date | None, datetime.time | None]:
    """An issue's `date:`: a date, or a date and a time in Berlin (None: the configured time of day).
    A time that does not exist in Berlin, skipped when the clocks go forward, is refused; a time that
    exists twice, when they go back, is its first occurrence, in summer time."""
    value = fields.source.meta.get(key)
    if value is None:
        fields.fail(key, f"Pflichtfeld „{key}“ fehlt im Kopfbereich. Erlaubt ist ein Datum der Form JJJJ-MM-TT, "
                    f"z. B. „{key}: 2024-12-13“, {_WITH_TIME}")
        return None, None
    written = value.strip() if isinstance(value, str) else value
    match = _MOMENT.fullmatch(written) if isinstance(written, str) else None
    try:
        date = datetime.date.fromisoformat(match[1]) if match else None
    except ValueError:
        date = None
    if match is None or date is None:
        fields.fail(key, f"„{key}: {cut(value)}“ ist kein gültiges Datum. Erlaubt ist JJJJ-MM-TT, "
                    f"z. B. „{key}: 2024-12-13“, {_WITH_TIME}")
        return None, None
    if match[2] is None:
        return date, None
    time = _time(match)
    if time is None:
        fields.fail(key, f"„{key}: {cut(written)}“ nennt keine gültige Uhrzeit. Erlaubt sind Uhrzeiten von 00:00 "
                    f"bis 23:59 in Berliner Zeit, z. B. „{key}: {date.isoformat()} 09:00“.")
        return None, None
    if later := skipped(date, time):
        fields.fail(key, f"„{key}: {written}“: Diese Uhrzeit gibt es in Berlin nicht, an diesem Tag werden die Uhren "
                    f"vorgestellt (Beginn der Sommerzeit). Erlaubt ist eine Uhrzeit davor oder danach, z. B. "
                    f"„{key}: {date.isoformat()} {later:%H:%M}“.")
        return None, None
    return date, time


def parse_now(text: str) -> datetime.datetime | str:
    """`--now` of `rundbrief build`: the build's clock as a moment in Berlin, or why it is none."""
    match = _MOMENT.fullmatch(text.strip())
    time = _time(match) if match and match[2] else None
    try:
        date = datetime.date.fromisoformat(match[1]) if match else None
    except ValueError:
        date = None
    if date is None or time is None:
        return f"„{cut(text)}“ ist kein gültiger Zeitpunkt. {_NOW_ALLOWED}"
    if later := skipped(date, time):
        return (f"„{text.strip()}“ gibt es in Berlin nicht: an diesem Tag werden die Uhren vorgestellt (Beginn der "
                f"Sommerzeit). Erlaubt ist ein Zeitpunkt davor oder danach, z. B. „{date.isoformat()} {later:%H:%M}“.")
    return datetime.datetime.combine(date, time, BERLIN)


def skipped(date: datetime.date, time: datetime.time) -> datetime.time | None:
    """Where the clocks go forward, a time that does not exist in Berlin: the time it reads as once
    they have (02:30 -> 03:30). None for every time that exists."""
    moment = datetime.datetime.combine(date, time, BERLIN)
    shown = moment.astimezone(datetime.UTC).astimezone(BERLIN)
    return shown.time() if shown.replace(tzinfo=None) != moment.replace(tzinfo=None) else None


def german_moment(moment: datetime.datetime) -> str:
    """ "1. März 2027 um 9:00 Uhr", in Berlin."""
    local = moment.astimezone(BERLIN)
    return f"{german_date(local.date())} um {local.hour}:{local.minute:02} Uhr"


def _time(match: re.Match[str]) -> datetime.time | None:
    try:
        return datetime.time(int(match[2]), int(match[3]), int(match[4] or 0))
    except ValueError:
        return None
