# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paid memberships: Stripe subscriptions, one row per fan in Memberships, and the Cognito `premium` group.

The row mirrors the fan's subscription as the webhook last saw it. Events may arrive out of order,
so a snapshot is applied only if its event is not older than the one the row was written from
(`eventAt`, Stripe's event `created`), and a cancelled subscription never comes back to life.
After every event the `premium` group is made to match the row: entitled while the subscription
is active, trialing or past_due (Stripe is still retrying); removed when it is canceled or unpaid.
A fan who cancels keeps premium to the end of the paid period, because Stripe ends the
subscription (customer.subscription.deleted) only then.
"""

import logging

from creatorcloud_backend import aws_clients
from creatorcloud_backend import privacy
from creatorcloud_backend.domain import identity
from creatorcloud_backend.domain import payments
from creatorcloud_backend.domain.profile import now
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.errors import Forbidden
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

MEMBERSHIP_KIND = "membership"
PREMIUM_GROUP = "premium"
ENTITLED = ("active", "trialing", "past_due")
CANCELED = "canceled"
INTERVAL_PRICE = {"month": "monthly", "year": "yearly"}

logger = logging.getLogger(__name__)


def memberships_table():
    """The Memberships table (partition key userId)."""
    settings = current_settings()
    return aws_clients.table(settings.memberships_table, settings.region)


def list_tiers():
    """The creator's tiers with their monthly and yearly prices (cents)."""
    settings = current_settings()
    return {"tiers": [{**tier, "currency": settings.currency} for tier in settings.membership_tiers]}


def find_tier(tier_id):
    """The tier of that id, or NotFound."""
    for tier in current_settings().membership_tiers:
        if tier["id"] == tier_id:
            return tier
    raise NotFound("No such membership tier.", code="tier_not_found")


def read_membership(user_id):
    """The fan's Memberships row (strongly consistent), or None."""
    return memberships_table().get_item(Key={"userId": user_id}, ConsistentRead=True).get("Item")


def is_entitled(row):
    """Whether a Memberships row grants premium."""
    return bool(row) and row.get("status") in ENTITLED


def public_membership(row):
    """The API's view of a Memberships row (a fan without one: status "none")."""
    row = row or {}
    period_end = row.get("currentPeriodEnd")
    return {
        "tier": row.get("tier"),
        "interval": row.get("interval"),
        "status": row.get("status", "none"),
        "current_period_end": int(period_end) if period_end is not None else None,
        "cancel_at_period_end": bool(row.get("cancelAtPeriodEnd")),
        "premium": is_entitled(row),
    }


def own_membership(caller):
    """The caller's membership."""
    return public_membership(read_membership(caller.user_id))


def checkout(caller, tier_id, interval, language=None):
    """A subscription Checkout Session for the tier and interval: {"checkout_url"}; Conflict for a member."""
    tier = find_tier(tier_id)
    row = read_membership(caller.user_id)
    if is_entitled(row):
        raise Conflict("You are a member already; manage it in the billing portal.", code="already_member")
    settings = current_settings()
    metadata = {"user_id": caller.user_id, "kind": MEMBERSHIP_KIND, "tier": tier_id, "interval": interval}
    customer = {"customer": row["customerId"]} if row and row.get("customerId") else {}
    session = payments.create_checkout_session(
        mode="subscription",
        line_items=[
            {
                "quantity": 1,
                "price_data": {
                    "currency": settings.currency,
                    "unit_amount": tier[INTERVAL_PRICE[interval]],
                    "recurring": {"interval": interval},
                    "product_data": {"name": f"{tier['name']} membership"},
                },
            }
        ],
        client_reference_id=caller.user_id,
        **(customer or {"customer_email": caller.email or None}),
        metadata=metadata,
        # The subscription's own events carry the fan and tier.
        subscription_data={"metadata": metadata},
        success_url=payments.page_url("membership", language, checkout="success"),
        cancel_url=payments.page_url("membership", language, checkout="cancelled"),
    )
    return {"checkout_url": session["url"]}


def portal(caller, language=None):
    """A billing portal link for the caller's Stripe customer: {"url"}; NotFound before a first checkout."""
    row = read_membership(caller.user_id)
    if not row or not row.get("customerId"):
        raise NotFound("No membership to manage yet.", code="membership_not_found")
    return {"url": payments.create_portal_session(row["customerId"], payments.page_url("membership", language))["url"]}


def record_customer(user_id, customer_id):
    """checkout.session.completed of a membership: remember the fan's Stripe customer (for the portal)."""
    if user_id and customer_id:
        memberships_table().update_item(
            Key={"userId": user_id},
            UpdateExpression="SET customerId = :customer",
            ExpressionAttributeValues={":customer": customer_id},
        )


def period_end(subscription):
    """A subscription's current_period_end: on the subscription in older API versions, on its items in newer."""
    if subscription.get("current_period_end"):
        return int(subscription["current_period_end"])
    items = (subscription.get("items") or {}).get("data") or []
    ends = [int(item["current_period_end"]) for item in items if item.get("current_period_end")]
    return max(ends) if ends else None


def apply_subscription(subscription, event_created):
    """Mirror a subscription snapshot of an event into the fan's row unless the row is newer; then sync premium."""
    metadata = subscription.get("metadata") or {}
    user_id = metadata.get("user_id")
    if not user_id:
        logger.warning("subscription without user_id metadata: %s", subscription.get("id"))
        return False
    table = memberships_table()
    try:
        table.update_item(
            Key={"userId": user_id},
            UpdateExpression=(
                "SET subscriptionId = :sid, customerId = :customer, #status = :status, tier = :tier, #interval = "
                ":interval, currentPeriodEnd = :end, cancelAtPeriodEnd = :cancel, eventAt = :at, updatedAt = :now"
            ),
            # Out of order: an older event never overwrites a newer one, and a canceled subscription stays canceled.
            ConditionExpression=(
                "attribute_not_exists(eventAt)"
                " OR (eventAt <= :at AND NOT (subscriptionId = :sid AND #status = :canceled))"
            ),
            ExpressionAttributeNames={"#status": "status", "#interval": "interval"},
            ExpressionAttributeValues={
                ":sid": subscription["id"],
                ":customer": subscription.get("customer") or "",
                ":status": subscription["status"],
                ":tier": metadata.get("tier", ""),
                ":interval": metadata.get("interval", ""),
                ":end": period_end(subscription),
                ":cancel": bool(subscription.get("cancel_at_period_end")),
                ":at": int(event_created),
                ":canceled": CANCELED,
                ":now": now(),
            },
        )
        applied = True
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        applied = False
    sync_premium(user_id)
    return applied


def sync_premium(user_id):
    """Put the fan in the premium group or take them out, as their row says (idempotent)."""
    try:
        identity.set_group_membership(user_id, PREMIUM_GROUP, is_entitled(read_membership(user_id)))
    except NotFound:
        # The fan erased their account: there is no group to change.
        logger.info("membership event for a user no longer in the pool")


def require_premium(caller):
    """The caller if an admin or a paying member (from the table, not the token's groups, which lag), else 403."""
    if caller.is_admin or is_entitled(read_membership(caller.user_id)):
        return caller
    raise Forbidden("This is for members only.", code="premium_required")


def premium_content(caller):
    """The members-only gate the site asks before it shows premium pages: the caller's membership."""
    require_premium(caller)
    return {"premium": True, "membership": own_membership(caller)}


def export_membership(user_id):
    """The fan's Memberships row as stored (None without one; {} for a function without the table)."""
    if not current_settings().memberships_table:
        return {}
    return {"membership": read_membership(user_id)}


def erase_membership(user_id):
    """Delete the fan's row. The Stripe subscription is NOT cancelled here: the creator or the fan does that."""
    if not current_settings().memberships_table:
        return
    memberships_table().delete_item(Key={"userId": user_id})


privacy.register("membership", export_membership, erase_membership)
