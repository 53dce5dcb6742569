# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each tier means, in one place: every slice reads its sizes from here."""

TIERS = {
    "small": {
        "cloudfront_price_class": "PriceClass_100",
        "ivs_channel_type": "BASIC",
        "lambda_memory_mb": 256,
        "dynamodb_billing_mode": "PAY_PER_REQUEST",
        "api_throttle_rate": 50,
        "api_throttle_burst": 100,
    },
    "medium": {
        "cloudfront_price_class": "PriceClass_200",
        "ivs_channel_type": "STANDARD",
        "lambda_memory_mb": 512,
        "dynamodb_billing_mode": "PAY_PER_REQUEST",
        "api_throttle_rate": 200,
        "api_throttle_burst": 400,
    },
    "large": {
        "cloudfront_price_class": "PriceClass_All",
        "ivs_channel_type": "STANDARD",
        "lambda_memory_mb": 1024,
        "dynamodb_billing_mode": "PAY_PER_REQUEST",
        "api_throttle_rate": 1000,
        "api_throttle_burst": 2000,
    },
}


def tier_settings(tier):
    """The settings of a tier; KeyError names an unknown tier."""
    if tier not in TIERS:
        raise KeyError(f"tier {tier!r} is not one of {', '.join(TIERS)}")
    return TIERS[tier]
