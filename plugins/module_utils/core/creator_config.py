# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules a creator's configuration must follow, shared by modules and role validation.

Each check returns None when the value is fine, or a message that names the field and
the value, so the operator sees at once what to fix.
"""

import re

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import TIERS as TIER_SETTINGS

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,30}[a-z0-9]$")
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
DOMAIN_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
OU_NAME_PATTERN = re.compile(r"^[\w .+=,@-]{1,128}$")
ACCOUNT_NAME_PATTERN = re.compile(r"^[\x20-\x7E]{1,50}$")
TAG_KEY_PATTERN = re.compile(r"^[\w .:/=+@-]{1,128}$")

TIERS = tuple(TIER_SETTINGS)
FEATURES = (
    "website",
    "auth",
    "live",
    "chat",
    "shop",
    "membership",
    "donations",
    "sponsors",
    "events",
    "polls",
    "newsletter",
    "contact",
    "analytics",
)
RESERVED_TAG_PREFIXES = ("aws:", "creatorcloud:")


def slug_error(field, value):
    """A creator slug: 3-32 chars, lower-case letters, digits and hyphens, starting with a letter."""
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):
        return (
            f"{field} {value!r} is not a valid creator slug: use 3 to 32 lower-case letters, digits and "
            "hyphens, starting with a letter and not ending with a hyphen"
        )
    return None


def email_error(field, value):
    """An e-mail address AWS accepts for an account (6-64 characters)."""
    if value is None or value == "":
        return f"{field} is missing: an e-mail address is required"
    if not isinstance(value, str) or not 6 <= len(value) <= 64 or not EMAIL_PATTERN.match(value):
        return f"{field} {value!r} is not a valid e-mail address (6 to 64 characters, like name@example.com)"
    return None


def email_list_error(field, value):
    """A list of e-mail addresses (like the creator's first admins); the first bad one is named."""
    if value is None:
        return None
    if not isinstance(value, list):
        return f"{field} must be a list of e-mail addresses, got {value!r}"
    for index, address in enumerate(value):
        error = email_error(f"{field}[{index}]", address)
        if error:
            return error
    return None


def domain_error(field, value):
    """A registrable DNS name in lower case: at least two labels, no scheme, no trailing dot."""
    if not isinstance(value, str) or not value:
        return f"{field} {value!r} is not a valid domain name"
    labels = value.split(".")
    if (
        len(value) > 253
        or len(labels) < 2
        or not all(DOMAIN_LABEL.match(label) for label in labels)
        or not re.match(r"^[a-z]{2,63}$", labels[-1])
        and not labels[-1].startswith("xn--")
    ):
        return (
            f"{field} {value!r} is not a valid domain name: use lower-case labels of letters, digits and "
            "hyphens separated by dots, like example.com (no scheme, path or trailing dot)"
        )
    return None


def account_name_error(field, value):
    """An AWS account name: 1-50 printable ASCII characters."""
    if not isinstance(value, str) or not ACCOUNT_NAME_PATTERN.match(value):
        return f"{field} {value!r} is not a valid account name: use 1 to 50 printable ASCII characters"
    return None


def ou_path_error(field, value):
    """An OU path below the root, like `creators` or `creators/eu` (at most 5 levels)."""
    if not isinstance(value, str) or not value.strip("/"):
        return f"{field} {value!r} is not a valid OU path: use names separated by /, like creators/eu"
    names = value.strip("/").split("/")
    if len(names) > 5 or not all(OU_NAME_PATTERN.match(name) for name in names):
        return (
            f"{field} {value!r} is not a valid OU path: use up to 5 names of 1 to 128 letters, digits, "
            "spaces or .+=,@_- separated by /"
        )
    return None


def tags_error(field, value):
    """Creator tags: string keys and values; the aws: and creatorcloud: prefixes are reserved."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return f"{field} must be a dictionary of tag keys to values, got {value!r}"
    for key, tag_value in value.items():
        if not isinstance(key, str) or not TAG_KEY_PATTERN.match(key):
            return f"{field} has an invalid tag key {key!r}"
        if key.startswith(RESERVED_TAG_PREFIXES):
            return f"{field} key {key!r} uses a reserved prefix ({', '.join(RESERVED_TAG_PREFIXES)})"
        if not isinstance(tag_value, str) or len(tag_value) > 256:
            return f"{field} value {tag_value!r} of tag {key!r} must be a string of at most 256 characters"
    return None


def ou_path_names(path):
    """The OU names of a path, from the root down."""
    return [name for name in path.strip("/").split("/") if name]


def normalise_ou_path(path):
    return "/".join(ou_path_names(path))


# Monetisation (issue 8): amounts are in the currency's smallest unit (cents); Stripe accepts at most 8 digits.
CURRENCY_PATTERN = re.compile(r"^[a-z]{3}$")
TIER_ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
MAX_AMOUNT = 99999999
TIER_PRICES = ("monthly", "yearly")


def currency_error(field, value):
    """A three-letter ISO 4217 currency code in lower case, as Stripe takes it (like eur)."""
    if not isinstance(value, str) or not CURRENCY_PATTERN.match(value):
        return f"{field} {value!r} is not a currency code: use three lower-case letters like eur or usd"
    return None


def amount_error(field, value, minimum=1):
    """An amount in cents: a whole number from `minimum` to Stripe's 8 digits."""
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= MAX_AMOUNT:
        return f"{field} {value!r} must be a whole number of cents from {minimum} to {MAX_AMOUNT}"
    return None


def membership_tier_error(field, tier):
    """One tier: {id, name, monthly, yearly}, prices in cents."""
    if not isinstance(tier, dict):
        return f"{field} must be a dictionary with id, name, monthly and yearly, got {tier!r}"
    if not isinstance(tier.get("id"), str) or not TIER_ID_PATTERN.match(tier["id"]):
        return f"{field}.id {tier.get('id')!r} must be 1 to 32 lower-case letters, digits and hyphens"
    if not isinstance(tier.get("name"), str) or not 1 <= len(tier["name"].strip()) <= 60:
        return f"{field}.name {tier.get('name')!r} must be a text of 1 to 60 characters"
    for price in TIER_PRICES:
        error = amount_error(f"{field}.{price}", tier.get(price))
        if error:
            return error
    return None


def membership_tiers_error(field, value):
    """The membership tiers: a list of distinct tiers; the first bad one is named."""
    if value is None:
        return None
    if not isinstance(value, list):
        return f"{field} must be a list of tiers ({{id, name, monthly, yearly}}), got {value!r}"
    for index, tier in enumerate(value):
        error = membership_tier_error(f"{field}[{index}]", tier)
        if error:
            return error
    ids = [tier["id"] for tier in value]
    repeated = sorted({tier_id for tier_id in ids if ids.count(tier_id) > 1})
    if repeated:
        return f"{field} declares the tier id {repeated[0]!r} more than once"
    return None


# Where the shop ships to: ISO 3166-1 alpha-2 codes, as Stripe Checkout's shipping_address_collection takes them.
COUNTRY_PATTERN = re.compile(r"^[A-Z]{2}$")


def shipping_countries_error(field, value):
    """The countries the shop ships to: distinct upper-case ISO 3166-1 codes; empty means nothing is shipped."""
    if value is None:
        return None
    if not isinstance(value, list):
        return f"{field} must be a list of country codes like [DE, AT], got {value!r}"
    for index, country in enumerate(value):
        if not isinstance(country, str) or not COUNTRY_PATTERN.match(country):
            return f"{field}[{index}] {country!r} is not a country code: use two upper-case letters like DE"
    repeated = sorted({country for country in value if value.count(country) > 1})
    if repeated:
        return f"{field} names {repeated[0]!r} more than once"
    return None


def donation_limits_error(fields, minimum, maximum):
    """The donation minimum and maximum in cents; `fields` names the two variables."""
    error = amount_error(fields[0], minimum) or amount_error(fields[1], maximum)
    if error:
        return error
    if minimum > maximum:
        return f"{fields[0]} {minimum!r} is above {fields[1]} {maximum!r}"
    return None
