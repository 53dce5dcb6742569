# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tickets: holds during checkout, payment, release, free RSVPs, the fan's tickets, export and erasure.

Never oversell. Taking N tickets is ONE TransactWriteItems: the event's counters move N from
ticketsAvailable to ticketsHeld (paid events) or ticketsSold (free ones) on the condition
`ticketsAvailable >= N` and the event on sale, and the N Tickets rows are put. Of concurrent
buyers of the last tickets exactly as many succeed as there are tickets; the others are
cancelled (409 sold_out) and nothing is written for them.

Exactly once. A held ticket (`reserved`) becomes `paid` (checkout.session.completed) or `released`
(the session expired, the payment failed, Stripe refused the checkout) in one transaction with
the counters, conditioned on every ticket of the order still being `reserved`: whichever comes
first wins, the other changes nothing, so no ticket is both released and paid and the counters
always add up to the capacity.

A ticket order's id is 16 characters of base32 (80 random bits) and its tickets are numbered 01..N:
short enough to type in at the door (domain.ticket_codes).
"""

import base64
import secrets
from http import HTTPStatus

from creatorcloud_backend import aws_clients
from creatorcloud_backend import privacy
from creatorcloud_backend.domain import events
from creatorcloud_backend.domain import payments
from creatorcloud_backend.domain import ticket_codes
from creatorcloud_backend.domain.profile import now
from creatorcloud_backend.domain.shop import ERASED_PREFIX
from creatorcloud_backend.domain.shop import every_page
from creatorcloud_backend.domain.shop import rows_of_user
from creatorcloud_backend.domain.shop import typed_item
from creatorcloud_backend.errors import ApiError
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.settings import current_settings

RESERVED, PAID, CHECKED_IN, REFUNDED, RELEASED = "reserved", "paid", "checked_in", "refunded", "released"
TICKET_KIND = "ticket"
# The index of Tickets by fan (partition userId, sort createdAt): "my tickets".
TICKETS_BY_USER_INDEX = "userId-index"
# What a fan's ticket list shows: a released hold was never theirs.
LISTED_STATUSES = (RESERVED, PAID, CHECKED_IN, REFUNDED)


def tickets_table():
    """The Tickets table (partition key orderId, sort key ticketId)."""
    settings = current_settings()
    return aws_clients.table(settings.tickets_table, settings.region)


def new_order_id():
    """16 upper-case base32 characters: 80 random bits, no padding, easy to read out and type."""
    return base64.b32encode(secrets.token_bytes(10)).decode()


def ticket_id(number):
    """The id of an order's ticket `number` (1..N): two digits, so the ids sort in order."""
    return f"{number:02d}"


FIRST_TICKET = ticket_id(1)


def ticket_rows(order_id, row, caller, quantity, status):
    """The Tickets rows of a new order of `quantity` tickets for the event `row`."""
    created = now()
    return [
        {
            "orderId": order_id,
            "ticketId": ticket_id(number),
            "eventId": row["eventId"],
            "userId": caller.user_id,
            "email": caller.email,
            "status": status,
            "amount": int(row["price"]),
            "currency": row.get("currency", current_settings().currency),
            "createdAt": created,
            **({"paidAt": created} if status == PAID else {}),
        }
        for number in range(1, quantity + 1)
    ]


def take_transaction(event_id, tickets, into):
    """The TransactItems that take len(tickets) free tickets of the event into the counter `into` and put them."""
    settings = current_settings()
    quantity = str(len(tickets))
    take = {
        "Update": {
            "TableName": settings.events_table,
            "Key": {"eventId": {"S": event_id}},
            "UpdateExpression": f"SET ticketsAvailable = ticketsAvailable - :n, {into} = {into} + :n",
            "ConditionExpression": "#status = :on_sale AND ticketsAvailable >= :n AND endsAtUtc > :now",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {
                ":n": {"N": quantity},
                ":on_sale": {"S": events.ON_SALE},
                ":now": {"S": events.utc_now()},
            },
        }
    }
    puts = [
        {
            "Put": {
                "TableName": settings.tickets_table,
                "Item": typed_item(ticket),
                "ConditionExpression": "attribute_not_exists(orderId)",
            }
        }
        for ticket in tickets
    ]
    return [take, *puts]


def take(event_row, tickets, into):
    """Take the tickets in one transaction; Conflict sold_out (or not_on_sale) when the event cannot give them."""
    client = aws_clients.dynamodb()
    try:
        client.transact_write_items(TransactItems=take_transaction(event_row["eventId"], tickets, into))
    except client.exceptions.TransactionCanceledException as error:
        current = events.read_event(event_row["eventId"])
        if events.fan_status(current) not in (events.ON_SALE, events.SOLD_OUT):
            raise Conflict("This event is not on sale.", code="event_not_on_sale") from error
        left = int(current["ticketsAvailable"])
        raise Conflict(f"Only {left} tickets are left." if left else "Sold out.", code="sold_out") from error


def on_sale(event_id, quantity):
    """The event's row if a fan may take `quantity` tickets now; Conflict otherwise (the transaction re-checks)."""
    row = events.read_event(event_id)
    status = events.fan_status(row)
    if status == events.SOLD_OUT:
        raise Conflict("Sold out.", code="sold_out")
    if status != events.ON_SALE:
        raise Conflict(f"This event is {status.replace('_', ' ')}: no tickets are sold.", code="event_not_on_sale")
    if quantity > events.MAX_TICKETS_PER_ORDER:
        raise Conflict(f"At most {events.MAX_TICKETS_PER_ORDER} tickets per order.", code="too_many_tickets")
    return row


def checkout(caller, event_id, quantity, language=None):
    """Hold `quantity` tickets and open a Checkout Session: {"order_id", "checkout_url"}; free events: rsvp()."""
    row = on_sale(event_id, quantity)
    if int(row["price"]) == 0:
        return rsvp(caller, row, quantity)
    order_id = new_order_id()
    take(row, ticket_rows(order_id, row, caller, quantity, RESERVED), "ticketsHeld")
    metadata = {"order_id": order_id, "user_id": caller.user_id, "event_id": event_id, "kind": TICKET_KIND}
    try:
        session = payments.create_checkout_session(
            mode="payment",
            line_items=[
                {
                    "quantity": quantity,
                    "price_data": {
                        "currency": row.get("currency", current_settings().currency),
                        "unit_amount": int(row["price"]),
                        "product_data": {"name": f"{row['title']} ({row['date']})"},
                    },
                }
            ],
            client_reference_id=order_id,
            customer_email=caller.email or None,
            metadata=metadata,
            payment_intent_data={"metadata": metadata},
            success_url=payments.page_url("tickets", language, order=order_id, checkout="success"),
            cancel_url=payments.page_url("events", language, event=event_id, checkout="cancelled"),
        )
    except payments.PaymentError:
        release(order_id)
        raise
    # The order's first ticket carries its Checkout Session (cancel_unpaid expires it): one write per checkout.
    tickets_table().update_item(
        Key={"orderId": order_id, "ticketId": FIRST_TICKET},
        UpdateExpression="SET stripeSessionId = :session",
        ExpressionAttributeValues={":session": session["id"]},
    )
    return {"order_id": order_id, "checkout_url": session["url"]}


def rsvp(caller, row, quantity):
    """A free event: the tickets are the fan's at once, no payment: {"order_id", "tickets"}."""
    order_id = new_order_id()
    tickets = ticket_rows(order_id, row, caller, quantity, PAID)
    take(row, tickets, "ticketsSold")
    return {"order_id": order_id, "tickets": [fan_ticket(ticket, row) for ticket in tickets]}


def order_tickets(order_id):
    """Every Tickets row of an order, read consistently."""
    return tickets_table().query(
        KeyConditionExpression="orderId = :order", ExpressionAttributeValues={":order": order_id}, ConsistentRead=True
    )["Items"]


def reserved_tickets(order_id):
    """The order's tickets that are still held (none when the order is unknown or settled)."""
    return [ticket for ticket in order_tickets(order_id) if ticket["status"] == RESERVED]


def settle(tickets, to_status, from_counter, to_counter, **attributes):
    """Move the held `tickets` of one order to `to_status` and the counters with them, exactly once.

    True if this call moved them; False when there are none or they were settled meanwhile.
    """
    if not tickets:
        return False
    order_id = tickets[0]["orderId"]
    settings = current_settings()
    names = {"#status": "status", **{f"#{name}": name for name in attributes}}
    values = {":to": {"S": to_status}, ":reserved": {"S": RESERVED}, ":now": {"S": now()}}
    values.update({f":{name}": {"S": value} for name, value in attributes.items()})
    assignments = ", ".join(["#status = :to", "updatedAt = :now", *(f"#{name} = :{name}" for name in attributes)])
    items = [
        {
            "Update": {
                "TableName": settings.tickets_table,
                "Key": {"orderId": {"S": order_id}, "ticketId": {"S": ticket["ticketId"]}},
                "UpdateExpression": "SET " + assignments,
                "ConditionExpression": "#status = :reserved",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }
        for ticket in tickets
    ]
    items.append(
        {
            "Update": {
                "TableName": settings.events_table,
                "Key": {"eventId": {"S": tickets[0]["eventId"]}},
                "UpdateExpression": f"SET {from_counter} = {from_counter} - :n, {to_counter} = {to_counter} + :n",
                "ExpressionAttributeValues": {":n": {"N": str(len(tickets))}},
            }
        }
    )
    client = aws_clients.dynamodb()
    try:
        client.transact_write_items(TransactItems=items)
    except client.exceptions.TransactionCanceledException:
        # Paid or released meanwhile (a concurrent delivery): this call has nothing left to do.
        return False
    return True


def mark_paid(order_id, payment_intent_id):
    """checkout.session.completed (paid): the held tickets are the fan's, permanently until refunded."""
    return settle(
        reserved_tickets(order_id),
        PAID,
        "ticketsHeld",
        "ticketsSold",
        stripePaymentId=payment_intent_id or "",
        paidAt=now(),
    )


def release(order_id):
    """The hold ends unpaid (expired, failed, refused): the tickets go back on sale, exactly once."""
    return settle(reserved_tickets(order_id), RELEASED, "ticketsHeld", "ticketsAvailable")


def cancel_unpaid(order_id):
    """A failed payment: expire the order's Checkout Session so it can no longer be paid, then release the hold."""
    tickets = reserved_tickets(order_id)
    if not tickets:
        return False
    session_id = next((ticket["stripeSessionId"] for ticket in tickets if ticket.get("stripeSessionId")), None)
    # A completed session means the fan paid after all (a retried card): checkout.session.completed does the rest.
    if session_id and not payments.close_unpaid_session(session_id):
        return False
    return settle(tickets, RELEASED, "ticketsHeld", "ticketsAvailable")


class NotYetPaid(ApiError):
    """charge.refunded before checkout.session.completed: refused, so Stripe delivers it again once paid."""

    status = HTTPStatus.CONFLICT
    code = "order_not_paid_yet"


def mark_refunded(order_id):
    """charge.refunded: the order's paid tickets are refunded (they no longer get in); True if any changed.

    A ticket still reserved has been paid but its completion is not processed yet: refusing the event
    (nothing recorded, Stripe retries for days) keeps the later payment from making it valid again.
    """
    rows = order_tickets(order_id)
    if any(ticket["status"] == RESERVED for ticket in rows):
        raise NotYetPaid("The tickets' payment is not recorded yet; deliver the refund again later.")
    table = tickets_table()
    changed = False
    for ticket in rows:
        try:
            table.update_item(
                Key={"orderId": order_id, "ticketId": ticket["ticketId"]},
                UpdateExpression="SET #status = :refunded, refundedAt = :now",
                ConditionExpression="#status IN (:paid, :checked_in)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":refunded": REFUNDED,
                    ":paid": PAID,
                    ":checked_in": CHECKED_IN,
                    ":now": now(),
                },
            )
            changed = True
        except table.meta.client.exceptions.ConditionalCheckFailedException:
            continue
    return changed


def fan_ticket(ticket, event_row):
    """The API's view of a fan's ticket; a paid one carries its door code (for the QR code)."""
    valid = ticket["status"] in (PAID, CHECKED_IN)
    return {
        "order_id": ticket["orderId"],
        "ticket_id": ticket["ticketId"],
        "event_id": ticket["eventId"],
        "title": event_row["title"] if event_row else "",
        "date": event_row["date"] if event_row else "",
        "starts_at": event_row["startsAt"] if event_row else "",
        "location": event_row["location"] if event_row else "",
        "status": ticket["status"],
        "amount": int(ticket["amount"]),
        "currency": ticket["currency"],
        "created_at": ticket["createdAt"],
        "checked_in_at": ticket.get("checkedInAt"),
        "code": ticket_codes.code_of(ticket) if valid else None,
    }


def event_rows(event_ids):
    """The Events rows of the ids, by id."""
    if not event_ids:
        return {}
    settings = current_settings()
    response = aws_clients.dynamodb().batch_get_item(
        RequestItems={settings.events_table: {"Keys": [{"eventId": {"S": event_id}} for event_id in event_ids]}}
    )
    from boto3.dynamodb.types import TypeDeserializer  # pylint: disable=import-outside-toplevel

    plain = TypeDeserializer()
    rows = response["Responses"].get(settings.events_table, [])
    return {row["eventId"]["S"]: {key: plain.deserialize(value) for key, value in row.items()} for row in rows}


def own_tickets(caller):
    """The caller's tickets, newest first, from the index userId-index (a checkout of the last second may lag)."""
    request = {
        "IndexName": TICKETS_BY_USER_INDEX,
        "KeyConditionExpression": "userId = :me",
        "ExpressionAttributeValues": {":me": caller.user_id},
        "ScanIndexForward": False,
    }
    tickets = [ticket for ticket in every_page(tickets_table().query, request) if ticket["status"] in LISTED_STATUSES]
    # Newest order first, its tickets in their numbers' order (the index leaves ties of createdAt in any order).
    tickets = sorted(sorted(tickets, key=lambda ticket: ticket["ticketId"]), key=lambda t: t["createdAt"], reverse=True)
    rows = event_rows(sorted({ticket["eventId"] for ticket in tickets}))
    return {"tickets": [fan_ticket(ticket, rows.get(ticket["eventId"])) for ticket in tickets]}


def user_tickets(user_id):
    """Every Tickets row of the fan."""
    return rows_of_user(tickets_table(), user_id)


def export_tickets(user_id):
    """The fan's tickets as stored, oldest first ({} for a function without the Tickets table)."""
    if not current_settings().tickets_table:
        return {}
    return {"tickets": sorted(user_tickets(user_id), key=lambda row: (row["createdAt"], row["ticketId"]))}


def erase_tickets(user_id):
    """Pseudonymise the fan's tickets: they are sales records (tax law keeps them); the e-mail address goes."""
    if not current_settings().tickets_table:
        return
    pseudonym = ERASED_PREFIX + secrets.token_hex(16)
    for row in user_tickets(user_id):
        tickets_table().update_item(
            Key={"orderId": row["orderId"], "ticketId": row["ticketId"]},
            UpdateExpression="SET userId = :pseudonym, erasedAt = :now REMOVE email",
            ExpressionAttributeValues={":pseudonym": pseudonym, ":now": now()},
        )


privacy.register("events", export_tickets, erase_tickets)
