# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource policy statements whose conditions do not hold do not apply, as in AWS.

moto 5.2.5 evaluates only the StringEquals operator and takes every other operator as
satisfied, and it answers DENIED for a statement whose conditions fail, whatever its Effect.
A bucket policy's usual `Deny` with `Bool aws:SecureTransport false` then refuses every
request, even the owner's. Here the Bool operator is evaluated, and a statement whose
conditions do not hold is not applicable (NEUTRAL), as in AWS. The emulator stands in for
AWS's HTTPS endpoints, so requests count as secure transport (the endpoint is plain HTTP
on loopback only).
"""

from moto.iam import policy_conditions
from moto.iam.access_control import IAMPolicyStatement
from moto.iam.access_control import PermissionResult

# What every request to the emulator carries, as a request to AWS's HTTPS endpoints would.
REQUEST_CONTEXT = {"aws:SecureTransport": "true"}

_moto_is_action_permitted = IAMPolicyStatement.is_action_permitted


def is_action_permitted(self, action, resource="*", principal=None, incoming_condition_values=None):
    """moto's evaluation, except that a statement whose conditions do not hold is NEUTRAL."""
    context = {**REQUEST_CONTEXT, **(incoming_condition_values or {})}
    if self._statement.get("Condition") and not self._check_conditions(context):
        return PermissionResult.NEUTRAL
    return _moto_is_action_permitted(self, action, resource, principal, context)


def bool_operation(expected_value, actual_value):
    """The Bool operator: "true"/"false", compared without regard to case."""
    expected = expected_value if isinstance(expected_value, list) else [expected_value]
    return str(actual_value).lower() in {str(value).lower() for value in expected}


def register():
    policy_conditions.CONDITION_OPERATIONS["Bool"] = bool_operation
    IAMPolicyStatement.is_action_permitted = is_action_permitted
