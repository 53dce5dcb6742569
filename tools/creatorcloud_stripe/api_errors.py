# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stripe's error object (`{"error": {type, message, param, code, doc_url}}`) and the common ones."""

SUPPORT = "Please see https://stripe.com/docs or we can help at https://support.stripe.com/."


class StripeApiError(Exception):
    """An error answered with Stripe's error object and HTTP status."""

    def __init__(self, status, message, error_type="invalid_request_error", param=None, code=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type
        self.param = param
        self.code = code

    def body(self):
        """The JSON body, with only the fields Stripe sends for this error."""
        error = {"message": self.message, "type": self.error_type}
        if self.param:
            error["param"] = self.param
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        return {"error": error}


def missing_param(param):
    """A required parameter was not sent."""
    return StripeApiError(400, f"Missing required param: {param}.", param=param, code="parameter_missing")


def unknown_param(param):
    """A parameter this endpoint does not take."""
    return StripeApiError(400, f"Received unknown parameter: {param}", param=param, code="parameter_unknown")


def invalid_param(param, message, code="parameter_invalid_empty"):
    """A parameter with a value Stripe refuses."""
    return StripeApiError(400, message, param=param, code=code)


def empty_string(param):
    """An empty string for a parameter that cannot be unset (Stripe reads an empty value as unsetting it)."""
    return StripeApiError(
        400,
        f"You passed an empty string for '{param}'. We assume empty values are an attempt to unset a parameter; "
        f"however '{param}' cannot be unset. You should remove '{param}' from your request or supply a non-empty "
        "value.",
        param=param,
        code="parameter_invalid_empty",
    )


def invalid_integer(param, value):
    """A parameter that must be an integer."""
    return StripeApiError(400, f"Invalid integer: {value}", param=param, code="parameter_invalid_integer")


def no_such(kind, object_id, param="id"):
    """An object that does not exist in this account."""
    return StripeApiError(404, f"No such {kind}: '{object_id}'", param=param, code="resource_missing")


def unexpected_state(message, code):
    """An action the object's current status does not allow."""
    return StripeApiError(400, message, code=code)


def unrecognized_url(method, path):
    """A path or method the API does not have."""
    return StripeApiError(404, f"Unrecognized request URL ({method}: {path}). {SUPPORT}")
