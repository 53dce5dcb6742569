# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every slice converge shares: the change log, step failures, comparisons.

Every write goes through :meth:`Changes.make`: in check mode it only records the change,
otherwise it makes it and records it once AWS accepted it. A refused call raises
:class:`ConvergeError`, which names the change, what to do about it, and what the run had
already changed, so the operator knows, and the next run finishes the rest.
"""

import contextlib

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

RUN_AGAIN = "fix the cause and run again: the next run finishes what is left"
ADVICE = {
    "AccessDenied": "the role assumed in the creator's account may not do this: check its policies and the "
    "service control policies of the creator's OU",
    "AccessDeniedException": "the role assumed in the creator's account may not do this: check its policies and the "
    "service control policies of the creator's OU",
    "Throttling": "AWS throttled the calls: run again in a minute",
    "ThrottlingException": "AWS throttled the calls: run again in a minute",
    "TooManyRequests": "AWS throttled the calls: run again in a minute",
    "CNAMEAlreadyExists": "the domain or its www name is an alternate domain name of another CloudFront "
    "distribution, possibly in another AWS account: remove it there and run again",
    "BucketAlreadyExists": "another AWS account owns a bucket of that name: S3 bucket names are global",
    "InvalidViewerCertificate": "CloudFront does not accept the certificate: it must be ISSUED, in us-east-1, "
    "and cover the domain and its www name",
    "KMS.NotFoundException": "kms_key_arn names no key of the creator's account in this region",
    "LimitExceededException": "the creator's account reached an AWS quota: raise it in Service Quotas",
    "TooManyDistributions": "the creator's account reached its CloudFront quota: raise it in Service Quotas",
    "TooManyResponseHeadersPolicies": "the creator's account reached its response headers policy quota",
}


class ConvergeError(Exception):
    """A step failed; `changes` lists what the run had already changed."""

    def __init__(self, message, changes, exception=None):
        super().__init__(message)
        self.message = message
        self.changes = list(changes)
        self.exception = exception


def error_code(exception):
    """The AWS error code of a botocore exception, or None."""
    response = getattr(exception, "response", None) or {}
    return response.get("Error", {}).get("Code")


def advice_for(exception):
    """What the operator can do about an AWS error."""
    return ADVICE.get(error_code(exception), RUN_AGAIN)


class Changes:
    """The changes of one run, in the order they were made (or, in check mode, planned)."""

    def __init__(self, check_mode):
        self.check_mode = check_mode
        self.made = []

    def make(self, description, call, *args):
        """Make one change through `call(*args)` unless in check mode; record it. Returns the call's result."""
        result = None
        if not self.check_mode:
            try:
                result = call(*args)
            except AnsibleAWSError as e:
                raise ConvergeError(
                    f"could not {description}: {advice_for(e.exception)}", self.made, e.exception
                ) from e
        self.made.append(description)
        return result

    def fail(self, message):
        """Stop the run with `message`, reporting what was already changed."""
        raise ConvergeError(message, self.made)

    def error_from(self, error):
        """The ConvergeError of a failed AWS call (a read, or a write outside :meth:`make`): advice and changes."""
        return ConvergeError(f"{error.message}: {advice_for(error.exception)}", self.made, error.exception)

    @contextlib.contextmanager
    def reporting_failures(self):
        """A slice's read, plan and apply: an AWS error in them fails naming what the run had already changed."""
        try:
            yield
        except AnsibleAWSError as e:
            raise self.error_from(e) from e


def identity(item):
    """What tells apart the items of an AWS list: an id, an error code, a header or a name, else the item."""
    if isinstance(item, dict):
        for key in ("Id", "ErrorCode", "Header", "Name", "ObjectOwnership"):
            if key in item:
                return (0, str(item[key]))
        return (1, repr(sorted(item.items(), key=str)))
    return (0, str(item))


def matches(current, desired):
    """True when `current` has every value `desired` sets: members AWS adds, and list order, do not count."""
    if isinstance(desired, dict):
        return isinstance(current, dict) and all(matches(current.get(key), value) for key, value in desired.items())
    if isinstance(desired, list):
        if not isinstance(current, list) or len(current) != len(desired):
            return False
        return all(map(matches, sorted(current, key=identity), sorted(desired, key=identity)))
    return current == desired


def account_id_error(field, value):
    """A 12-digit AWS account id; empty while check mode plans a creator whose account is not created yet."""
    if not value:
        return (
            f"{field} is empty: the creator's account does not exist yet (check mode of a new creator); "
            "run without check mode to create the account first"
        )
    if not (isinstance(value, str) and len(value) == 12 and value.isdigit()):
        return f"{field} {value!r} is not a 12-digit AWS account id"
    return None
