# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The environment a deployed function gets: table names, the user pool, the region, the chat room and its rules,
the monetisation features' Stripe secret, site URL, currency, membership tiers and donation limits, and the events'
tables and ticket signing key."""

import json
import os
from dataclasses import dataclass

DEFAULT_CHAT_MAX_MESSAGE_LENGTH = 500
DEFAULT_DONATION_MIN = 100
DEFAULT_DONATION_MAX = 100000


@dataclass(frozen=True)
class Settings:
    """What the api role passes to every function as environment variables."""

    users_table: str
    user_pool_id: str
    region: str
    messages_table: str = "Messages"
    chat_room_arn: str = ""
    chat_blocked_words: tuple = ()
    chat_allow_links: bool = False
    chat_max_message_length: int = DEFAULT_CHAT_MAX_MESSAGE_LENGTH
    products_table: str = ""
    orders_table: str = ""
    memberships_table: str = ""
    donations_table: str = ""
    idempotency_table: str = "Idempotency"
    stripe_secret_arn: str = ""
    stripe_api_base: str = ""
    site_url: str = ""
    currency: str = "eur"
    membership_tiers: tuple = ()
    donation_min: int = DEFAULT_DONATION_MIN
    donation_max: int = DEFAULT_DONATION_MAX
    metrics_namespace: str = ""
    shipping_countries: tuple = ()
    events_table: str = ""
    tickets_table: str = ""
    ticket_key_secret_arn: str = ""


def blocked_words(value):
    """CHAT_BLOCKED_WORDS: a JSON list of strings ("" means none); anything else is a configuration error."""
    words = json.loads(value or "[]")
    if not isinstance(words, list) or not all(isinstance(word, str) for word in words):
        raise ValueError("CHAT_BLOCKED_WORDS must be a JSON list of strings")
    return tuple(word.strip() for word in words if word.strip())


def membership_tiers(value):
    """MEMBERSHIP_TIERS: a JSON list of {"id", "name", "monthly", "yearly"} (amounts in cents); "" means none."""
    tiers = json.loads(value or "[]")
    if not isinstance(tiers, list) or not all(
        isinstance(tier, dict)
        and isinstance(tier.get("id"), str)
        and all(isinstance(tier.get(price), int) and tier[price] > 0 for price in ("monthly", "yearly"))
        for tier in tiers
    ):
        raise ValueError('MEMBERSHIP_TIERS must be a JSON list of {"id", "name", "monthly", "yearly"} in cents')
    return tuple(
        {"id": tier["id"], "name": tier.get("name") or tier["id"], "monthly": tier["monthly"], "yearly": tier["yearly"]}
        for tier in tiers
    )


def shipping_countries(value):
    """SHIPPING_COUNTRIES: a JSON list of ISO 3166-1 codes ("" or [] means the shop ships nothing)."""
    countries = json.loads(value or "[]")
    if not isinstance(countries, list) or not all(isinstance(code, str) and len(code) == 2 for code in countries):
        raise ValueError('SHIPPING_COUNTRIES must be a JSON list of country codes like ["DE", "AT"]')
    return tuple(countries)


def current_settings():
    """Settings read from the environment now (cheap; tests change the environment between cases)."""
    return Settings(
        users_table=os.environ.get("USERS_TABLE", "Users"),
        user_pool_id=os.environ.get("USER_POOL_ID", ""),
        region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"),
        messages_table=os.environ.get("MESSAGES_TABLE", "Messages"),
        chat_room_arn=os.environ.get("CHAT_ROOM_ARN", ""),
        chat_blocked_words=blocked_words(os.environ.get("CHAT_BLOCKED_WORDS")),
        chat_allow_links=os.environ.get("CHAT_ALLOW_LINKS", "false").strip().lower() == "true",
        chat_max_message_length=int(os.environ.get("CHAT_MAX_MESSAGE_LENGTH") or DEFAULT_CHAT_MAX_MESSAGE_LENGTH),
        # "" when the function was not given the table: the profile function then has none of that feature's data.
        products_table=os.environ.get("PRODUCTS_TABLE", ""),
        # The api module names a table's variable after its logical name: ShopOrders -> SHOPORDERS_TABLE.
        orders_table=os.environ.get("ORDERS_TABLE") or os.environ.get("SHOPORDERS_TABLE", ""),
        memberships_table=os.environ.get("MEMBERSHIPS_TABLE", ""),
        donations_table=os.environ.get("DONATIONS_TABLE", ""),
        idempotency_table=os.environ.get("IDEMPOTENCY_TABLE", "Idempotency"),
        stripe_secret_arn=os.environ.get("STRIPE_SECRET_ARN", ""),
        stripe_api_base=os.environ.get("STRIPE_API_BASE", "").rstrip("/"),
        site_url=os.environ.get("SITE_URL", "").rstrip("/"),
        currency=(os.environ.get("CURRENCY") or "eur").lower(),
        membership_tiers=membership_tiers(os.environ.get("MEMBERSHIP_TIERS")),
        donation_min=int(os.environ.get("DONATION_MIN") or DEFAULT_DONATION_MIN),
        donation_max=int(os.environ.get("DONATION_MAX") or DEFAULT_DONATION_MAX),
        metrics_namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", ""),
        shipping_countries=shipping_countries(os.environ.get("SHIPPING_COUNTRIES")),
        events_table=os.environ.get("EVENTS_TABLE", ""),
        tickets_table=os.environ.get("TICKETS_TABLE", ""),
        ticket_key_secret_arn=os.environ.get("TICKET_KEY_SECRET_ARN", ""),
    )
