# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's declared events: validated, then converged into the Events table.

Private to the events module. An event of host_vars (creator_events) is one row of Events keyed by
its id. The slice owns the fields it declares (title, times, place, price, capacity, status) and
writes only those that differ; the ticket counters are the functions' (ticketsAvailable, ticketsHeld,
ticketsSold always add up to the capacity), so the slice sets them when it creates a row and
afterwards only moves ticketsAvailable by a change of capacity, on the condition that the tickets
it takes away are still available. Rows not declared (older events, events an admin made) are
left alone: they hold sales.
"""

import re
from datetime import UTC
from datetime import datetime

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import dynamodb
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import MAX_AMOUNT

# An event's id is its slug in the site's addresses (events.html?event=<id>).
EVENT_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LOCAL_TIME_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
ONLINE = "online"
STATUSES = ("draft", "on_sale", "cancelled")
MAX_CAPACITY = 1_000_000
MAX_TITLE = 100
MAX_DESCRIPTION = 2000
# The fields the slice owns, as the Events row names them, and whether DynamoDB holds them as numbers.
MANAGED_FIELDS = (
    ("title", False),
    ("description", False),
    ("date", False),
    ("timeZone", False),
    ("doorsAt", False),
    ("startsAt", False),
    ("endsAt", False),
    ("startsAtUtc", False),
    ("endsAtUtc", False),
    ("location", False),
    ("price", True),
    ("currency", False),
    ("capacity", True),
    ("status", False),
)
COUNTERS = ("ticketsAvailable", "ticketsHeld", "ticketsSold")


def time_zone_of(name):
    """The tzinfo of an IANA time zone name, or None when there is no such zone."""
    from zoneinfo import ZoneInfo  # pylint: disable=import-outside-toplevel
    from zoneinfo import ZoneInfoNotFoundError  # pylint: disable=import-outside-toplevel

    try:
        return ZoneInfo(name) if isinstance(name, str) and name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(value):
    """A local date and time "YYYY-MM-DDTHH:MM" as a naive datetime, or None when it is not one."""
    if not isinstance(value, str) or not LOCAL_TIME_PATTERN.match(value):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def number_error(field, value, minimum, maximum, unit):
    """A whole number from minimum to maximum."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        return f"{field} {value!r} must be a whole number of {unit} from {minimum} to {maximum}"
    return None


def text_errors(field, event):
    """The title (required) and description of one event."""
    errors = []
    title = event.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > MAX_TITLE:
        errors.append(f"{field}.title {title!r} must be 1 to {MAX_TITLE} characters")
    description = event.get("description") or ""
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
        errors.append(f"{field}.description must be text of at most {MAX_DESCRIPTION} characters")
    location = event.get("location")
    if not isinstance(location, str) or not location.strip() or len(location) > MAX_TITLE:
        errors.append(f"{field}.location {location!r} must be a venue (1 to {MAX_TITLE} characters) or {ONLINE}")
    return errors


def time_errors(field, event):
    """The event's time zone and its doors, start and end times (local, in that zone)."""
    errors = []
    if time_zone_of(event.get("time_zone")) is None:
        errors.append(
            f"{field}.time_zone {event.get('time_zone')!r} is not a time zone: use an IANA name like Europe/Berlin"
        )
    times = {}
    for name in ("start", "end", "doors"):
        value = event.get(name)
        if value is None and name == "doors":
            continue
        times[name] = local_time(value)
        if times[name] is None:
            errors.append(
                f"{field}.{name} {value!r} is not a date and time: use YYYY-MM-DDTHH:MM, like 2027-03-12T20:00"
            )
    if times.get("start") and times.get("end") and times["end"] <= times["start"]:
        errors.append(f"{field}.end {event['end']!r} must be after its start {event['start']!r}")
    if times.get("start") and times.get("doors") and times["doors"] > times["start"]:
        errors.append(f"{field}.doors {event['doors']!r} must not be after its start {event['start']!r}")
    return errors


def event_errors(index, event):
    """Everything wrong with one declared event, each naming the field and the value."""
    field = f"events[{index}]"
    if not isinstance(event, dict):
        return [
            f"{field} {event!r} must be a mapping with id, title, start, end, time_zone, location, price and capacity"
        ]
    errors = []
    if not isinstance(event.get("id"), str) or not EVENT_ID_PATTERN.match(event["id"]):
        errors.append(f"{field}.id {event.get('id')!r} must be 1 to 63 lower-case letters, digits and hyphens")
    errors += text_errors(field, event)
    errors += time_errors(field, event)
    errors += [
        error
        for error in (
            number_error(f"{field}.price", event.get("price"), 0, MAX_AMOUNT, "cents (0 for a free event)"),
            number_error(f"{field}.capacity", event.get("capacity"), 1, MAX_CAPACITY, "tickets"),
        )
        if error
    ]
    if event.get("status", "on_sale") not in STATUSES:
        errors.append(f"{field}.status {event.get('status')!r} must be one of {', '.join(STATUSES)}")
    return errors


def events_errors(events):
    """Every problem of the declared events, before any call; ids must be unique."""
    errors = [error for index, event in enumerate(events) for error in event_errors(index, event)]
    ids = [event.get("id") for event in events if isinstance(event, dict)]
    errors += [
        f"events id {event_id!r} is declared more than once"
        for event_id in sorted({i for i in ids if ids.count(i) > 1})
    ]
    return errors


def utc_instant(value, zone):
    """A local "YYYY-MM-DDTHH:MM" in `zone` as the UTC instant "YYYY-MM-DDTHH:MM:SS+00:00"."""
    return local_time(value).replace(tzinfo=zone).astimezone(UTC).isoformat(timespec="seconds")


def desired_fields(event, currency):
    """The managed fields of a declared event, as the Events row holds them (plain values)."""
    zone = time_zone_of(event["time_zone"])
    fields = {
        "title": event["title"].strip(),
        "description": (event.get("description") or "").strip(),
        "date": event["start"][:10],
        "timeZone": event["time_zone"],
        "doorsAt": event.get("doors") or event["start"],
        "startsAt": event["start"],
        "endsAt": event["end"],
        "startsAtUtc": utc_instant(event["start"], zone),
        "endsAtUtc": utc_instant(event["end"], zone),
        "location": event["location"].strip(),
        "price": event["price"],
        "currency": currency,
        "capacity": event["capacity"],
        "status": event.get("status") or "on_sale",
    }
    return fields


def typed(value, number):
    """A plain value as a low-level attribute value."""
    return {"N": str(value)} if number else {"S": value}


def plain_row(item):
    """A low-level Events item as plain values (numbers as int)."""
    return {key: int(value["N"]) if "N" in value else value.get("S") for key, value in item.items()}


def read_events(client, table, event_ids):
    """The Events rows of the declared ids (plain values), by id; 100 keys per call."""
    rows = {}
    for start in range(0, len(event_ids), 100):
        keys = [{"eventId": {"S": event_id}} for event_id in event_ids[start : start + 100]]
        for item in dynamodb.get_items(client, table, keys):
            row = plain_row(item)
            rows[row["eventId"]] = row
    return rows


def view(row):
    """What the diff shows of an event: its managed fields and counters."""
    if row is None:
        return None
    names = [name for name, unused_number in MANAGED_FIELDS] + list(COUNTERS)
    return {name: row.get(name) for name in names}


def differing(current, wanted):
    """The managed fields whose value differs, in MANAGED_FIELDS order."""
    return [name for name, unused_number in MANAGED_FIELDS if current.get(name) != wanted[name]]


def taken(row):
    """Tickets of the event that are held or sold."""
    return int(row.get("ticketsHeld", 0)) + int(row.get("ticketsSold", 0))


def plan_errors(current, wanted, event_id):
    """Changes the table's state does not allow: fewer seats than tickets taken, cancelling sold tickets."""
    errors = []
    if current is None:
        return errors
    if wanted["capacity"] < taken(current):
        errors.append(
            f"events {event_id!r} capacity {wanted['capacity']} is below the {taken(current)} tickets already sold or "
            "held: raise it, or refund tickets first"
        )
    if wanted["status"] == "cancelled" and current.get("status") != "cancelled" and taken(current):
        errors.append(
            f"events {event_id!r} status 'cancelled' would leave {taken(current)} tickets sold or held unrefunded: "
            "refund them in the creator's Stripe dashboard first (the webhook marks them refunded)"
        )
    return errors


def create_request(table, event_id, wanted):
    """PutItem of a new event: the managed fields and all its tickets available."""
    item = {"eventId": {"S": event_id}}
    item.update({name: typed(wanted[name], number) for name, number in MANAGED_FIELDS})
    item.update(ticketsAvailable={"N": str(wanted["capacity"])}, ticketsHeld={"N": "0"}, ticketsSold={"N": "0"})
    return {"TableName": table, "Item": item, "ConditionExpression": "attribute_not_exists(eventId)"}


def update_request(table, event_id, current, wanted, fields):
    """UpdateItem of the differing fields; a new capacity moves ticketsAvailable by the difference, if still free."""
    numbers = dict(MANAGED_FIELDS)
    names = {f"#{name}": name for name in fields}
    values = {f":{name}": typed(wanted[name], numbers[name]) for name in fields}
    assignments = [f"#{name} = :{name}" for name in fields]
    conditions = ["attribute_exists(eventId)"]
    if "capacity" in fields:
        delta = wanted["capacity"] - int(current["capacity"])
        assignments.append("ticketsAvailable = ticketsAvailable + :delta")
        values.update({":delta": {"N": str(delta)}, ":old_capacity": {"N": str(current["capacity"])}})
        names["#capacity"] = "capacity"
        conditions.append("#capacity = :old_capacity")
        if delta < 0:
            values[":needed"] = {"N": str(-delta)}
            conditions.append("ticketsAvailable >= :needed")
    return {
        "TableName": table,
        "Key": {"eventId": {"S": event_id}},
        "UpdateExpression": "SET " + ", ".join(assignments),
        "ConditionExpression": " AND ".join(conditions),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def after_row(current, wanted):
    """The row once the run is done (predicted in check mode)."""
    if current is None:
        return dict(wanted, ticketsAvailable=wanted["capacity"], ticketsHeld=0, ticketsSold=0)
    row = dict(current, **wanted)
    row["ticketsAvailable"] = int(current["ticketsAvailable"]) + wanted["capacity"] - int(current["capacity"])
    return row


def ensure_events(changes, client, table, current_rows, wanted_rows):
    """Create or update each declared event; returns the rows after, by id."""
    after = {}
    for event_id, wanted in wanted_rows.items():
        current = current_rows.get(event_id)
        if current is None:
            changes.make(f"create event {event_id}", dynamodb.put_item, client, create_request(table, event_id, wanted))
        else:
            fields = differing(current, wanted)
            if fields:
                request = update_request(table, event_id, current, wanted, fields)
                changes.make(f"update event {event_id}: {', '.join(fields)}", dynamodb.update_item, client, request)
        after[event_id] = after_row(current, wanted)
    return after
