"""Events as iCalendar text (RFC 5545), written by hand: escaping and line folding."""

import datetime

from django.utils import timezone

# RFC 5545 3.1: lines longer than 75 octets are folded with CRLF + one space.
FOLD_OCTETS = 75


def escape_text(value):
    """TEXT values (3.3.11): backslash, semicolon and comma escaped, newlines as \\n."""
    value = (value or "").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in content lines at all.
    return "".join(ch for ch in value if ch >= " " or ch == "\t")


def fold(line):
    """Cut `line` into chunks of at most 75 octets, never inside a UTF-8 character."""
    parts, current, size, limit = [], "", 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            # Continuation lines start with a space, which counts towards the limit.
            current, size, limit = "", 0, FOLD_OCTETS - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts) + "\r\n"


def _stamp(moment):
    return timezone.localtime(moment, datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event, host, base):
    """The VEVENT of one event; all-day dates, DTEND exclusive as the RFC asks."""
    end = (event.end_date or event.start_date) + datetime.timedelta(days=1)
    place = ", ".join(filter(None, [event.city, str(event.host_country or "")]))
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{_stamp(event.updated_at)}",
        f"DTSTART;VALUE=DATE:{event.start_date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{escape_text(event.title)}",
        f"URL:{base.rstrip('/')}{event.get_absolute_url()}",
    ]
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines.append(f"CATEGORIES:{escape_text(event.get_kind_display())}")
    return lines + ["END:VEVENT"]


def calendar_lines(events, *, host, base):
    """The whole calendar as a stream of folded CRLF lines."""
    yield from map(fold, ["BEGIN:VCALENDAR", "VERSION:2.0"])
    yield fold(f"PRODID:-//{escape_text(host)}//Relations news portal//EN")
    yield from map(fold, ["CALSCALE:GREGORIAN", "METHOD:PUBLISH"])
    for event in events:
        yield from map(fold, event_lines(event, host, base))
    yield fold("END:VCALENDAR")
