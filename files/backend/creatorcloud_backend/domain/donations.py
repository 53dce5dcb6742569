# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One-time donations to the creator: a Checkout Session per donation, a row per donation in Donations.

A donation's `status` is its whole life, and the key of the GSI status-index (sort key createdAt):
pending (checkout open) -> paid (awaiting moderation) -> approved | hidden (an admin's choice, either
way round); pending -> cancelled (expired or failed); any -> refunded (charge.refunded, terminal).
The site lists `approved` ones, newest first, by one Query of the index (createdAt to the
millisecond, so donations of the same second keep their order). Every transition is a
conditional write on the statuses it may come from, so replayed and late events change nothing.
"""

import uuid
from datetime import UTC
from datetime import datetime

from creatorcloud_backend import aws_clients
from creatorcloud_backend import privacy
from creatorcloud_backend.domain import payments
from creatorcloud_backend.domain.chat import display_name_of
from creatorcloud_backend.domain.profile import now
from creatorcloud_backend.domain.shop import scan_all
from creatorcloud_backend.errors import ApiError
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

DONATION_KIND = "donation"
PENDING, PAID, APPROVED, HIDDEN, CANCELLED, REFUNDED = "pending", "paid", "approved", "hidden", "cancelled", "refunded"
MODERATED = (PAID, APPROVED, HIDDEN)
STATUS_INDEX = "status-index"
ANONYMOUS = "Anonymous"
PUBLIC_PAGE = 50


def created_now():
    """The current UTC time as ISO 8601 to the millisecond: the wall's order (the index's sort key)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def donations_table():
    """The Donations table (partition key donationId; GSI status-index)."""
    settings = current_settings()
    return aws_clients.table(settings.donations_table, settings.region)


def checkout(caller, amount, message, anonymous, language=None):
    """Record a pending donation and open its Checkout Session: {"donation_id", "checkout_url"}.

    Stripe sends the fan back to the donations page in `language` (None: the site's first language).
    """
    settings = current_settings()
    if not settings.donation_min <= amount <= settings.donation_max:
        raise ApiError(
            f"A donation is between {settings.donation_min} and {settings.donation_max} cents.",
            code="amount_out_of_range",
        )
    row = {
        "donationId": uuid.uuid4().hex,
        "userId": caller.user_id,
        "anonymous": anonymous,
        "amount": amount,
        "currency": settings.currency,
        "status": PENDING,
        "createdAt": created_now(),
    }
    if not anonymous:
        row["donorName"] = display_name_of(caller)
    if message:
        row["message"] = message
    donations_table().put_item(Item=row)
    metadata = {"donation_id": row["donationId"], "user_id": caller.user_id, "kind": DONATION_KIND}
    try:
        session = payments.create_checkout_session(
            mode="payment",
            submit_type="donate",
            line_items=[
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": settings.currency,
                        "unit_amount": amount,
                        "product_data": {"name": "Donation"},
                    },
                }
            ],
            client_reference_id=row["donationId"],
            customer_email=caller.email or None,
            metadata=metadata,
            payment_intent_data={"metadata": metadata},
            success_url=payments.page_url("donations", language, checkout="success"),
            cancel_url=payments.page_url("donations", language, checkout="cancelled"),
        )
    except payments.PaymentError:
        transition(row["donationId"], CANCELLED, (PENDING,))
        raise
    donations_table().update_item(
        Key={"donationId": row["donationId"]},
        UpdateExpression="SET stripeSessionId = :session",
        ExpressionAttributeValues={":session": session["id"]},
    )
    return {"donation_id": row["donationId"], "checkout_url": session["url"]}


def transition(donation_id, to_status, from_statuses, **attributes):
    """Move a donation into to_status from one of from_statuses (and set attributes); False otherwise."""
    values = {":to": to_status, ":now": now(), **{f":{name}": value for name, value in attributes.items()}}
    values.update({f":from{index}": status for index, status in enumerate(from_statuses)})
    assignments = ["#status = :to", "updatedAt = :now"] + [f"{name} = :{name}" for name in attributes]
    table = donations_table()
    try:
        table.update_item(
            Key={"donationId": donation_id},
            UpdateExpression="SET " + ", ".join(assignments),
            ConditionExpression="#status IN (" + ", ".join(f":from{i}" for i in range(len(from_statuses))) + ")",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values,
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def mark_paid(donation_id, payment_intent_id):
    """checkout.session.completed: pending -> paid (awaiting moderation)."""
    return transition(donation_id, PAID, (PENDING,), stripePaymentId=payment_intent_id or "", paidAt=now())


def cancel(donation_id):
    """checkout.session.expired: pending -> cancelled."""
    return transition(donation_id, CANCELLED, (PENDING,))


def cancel_unpaid(donation_id):
    """payment_intent.payment_failed: expire the session (so it can no longer be paid), then cancel."""
    row = donations_table().get_item(Key={"donationId": donation_id}, ConsistentRead=True).get("Item")
    if row is None or row["status"] != PENDING:
        return False
    if row.get("stripeSessionId") and not payments.close_unpaid_session(row["stripeSessionId"]):
        return False
    return cancel(donation_id)


def mark_refunded(donation_id):
    """charge.refunded: refunded from any state but cancelled (it may arrive before the payment's own event)."""
    return transition(donation_id, REFUNDED, (PENDING, PAID, APPROVED, HIDDEN))


def moderate(donation_id, visible):
    """An admin shows (approved) or hides a paid donation and its message; NotFound or Conflict otherwise."""
    if transition(donation_id, APPROVED if visible else HIDDEN, MODERATED):
        return public_donation(donations_table().get_item(Key={"donationId": donation_id})["Item"], admin=True)
    if "Item" not in donations_table().get_item(Key={"donationId": donation_id}):
        raise NotFound("No such donation.", code="donation_not_found")
    raise Conflict("Only a paid donation can be shown or hidden.", code="donation_not_paid")


def public_donation(row, admin=False):
    """The site's view of a donation: the name (or "Anonymous"), the amount, the message; admins see more."""
    view = {
        "donation_id": row["donationId"],
        "name": ANONYMOUS if row.get("anonymous") else row.get("donorName") or ANONYMOUS,
        "amount": int(row["amount"]),
        "currency": row["currency"],
        "message": row.get("message"),
        "created_at": row["createdAt"],
    }
    if admin:
        view.update(status=row["status"], user_id=row.get("userId"))
    return view


def by_status(status, limit=PUBLIC_PAGE):
    """Donations of a status, newest first (one Query of status-index)."""
    response = donations_table().query(
        IndexName=STATUS_INDEX,
        KeyConditionExpression="#status = :status",
        ExpressionAttributeNames={"#status": "status"},
        ExpressionAttributeValues={":status": status},
        ScanIndexForward=False,
        Limit=limit,
    )
    return response["Items"]


def approved_donations():
    """The site's list: approved donations, newest first, and the limits the donate form checks before a call."""
    settings = current_settings()
    return {
        "donations": [public_donation(row) for row in by_status(APPROVED)],
        "limits": {"min": settings.donation_min, "max": settings.donation_max, "currency": settings.currency},
    }


def donations_of_status(status):
    """The admins' moderation list."""
    return {"donations": [public_donation(row, admin=True) for row in by_status(status, limit=100)]}


def user_donations(user_id):
    """Every Donations row of the fan (a Scan: the table has no userId index)."""
    return scan_all(donations_table(), FilterExpression="userId = :me", ExpressionAttributeValues={":me": user_id})


def export_donations(user_id):
    """The fan's donations as stored, oldest first ({} for a function without the table)."""
    if not current_settings().donations_table:
        return {}
    return {"donations": sorted(user_donations(user_id), key=lambda row: row["createdAt"])}


def erase_donations(user_id):
    """Remove the fan, their name and message from their donations; amount and payment stay for the accounts."""
    if not current_settings().donations_table:
        return
    for row in user_donations(user_id):
        hidden = HIDDEN if row["status"] == APPROVED else row["status"]
        donations_table().update_item(
            Key={"donationId": row["donationId"]},
            UpdateExpression=(
                "REMOVE userId, donorName, message SET anonymous = :true, #status = :status, erasedAt = :now"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":true": True, ":status": hidden, ":now": now()},
        )


privacy.register("donations", export_donations, erase_donations)
