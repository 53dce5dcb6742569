# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading request parameters as Stripe does: required ones, integers, booleans, string maps."""

from creatorcloud_stripe.api_errors import invalid_integer
from creatorcloud_stripe.api_errors import invalid_param
from creatorcloud_stripe.api_errors import missing_param
from creatorcloud_stripe.api_errors import unknown_param


def reject_unknown(params, known, prefix=""):
    """Stripe refuses parameters an endpoint does not take: a typo fails here as it would on Stripe."""
    for key in params:
        if key not in known:
            raise unknown_param(f"{prefix}[{key}]" if prefix else key)


def required(params, key, param=None):
    """A parameter that must be present and not empty."""
    value = params.get(key)
    if value in (None, "", {}, []):
        raise missing_param(param or key)
    return value


def integer(params, key, param=None, default=None, minimum=0):
    """An integer parameter (form values are strings)."""
    value = params.get(key)
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise invalid_integer(param or key, value) from None
    if number < minimum:
        raise invalid_param(
            param or key, f"This value must be greater than or equal to {minimum}.", "parameter_invalid_integer"
        )
    return number


def boolean(params, key, default=False):
    """A boolean parameter: the library sends `true`/`false`; JSON bodies of the local controls send booleans."""
    value = params.get(key, default)
    return value if isinstance(value, bool) else str(value).lower() == "true"


def string_map(params, key):
    """`metadata`-like parameters: a map of strings; an empty string unsets all, as Stripe reads it."""
    value = params.get(key)
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise invalid_param(
            key, f"Invalid object: {key} must be a hash of keys and values.", "parameter_invalid_object"
        )
    return {name: str(text) for name, text in value.items() if text != ""}


def one_of(params, key, choices, param=None):
    """A parameter whose value is one of a few words."""
    value = params.get(key)
    if value is not None and value not in choices:
        raise invalid_param(
            param or key, f"Invalid {param or key}: must be one of {', '.join(choices)}", "parameter_invalid_empty"
        )
    return value
