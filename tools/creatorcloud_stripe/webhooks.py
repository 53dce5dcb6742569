# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Signed webhook delivery to an account's forward URL, with retries of failed attempts.

A worker thread per account sends its events in the order they happened; a failed attempt (no
answer or not 2xx) is tried again after each of `retry_delays` while later events go on, as
Stripe does (its retries are spread over three days; locally they are seconds).
"""

import hashlib
import heapq
import hmac
import itertools
import json
import logging
import threading
import time
import urllib.error
import urllib.request

DEFAULT_RETRY_DELAYS = (1.0, 5.0, 25.0)
TIMEOUT = 10
USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"

log = logging.getLogger("creatorcloud_stripe")


def signature_header(payload, secret, timestamp):
    """Stripe's `Stripe-Signature`: t=<timestamp>,v1=<HMAC-SHA256 of "<timestamp>.<payload>" with the secret>."""
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def post_event(url, payload, secret):
    """Send one signed event; the receiver's HTTP status, or the error when it did not answer."""
    request = urllib.request.Request(
        url,
        data=payload.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": signature_header(payload, secret, int(time.time())),
            "User-Agent": USER_AGENT,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, None
    except urllib.error.HTTPError as e:
        return e.code, None
    except OSError as e:
        return None, str(e)


class DeliveryQueue:
    """One account's attempts in time order, sent by a thread of its own so that a slow receiver delays no other."""

    def __init__(self, attempt):
        self.attempt = attempt
        self._heap = []
        self._order = itertools.count()
        self._wake = threading.Condition(threading.Lock())
        self._worker = threading.Thread(target=self._run, name="stripe-webhooks", daemon=True)
        self._worker.start()

    def schedule(self, due, job):
        """Run `attempt(*job)` at monotonic time `due`, after the attempts due before it."""
        with self._wake:
            heapq.heappush(self._heap, (due, next(self._order), job))
            self._wake.notify()

    def _next_due(self):
        """The next attempt whose time has come, waiting for it."""
        with self._wake:
            while True:
                if self._heap and self._heap[0][0] <= time.monotonic():
                    return heapq.heappop(self._heap)[2]
                self._wake.wait(timeout=self._heap[0][0] - time.monotonic() if self._heap else None)

    def _run(self):
        while True:
            self.attempt(*self._next_due())


class EventDeliveries:
    """The delivery queues, one per account, and the record of every attempt, per event id."""

    def __init__(self, lock, retry_delays=DEFAULT_RETRY_DELAYS, send=post_event):
        self.lock = lock
        self.retry_delays = tuple(retry_delays)
        self.send = send
        self.attempts = {}
        self._queues = {}

    def deliver(self, account, events, replay=False):
        """Queue the events of an account for its forward URL (none set: recorded as not sent)."""
        for event in events:
            self.attempts.setdefault(event["id"], [])
            if account.forward is not None:
                self._queue(account).schedule(time.monotonic(), (account, event, 0, replay))

    def _queue(self, account):
        with self.lock:
            if account.secret_key not in self._queues:
                self._queues[account.secret_key] = DeliveryQueue(self._attempt)
            return self._queues[account.secret_key]

    def _attempt(self, account, event, retry, replay):
        """One attempt, recorded; schedule the next one when it failed and retries are left."""
        forward = account.forward
        payload = json.dumps(event, indent=2)
        status, error = self.send(forward.url, payload, forward.webhook_secret)
        succeeded = status is not None and 200 <= status < 300
        with self.lock:
            self.attempts[event["id"]].append(
                {"at": int(time.time()), "url": forward.url, "status": status, "error": error, "replay": replay}
            )
        if not succeeded:
            log.warning("event %s (%s) to %s: %s", event["id"], event["type"], forward.url, status or error)
            if retry < len(self.retry_delays):
                due = time.monotonic() + self.retry_delays[retry]
                self._queue(account).schedule(due, (account, event, retry + 1, replay))

    def summary(self, event):
        """An event as GET /_creatorcloud/stripe/events lists it: what was sent and how the receiver answered."""
        attempts = list(self.attempts.get(event["id"], []))
        last = attempts[-1] if attempts else None
        return {
            "id": event["id"],
            "type": event["type"],
            "created": event["created"],
            "object_id": event["data"]["object"].get("id"),
            "delivered": any(attempt["status"] and 200 <= attempt["status"] < 300 for attempt in attempts),
            "status": last and last["status"],
            "attempts": attempts,
        }
