# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in's WSGI app: Stripe's API under /v1, the hosted pages, and the local test controls.

Each /v1 request acts in the account of its secret key (Bearer or basic auth, as Stripe takes
it), with Stripe's form encoding, `expand`, `Idempotency-Key` and error objects. The events an
action records are queued for the account's forward URL once the action is done.
"""

import copy
import json
import threading
import time

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from creatorcloud_stripe import API_VERSION
from creatorcloud_stripe import LOCAL_PREFIX
from creatorcloud_stripe import billing
from creatorcloud_stripe import checkout
from creatorcloud_stripe import hosted_pages
from creatorcloud_stripe import params as read
from creatorcloud_stripe import resources
from creatorcloud_stripe import shipping
from creatorcloud_stripe.accounts import Accounts
from creatorcloud_stripe.accounts import Forward
from creatorcloud_stripe.api_errors import StripeApiError
from creatorcloud_stripe.api_errors import invalid_param
from creatorcloud_stripe.api_errors import unrecognized_url
from creatorcloud_stripe.form import parse_params
from creatorcloud_stripe.webhooks import DEFAULT_RETRY_DELAYS
from creatorcloud_stripe.webhooks import EventDeliveries

# Objects GET /v1/<path>/<id> returns, by path, and the `param` Stripe names when one does not exist.
RETRIEVABLE = {
    "checkout/sessions": ("checkout.session", "session"),
    "customers": ("customer", "id"),
    "subscriptions": ("subscription", "id"),
    "payment_intents": ("payment_intent", "intent"),
    "charges": ("charge", "charge"),
    "invoices": ("invoice", "invoice"),
    "refunds": ("refund", "refund"),
    "events": ("event", "id"),
    "prices": ("price", "price"),
    "products": ("product", "id"),
}
CONTROLLED = "subscriptions, payment_intents, charges, sessions"
SWEEP_INTERVAL = 5
NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer "
    "auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
    "details, or we can help at https://support.stripe.com/."
)


def url_map():
    """Every route of the stand-in."""
    rules = [
        Rule(f"/v1/{path}/<object_id>", methods=["GET"], endpoint="retrieve", defaults={"path": path})
        for path in RETRIEVABLE
    ]
    rules += [
        Rule("/v1/checkout/sessions", methods=["POST"], endpoint="create_checkout_session"),
        Rule("/v1/checkout/sessions/<object_id>/expire", methods=["POST"], endpoint="expire_checkout_session"),
        Rule("/v1/checkout/sessions/<object_id>/line_items", methods=["GET"], endpoint="list_line_items"),
        Rule("/v1/billing_portal/sessions", methods=["POST"], endpoint="create_portal_session"),
        Rule("/v1/customers", methods=["POST"], endpoint="create_customer"),
        Rule("/v1/subscriptions/<object_id>", methods=["DELETE"], endpoint="delete_subscription"),
        Rule("/c/pay/<object_id>", methods=["GET"], endpoint="checkout_page"),
        Rule("/c/pay/<object_id>/<any(pay, decline, cancel):choice>", methods=["POST"], endpoint="checkout_choice"),
        Rule("/p/session/<object_id>", methods=["GET"], endpoint="portal_page"),
        Rule("/p/session/<object_id>/cancel/<subscription_id>", methods=["POST"], endpoint="portal_cancel"),
        Rule(LOCAL_PREFIX, methods=["GET"], endpoint="status"),
        Rule(f"{LOCAL_PREFIX}/forward", methods=["POST"], endpoint="forward"),
        Rule(f"{LOCAL_PREFIX}/events", methods=["GET"], endpoint="events"),
        Rule(f"{LOCAL_PREFIX}/events/<object_id>/resend", methods=["POST"], endpoint="resend"),
        Rule(
            f"{LOCAL_PREFIX}/<any({CONTROLLED}):collection>/<object_id>/<action>", methods=["POST"], endpoint="control"
        ),
    ]
    return Map(rules, strict_slashes=False)


def json_response(body, status=200, headers=None):
    """A JSON response, indented as Stripe's are."""
    return Response(json.dumps(body, indent=2) + "\n", status=status, content_type="application/json", headers=headers)


def secret_key_of(request):
    """The secret key of a request (Bearer, or basic auth's user as `curl -u sk_test_...:` sends it)."""
    auth = request.authorization
    key = auth and (auth.token if auth.type == "bearer" else auth.username)
    if not key:
        raise StripeApiError(401, NO_KEY)
    if not key.startswith("sk_test_"):
        raise StripeApiError(401, f"Invalid API Key provided: {key[:8]}{'*' * 4}{key[-4:]}")
    return key


def request_params(request):
    """A /v1 request's parameters: the form body of a POST, the query string otherwise."""
    pairs = request.form.items(multi=True) if request.method == "POST" else request.args.items(multi=True)
    return parse_params(pairs)


def expanded(account, obj, paths):
    """A copy of `obj` with the ids at the `expand` paths replaced by their objects (line_items on sessions)."""
    result = copy.deepcopy(obj)
    for path in paths or []:
        expand_path(account, result, path.split("."), path)
    return result


def expand_path(account, node, parts, path):
    """Expand one dotted path in place."""
    field, rest = parts[0], parts[1:]
    if field == "line_items" and node.get("object") == "checkout.session":
        items = account.session_line_items[node["id"]]["items"]
        node[field] = resources.list_object(copy.deepcopy(items), f"/v1/checkout/sessions/{node['id']}/line_items")
    elif field in node and isinstance(node[field], str) and node[field] in account.objects:
        node[field] = copy.deepcopy(account.objects[node[field]])
    elif field not in node or (node[field] is not None and not isinstance(node[field], dict)):
        raise invalid_param("expand", f"This property cannot be expanded ({path}).", "parameter_invalid_string")
    if rest and isinstance(node.get(field), dict):
        expand_path(account, node[field], rest, path)


def replay(stored, key, fingerprint):
    """The first answer to an Idempotency-Key again, when the request is the same one (Stripe keeps them 24 hours)."""
    first_fingerprint, status, body = stored
    if first_fingerprint != fingerprint:
        raise StripeApiError(
            400,
            "Keys for idempotent requests can only be used with the same parameters they were first used "
            f"with. Try using a key other than '{key}' if you meant to execute a different request.",
            error_type="idempotency_error",
        )
    return json_response(body, status, {"Idempotent-Replayed": "true", "Idempotency-Key": key})


class StripeStandIn:
    """The WSGI app: accounts by secret key, their events and the delivery of those events."""

    def __init__(self, retry_delays=DEFAULT_RETRY_DELAYS):
        self.accounts = Accounts()
        self.deliveries = EventDeliveries(self.accounts.lock, retry_delays)
        self.routes = url_map()
        self._sweeper = None

    def __call__(self, environ, start_response):
        return self.respond(Request(environ))(environ, start_response)

    def respond(self, request):
        """Route a request; Stripe's error object for /v1 and the local controls, HTML for the pages."""
        self.start_sweeper()
        adapter = self.routes.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
            response = getattr(self, endpoint)(request, **args)
        except HTTPException:
            response = json_response(unrecognized_url(request.method, request.path).body(), 404)
        except StripeApiError as e:
            response = json_response(e.body(), e.status)
        response.headers["Request-Id"] = resources.new_id("req_")
        response.headers["Stripe-Version"] = request.headers.get("Stripe-Version", API_VERSION)
        return response

    def act(self, account, action):
        """Run `action()` on an account under the lock; queue the events it recorded, also when it fails part way."""
        with self.accounts.lock:
            first = len(account.events)
            try:
                return action()
            finally:  # what happened before a refusal happened: its events go out too
                self.deliveries.deliver(account, account.events[first:])

    def api_call(self, request, action):
        """A /v1 call: authenticate, read parameters, replay an idempotent POST, act, expand the answer."""
        account = self.accounts.for_key(secret_key_of(request))
        params = request_params(request)
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        fingerprint = [request.path, sorted(request.form.items(multi=True))]
        with self.accounts.lock:
            stored = account.idempotent_responses.get(key) if key else None
        if stored:
            return replay(stored, key, fingerprint)
        try:
            body = self.act(account, lambda: expanded(account, action(account, params), params.get("expand")))
            status = 200
        except StripeApiError as e:
            body, status = e.body(), e.status
        if key:
            with self.accounts.lock:
                account.idempotent_responses[key] = (fingerprint, status, body)
        return json_response(body, status, {"Idempotency-Key": key} if key else None)

    def retrieve(self, request, path, object_id):
        """GET /v1/<path>/<id>."""
        kind, param = RETRIEVABLE[path]
        return self.api_call(request, lambda account, params: account.get(object_id, kind, param))

    def create_checkout_session(self, request):
        """POST /v1/checkout/sessions."""
        return self.api_call(
            request, lambda account, params: checkout.create_session(account, params, request.host_url)
        )

    def expire_checkout_session(self, request, object_id):
        """POST /v1/checkout/sessions/<id>/expire."""
        return self.api_call(
            request,
            lambda account, params: checkout.expire(account, account.get(object_id, "checkout.session", "session")),
        )

    def list_line_items(self, request, object_id):
        """GET /v1/checkout/sessions/<id>/line_items."""

        def items(account, params):
            account.get(object_id, "checkout.session", "session")
            data = account.session_line_items[object_id]["items"]
            return resources.list_object(data, f"/v1/checkout/sessions/{object_id}/line_items")

        return self.api_call(request, items)

    def create_portal_session(self, request):
        """POST /v1/billing_portal/sessions."""
        return self.api_call(
            request, lambda account, params: billing.create_portal_session(account, params, request.host_url)
        )

    def create_customer(self, request):
        """POST /v1/customers."""
        return self.api_call(request, billing.create_customer)

    def delete_subscription(self, request, object_id):
        """DELETE /v1/subscriptions/<id>: cancel now."""
        return self.api_call(
            request,
            lambda account, params: billing.cancel_subscription(account, account.get(object_id, "subscription"), False),
        )

    def checkout_page(self, request, object_id, notice=None, status=200, values=None, problems=None):
        """The hosted checkout page (with the address as entered and what is wrong with it), or what became of it."""
        account, session = self.accounts.owner_of(object_id, "checkout.session")
        if session["status"] == "complete":
            page = hosted_pages.message_page(
                "Payment complete", "This checkout session is already paid.", session["success_url"]
            )
        elif session["status"] == "expired":
            page = hosted_pages.message_page(
                "Checkout expired", "This checkout session has expired.", session["cancel_url"]
            )
        else:
            items = account.session_line_items[object_id]["items"]
            page = hosted_pages.checkout_page(session, items, notice, values, problems)
        return Response(page, status=status, content_type="text/html; charset=utf-8")

    def checkout_choice(self, request, object_id, choice):
        """Pay (then the success URL), pay with a declined card (the page again), or cancel (the cancel URL).

        A session that collects a shipping address takes it from the form of both pay buttons: without a complete
        one in an allowed country, the page comes again with what is wrong (400) and nothing is paid or declined.
        """
        account, session = self.accounts.owner_of(object_id, "checkout.session")
        if session["status"] != "open":  # a second click, or a tab left open: say what became of it
            return self.checkout_page(request, object_id, status=409)
        if choice == "cancel":
            return self.leave(session["cancel_url"], "Checkout canceled", "You left the checkout; nothing was paid.")
        details, values = None, None
        collection = session["shipping_address_collection"]
        if collection:
            details, values, problems = shipping.address_from_form(request.form, collection["allowed_countries"])
            if problems:
                return self.checkout_page(request, object_id, status=400, values=values, problems=problems)
        if choice == "decline":
            self.act(account, lambda: checkout.decline(account, session, details))
            return self.checkout_page(request, object_id, notice=checkout.DECLINE["message"], status=402, values=values)
        self.act(account, lambda: checkout.complete(account, session, details))
        target = session["success_url"] and session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])
        return self.leave(target, "Payment complete", "Thank you: the payment went through.")

    def leave(self, url, title, text):
        """Redirect to the site's URL, or say what happened when the session has none."""
        if url:
            return redirect(url, code=303)
        return Response(hosted_pages.message_page(title, text), content_type="text/html; charset=utf-8")

    def portal_page(self, request, object_id):
        """The billing portal page of a portal session."""
        account, portal = self.accounts.owner_of(object_id, "billing_portal.session")
        subscriptions = billing.customer_subscriptions(account, portal["customer"])
        return Response(hosted_pages.portal_page(portal, subscriptions), content_type="text/html; charset=utf-8")

    def portal_cancel(self, request, object_id, subscription_id):
        """Cancel a subscription at period end from the portal (its default), then show the portal again."""
        account, portal = self.accounts.owner_of(object_id, "billing_portal.session")
        sub = account.get(subscription_id, "subscription")
        if sub["customer"] != portal["customer"]:
            raise StripeApiError(403, "This subscription belongs to another customer.", param="subscription")
        self.act(account, lambda: billing.cancel_subscription(account, sub, at_period_end=True))
        return redirect(f"/p/session/{object_id}", code=303)

    def status(self, request):
        """What the launcher checks: the stand-in answers, and with which API version."""
        return json_response(
            {"service": "creatorcloud_stripe", "api_version": API_VERSION, "accounts": len(self.accounts.all())}
        )

    def forward(self, request):
        """Send an account's events to `url`, signed with `webhook_secret` (like `stripe listen --forward-to`)."""
        body = local_body(request)
        secret_key = read.required(body, "secret_key")
        target = Forward(url=read.required(body, "url"), webhook_secret=read.required(body, "webhook_secret"))
        if not target.url.startswith(("http://", "https://")):
            raise invalid_param("url", "The forward URL must be an http(s) URL.")
        account = self.accounts.for_key(secret_key)
        with self.accounts.lock:
            account.forward = target
        return json_response({"url": target.url, "account": secret_key[:8] + "****" + secret_key[-4:]})

    def control(self, request, collection, object_id, action):
        """The test controls: what the dashboard and test clocks do to sessions, payments and subscriptions."""
        kind, perform = self.controls().get((collection, action), (None, None))
        if kind is None:
            raise unrecognized_url(request.method, request.path)
        account, obj = self.accounts.owner_of(object_id, kind)
        body = local_body(request)
        return json_response(self.act(account, lambda: perform(account, obj, body)))

    @staticmethod
    def controls():
        """(collection, action) -> (kind of object, action(account, object, body))."""
        return {
            ("subscriptions", "cancel"): (
                "subscription",
                lambda account, sub, body: billing.cancel_subscription(
                    account, sub, read.boolean(body, "at_period_end")
                ),
            ),
            ("subscriptions", "advance"): (
                "subscription",
                lambda account, sub, body: billing.advance_subscription(account, sub, read.boolean(body, "fail")),
            ),
            ("payment_intents", "fail"): (
                "payment_intent",
                lambda account, intent, body: checkout.fail_intent(account, intent),
            ),
            ("charges", "refund"): ("charge", billing.refund_charge),
            ("sessions", "expire_now"): (
                "checkout.session",
                lambda account, session, body: checkout.expire(account, session),
            ),
        }

    def events(self, request):
        """The events of one account (?secret_key= or its Authorization), or of all: what was sent, and the answers."""
        auth = request.authorization
        key = request.args.get("secret_key") or (auth and (auth.token or auth.username))
        accounts = [self.accounts.known(key)] if key else self.accounts.all()
        with self.accounts.lock:
            data = [self.deliveries.summary(event) for account in filter(None, accounts) for event in account.events]
        return json_response({"object": "list", "data": data})

    def resend(self, request, object_id):
        """Deliver an event again (a replay, as the dashboard's Resend does): same id, same payload."""
        account, event = self.accounts.owner_of(object_id, "event")
        if account.forward is None:
            raise invalid_param("id", "This account has no forward URL: POST /_creatorcloud/stripe/forward first.")
        self.deliveries.deliver(account, [event], replay=True)
        return json_response({"id": event["id"], "resent": True}, 202)

    def start_sweeper(self):
        """Start the thread that expires sessions whose expires_at passed (once, on the first request)."""
        if self._sweeper is None:
            self._sweeper = threading.Thread(target=self.sweep_forever, name="stripe-expiry", daemon=True)
            self._sweeper.start()

    def sweep_forever(self):
        """Expire due sessions every few seconds, and deliver their events."""
        while True:
            time.sleep(SWEEP_INTERVAL)
            for account in self.accounts.all():
                self.act(account, lambda account=account: checkout.expire_due(account, resources.now()))


def local_body(request):
    """The body of a local control: JSON, or a form."""
    body = request.get_json(silent=True) if request.is_json else None
    return body if isinstance(body, dict) else parse_params(request.form.items(multi=True))


def build_app(retry_delays=DEFAULT_RETRY_DELAYS):
    """The stand-in app; `retry_delays` are the seconds between attempts of a failed webhook delivery."""
    return StripeStandIn(retry_delays)
