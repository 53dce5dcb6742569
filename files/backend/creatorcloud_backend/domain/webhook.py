# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stripe's events, each processed exactly once and in any order.

Exactly once: Powertools' idempotency utility on the Idempotency table, keyed by the event id.
A replayed event gets the stored result without running again; an event whose processing
raised leaves no record, so Stripe's retry runs it again; the same event arriving twice at the
same moment is refused (409) for one of them, and Stripe retries that one later.

Any order: every handler is a conditional transition (shop and donations: from the statuses it
may come from; memberships: no older event overwrites a newer one), so an event that arrives
late finds the state already past it and changes nothing.
"""

import functools
import logging

from creatorcloud_backend import business_metrics
from creatorcloud_backend.domain import donations
from creatorcloud_backend.domain import membership
from creatorcloud_backend.domain import payments
from creatorcloud_backend.domain import shop
from creatorcloud_backend.domain import tickets
from creatorcloud_backend.settings import current_settings

# Stripe retries a webhook for up to 3 days: remember each event id longer than that.
REMEMBER_EVENTS_SECONDS = 7 * 24 * 3600

logger = logging.getLogger(__name__)


def metadata_of(stripe_object):
    """The object's metadata (the ids and kind the backend put on the session or payment)."""
    return stripe_object.get("metadata") or {}


def checkout_completed(session, event):
    """A Checkout Session completed: an order or donation is paid; a membership's customer is recorded."""
    metadata = metadata_of(session)
    kind = metadata.get("kind")
    if kind == membership.MEMBERSHIP_KIND:
        membership.record_customer(metadata.get("user_id"), session.get("customer"))
        return True
    # Delayed payment methods complete the session unpaid; checkout.session.async_payment_succeeded would follow.
    if session.get("payment_status") not in ("paid", "no_payment_required"):
        return False
    if kind == shop.ORDER_KIND:
        paid = shop.mark_paid(
            metadata["order_id"], metadata["user_id"], session.get("payment_intent"), shop.shipping_of(session)
        )
        if paid:
            business_metrics.record_paid_order()
        return paid
    if kind == donations.DONATION_KIND:
        return donations.mark_paid(metadata["donation_id"], session.get("payment_intent"))
    if kind == tickets.TICKET_KIND:
        return tickets.mark_paid(metadata["order_id"], session.get("payment_intent"))
    return unhandled(event)


def checkout_expired(session, event):
    """A Checkout Session expired unpaid: release the order's stock or the held tickets, cancel the donation."""
    metadata = metadata_of(session)
    if metadata.get("kind") == shop.ORDER_KIND:
        return shop.release(metadata["order_id"], metadata["user_id"])
    if metadata.get("kind") == tickets.TICKET_KIND:
        return tickets.release(metadata["order_id"])
    if metadata.get("kind") == donations.DONATION_KIND:
        return donations.cancel(metadata["donation_id"])
    return unhandled(event)


def payment_failed(payment_intent, event):
    """A payment failed: close its checkout and release the order's stock or tickets, or cancel the donation."""
    metadata = metadata_of(payment_intent)
    if metadata.get("kind") == shop.ORDER_KIND:
        return shop.cancel_unpaid(metadata["order_id"], metadata["user_id"])
    if metadata.get("kind") == tickets.TICKET_KIND:
        return tickets.cancel_unpaid(metadata["order_id"])
    if metadata.get("kind") == donations.DONATION_KIND:
        return donations.cancel_unpaid(metadata["donation_id"])
    return unhandled(event)


def subscription_changed(subscription, event):
    """A subscription was created, updated or deleted: mirror it, unless the row already holds newer news."""
    return membership.apply_subscription(subscription, event["created"])


def invoice_settled(invoice, event):
    """An invoice of a subscription was paid (or failed): apply the subscription as Stripe has it now."""
    subscription_id = invoice.get("subscription") or (
        ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    )
    if not subscription_id:
        return unhandled(event)
    return membership.apply_subscription(payments.retrieve_subscription(subscription_id), event["created"])


def charge_refunded(charge, event):
    """A charge was refunded (in part or whole): record it on the order, mark the donation refunded."""
    metadata = metadata_of(charge)
    if not metadata and charge.get("payment_intent"):
        # The order's ids are on the PaymentIntent (payment_intent_data.metadata); a charge need not repeat them.
        metadata = metadata_of(payments.retrieve_payment_intent(charge["payment_intent"]))
    if metadata.get("kind") == shop.ORDER_KIND:
        return shop.mark_refunded(metadata["order_id"], metadata["user_id"], int(charge.get("amount_refunded") or 0))
    if metadata.get("kind") == donations.DONATION_KIND:
        return donations.mark_refunded(metadata["donation_id"])
    if metadata.get("kind") == tickets.TICKET_KIND:
        return tickets.mark_refunded(metadata["order_id"])
    return unhandled(event)


def unhandled(event):
    """An event (or object kind) the backend does not act on: acknowledged, so Stripe does not retry it."""
    logger.info("event not handled: %s %s", event.get("type"), event.get("id"))
    return False


HANDLERS = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.expired": checkout_expired,
    "payment_intent.payment_failed": payment_failed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "invoice.paid": invoice_settled,
    "invoice.payment_failed": invoice_settled,
    "charge.refunded": charge_refunded,
}


def dispatch(event):
    """Run the event's handler: {"event_id", "type", "changed"}."""
    handler = HANDLERS.get(event.get("type"))
    changed = handler(event["data"]["object"], event) if handler else unhandled(event)
    return {"event_id": event["id"], "type": event["type"], "changed": bool(changed)}


@functools.cache
def idempotent_dispatch(table_name, region):
    """dispatch() made exactly-once per event id with the Idempotency table (made once per environment)."""
    # pylint: disable=import-outside-toplevel
    import boto3
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
    from aws_lambda_powertools.utilities.idempotency import idempotent_function

    config = IdempotencyConfig(
        event_key_jmespath="id", raise_on_no_idempotency_key=True, expires_after_seconds=REMEMBER_EVENTS_SECONDS
    )
    session = boto3.session.Session(region_name=region)
    persistence = DynamoDBPersistenceLayer(table_name=table_name, boto3_session=session)
    return config, idempotent_function(data_keyword_argument="event", persistence_store=persistence, config=config)(
        dispatch
    )


def process(event, lambda_context=None):
    """Process a verified event exactly once; a repeat answers the first result."""
    settings = current_settings()
    config, run = idempotent_dispatch(settings.idempotency_table, settings.region)
    if lambda_context is not None:
        # Lets an invocation that dies mid-event hand the event over to Stripe's retry when the Lambda times out.
        config.register_lambda_context(lambda_context)
    return run(event=event)
