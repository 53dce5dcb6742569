# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the browser tests: onboarded creators, a gateway per creator, headless Chromium.

The browser tests have an emulator of their own for the whole session (per xdist worker):
they onboard creator1 and creator2 once through the playbooks, and a test elsewhere that
resets the shared emulator must not take the creators away from under them. As in `make demo`,
the gateways run the payment functions against the local Stripe stand-in, which forwards each
creator's events to its gateway, so a fan can pay on the stand-in's checkout page.
"""

import os
import tempfile
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import pytest
from creatorcloud_gateway import launcher as gateway_launcher
from creatorcloud_gateway.collection import naming
from creatorcloud_gateway.distribution import find_distribution_id
from creatorcloud_gateway.distribution import read_distribution
from creatorcloud_stripe import launcher as stripe_launcher
from playbook_runner import REPO
from playbook_runner import run as run_playbook

from creatorcloud_emulator import launcher as emulator_launcher
from e2e.creators import CREATORS
from e2e.creators import host_vars
from e2e.site_resources import MANAGEMENT_CREDENTIALS
from e2e.site_resources import CreatorWebsite

CHROMIUM = Path("/usr/bin/chromium")
LOOPBACK = "127.0.0.1"
DEAD_PROXY_PORT = 9  # discard: nothing listens there
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The loopback guard: every request off loopback goes to a proxy that is not there and fails
    # (ERR_PROXY_CONNECTION_FAILED), while Chromium always sends loopback requests direct. A guard in the
    # network rather than page.route: no request of the real stack waits on the test's own event loop.
    f"--proxy-server=http://{LOOPBACK}:{DEAD_PROXY_PORT}",
]
SCREENSHOTS = REPO / "tests/output/screenshots"
INVENTORY = REPO / "inventories/local"
# Schemes that make no network request.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})
# The features that take payments (roles/shop/defaults/main.yml).
PAYMENT_FEATURES = frozenset({"shop", "membership", "donations"})
SESSION_STARTED = time.time()


def playbook_env(endpoint_url):
    """Environment for ansible-playbook on this emulator (as tests/conftest.py's aws_env)."""
    env = dict(os.environ)
    env.pop("AWS_PROFILE", None)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="eu-central-1",
        CREATORCLOUD_AWS_ENDPOINT=endpoint_url,
        ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        ANSIBLE_NOCOLOR="1",
    )
    return env


@pytest.fixture(scope="session")
def site_emulator(tmp_path_factory):
    """An emulator of the browser tests' own, for the session."""
    state = tmp_path_factory.mktemp("e2e-emulator")
    running = emulator_launcher.start(emulator_launcher.free_port(), log_path=state / "emulator.log")
    yield running
    emulator_launcher.stop(running.pid)


@pytest.fixture(scope="session")
def onboarded(site_emulator):
    """creator1 and creator2 onboarded through the playbooks: {creator: account id}."""
    env = playbook_env(site_emulator.endpoint_url)
    for playbook in ("playbooks/bootstrap_organization.yml", "playbooks/onboard.yml"):
        result = run_playbook(playbook, env=env)
        assert result.returncode == 0, f"{playbook} failed: {result.stderr}\n{result.output.get('stats')}"
    return creator_accounts(site_emulator.endpoint_url)


def creator_accounts(endpoint_url):
    """The account id of every creator, by its creatorcloud:creator tag."""
    orgs = boto3.client("organizations", region_name="us-east-1", endpoint_url=endpoint_url, **MANAGEMENT_CREDENTIALS)
    accounts = {}
    for account in orgs.list_accounts()["Accounts"]:
        tags = {t["Key"]: t["Value"] for t in orgs.list_tags_for_resource(ResourceId=account["Id"])["Tags"]}
        if naming.CREATOR_TAG in tags:
            accounts[tags[naming.CREATOR_TAG]] = account["Id"]
    return accounts


class PublishedSite:
    """A creator's distribution as the gateway reads it, and the objects of its default origin."""

    def __init__(self, endpoint_url, creator, account_id):
        website = CreatorWebsite(endpoint_url, creator, account_id)
        distribution_id = find_distribution_id(website.cloudfront, creator, account_id)
        self.distribution = read_distribution(website.cloudfront, distribution_id)
        self.origin = self.distribution.origins[self.distribution.behavior_for("/").origin_id]
        self._s3 = website.s3

    def read(self, path):
        """The body of the object for a viewer path, or None when there is none."""
        try:
            response = self._s3.get_object(Bucket=self.origin.bucket, Key=self.origin.object_key(path))
        except (self._s3.exceptions.NoSuchKey, self._s3.exceptions.NoSuchBucket):
            return None
        return response["Body"].read()


@pytest.fixture(scope="session")
def published_sites(onboarded, site_emulator):
    """{creator: PublishedSite}: what the browser should see, read from the emulator."""
    return {creator: PublishedSite(site_emulator.endpoint_url, creator, onboarded[creator]) for creator in CREATORS}


@pytest.fixture(scope="session")
def gateway_state(tmp_path_factory):
    """The gateways' state directory: their logs, and `live/<creator>/` where a local test stream is written."""
    return tmp_path_factory.mktemp("gateways")


@pytest.fixture(scope="session")
def stripe_standin(gateway_state):
    """The local Stripe stand-in for the session (per xdist worker), its log next to the gateways'.

    `.url` is Stripe's API and checkout pages for the gateways; its `/_creatorcloud/stripe/events` lists
    every event with each delivery to a gateway.
    """
    running = stripe_launcher.start(stripe_launcher.free_port(), log_path=gateway_state / "stripe.log")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def gateways(onboarded, site_emulator, gateway_state, stripe_standin):
    """A running gateway per creator, its payments on the Stripe stand-in: {creator: launcher.Gateway}."""
    logs = gateway_state
    running = {}
    try:
        for creator in CREATORS:
            running[creator] = gateway_launcher.start(
                creator,
                gateway_launcher.free_port(),
                endpoint_url=site_emulator.endpoint_url,
                log_path=logs / f"{creator}.log",
                live_dir=logs / "live" / creator,
                stripe_url=stripe_standin.url,
            )
            status = running[creator].status()
            assert "error" not in status, status
            if PAYMENT_FEATURES & set(host_vars(creator)["creator_features"]):
                assert status["payments"]["webhooks_forwarded"], status["payments"]
        yield running
    finally:
        for gateway in running.values():
            gateway_launcher.stop(gateway.pid)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, with a fresh profile, driven by Playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (make e2e does)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="creatorcloud-chromium-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
        )
        yield context
        context.close()


@dataclass
class PageRecord:
    """What a page did: every request URL, console errors, uncaught errors, blocked requests."""

    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    blocked: list = field(default_factory=list)

    def foreign_hosts(self):
        """The hosts other than 127.0.0.1 that the page sent requests to (blocked ones included)."""
        hosts = {urlsplit(url).hostname for url in self.requests if urlsplit(url).scheme not in LOCAL_SCHEMES}
        return hosts - {LOOPBACK}

    def assert_clean(self, expected_failures=()):
        """No console error, no uncaught error, no request off loopback, and at least one request made.

        `expected_failures` are URL paths whose failed loads the test expects (Chromium logs each as an error).
        """
        assert [error for error in self.console_errors if not error.endswith(tuple(expected_failures))] == []
        assert self.page_errors == []
        assert self.blocked == []
        assert self.requests, "the page made no request at all"
        assert self.foreign_hosts() == set()


@pytest.fixture
def page_record():
    """What the test's page did (see the `page` fixture)."""
    return PageRecord()


@pytest.fixture
def page(browser, page_record):
    """A new page whose requests and errors go to `page_record`; a request off loopback fails (CHROMIUM_ARGS)."""
    page = open_recorded_page(browser, page_record)
    yield page
    page.close()


def open_recorded_page(context, record):
    """A new page of `context` whose requests, console errors and uncaught errors go to `record` (a PageRecord)."""
    page = context.new_page()
    page.on("request", lambda request: record.requests.append(request.url))
    page.on(
        "console",
        lambda message: record.console_errors.append(console_error(message)) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on("requestfailed", lambda request: record.blocked.append(request.url) if off_loopback(request.url) else None)
    return page


def off_loopback(url):
    """Whether a request goes off loopback (and so is refused by the dead proxy)."""
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname != LOOPBACK


def console_error(message):
    """A console error as text, ending with the URL it is about (a failed load names the resource)."""
    url = (message.location or {}).get("url") or ""
    return f"{message.text} {urlsplit(url).path}" if url else message.text


@pytest.fixture
def isolated_page(browser):
    """`isolated_page()` → (page, PageRecord): a page in a browser context of its own, like another person's browser.

    Contexts share nothing (storage, cache), so two fans signed in at once stay apart; all are closed after the test.
    """
    contexts = []

    def open_page():
        context = browser.browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        record = PageRecord()
        return open_recorded_page(context, record), record

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: save a full-page screenshot to tests/output/screenshots/<name>.png."""

    def save(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"screenshot: {path}")
        return path

    return save


def pytest_terminal_summary(terminalreporter):
    """List the screenshots this session saved (xdist workers save them, the controller reports)."""
    if not SCREENSHOTS.is_dir():
        return
    saved = sorted(path for path in SCREENSHOTS.glob("*.png") if path.stat().st_mtime >= SESSION_STARTED)
    if saved:
        terminalreporter.write_sep("-", "screenshots")
        for path in saved:
            terminalreporter.write_line(str(path))
