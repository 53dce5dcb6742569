# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one retry layer of every AWS call: botocore's standard retries, plus waits for eventual consistency.

Throttling, 5xx answers and dropped connections are botocore's job (``RETRY_CONFIG``, on every
client the collection makes): exponential backoff with jitter, at most ``MAX_ATTEMPTS`` tries of
a call, and a retry quota per client that stops a retry storm. ``AWSRetry`` retried the same
throttling codes again around each of botocore's tries (11 x 11 = 121 tries of one call), so the
service wrappers use :class:`ConsistencyRetry`, which retries only the codes it is given: the
answers of a resource that is still settling (ResourceInUse, ConcurrentModification, a new role
that cannot be assumed yet), which no retry mode of botocore knows about.

Not the adaptive mode: its client-side rate limiter lowered a client to 0.5 calls per second under
steady throttling (a test run of the api slice took 98 s instead of 38 s), and it cannot share
its rate across the worker processes of a fleet run, where the account that all creators share
(the management account's Organizations calls) is the one that throttles.
"""

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

# Attempts of one call in all, the first included.
MAX_ATTEMPTS = 10
# Every client of the collection: the only place where throttling is retried.
RETRY_CONFIG = {"retries": {"mode": "standard", "total_max_attempts": MAX_ATTEMPTS}}


class ConsistencyRetry(AWSRetry):
    """AWSRetry's backoff for the error codes named by the caller only (never throttling: botocore has it)."""

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return response_code in (catch_extra_error_codes or ())
