# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What each tier means, in one place: every slice reads its sizes from here."""

# Alarm thresholds (alarm_*, per five minutes): a larger tier has more fans, so more errors and throttles are
# normal there, while the share of failed requests and the p99 latency it tolerates are smaller.
TIERS = {
    "small": {
        "cloudfront_price_class": "PriceClass_100",
        "ivs_channel_type": "BASIC",
        "lambda_memory_mb": 256,
        "dynamodb_billing_mode": "PAY_PER_REQUEST",
        "api_throttle_rate": 50,
        "api_throttle_burst": 100,
        "alarm_function_errors": 5,
        "alarm_function_throttles": 5,
        "alarm_api_5xx_percent": 5.0,
        "alarm_api_latency_p99_ms": 3000,
        "alarm_cdn_5xx_percent": 5.0,
        "alarm_table_throttles": 10,
        "alarm_certificate_days_to_expiry": 30,
    },
    "medium": {
        "cloudfront_price_class": "PriceClass_200",
        "ivs_channel_type": "STANDARD",
        "lambda_memory_mb": 512,
        "dynamodb_billing_mode": "PAY_PER_REQUEST",
        "api_throttle_rate": 200,
        "api_throttle_burst": 400,
        "alarm_function_errors": 10,
        "alarm_function_throttles": 10,
        "alarm_api_5xx_percent": 2.0,
        "alarm_api_latency_p99_ms": 2000,
        "alarm_cdn_5xx_percent": 2.0,
        "alarm_table_throttles": 25,
        "alarm_certificate_days_to_expiry": 30,
    },
    "large": {
        "cloudfront_price_class": "PriceClass_All",
        "ivs_channel_type": "STANDARD",
        "lambda_memory_mb": 1024,
        "dynamodb_billing_mode": "PAY_PER_REQUEST",
        "api_throttle_rate": 1000,
        "api_throttle_burst": 2000,
        "alarm_function_errors": 25,
        "alarm_function_throttles": 25,
        "alarm_api_5xx_percent": 1.0,
        "alarm_api_latency_p99_ms": 1000,
        "alarm_cdn_5xx_percent": 1.0,
        "alarm_table_throttles": 50,
        "alarm_certificate_days_to_expiry": 30,
    },
}


def tier_settings(tier):
    """The settings of a tier; KeyError names an unknown tier."""
    if tier not in TIERS:
        raise KeyError(f"tier {tier!r} is not one of {', '.join(TIERS)}")
    return TIERS[tier]
