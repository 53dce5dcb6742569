# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stripe objects as the API returns them (the fields of the pinned API version), ids with Stripe's prefixes."""

import calendar
import copy
import datetime
import secrets
import string
import time

from creatorcloud_stripe import API_VERSION

ID_ALPHABET = string.ascii_letters + string.digits
# Checkout Session ids are long in test mode (cs_test_ + 58 characters); other ids have 24 after the prefix.
ID_LENGTHS = {"cs_test_": 58}


def new_id(prefix):
    """A random id with Stripe's prefix for the kind of object."""
    length = ID_LENGTHS.get(prefix, 24)
    return prefix + "".join(secrets.choice(ID_ALPHABET) for index in range(length))


def now():
    """Stripe's timestamps: whole seconds since the epoch."""
    return int(time.time())


def add_interval(timestamp, interval, count=1):
    """The end of a billing period that starts at `timestamp` (calendar months and years, as Stripe bills)."""
    start = datetime.datetime.fromtimestamp(timestamp, datetime.UTC)
    if interval in ("day", "week"):
        return timestamp + count * (86400 if interval == "day" else 7 * 86400)
    months = count * (12 if interval == "year" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return int(start.replace(year=year, month=month, day=day).timestamp())


def list_object(data, url):
    """Stripe's list envelope."""
    return {"object": "list", "data": data, "has_more": False, "url": url}


def product(name, description=None, images=None, metadata=None):
    """The product a price_data line item creates."""
    return {
        "id": new_id("prod_"),
        "object": "product",
        "active": True,
        "created": now(),
        "description": description,
        "images": images or [],
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "type": "service",
        "updated": now(),
    }


def price(product_id, currency, unit_amount, recurring=None):
    """The price a price_data line item creates; `recurring` is {interval, interval_count} or None."""
    return {
        "id": new_id("price_"),
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": now(),
        "currency": currency,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": product_id,
        "recurring": recurring and {**recurring, "meter": None, "trial_period_days": None, "usage_type": "licensed"},
        "tax_behavior": "unspecified",
        "type": "recurring" if recurring else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def checkout_line_item(item_price, quantity, description):
    """A Checkout Session's line item (`object: item`)."""
    amount = item_price["unit_amount"] * quantity
    return {
        "id": new_id("li_"),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": item_price["currency"],
        "description": description,
        "metadata": {},
        "price": item_price,
        "quantity": quantity,
    }


def checkout_session(base_url, fields, line_items):
    """An open Checkout Session; `fields` are the validated create parameters, `line_items` its items."""
    session_id = new_id("cs_test_")
    total = sum(item["amount_total"] for item in line_items)
    mode = fields["mode"]
    return {
        "id": session_id,
        "object": "checkout.session",
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": total,
        "amount_total": total,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": fields.get("cancel_url"),
        "client_reference_id": fields.get("client_reference_id"),
        "client_secret": None,
        # What the page collected (shipping_details once paid, when it asked for an address).
        "collected_information": {"business_name": None, "individual_name": None, "shipping_details": None},
        "consent": None,
        "consent_collection": None,
        "created": now(),
        "currency": line_items[0]["currency"],
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": fields.get("customer"),
        "customer_creation": fields.get("customer_creation", "if_required") if mode == "payment" else None,
        "customer_details": None,
        "customer_email": fields.get("customer_email"),
        "expires_at": fields["expires_at"],
        "invoice": None,
        "invoice_creation": None,
        "livemode": False,
        "locale": fields.get("locale"),
        "metadata": fields.get("metadata", {}),
        "mode": mode,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "always" if mode == "subscription" else None,
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "shipping_address_collection": fields.get("shipping_address_collection"),
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": None,
        "subscription": None,
        "success_url": fields.get("success_url"),
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted",
        "url": f"{base_url}c/pay/{session_id}",
    }


def customer(email=None, name=None, metadata=None, address=None, shipping=None):
    """A customer; `shipping` is {address, name, phone}."""
    return {
        "id": new_id("cus_"),
        "object": "customer",
        "address": address,
        "balance": 0,
        "created": now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "email": email,
        "invoice_prefix": new_id("")[:8].upper(),
        "invoice_settings": {"custom_fields": None, "default_payment_method": None, "footer": None},
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "phone": None,
        "preferred_locales": [],
        "shipping": shipping,
        "tax_exempt": "none",
        "test_clock": None,
    }


def payment_intent(amount, currency, customer_id, metadata, shipping=None):
    """A PaymentIntent waiting for a payment method (what Checkout creates at the first attempt)."""
    return {
        "id": new_id("pi_"),
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": None,
        "confirmation_method": "automatic",
        "created": now(),
        "currency": currency,
        "customer": customer_id,
        "description": None,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": metadata,
        "next_action": None,
        "payment_method": None,
        "payment_method_types": ["card"],
        "receipt_email": None,
        "shipping": shipping,
        "status": "requires_payment_method",
    }


def card_payment_method_details():
    """The test card's details on a charge (4242 4242 4242 4242)."""
    return {
        "type": "card",
        "card": {
            "brand": "visa",
            "country": "US",
            "exp_month": 12,
            "exp_year": 2034,
            "funding": "credit",
            "last4": "4242",
        },
    }


def charge(intent):
    """The succeeded charge of a PaymentIntent."""
    return {
        "id": new_id("ch_"),
        "object": "charge",
        "amount": intent["amount"],
        "amount_captured": intent["amount"],
        "amount_refunded": 0,
        "balance_transaction": new_id("txn_"),
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "captured": True,
        "created": now(),
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": None,
        "disputed": False,
        "failure_code": None,
        "failure_message": None,
        "livemode": False,
        "metadata": intent["metadata"],
        "outcome": {
            "network_status": "approved_by_network",
            "reason": None,
            "risk_level": "normal",
            "type": "authorized",
        },
        "paid": True,
        "payment_intent": intent["id"],
        "payment_method": intent["payment_method"],
        "payment_method_details": card_payment_method_details(),
        "receipt_url": None,
        "refunded": False,
        "shipping": intent["shipping"],
        "status": "succeeded",
    }


def shipping_of(details):
    """The `shipping` of a PaymentIntent, charge or customer for a Checkout Session's shipping_details."""
    if details is None:
        return None
    return {
        "address": dict(details["address"]),
        "carrier": None,
        "name": details["name"],
        "phone": None,
        "tracking_number": None,
    }


def refund(refunded_charge, amount, reason=None):
    """A succeeded refund of (part of) a charge."""
    return {
        "id": new_id("re_"),
        "object": "refund",
        "amount": amount,
        "balance_transaction": new_id("txn_"),
        "charge": refunded_charge["id"],
        "created": now(),
        "currency": refunded_charge["currency"],
        "metadata": {},
        "payment_intent": refunded_charge["payment_intent"],
        "reason": reason,
        "status": "succeeded",
    }


def subscription_item(item_price, quantity, subscription_id, period_start):
    """One price of a subscription, carrying the current period (on items since API version 2025-03-31)."""
    recurring = item_price["recurring"]
    return {
        "id": new_id("si_"),
        "object": "subscription_item",
        "created": period_start,
        "current_period_end": add_interval(period_start, recurring["interval"], recurring["interval_count"]),
        "current_period_start": period_start,
        "discounts": [],
        "metadata": {},
        "price": item_price,
        "quantity": quantity,
        "subscription": subscription_id,
        "tax_rates": [],
    }


def subscription(customer_id, line_items, metadata):
    """An active subscription with one item per line item of the Checkout Session."""
    subscription_id = new_id("sub_")
    started = now()
    items = [subscription_item(item["price"], item["quantity"], subscription_id, started) for item in line_items]
    return {
        "id": subscription_id,
        "object": "subscription",
        "billing_cycle_anchor": started,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": started,
        "currency": line_items[0]["currency"],
        "customer": customer_id,
        "days_until_due": None,
        "default_payment_method": None,
        "description": None,
        "discounts": [],
        "ended_at": None,
        "items": list_object(items, f"/v1/subscription_items?subscription={subscription_id}"),
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata,
        "pause_collection": None,
        "start_date": started,
        "status": "active",
        "test_clock": None,
        "trial_end": None,
        "trial_start": None,
    }


def invoice(sub, billing_reason):
    """The invoice of a subscription's current period, still open (paid or failed by the caller)."""
    invoice_id = new_id("in_")
    lines = [
        {
            "id": new_id("il_"),
            "object": "line_item",
            "amount": item["price"]["unit_amount"] * item["quantity"],
            "currency": item["price"]["currency"],
            "description": f"{item['quantity']} × subscription",
            "invoice": invoice_id,
            "livemode": False,
            "metadata": {},
            "parent": {
                "type": "subscription_item_details",
                "subscription_item_details": {
                    "invoice_item": None,
                    "proration": False,
                    "proration_details": {"credited_items": None},
                    "subscription": sub["id"],
                    "subscription_item": item["id"],
                },
            },
            "period": {"end": item["current_period_end"], "start": item["current_period_start"]},
            "pricing": {
                "type": "price_details",
                "price_details": {"price": item["price"]["id"], "product": item["price"]["product"]},
                "unit_amount_decimal": item["price"]["unit_amount_decimal"],
            },
            "quantity": item["quantity"],
        }
        for item in sub["items"]["data"]
    ]
    total = sum(line["amount"] for line in lines)
    first = sub["items"]["data"][0]
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": total,
        "amount_paid": 0,
        "amount_remaining": total,
        "attempt_count": 0,
        "attempted": False,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": now(),
        "currency": sub["currency"],
        "customer": sub["customer"],
        "hosted_invoice_url": None,
        "lines": list_object(lines, f"/v1/invoices/{invoice_id}/lines"),
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": dict(sub["metadata"]), "subscription": sub["id"]},
        },
        "period_end": first["current_period_end"],
        "period_start": first["current_period_start"],
        "status": "open",
        "status_transitions": {
            "finalized_at": now(),
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": total,
        "total": total,
    }


def portal_session(base_url, customer_id, return_url):
    """A billing portal session: a link to the customer's portal page."""
    session_id = new_id("bps_")
    return {
        "id": session_id,
        "object": "billing_portal.session",
        "configuration": "bpc_standin",
        "created": now(),
        "customer": customer_id,
        "flow": None,
        "livemode": False,
        "locale": None,
        "on_behalf_of": None,
        "return_url": return_url,
        "url": f"{base_url}p/session/{session_id}",
    }


def changed_fields(before, after):
    """The top-level fields of `before` that differ in `after` (an event's `previous_attributes`)."""
    return {key: value for key, value in before.items() if after.get(key) != value}


def event(event_type, obj, previous=None):
    """An event with a snapshot of the object as it is now."""
    data = {"object": copy.deepcopy(obj)}
    if previous is not None:
        data["previous_attributes"] = changed_fields(previous, obj)
    return {
        "id": new_id("evt_"),
        "object": "event",
        "api_version": API_VERSION,
        "created": now(),
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
