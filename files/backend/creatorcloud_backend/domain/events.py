# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's events as fans see them: the Events table, read only.

An event's row is written by the events slice (the creator's host_vars, validated and converged by
Ansible) with its times in the event's time zone and as UTC instants (startsAtUtc, endsAtUtc), so
the function needs no time zone database. The counters are the tickets' (domain.tickets):
ticketsAvailable (free to take), ticketsHeld (in an open checkout) and ticketsSold (paid or
RSVPed); their sum is the capacity, always.

The status fans see is derived: a stored `on_sale` event whose end has passed is `past`, one with
no ticket left is `sold_out`; `draft` events are never shown, `cancelled` ones are shown as such.
"""

from datetime import UTC
from datetime import datetime

from creatorcloud_backend import aws_clients
from creatorcloud_backend.domain.shop import scan_all
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

DRAFT, ON_SALE, SOLD_OUT, CANCELLED, PAST = "draft", "on_sale", "sold_out", "cancelled", "past"
ONLINE = "online"
# What a fan may buy in one checkout; a Checkout Session and its TransactWriteItems stay small.
MAX_TICKETS_PER_ORDER = 10


def events_table():
    """The Events table (partition key eventId)."""
    settings = current_settings()
    return aws_clients.table(settings.events_table, settings.region)


def utc_now():
    """The current UTC time, ISO 8601 to the second with +00:00 (the format of startsAtUtc and endsAtUtc)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def fan_status(row, at=None):
    """The status a fan sees: draft, cancelled, past, sold_out or on_sale."""
    stored = row.get("status", DRAFT)
    if stored in (DRAFT, CANCELLED):
        return stored
    if row["endsAtUtc"] <= (at or utc_now()):
        return PAST
    return SOLD_OUT if int(row["ticketsAvailable"]) <= 0 else ON_SALE


def public_event(row, at=None):
    """The API's view of an Events row."""
    return {
        "event_id": row["eventId"],
        "title": row["title"],
        "description": row.get("description", ""),
        "date": row["date"],
        "time_zone": row["timeZone"],
        "doors_at": row.get("doorsAt"),
        "starts_at": row["startsAt"],
        "ends_at": row["endsAt"],
        "starts_at_utc": row["startsAtUtc"],
        "location": row["location"],
        "online": row["location"] == ONLINE,
        "price": int(row["price"]),
        "currency": row.get("currency", current_settings().currency),
        "capacity": int(row["capacity"]),
        "tickets_available": int(row["ticketsAvailable"]),
        "tickets_sold": int(row["ticketsSold"]),
        "status": fan_status(row, at),
        "max_per_order": min(MAX_TICKETS_PER_ORDER, int(row["capacity"])),
    }


def list_events():
    """Every event a fan may see: upcoming ones first (soonest first), then past ones (latest first)."""
    at = utc_now()
    rows = scan_all(
        events_table(),
        FilterExpression="#status <> :draft",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":draft": DRAFT},
    )
    events = [public_event(row, at) for row in rows]
    upcoming = sorted((event for event in events if event["status"] != PAST), key=lambda event: event["starts_at_utc"])
    past = sorted((event for event in events if event["status"] == PAST), key=lambda event: event["starts_at_utc"])
    return {"events": upcoming + past[::-1]}


def read_event(event_id):
    """The Events row (strongly consistent); NotFound for a missing or draft event."""
    row = events_table().get_item(Key={"eventId": event_id}, ConsistentRead=True).get("Item")
    if row is None or row.get("status", DRAFT) == DRAFT:
        raise NotFound("No such event.", code="event_not_found")
    return row


def get_event(event_id):
    """One event as fans see it, with the tickets left now."""
    return public_event(read_event(event_id))
