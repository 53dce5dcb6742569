# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""creator1's built site served to a browser page by the test itself, with Cognito and the API answered by stubs.

No emulator, gateway or Stripe stand-in: `StubbedSite` answers every request of the page under ORIGIN (page.route),
so the pages' scripts run against exactly the answers a test gives them, every error included.
"""

import base64
import functools
import json
import time
from typing import NamedTuple
from urllib.parse import urlsplit

from playbook_runner import REPO

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build
from e2e.creators import SESSION_KEY
from e2e.creators import host_vars
from e2e.site_resources import CONTENT_SECURITY_POLICY

THEME = REPO / "files/frontend"
INVENTORY = REPO / "inventories/local"
COGNITO_PATH = "/_aws/cognito-idp/"
ORIGIN = "http://127.0.0.1:9"  # answered by the test itself (page.route): a secure context on loopback
STUB_RUNTIME = {
    "api_url": ORIGIN,
    "auth": {
        "region": "eu-central-1",
        "user_pool_id": "eu-central-1_Stub123",
        "client_id": "stubclient",
        "endpoint": ORIGIN + COGNITO_PATH,
    },
}
# Stand-ins for Stripe's hosted pages, so that following a checkout_url or the portal's url ends somewhere.
CHECKOUT_URL = f"{ORIGIN}/stripe/checkout.html"
PORTAL_URL = f"{ORIGIN}/stripe/portal.html"
STRIPE_PAGES = ("stripe/checkout.html", "stripe/portal.html")


class ApiCall(NamedTuple):
    """A request of the page to the API: "METHOD /api/…", the query string, the JSON body, the Authorization header."""

    route: str
    query: str
    body: object
    authorization: str | None


def creator1_site(runtime):
    """creator1's `site` from the local inventory, as the frontend role passes it."""
    config = host_vars("creator1")
    branding = {**config["creator_branding"], "logo": str(INVENTORY / config["creator_branding"]["logo"])}
    return {
        "creator": "creator1",
        "display_name": config["creator_display_name"],
        "domain": config["creator_domain"],
        "contact_email": config["creator_contact_email"],
        "languages": config["creator_languages"],
        "features": config["creator_features"],
        "branding": branding,
        "legal": config["creator_legal"],
        "runtime": runtime,
    }


@functools.cache
def site_files(features=None):
    """creator1's site (with the tuple `features` instead of its own), built once per session, and Stripe's pages."""
    site = creator1_site(None)
    files = build.build_site(str(THEME), site if features is None else {**site, "features": list(features)})
    stand_in = build.SiteFile(b"<!doctype html><title>Stripe</title><p>Stripe</p>\n", build.HTML_TYPE, build.NO_CACHE)
    return {**files, **dict.fromkeys(STRIPE_PAGES, stand_in)}


def fake_token(lifetime_seconds, **claims):
    """A JWT-shaped token: the site only reads its claims (the API verifies tokens, not the site)."""

    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return ".".join([part({"alg": "none"}), part({"exp": int(time.time()) + lifetime_seconds, **claims}), "sig"])


class StubbedSite:
    """creator1's built site, served to the page by the test, with Cognito and the API answered by stubs.

    `cognito` maps an operation (InitiateAuth) and `api` a route ("GET /api/me") to (status, body) or to a
    function of the request returning it; `calls` records both, in order, and `requests` every API call as an
    ApiCall. `features` builds the site with those features instead of creator1's own.
    """

    def __init__(self, page, runtime=None, cognito=None, api=None, features=None):
        self.files = site_files(None if features is None else tuple(features))
        self.runtime = STUB_RUNTIME if runtime is None else runtime
        self.cognito = cognito or {}
        self.api = api or {}
        self.calls = []
        self.requests = []
        page.route(f"{ORIGIN}/**", self.answer)

    def answer(self, route):
        """One request of the page."""
        request = route.request
        url = urlsplit(request.url)
        path = url.path
        if path == COGNITO_PATH:
            operation = request.headers["x-amz-target"].split(".")[-1]
            self.calls.append((operation, request.post_data_json))
            self.fulfil_json(route, self.cognito.get(operation, (400, {"__type": "InvalidParameterException"})))
        elif path.startswith("/api/"):
            authorization = request.headers.get("authorization")
            body = request.post_data_json if request.post_data else None
            self.calls.append((f"{request.method} {path}", authorization))
            self.requests.append(ApiCall(f"{request.method} {path}", url.query, body, authorization))
            self.fulfil_json(route, self.api.get(f"{request.method} {path}", (404, {"message": "Not Found"})))
        elif path == "/config.json":
            route.fulfill(status=200, content_type="application/json", body=json.dumps(self.runtime))
        else:
            site_file = self.files.get("index.html" if path == "/" else path.lstrip("/"))
            if site_file is None:
                route.fulfill(status=404, body="")
                return
            headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
            route.fulfill(status=200, content_type=site_file.content_type, body=site_file.body, headers=headers)

    def fulfil_json(self, route, answer):
        status, body = answer(route.request) if callable(answer) else answer
        route.fulfill(status=status, content_type="application/x-amz-json-1.1", body=json.dumps(body))

    def operations(self):
        """The Cognito operations and API routes the page called, in order."""
        return [call[0] for call in self.calls]

    def api_calls(self, route=None):
        """The API calls (ApiCall), optionally of one route only."""
        return [call for call in self.requests if route is None or call.route == route]


def sequence(*answers):
    """A stub answering each request with the next of `answers`, the last one from then on."""
    remaining = list(answers)

    def answer(request):
        return remaining.pop(0) if len(remaining) > 1 else remaining[0]

    return answer


def signed_in(page, id_token_lifetime=3600, groups=None):
    """Put a session in the tab as cognito.js stores it; `groups` become the ID token's cognito:groups."""
    claims = {"sub": "sub-1"} if groups is None else {"sub": "sub-1", "cognito:groups": groups}
    tokens = {
        "id_token": fake_token(id_token_lifetime, **claims),
        "access_token": fake_token(3600),
        "refresh_token": "refresh-1",
        "expires_at": int(time.time()) + id_token_lifetime,
    }
    page.goto(f"{ORIGIN}/en/index.html")
    page.evaluate("([key, value]) => sessionStorage.setItem(key, value)", [SESSION_KEY, json.dumps(tokens)])
