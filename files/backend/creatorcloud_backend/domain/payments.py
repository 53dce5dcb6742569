# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's own Stripe account: the official `stripe` library, configured from the function's environment.

The keys come from the Secrets Manager secret in STRIPE_SECRET_ARN (JSON {"secret_key", "webhook_secret"}),
read once per execution environment. STRIPE_API_BASE, when set, points every Stripe base address at
another server (the local stand-in); real AWS leaves it unset and the library talks to api.stripe.com.
Nothing else in the backend knows the base URL. A StripeClient per key rather than the library's
global `stripe.api_key`: the client holds no module-wide mutable state, so concurrent requests are safe.
"""

import functools
import json
import logging
import time
from urllib.parse import urlencode

from creatorcloud_backend.errors import ApiError
from creatorcloud_backend.settings import current_settings

# A language of the site, as a page's path names it (`/en/shop.html`): the only part of a return URL a fan chooses.
SITE_LANGUAGE = r"^[a-z]{2}$"

# Checkout Sessions may live 30 minutes at least (Stripe's minimum); stock stays reserved that long.
CHECKOUT_LIFETIME_SECONDS = 30 * 60
BASE_ADDRESS_NAMES = ("api", "connect", "files", "meter_events")

logger = logging.getLogger(__name__)


class PaymentError(ApiError):
    """Stripe refused a request or could not be reached: 502, the order or reservation is rolled back."""

    status = 502
    code = "payment_provider_error"


class InvalidSignature(ApiError):
    """A webhook whose Stripe-Signature does not verify with the webhook secret."""

    code = "invalid_signature"


@functools.cache
def stripe_keys(secret_arn):
    """{"secret_key", "webhook_secret"} of the creator's Stripe account, read once per execution environment."""
    from aws_lambda_powertools.utilities import parameters  # pylint: disable=import-outside-toplevel

    return parameters.get_secret(secret_arn, transform="json")


@functools.cache
def stripe_client(secret_key, api_base):
    """A StripeClient for the key; every base address at api_base when one is configured."""
    import stripe  # pylint: disable=import-outside-toplevel

    base_addresses = dict.fromkeys(BASE_ADDRESS_NAMES, api_base) if api_base else None
    # Retries are safe: the library sends an Idempotency-Key with every POST it retries.
    return stripe.StripeClient(secret_key, base_addresses=base_addresses, max_network_retries=2)


def client():
    """The StripeClient of the function's creator."""
    settings = current_settings()
    return stripe_client(stripe_keys(settings.stripe_secret_arn)["secret_key"], settings.stripe_api_base)


def plain(stripe_object):
    """A Stripe response as plain JSON data."""
    return stripe_object.to_dict()


def call_stripe(operation, params, *args):
    """Call a StripeClient service method; Stripe's errors become PaymentError (the detail goes to the log only)."""
    import stripe  # pylint: disable=import-outside-toplevel

    try:
        return plain(operation(*args, params=params) if params is not None else operation(*args))
    except stripe.StripeError as error:
        logger.warning("stripe refused a request: %s %s", type(error).__name__, error.user_message or error.code)
        raise PaymentError("The payment provider refused the request; try again later.") from error


def page_url(page, language=None, **query):
    """The absolute URL of a page of the creator's site in a language (None: the first, at the root).

    The site keeps its first language at the root and the others below their code (`/en/shop.html`),
    so a fan is sent back to the page in the language they paid in. Only a page name and a checked
    language code go into the path: the URL can never leave the creator's site.
    """
    prefix = f"/{language}" if language else ""
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{current_settings().site_url}{prefix}/{page}.html{suffix}"


def create_checkout_session(**params):
    """A Checkout Session (mode, line items, metadata...) that expires after CHECKOUT_LIFETIME_SECONDS."""
    params.setdefault("expires_at", int(time.time()) + CHECKOUT_LIFETIME_SECONDS)
    return call_stripe(client().v1.checkout.sessions.create, params)


def expire_checkout_session(session_id):
    """Expire an open Checkout Session; the session as Stripe answers, or None when it is no longer open."""
    import stripe  # pylint: disable=import-outside-toplevel

    try:
        return plain(client().v1.checkout.sessions.expire(session_id))
    except stripe.InvalidRequestError:
        # Stripe refuses to expire a session that is complete or already expired: the caller reads it.
        return None
    except stripe.StripeError as error:
        raise PaymentError("The payment provider could not expire the checkout.") from error


def retrieve_checkout_session(session_id):
    """A Checkout Session as Stripe has it now."""
    return call_stripe(client().v1.checkout.sessions.retrieve, None, session_id)


def close_unpaid_session(session_id):
    """After a failed payment: expire the session; True if it can no longer be paid, False if it was completed."""
    if expire_checkout_session(session_id) is not None:
        return True
    return retrieve_checkout_session(session_id)["status"] != "complete"


def retrieve_payment_intent(payment_intent_id):
    """A PaymentIntent as Stripe has it now."""
    return call_stripe(client().v1.payment_intents.retrieve, None, payment_intent_id)


def retrieve_subscription(subscription_id):
    """A subscription as Stripe has it now."""
    return call_stripe(client().v1.subscriptions.retrieve, None, subscription_id)


def create_portal_session(customer_id, return_url):
    """A billing portal session for the customer: {"id", "url"}."""
    return call_stripe(client().v1.billing_portal.sessions.create, {"customer": customer_id, "return_url": return_url})


def verified_event(payload, signature_header):
    """The event of a webhook body (a dict) if its Stripe-Signature verifies, else InvalidSignature."""
    import stripe  # pylint: disable=import-outside-toplevel

    secret = stripe_keys(current_settings().stripe_secret_arn)["webhook_secret"]
    try:
        stripe.WebhookSignature.verify_header(payload, signature_header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
        return json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise InvalidSignature("The webhook signature does not verify.") from error


def forget_stripe():
    """Drop the cached keys and clients (tests, and a rotated secret in a warm environment)."""
    stripe_keys.cache_clear()
    stripe_client.cache_clear()
