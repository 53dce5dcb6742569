# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checkout Sessions: create (validated as Stripe validates), pay, decline, expire, and the events each sends."""

from creatorcloud_stripe import params as read
from creatorcloud_stripe import resources
from creatorcloud_stripe import shipping
from creatorcloud_stripe.api_errors import StripeApiError
from creatorcloud_stripe.api_errors import invalid_param
from creatorcloud_stripe.api_errors import no_such
from creatorcloud_stripe.api_errors import unexpected_state

# Every parameter Stripe's create endpoint takes; the stand-in implements the ones read below and
# accepts the others without effect (see docs/payments-local.md), so no valid request is refused.
SESSION_CREATE_PARAMS = {
    "adaptive_pricing", "after_expiration", "allow_promotion_codes", "allowed_payment_method_types", "automatic_tax",
    "billing_address_collection", "branding_settings", "cancel_url", "client_reference_id", "consent_collection",
    "currency", "custom_fields", "custom_text", "customer", "customer_account", "customer_creation", "customer_email",
    "customer_update", "discounts", "excluded_payment_method_types", "expand", "expires_at", "integration_identifier",
    "invoice_creation", "line_items", "locale", "managed_payments", "metadata", "mode", "name_collection",
    "optional_items", "origin_context", "payment_intent_data", "payment_method_collection",
    "payment_method_configuration", "payment_method_data", "payment_method_options", "payment_method_types",
    "permissions", "phone_number_collection", "redirect_on_completion", "return_url", "saved_payment_method_options",
    "setup_intent_data", "shipping_address_collection", "shipping_options", "submit_type", "subscription_data",
    "success_url", "tax_id_collection", "ui_mode", "wallet_options",
}  # fmt: skip
LINE_ITEM_PARAMS = {
    "adjustable_quantity",
    "dynamic_tax_rates",
    "metadata",
    "price",
    "price_data",
    "quantity",
    "tax_rates",
}
PRICE_DATA_PARAMS = {
    "currency",
    "product",
    "product_data",
    "recurring",
    "tax_behavior",
    "unit_amount",
    "unit_amount_decimal",
}
MIN_LIFETIME, MAX_LIFETIME = 30 * 60, 24 * 60 * 60
# Stripe checks expires_at against its own clock: a few seconds of skew between the caller and Stripe are tolerated.
CLOCK_SKEW = 60
DECLINE = {
    "type": "card_error",
    "code": "card_declined",
    "decline_code": "generic_decline",
    "message": "Your card was declined.",
}


def line_item(account, params, index, mode):
    """One validated line item with the price and product its price_data creates."""
    name = f"line_items[{index}]"
    read.reject_unknown(params, LINE_ITEM_PARAMS, name)
    if params.get("price"):
        raise no_such("price", params["price"], f"{name}[price]")
    price_data = read.required(params, "price_data", f"{name}[price_data]")
    read.reject_unknown(price_data, PRICE_DATA_PARAMS, f"{name}[price_data]")
    quantity = read.integer(params, "quantity", f"{name}[quantity]", minimum=1)
    if quantity is None:
        raise StripeApiError(400, f"Quantity is required. Add `quantity` to `{name}`.", param=f"{name}[quantity]")
    currency = read.required(price_data, "currency", f"{name}[price_data][currency]").lower()
    unit_amount = read.integer(price_data, "unit_amount", f"{name}[price_data][unit_amount]")
    if unit_amount is None:
        read.required(price_data, "unit_amount", f"{name}[price_data][unit_amount]")
    if price_data.get("product"):
        raise no_such("product", price_data["product"], f"{name}[price_data][product]")
    product_data = read.required(price_data, "product_data", f"{name}[price_data][product_data]")
    product_name = read.required(product_data, "name", f"{name}[price_data][product_data][name]")
    recurring = recurring_of(price_data, name)
    if mode == "payment" and recurring:
        raise invalid_param(
            f"{name}[price_data][recurring]",
            "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode "
            "or use only one-time prices.",
            "checkout_session_mode_mismatch",
        )
    item_product = account.add(
        resources.product(
            product_name,
            product_data.get("description"),
            product_data.get("images"),
            read.string_map(product_data, "metadata"),
        )
    )
    item_price = account.add(resources.price(item_product["id"], currency, unit_amount, recurring))
    return resources.checkout_line_item(item_price, quantity, product_name)


def recurring_of(price_data, name):
    """A price_data's recurring part ({interval, interval_count}) or None for a one-time price."""
    recurring = price_data.get("recurring")
    if not recurring:
        return None
    param = f"{name}[price_data][recurring]"
    interval = read.required(recurring, "interval", f"{param}[interval]")
    read.one_of(recurring, "interval", ("day", "week", "month", "year"), f"{param}[interval]")
    count = read.integer(recurring, "interval_count", f"{param}[interval_count]", default=1, minimum=1)
    return {"interval": interval, "interval_count": count}


def session_fields(account, params):
    """The validated top-level parameters of a Checkout Session."""
    read.reject_unknown(params, SESSION_CREATE_PARAMS)
    mode = read.required(params, "mode")
    read.one_of(params, "mode", ("payment", "subscription", "setup"))
    if mode == "setup":
        raise invalid_param("mode", "The local Stripe stand-in implements `payment` and `subscription` mode only.")
    if params.get("ui_mode", "hosted") != "hosted":
        raise invalid_param("ui_mode", "The local Stripe stand-in implements the hosted checkout page only.")
    created = resources.now()
    expires_at = read.integer(params, "expires_at", default=created + MAX_LIFETIME)
    if expires_at < created + MIN_LIFETIME - CLOCK_SKEW:
        raise invalid_param(
            "expires_at", "The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation."
        )
    if expires_at > created + MAX_LIFETIME + CLOCK_SKEW:
        raise invalid_param(
            "expires_at", "The `expires_at` timestamp must be less than 24 hours from Checkout Session creation."
        )
    for key, allowed in (("payment_intent_data", "payment"), ("subscription_data", "subscription")):
        if key in params and mode != allowed:
            raise invalid_param(key, f"You can not pass `{key}` in `{mode}` mode.", "checkout_session_mode_mismatch")
    if params.get("customer"):
        account.get(params["customer"], "customer", "customer")
    read.one_of(params, "customer_creation", ("always", "if_required"))
    fields = {
        key: params[key] for key in ("success_url", "cancel_url", "client_reference_id", "customer") if key in params
    }
    fields.update(
        mode=mode,
        expires_at=expires_at,
        metadata=read.string_map(params, "metadata"),
        customer_email=params.get("customer_email"),
        customer_creation=params.get("customer_creation", "if_required"),
        locale=params.get("locale"),
        shipping_address_collection=shipping.collection_param(params),
    )
    return fields


def create_session(account, params, base_url):
    """A new open Checkout Session, as POST /v1/checkout/sessions creates it."""
    fields = session_fields(account, params)
    raw_items = read.required(params, "line_items")
    if not isinstance(raw_items, list):
        raise invalid_param("line_items", "Invalid array", "parameter_invalid_array")
    items = [line_item(account, raw, index, fields["mode"]) for index, raw in enumerate(raw_items)]
    if fields["mode"] == "subscription" and not any(item["price"]["recurring"] for item in items):
        raise invalid_param(
            "line_items",
            "You must provide at least one recurring price in `subscription` mode when using prices.",
            "checkout_session_mode_mismatch",
        )
    if len({item["currency"] for item in items}) > 1:
        raise invalid_param("line_items", "All prices on a Checkout Session must have the same currency.")
    session = account.add(resources.checkout_session(base_url, fields, items))
    account.session_line_items[session["id"]] = {
        "items": items,
        "payment_intent_metadata": read.string_map(params.get("payment_intent_data") or {}, "metadata"),
        "subscription_metadata": read.string_map(params.get("subscription_data") or {}, "metadata"),
    }
    return session


def require_open(session, action):
    """Only an open session can be paid, declined or expired."""
    if session["status"] != "open":
        raise unexpected_state(
            f"This Checkout Session is {session['status']}: only open sessions can be {action}.",
            "checkout_session_unexpected_state",
        )


def session_intent(account, session, shipping_details=None):
    """The session's PaymentIntent, created at the first payment attempt as Checkout does; the attempt's address."""
    if session["payment_intent"]:
        intent = account.objects[session["payment_intent"]]
        intent["shipping"] = resources.shipping_of(shipping_details)
        return intent
    extras = account.session_line_items[session["id"]]
    intent = account.add(
        resources.payment_intent(
            session["amount_total"],
            session["currency"],
            session["customer"],
            extras["payment_intent_metadata"],
            resources.shipping_of(shipping_details),
        )
    )
    session["payment_intent"] = intent["id"]
    account.record(resources.event("payment_intent.created", intent))
    return intent


def session_customer(account, session, always, shipping_details=None):
    """The session's customer: the one passed, else a new one when the mode or customer_creation asks for it.

    A new customer gets the shipping address, and the same as billing address (the page's default), as Checkout saves
    them; an existing one keeps its own (Stripe changes them only with customer_update, not implemented here).
    """
    if session["customer"] or not always:
        return session["customer"]
    new_shipping = resources.shipping_of(shipping_details)
    if new_shipping:
        new_shipping = {key: new_shipping[key] for key in ("address", "name", "phone")}
    created = account.add(
        resources.customer(
            email=session["customer_email"],
            name=shipping_details and shipping_details["name"],
            address=shipping_details and dict(shipping_details["address"]),
            shipping=new_shipping,
        )
    )
    account.record(resources.event("customer.created", created))
    return created["id"]


def customer_details(account, session, shipping_details=None):
    """What the customer entered on the page (the e-mail the session was given, or a test address).

    With a shipping address, the billing address and name are the shipping ones: the page's "billing address same
    as shipping" box is ticked by default.
    """
    email = session["customer_email"]
    if not email and session["customer"]:
        email = account.objects[session["customer"]]["email"]
    return {
        "address": shipping_details and dict(shipping_details["address"]),
        "business_name": None,
        "email": email or "test@example.com",
        "individual_name": None,
        "name": shipping_details and shipping_details["name"],
        "phone": None,
        "tax_exempt": "none",
        "tax_ids": [],
    }


def check_shipping(session, shipping_details):
    """A session that collects an address is paid with one (the page refuses the form without it)."""
    if session["shipping_address_collection"] and shipping_details is None:
        raise invalid_param("shipping_details", "This Checkout Session collects a shipping address: none was given.")


def complete(account, session, shipping_details=None):
    """The customer paid with the test card: the payment or subscription is made, the session is complete.

    `shipping_details` ({name, address}) is the address the page took when the session collects one.
    """
    require_open(session, "paid")
    check_shipping(session, shipping_details)
    if session["mode"] == "subscription":
        complete_subscription(account, session, shipping_details)
    else:
        complete_payment(account, session, shipping_details)
    if shipping_details:
        session["collected_information"] = {**session["collected_information"], "shipping_details": shipping_details}
    session.update(
        status="complete",
        payment_status="paid",
        url=None,
        customer_details=customer_details(account, session, shipping_details),
    )
    account.record(resources.event("checkout.session.completed", session))
    if session["mode"] == "subscription":
        sub = account.objects[session["subscription"]]
        account.record(resources.event("customer.subscription.created", sub))
        latest = account.objects[sub["latest_invoice"]]
        account.record(resources.event("invoice.paid", latest))
        account.record(resources.event("invoice.payment_succeeded", latest))
    return session


def complete_payment(account, session, shipping_details=None):
    """A one-time payment: the PaymentIntent succeeds with a charge."""
    session["customer"] = session_customer(account, session, session["customer_creation"] == "always", shipping_details)
    intent = session_intent(account, session, shipping_details)
    intent["customer"] = session["customer"]
    paid = account.add(resources.charge({**intent, "payment_method": resources.new_id("pm_")}))
    intent.update(
        status="succeeded",
        amount_received=intent["amount"],
        latest_charge=paid["id"],
        last_payment_error=None,
        payment_method=paid["payment_method"],
    )
    account.record(resources.event("charge.succeeded", paid))
    account.record(resources.event("payment_intent.succeeded", intent))


def complete_subscription(account, session, shipping_details=None):
    """A subscription: customer, active subscription and its first invoice, paid."""
    session["customer"] = session_customer(account, session, True, shipping_details)
    extras = account.session_line_items[session["id"]]
    sub = account.add(resources.subscription(session["customer"], extras["items"], extras["subscription_metadata"]))
    first = account.add(resources.invoice(sub, "subscription_create"))
    mark_paid(first)
    sub["latest_invoice"] = first["id"]
    session.update(subscription=sub["id"], invoice=first["id"])


def mark_paid(unpaid):
    """An invoice paid with the test card."""
    unpaid.update(
        status="paid",
        amount_paid=unpaid["amount_due"],
        amount_remaining=0,
        attempted=True,
        attempt_count=unpaid["attempt_count"] + 1,
        next_payment_attempt=None,
    )
    unpaid["status_transitions"]["paid_at"] = resources.now()


def decline(account, session, shipping_details=None):
    """The customer tried a declined test card: the session stays open, the PaymentIntent records the failure."""
    require_open(session, "paid")
    if session["mode"] != "payment":
        raise invalid_param("mode", "The local stand-in declines cards of `payment` mode sessions only.")
    check_shipping(session, shipping_details)
    fail_intent(account, session_intent(account, session, shipping_details))


def fail_intent(account, intent):
    """A failed payment attempt on a PaymentIntent (payment_intent.payment_failed)."""
    if intent["status"] in ("succeeded", "canceled"):
        raise unexpected_state(
            f"This PaymentIntent's status is {intent['status']}: a payment attempt cannot fail any more.",
            "payment_intent_unexpected_state",
        )
    intent.update(status="requires_payment_method", last_payment_error=dict(DECLINE))
    account.record(resources.event("payment_intent.payment_failed", intent))
    return intent


def expire(account, session):
    """The session expires (POST .../expire, the test control, or its expires_at passing)."""
    require_open(session, "expired")
    session.update(status="expired", url=None)
    account.record(resources.event("checkout.session.expired", session))
    return session


def expire_due(account, at):
    """Expire every open session of the account whose expires_at has passed; Stripe does it within minutes."""
    for session in account.of_kind("checkout.session"):
        if session["status"] == "open" and session["expires_at"] <= at:
            expire(account, session)
