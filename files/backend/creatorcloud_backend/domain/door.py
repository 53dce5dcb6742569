# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The check-in at the door: a scanned or typed code lets its ticket in once.

`paid -> checked_in` is a conditional write that records when and by whom; a second scan loses
that condition, reads the ticket again and answers who checked it in and when. A forged code, a
ticket of another event, a refunded or unpaid one is refused with the reason, before any write.
"""

from creatorcloud_backend.domain import ticket_codes
from creatorcloud_backend.domain import tickets
from creatorcloud_backend.domain.profile import now
from creatorcloud_backend.errors import Conflict


class AlreadyCheckedIn(Conflict):
    """A second scan of a ticket."""

    code = "already_checked_in"


def check_in(caller, event_id, code):
    """Let the ticket of `code` into `event_id`: {"order_id", "ticket_id", "event_id", "status"}, or a Conflict."""
    order_id, ticket_id, given = ticket_codes.parsed(code)
    table = tickets.tickets_table()
    key = {"orderId": order_id, "ticketId": ticket_id}
    row = table.get_item(Key=key, ConsistentRead=True).get("Item")
    if row is None or not ticket_codes.signed(row, given):
        raise Conflict("This ticket is forged or unknown.", code="forged_ticket")
    if row["eventId"] != event_id:
        raise Conflict("This ticket is for another event.", code="other_event")
    try:
        table.update_item(
            Key=key,
            UpdateExpression="SET #status = :checked_in, checkedInAt = :now, checkedInBy = :by",
            ConditionExpression="#status = :paid",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":checked_in": tickets.CHECKED_IN,
                ":paid": tickets.PAID,
                ":now": now(),
                ":by": caller.email or caller.user_id,
            },
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException as error:
        raise refusal(table.get_item(Key=key, ConsistentRead=True)["Item"]) from error
    return {"order_id": order_id, "ticket_id": ticket_id, "event_id": event_id, "status": tickets.CHECKED_IN}


def refusal(row):
    """Why a ticket that is no longer `paid` does not get in."""
    if row["status"] == tickets.CHECKED_IN:
        at, by = row["checkedInAt"], row.get("checkedInBy", "")
        return AlreadyCheckedIn(f"Already checked in at {at[11:16]} UTC by {by}.", checked_in_at=at, checked_in_by=by)
    if row["status"] == tickets.REFUNDED:
        return Conflict("This ticket was refunded.", code="refunded_ticket")
    return Conflict("This ticket was never paid.", code="unpaid_ticket")
