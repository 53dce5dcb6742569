# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Customers, the billing portal, subscriptions' lifecycle and refunds, with the events Stripe sends for each."""

import copy

from creatorcloud_stripe import params as read
from creatorcloud_stripe import resources
from creatorcloud_stripe.api_errors import StripeApiError
from creatorcloud_stripe.api_errors import unexpected_state
from creatorcloud_stripe.checkout import mark_paid

CUSTOMER_CREATE_PARAMS = {
    "address", "balance", "cash_balance", "description", "email", "expand", "invoice_prefix", "invoice_settings",
    "metadata", "name", "next_invoice_sequence", "payment_method", "phone", "preferred_locales", "shipping", "source",
    "tax", "tax_exempt", "tax_id_data", "test_clock", "validate",
}  # fmt: skip
PORTAL_CREATE_PARAMS = {
    "configuration",
    "customer",
    "customer_account",
    "expand",
    "flow_data",
    "locale",
    "on_behalf_of",
    "return_url",
}
# Days until Stripe's smart retries try a failed renewal again (what next_payment_attempt shows).
RETRY_AFTER = 3 * 86400


def create_customer(account, params):
    """A new customer, as POST /v1/customers creates it."""
    read.reject_unknown(params, CUSTOMER_CREATE_PARAMS)
    created = account.add(
        resources.customer(params.get("email"), params.get("name"), read.string_map(params, "metadata"))
    )
    account.record(resources.event("customer.created", created))
    return created


def create_portal_session(account, params, base_url):
    """A billing portal session for an existing customer."""
    read.reject_unknown(params, PORTAL_CREATE_PARAMS)
    customer_id = read.required(params, "customer")
    account.get(customer_id, "customer", "customer")
    return account.add(resources.portal_session(base_url, customer_id, params.get("return_url")))


def customer_subscriptions(account, customer_id):
    """A customer's subscriptions, newest first, as the portal lists them."""
    return [sub for sub in reversed(account.of_kind("subscription")) if sub["customer"] == customer_id]


def require_live(sub):
    """Canceled subscriptions cannot change any more."""
    if sub["status"] in ("canceled", "incomplete_expired"):
        raise unexpected_state(
            f"This subscription is {sub['status']}: it cannot be updated.", "subscription_unexpected_state"
        )


def cancel_subscription(account, sub, at_period_end):
    """Cancel now (customer.subscription.deleted) or at the end of the current period (…updated)."""
    require_live(sub)
    previous = copy.deepcopy(sub)
    stamp = resources.now()
    sub["cancellation_details"] = {"comment": None, "feedback": None, "reason": "cancellation_requested"}
    if at_period_end:
        sub.update(cancel_at_period_end=True, cancel_at=period_end(sub), canceled_at=stamp)
        account.record(resources.event("customer.subscription.updated", sub, previous))
        return sub
    end_subscription(sub, stamp)
    account.record(resources.event("customer.subscription.deleted", sub))
    return sub


def end_subscription(sub, stamp):
    """A subscription that ended at `stamp`."""
    sub.update(status="canceled", ended_at=stamp, canceled_at=sub["canceled_at"] or stamp)


def period_end(sub):
    """The end of the subscription's current period (the same on every item)."""
    return sub["items"]["data"][0]["current_period_end"]


def start_period(sub, start):
    """Move every item to the period that starts at `start`."""
    for item in sub["items"]["data"]:
        recurring = item["price"]["recurring"]
        item["current_period_start"] = start
        item["current_period_end"] = resources.add_interval(start, recurring["interval"], recurring["interval_count"])


def advance_subscription(account, sub, fail):
    """The current period ends (a test clock jump): renew and pay or fail, or end a subscription set to cancel.

    From past_due, another advance is the last retry of the open invoice: paid makes it active again,
    failed makes it unpaid. Events come in Stripe's order: the subscription's change, then the invoice's.
    """
    require_live(sub)
    previous = copy.deepcopy(sub)
    # As on a test clock moved to the period's end: the new period starts where the old one ended.
    stamp = period_end(sub)
    if sub["status"] == "past_due":
        stamp = account.objects[sub["latest_invoice"]]["next_payment_attempt"] or stamp
    if sub["cancel_at_period_end"]:
        end_subscription(sub, stamp)
        account.record(resources.event("customer.subscription.deleted", sub))
        return sub
    if sub["status"] == "past_due":
        due = account.objects[sub["latest_invoice"]]
    else:
        start_period(sub, stamp)
        due = account.add(resources.invoice(sub, "subscription_cycle"))
        sub["latest_invoice"] = due["id"]
    if fail:
        due.update(attempted=True, attempt_count=due["attempt_count"] + 1, next_payment_attempt=stamp + RETRY_AFTER)
        sub["status"] = "unpaid" if sub["status"] == "past_due" else "past_due"
        if sub["status"] == "unpaid":
            due["next_payment_attempt"] = None
    else:
        mark_paid(due)
        sub["status"] = "active"
    if resources.changed_fields(previous, sub):
        account.record(resources.event("customer.subscription.updated", sub, previous))
    outcomes = ("invoice.payment_failed",) if fail else ("invoice.paid", "invoice.payment_succeeded")
    for event_type in outcomes:
        account.record(resources.event(event_type, due))
    return sub


def refund_charge(account, paid, params):
    """Refund all or `amount` of what is left of a charge (charge.refunded, refund.created)."""
    if paid["status"] != "succeeded":
        raise unexpected_state(
            f"Charge {paid['id']} has not succeeded: it cannot be refunded.", "charge_not_refundable"
        )
    left = paid["amount"] - paid["amount_refunded"]
    amount = read.integer(params, "amount", default=left, minimum=1)
    if amount > left:
        raise StripeApiError(
            400,
            f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
            param="amount",
            code="amount_too_large",
        )
    made = account.add(resources.refund(paid, amount, params.get("reason")))
    previous = copy.deepcopy(paid)
    paid["amount_refunded"] += amount
    paid["refunded"] = paid["amount_refunded"] == paid["amount"]
    account.record(resources.event("charge.refunded", paid, previous))
    account.record(resources.event("refund.created", made))
    return paid
