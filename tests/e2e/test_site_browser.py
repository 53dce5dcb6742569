# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creators' sites in headless Chromium through their local gateways.

Each creator's home page shows the creator's name and colours (and not the other
creator's), every page linked from it loads without a console error, no request leaves
127.0.0.1, the document carries the distribution's security headers, and a missing path
shows the site's 404 page. Screenshots of the home pages go to tests/output/screenshots/.
"""

from pathlib import PurePosixPath
from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest
from creatorcloud_gateway.runtime_config import LIVE_PATH
from creatorcloud_gateway.runtime_config import LIVE_PLAYLIST
from creatorcloud_gateway.runtime_config import with_connect_source

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build import PAGE_FEATURES
from e2e.creators import CREATORS
from e2e.creators import host_vars

OTHER_CREATOR = {"creator1": "creator2", "creator2": "creator1"}
SECURITY_HEADERS = (
    "strict-transport-security",
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
)
# Every colour the page paints with, as #rrggbb: text, backgrounds, borders.
PAINTED_COLOURS = """() => {
    const properties = ["color", "background-color", "border-top-color", "border-left-color", "border-bottom-color"];
    const colours = new Set();
    for (const element of document.querySelectorAll("*")) {
        const style = getComputedStyle(element);
        for (const property of properties) {
            const match = style.getPropertyValue(property).match(/^rgba?\\((\\d+), (\\d+), (\\d+)(, 1)?\\)$/);
            if (match) {
                colours.add("#" + match.slice(1, 4).map((c) => Number(c).toString(16).padStart(2, "0")).join(""));
            }
        }
    }
    return [...colours];
}"""
MAX_PAGES = 60
# The local playback URL of a creator's channel (the gateway's; 404 while no test stream runs).
LIVE_PLAYLIST_PATH = LIVE_PATH + LIVE_PLAYLIST


def painted_colours(page):
    """The opaque colours the page's elements are painted with."""
    return set(page.evaluate(PAINTED_COLOURS))


def crawl(page, start_url):
    """Visit every same-origin page linked from `start_url`, transitively: {path: HTTP status}."""
    origin = urlsplit(start_url).netloc
    statuses = {}
    queue = [start_url]
    while queue and len(statuses) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in statuses:
            continue
        response = page.goto(url, wait_until="load")
        statuses[path] = response.status
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
            target = urlsplit(urljoin(url, href))
            if target.netloc == origin and target.path not in statuses:
                queue.append(f"{target.scheme}://{target.netloc}{target.path}")
    return statuses


@pytest.mark.parametrize("creator", CREATORS)
def test_the_home_page_shows_the_creators_name_and_primary_colour(creator, gateways, page, page_record, screenshot):
    config = host_vars(creator)

    response = page.goto(gateways[creator].url, wait_until="networkidle")

    assert response.status == 200
    assert config["creator_display_name"] in page.inner_text("body")
    colours = painted_colours(page)
    assert config["creator_branding"]["primary_color"].lower() in colours
    assert host_vars(OTHER_CREATOR[creator])["creator_branding"]["primary_color"].lower() not in colours
    screenshot(page, f"{creator}-home")
    page_record.assert_clean()


@pytest.mark.parametrize("creator", CREATORS)
def test_every_page_linked_from_the_home_page_loads_without_errors_on_loopback(creator, gateways, page, page_record):
    config = host_vars(creator)

    statuses = crawl(page, gateways[creator].url)

    assert {path: status for path, status in statuses.items() if status != 200} == {}
    names = {PurePosixPath(path).stem for path in statuses}
    enabled = {feature for feature in PAGE_FEATURES if feature in config["creator_features"]}
    assert enabled <= names, f"no page for {sorted(enabled - names)} among {sorted(statuses)}"
    assert not (set(PAGE_FEATURES) - enabled) & names, "a page of a feature that is off is linked"
    if creator == "creator1":  # a German creator needs an Impressum and a privacy policy
        assert names & {"impressum", "imprint"}, sorted(statuses)
        assert names & {"privacy", "datenschutz"}, sorted(statuses)
    # The live page asks for the channel's playlist, which answers 404 while the channel is offline (as IVS's does).
    page_record.assert_clean(expected_failures=(LIVE_PLAYLIST_PATH,))


def test_the_document_carries_the_distributions_security_headers(gateways, published_sites, site_emulator, page):
    policy = published_sites["creator1"].distribution.behavior_for("/").headers_policy
    # The one header the gateway changes: connect-src also allows the emulator's IVS Chat endpoint.
    local_policy = with_connect_source(policy_value(policy, "Content-Security-Policy"), site_emulator.chat_endpoint())

    headers = page.goto(gateways["creator1"].url).headers

    assert {name for name in SECURITY_HEADERS if name in headers} == set(SECURITY_HEADERS)
    assert headers["x-content-type-options"] == "nosniff"
    assert "max-age=" in headers["strict-transport-security"]
    assert "default-src 'self'" in headers["content-security-policy"]
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert {rule.name.lower(): headers.get(rule.name.lower()) for rule in policy.rules} == {
        rule.name.lower(): local_policy if rule.name == "Content-Security-Policy" else rule.value
        for rule in policy.rules
    }


def policy_value(policy, name):
    """The value a response headers policy gives header `name`."""
    return next(rule.value for rule in policy.rules if rule.name == name)


@pytest.mark.parametrize("path", ["no-such-page.html", "en/"])
def test_a_missing_path_shows_the_sites_404_page_with_status_404(path, gateways, published_sites, page, page_record):
    site = published_sites["creator1"]
    not_found_page = site.read(site.distribution.error_pages[403].page_path)

    response = page.goto(gateways["creator1"].url + path, wait_until="networkidle")

    assert response.status == 404
    assert response.body() == not_found_page
    assert page.title()
    # Chromium reports the document's own 404 on the console; nothing else may fail.
    assert [e for e in page_record.console_errors if "status of 404" not in e] == []
    assert page_record.page_errors == []
    assert page_record.foreign_hosts() == set()


def test_the_loopback_guard_blocks_and_records_a_request_to_another_host(page, page_record):
    page.set_content('<img src="http://192.0.2.1/pixel.png" alt="">')
    page.wait_for_load_state("networkidle")

    assert page_record.blocked == ["http://192.0.2.1/pixel.png"]
    assert page_record.foreign_hosts() == {"192.0.2.1"}


def test_the_sites_policy_blocks_inline_script_and_the_console_check_sees_it(gateways, page, page_record):
    page.goto(gateways["creator1"].url, wait_until="networkidle")

    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inlineScriptRan = true";
        document.body.append(script);
    }""")

    assert page.evaluate("window.inlineScriptRan") is None
    assert any("Content Security Policy" in error for error in page_record.console_errors), page_record.console_errors
