# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's payments on the local Stripe stand-in (tools/creatorcloud_stripe, docs/payments-local.md).

On AWS the payment functions (those whose environment has STRIPE_SECRET_ARN) call api.stripe.com,
Stripe sends the fan back to SITE_URL (`https://<domain>`) and posts the creator's events to the
webhook endpoint of their dashboard. None of that reaches loopback. With a stand-in URL the gateway
runs those functions, in-process only, with STRIPE_API_BASE=<stand-in> and SITE_URL=<the gateway's
origin>, and tells the stand-in to send the creator's events to `<origin>/api/stripe/webhook`, as
`stripe listen --forward-to` does, signed with the creator's webhook secret: both keys come from the
creator's secret `creatorcloud/<slug>/stripe`, read with the creator role. The deployed functions are
not changed, and the keys are never logged, printed or reported.

Without a stand-in URL nothing changes: a checkout fails with the backend's 502 payment_provider_error
(api.stripe.com does not answer), and the gateway says so once at startup and in its status.
"""

import json
import logging
import threading
import urllib.error
import urllib.request

from creatorcloud_stripe import DEFAULT_PORT as STRIPE_DEFAULT_PORT
from creatorcloud_stripe import LOCAL_PREFIX as STRIPE_LOCAL_PREFIX

from creatorcloud_gateway.collection import secretsmanager
from creatorcloud_gateway.collection import stripe_secret_name
from creatorcloud_gateway.creator_access import AWS_ERRORS
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_access import describe_aws_error

STRIPE_URL_VARIABLE = "CREATORCLOUD_STRIPE_URL"
# A function with this variable takes payments (the api role gives it to shop, membership, donations, stripe-webhook).
STRIPE_SECRET_VARIABLE = "STRIPE_SECRET_ARN"
WEBHOOK_PATH = "/api/stripe/webhook"
FORWARD_PATH = f"{STRIPE_LOCAL_PREFIX}/forward"
# What `make stripe-up` starts, for the hints.
DEFAULT_STRIPE_URL = f"http://127.0.0.1:{STRIPE_DEFAULT_PORT}"
# Seconds before each new attempt to forward the events after a failed one (the last one repeats), and
# between two confirmations once it worked (the stand-in keeps its state in memory: a restarted one
# forgets where the creator's events go, and a rotated webhook secret must reach it).
RETRY_DELAYS = (1, 2, 5, 10, 30)
REFRESH_SECONDS = 60
# The stand-in runs on loopback and answers at once; a status request waits for one attempt.
HTTP_TIMEOUT = 2
WILDCARD_HOSTS = ("", "0.0.0.0", "::")

log = logging.getLogger("creatorcloud_gateway")


class PaymentsUnavailable(Exception):
    """The stand-in cannot send the creator's events to the gateway; the message says why (never a key)."""


def origin_of(host, port):
    """The gateway's origin as a browser reaches it: a wildcard listen address means loopback."""
    host = "127.0.0.1" if host in WILDCARD_HOSTS else host
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}"


def redacted(text, *secrets):
    """`text` with every secret in it replaced by ****."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "****")
    return text


class LocalPayments:
    """Where the creator's payment functions find Stripe and the site when run locally, and their webhooks.

    `stripe_url` is the stand-in's base URL (None: payments are left as deployed) and `origin` the
    gateway's own (`http://127.0.0.1:8080`); `region` is where the creator's secret and functions are.
    """

    def __init__(
        self,
        access,
        region,
        stripe_url=None,
        origin=None,
        retry_delays=RETRY_DELAYS,
        refresh_seconds=REFRESH_SECONDS,
    ):
        if stripe_url and not origin:
            raise ValueError("a gateway with a Stripe stand-in needs its own origin for SITE_URL and the webhooks")
        self.access = access
        self.region = region
        self.stripe_url = stripe_url.rstrip("/") if stripe_url else None
        self.origin = origin.rstrip("/") if origin else None
        self.retry_delays = tuple(retry_delays)
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._forwarded = False
        self._error = None
        self._payment_functions = None
        self._stopped = threading.Event()
        self._thread = None

    @property
    def webhook_url(self):
        """Where the stand-in sends the creator's events: the gateway's own webhook route."""
        return self.origin + WEBHOOK_PATH if self.origin else None

    def environment(self, variables):
        """The environment a function runs with locally: a payment function's points at the stand-in and the gateway."""
        if not self.stripe_url or STRIPE_SECRET_VARIABLE not in variables:
            return variables
        return {**variables, "STRIPE_API_BASE": self.stripe_url, "SITE_URL": self.origin}

    def start(self):
        """In the background: keep the stand-in forwarding the creator's events, or warn once that there is none."""
        if self._thread is None:
            target = self._keep_forwarding if self.stripe_url else self._warn_without_stand_in
            self._thread = threading.Thread(target=target, name="creatorcloud-payments", daemon=True)
            self._thread.start()

    def stop(self):
        """End the background thread (at once, or after the attempt it is making)."""
        self._stopped.set()

    def status(self, live=True):
        """What the status endpoint reports: the stand-in, whether the creator's events reach the gateway, or why not.

        `live`: a forward that failed is tried again first, and a gateway without a stand-in looks for the
        creator's payment functions; otherwise only what is known is reported.
        """
        if not self.stripe_url:
            functions = self.payment_functions() if live else self._payment_functions
            error = None
            if functions:
                error = (
                    f"the gateway of creator {self.access.creator} has no --stripe-url: its payment functions call "
                    "api.stripe.com, so a checkout fails (payment_provider_error); start the stand-in (make stripe-up) "
                    f"and the gateway with --stripe-url {DEFAULT_STRIPE_URL}"
                )
            return {"stripe_url": None, "webhooks_forwarded": False, "error": error}
        if live and not self._forwarded:
            self.forward_webhooks()
        return {
            "stripe_url": self.stripe_url,
            "webhook_url": self.webhook_url,
            "webhooks_forwarded": self._forwarded,
            "error": self._error,
        }

    def payment_functions(self):
        """The names of the creator's functions that take payments (looked up once; [] when it cannot be told)."""
        if self._payment_functions is None:
            try:
                client = self.access.client("lambda", self.region)
                found = []
                for page in client.get_paginator("list_functions").paginate():
                    for function in page["Functions"]:
                        if STRIPE_SECRET_VARIABLE in ((function.get("Environment") or {}).get("Variables") or {}):
                            found.append(function["FunctionName"])
            except (SiteUnavailable, *AWS_ERRORS) as e:
                log.debug("cannot list the functions of creator %s: %s", self.access.creator, e)
                return []
            self._payment_functions = sorted(found)
        return self._payment_functions

    def forward_webhooks(self):
        """Tell the stand-in to send the creator's events to this gateway; True when it took the forward URL."""
        with self._lock:
            try:
                self._forward()
            except PaymentsUnavailable as e:
                message = str(e)
                if message != self._error:
                    log.warning("%s", message)
                self._forwarded, self._error = False, message
                return False
            if not self._forwarded:
                print(
                    f"payments: the Stripe stand-in at {self.stripe_url} sends the events of creator "
                    f"{self.access.creator} to {self.webhook_url}",
                    flush=True,
                )
            self._forwarded, self._error = True, None
            return True

    def _forward(self):
        keys = self._stripe_keys()
        body = {"secret_key": keys["secret_key"], "webhook_secret": keys["webhook_secret"], "url": self.webhook_url}
        request = urllib.request.Request(
            self.stripe_url + FORWARD_PATH,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as e:
            try:
                detail = (json.loads(e.read()).get("error") or {}).get("message") or e.reason
            except (ValueError, AttributeError):
                detail = e.reason
            raise PaymentsUnavailable(
                f"the Stripe stand-in at {self.stripe_url} refused to forward the events of creator "
                f"{self.access.creator} ({e.code}: {redacted(str(detail), *keys.values())})"
            ) from None
        except OSError as e:
            raise PaymentsUnavailable(
                f"no Stripe stand-in answers at {self.stripe_url} ({e}): start it (make stripe-up); the events of "
                f"creator {self.access.creator} go to {self.webhook_url} once it runs"
            ) from None

    def _stripe_keys(self):
        """The creator's {"secret_key", "webhook_secret"}, from their secret in their own account."""
        name = stripe_secret_name(self.access.creator)
        try:
            value = secretsmanager.get_secret_string(self.access.client("secretsmanager", self.region), name)
        except SiteUnavailable as e:
            raise PaymentsUnavailable(f"cannot read the Stripe keys of creator {self.access.creator}: {e}") from None
        except AWS_ERRORS as e:
            raise PaymentsUnavailable(
                f"cannot read the Stripe keys of creator {self.access.creator} from secret {name} "
                f"({describe_aws_error(e)})"
            ) from None
        if value is None:
            raise PaymentsUnavailable(
                f"creator {self.access.creator} has no Stripe keys (no secret {name} in {self.region}): it takes no "
                "payments until a payment feature (shop, membership, donations) is onboarded"
            )
        try:
            keys = json.loads(value)
            return {"secret_key": str(keys["secret_key"]), "webhook_secret": str(keys["webhook_secret"])}
        except (ValueError, TypeError, KeyError):
            raise PaymentsUnavailable(
                f"the secret {name} of creator {self.access.creator} is not JSON with secret_key and webhook_secret: "
                f"run ansible-playbook playbooks/onboard.yml -l {self.access.creator}"
            ) from None

    def _keep_forwarding(self):
        failures = 0
        while not self._stopped.is_set():
            if self.forward_webhooks():
                failures, delay = 0, self.refresh_seconds
            else:
                delay = self.retry_delays[min(failures, len(self.retry_delays) - 1)]
                failures += 1
            self._stopped.wait(delay)

    def _warn_without_stand_in(self):
        functions = self.payment_functions()
        if functions:
            log.warning(
                "creator %s has payment functions (%s) and the gateway no --stripe-url: they call api.stripe.com, so "
                "a checkout fails with payment_provider_error. Start the stand-in (make stripe-up) and the gateway "
                "with --stripe-url %s (make serve and make demo do).",
                self.access.creator,
                ", ".join(functions),
                DEFAULT_STRIPE_URL,
            )
