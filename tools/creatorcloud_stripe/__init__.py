# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local stand-in for the part of Stripe the creator's backend uses, for the embedded default.

It answers the official `stripe` library as api.stripe.com does for Checkout Sessions, the
billing portal, customers and subscriptions (data kept per secret key: one key, one Stripe
account), serves the hosted checkout and portal pages, and sends signed webhook events to a
forward URL, as `stripe listen --forward-to` does. See docs/payments-local.md.
"""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 12111
# The API version of the `stripe` library the backend pins: events and responses are shaped as it expects.
API_VERSION = "2026-10-28.endive"
LOCAL_PREFIX = "/_creatorcloud/stripe"
