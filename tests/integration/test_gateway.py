# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local gateway serves a creator's bucket the way the creator's CloudFront distribution does.

Each test makes the creator's account in an emulated organization and, inside it with
boto3, a site bucket and a distribution shaped like the website module's (see
tests/e2e/site_resources.py), then asks the gateway's WSGI app through werkzeug's test
client; the launcher test runs the real server process and its command line.
"""

import gzip
import json
import subprocess
import sys

import pytest
from creatorcloud_gateway import launcher
from creatorcloud_gateway.app import build_app
from creatorcloud_gateway.distribution import CacheBehavior
from creatorcloud_gateway.response_headers import ResponseHeadersPolicy
from e2e.site_resources import CONTENT_SECURITY_POLICY
from e2e.site_resources import SECURITY_HEADERS
from gateway_fixtures import MANAGEMENT_ACCOUNT
from gateway_fixtures import gateway_for
from gateway_fixtures import organization_account
from gateway_fixtures import organization_fixture  # noqa: F401  # pylint: disable=unused-import
from werkzeug.test import Client
from werkzeug.wrappers import Response

from creatorcloud_emulator import launcher as emulator_launcher

HOME = b"<!doctype html><title>Creator One</title><h1>Creator One</h1>"
NOT_FOUND_PAGE = b"<!doctype html><title>Not found</title><h1>This page does not exist</h1>"
# Larger than CloudFront's 1,000-byte minimum for compression.
LONG_PAGE = b"<!doctype html><title>Live</title>" + b"<p>Live music, every Friday.</p>" * 100
SITE = {
    "index.html": (HOME, "text/html; charset=utf-8", "no-cache"),
    "404.html": (NOT_FOUND_PAGE, "text/html; charset=utf-8", "no-cache"),
    "de/index.html": (b"<!doctype html><title>Startseite</title>", "text/html; charset=utf-8", "no-cache"),
    "live.html": (LONG_PAGE, "text/html; charset=utf-8", "no-cache"),
    "assets/logo.png": (b"\x89PNG\r\n" + bytes(2000), "image/png", "public, max-age=31536000, immutable"),
}
# The only calls the gateway makes with management credentials: find the account, assume its role.
MANAGEMENT_CALLS = {("organizations", "ListAccounts"), ("organizations", "ListTagsForResource"), ("sts", "AssumeRole")}
EXPECTED_SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@pytest.fixture
def creator1(organization):
    """creator1's account with the site uploaded and a distribution without a headers policy."""
    account = organization("creator1")
    account.upload(SITE)
    account.distribution_id = account.distribution()
    return account


def test_root_object_objects_and_their_headers_come_from_the_bucket(aws, creator1):
    client = gateway_for(aws, "creator1")

    home = client.get("/")
    live = client.get("/live.html")
    logo = client.get("/assets/logo.png")

    assert (home.status_code, home.data) == (200, HOME)
    assert home.headers["Content-Type"] == "text/html; charset=utf-8"
    assert home.headers["Cache-Control"] == "no-cache"
    assert home.headers["ETag"] == creator1.s3.head_object(Bucket=creator1.bucket, Key="index.html")["ETag"]
    assert home.headers["Last-Modified"].endswith(" GMT")
    assert (live.status_code, live.data) == (200, LONG_PAGE)
    assert logo.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert logo.data == SITE["assets/logo.png"][0]


def test_only_the_root_maps_to_the_root_object_and_a_missing_key_is_the_404_page(aws, creator1):
    client = gateway_for(aws, "creator1")

    directory = client.get("/de/")
    missing = client.get("/nothing/here.html")
    named = client.get("/de/index.html")

    for response in (directory, missing):
        assert (response.status_code, response.data) == (404, NOT_FOUND_PAGE)
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert named.status_code == 200


def test_without_custom_error_responses_a_missing_key_is_s3s_403(aws, organization):
    account = organization("creator1")
    account.upload(SITE)
    account.distribution(CustomErrorResponses={"Quantity": 0})

    response = gateway_for(aws, "creator1").get("/missing.html")

    assert response.status_code == 403
    assert b"<Code>AccessDenied</Code>" in response.data
    assert response.headers["Content-Type"] == "application/xml"


def test_if_none_match_gives_304_and_head_gives_the_headers_of_get(aws, creator1):
    client = gateway_for(aws, "creator1")
    etag = client.get("/").headers["ETag"]

    unchanged = client.get("/", headers={"If-None-Match": etag})
    changed = client.get("/", headers={"If-None-Match": '"an-older-version"'})
    head = client.head("/live.html")

    assert (unchanged.status_code, unchanged.data, unchanged.headers["ETag"]) == (304, b"", etag)
    assert changed.status_code == 200
    assert (head.status_code, head.data) == (200, b"")
    assert head.headers["Content-Length"] == str(len(LONG_PAGE))
    assert head.headers["Content-Type"] == "text/html; charset=utf-8"


def test_gzip_for_compressible_objects_of_1000_bytes_or_more_when_the_viewer_accepts_it(aws, creator1):
    client = gateway_for(aws, "creator1")
    strong_etag = client.get("/live.html").headers["ETag"]

    compressed = client.get("/live.html", headers={"Accept-Encoding": "gzip, deflate"})
    small = client.get("/", headers={"Accept-Encoding": "gzip"})
    image = client.get("/assets/logo.png", headers={"Accept-Encoding": "gzip"})
    refused = client.get("/live.html", headers={"Accept-Encoding": "gzip;q=0, identity"})
    revalidated = client.get(
        "/live.html", headers={"Accept-Encoding": "gzip", "If-None-Match": compressed.headers["ETag"]}
    )

    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.data) == LONG_PAGE
    assert compressed.headers["Content-Length"] == str(len(compressed.data))
    assert compressed.headers["ETag"] == f"W/{strong_etag}"
    assert "Content-Encoding" not in small.headers
    assert "Content-Encoding" not in image.headers
    assert "Content-Encoding" not in refused.headers
    assert revalidated.status_code == 304


def test_no_compression_when_the_behavior_does_not_compress(aws, creator1):
    creator1.update_distribution(creator1.distribution_id, lambda c: c["DefaultCacheBehavior"].update(Compress=False))

    response = gateway_for(aws, "creator1").get("/live.html", headers={"Accept-Encoding": "gzip"})

    assert "Content-Encoding" not in response.headers
    assert response.data == LONG_PAGE


def test_api_paths_answer_json_404_and_the_site_allows_only_get_and_head(aws, creator1):
    client = gateway_for(aws, "creator1")

    api_get = client.get("/api/streams/current")
    api_post = client.post("/api/newsletter", json={"email": "fan@example.com"})
    site_post = client.post("/index.html", data=b"x")

    assert api_get.status_code == 404
    assert api_get.headers["Content-Type"] == "application/json"
    assert api_get.json == {"message": "Not Found"}  # API Gateway's answer: this creator has no API
    assert (api_post.status_code, api_post.json) == (404, {"message": "Not Found"})
    assert site_post.status_code == 403
    assert b"not configured to allow the HTTP request method" in site_post.data


def test_a_handler_bound_to_a_prefix_gets_the_creators_account_and_the_edges_headers(aws, organization):
    account = organization("creator1")
    account.upload(SITE)
    account.distribution(policy_id=account.headers_policy(SecurityHeadersConfig=SECURITY_HEADERS))

    def account_echo(access):
        return lambda request: Response(json.dumps({"account": access.account_id}), content_type="application/json")

    app = build_app("creator1", aws.endpoint_url, config_ttl=0, handlers={"/api/": account_echo})
    response = Client(app).post("/api/whoami")

    assert response.json == {"account": account.account_id}
    assert response.headers["Strict-Transport-Security"] == EXPECTED_SECURITY_HEADERS["Strict-Transport-Security"]


def test_the_response_headers_policy_is_added_to_pages_errors_304s_and_api_answers(aws, organization):
    account = organization("creator1")
    account.upload({**SITE, "plain.txt": (b"no cache control", "text/plain", None)})
    custom = [
        {"Header": "Cache-Control", "Value": "max-age=60", "Override": False},
        {"Header": "X-Creator", "Value": "creator1", "Override": True},
    ]
    policy_id = account.headers_policy(
        SecurityHeadersConfig=SECURITY_HEADERS, CustomHeadersConfig={"Quantity": 2, "Items": custom}
    )
    account.distribution(policy_id=policy_id)
    client = gateway_for(aws, "creator1")
    home = client.get("/")

    responses = [home, client.get("/missing"), client.get("/", headers={"If-None-Match": home.headers["ETag"]})]
    responses.append(client.get("/api/unknown"))

    for response in responses:
        assert {name: response.headers.get(name) for name in EXPECTED_SECURITY_HEADERS} == EXPECTED_SECURITY_HEADERS
        assert response.headers["X-Creator"] == "creator1"
    assert [r.status_code for r in responses] == [200, 404, 304, 404]
    # Override false: the object's own Cache-Control wins; the policy's fills in where the object has none.
    assert home.headers["Cache-Control"] == "no-cache"
    assert client.get("/plain.txt").headers["Cache-Control"] == "max-age=60"


def test_a_changed_distribution_and_a_republished_object_show_at_once(aws, creator1):
    client = gateway_for(aws, "creator1")
    assert client.get("/").data == HOME

    creator1.upload({"index.html": (b"<h1>New home</h1>", "text/html", "no-cache")})
    republished = client.get("/")
    creator1.update_distribution(creator1.distribution_id, lambda c: c.update(DefaultRootObject="live.html"))
    new_root = client.get("/")

    assert republished.data == b"<h1>New home</h1>"
    assert new_root.data == LONG_PAGE


def test_after_the_emulator_forgot_everything_the_gateway_finds_the_new_account(aws, aws_client, creator1):
    client = gateway_for(aws, "creator1")
    assert client.get("/").data == HOME

    aws.reset_state()
    aws_client("organizations", "us-east-1").create_organization(FeatureSet="ALL")
    onboarded_again = organization_account(aws, aws_client, "creator1")
    onboarded_again.upload({**SITE, "index.html": (b"<h1>Onboarded again</h1>", "text/html", "no-cache")})
    onboarded_again.distribution()

    assert client.get("/").status_code == 502  # the old account has no distribution any more
    assert client.get("/").data == b"<h1>Onboarded again</h1>"


def test_the_config_is_read_once_per_ttl_and_serving_writes_nothing(aws, creator1):
    client = Client(build_app("creator1", aws.endpoint_url, config_ttl=300))
    client.get("/")
    aws.reset_calls()

    for path in ("/", "/live.html", "/missing", "/assets/logo.png"):
        client.get(path)

    calls = aws.calls()
    assert calls["writes"] == 0
    assert {c["operation"] for c in calls["calls"]} == {"GetObject"}
    assert {c["account"] for c in calls["calls"]} == {creator1.account_id}


def test_the_distribution_is_found_by_its_caller_reference_when_it_has_no_tags(aws, organization):
    account = organization("creator1")
    account.upload(SITE)
    distribution_id = account.distribution(tags=False)

    client = gateway_for(aws, "creator1")

    assert client.get("/").data == HOME
    assert client.get("/_creatorcloud/gateway").json["distribution_id"] == distribution_id


def test_each_gateway_serves_only_its_own_creators_account(aws, creator1, organization):
    creator2 = organization("creator2")
    creator2.upload({**SITE, "index.html": (b"<h1>Creator Two</h1>", "text/html", "no-cache")})
    creator2.distribution()

    for account, home in ((creator2, b"<h1>Creator Two</h1>"), (creator1, HOME)):
        aws.reset_calls()
        assert gateway_for(aws, account.creator).get("/").data == home
        calls = aws.calls()["calls"]
        assert {(c["service"], c["operation"]) for c in calls if c["account"] == MANAGEMENT_ACCOUNT} <= MANAGEMENT_CALLS
        assert {c["account"] for c in calls if c["service"] in ("s3", "cloudfront")} == {account.account_id}

    # A creator whose distribution names another creator's bucket is refused, before any read of it.
    intruder = organization("creator3")
    intruder.distribution(bucket=creator1.bucket)
    aws.reset_calls()
    refused = gateway_for(aws, "creator3").get("/")

    assert refused.status_code == 502
    assert HOME not in refused.data
    assert f"{creator1.bucket}, which account {intruder.account_id} does not own".encode() in refused.data
    assert "GetObject" not in {c["operation"] for c in aws.calls()["calls"]}


def test_a_creator_without_an_account_or_distribution_gets_a_message_saying_what_to_do(aws, organization):
    organization("creator2")

    no_account = gateway_for(aws, "creator1")
    no_distribution = gateway_for(aws, "creator2")

    assert no_account.get("/").status_code == 502
    assert b"onboard.yml -l creator1" in no_account.get("/").data
    status = no_distribution.get("/_creatorcloud/gateway")
    assert status.status_code == 503
    assert "has no website distribution" in status.json["error"]


def test_the_launcher_and_the_command_line_run_the_real_server(aws, creator1, tmp_path):
    port = launcher.free_port()
    gateway = launcher.start("creator1", port, endpoint_url=aws.endpoint_url, log_path=tmp_path / "gateway.log")
    try:
        import urllib.request

        with urllib.request.urlopen(gateway.url) as response:
            assert response.read() == HOME
        assert gateway.status()["distribution_id"] == creator1.distribution_id
    finally:
        assert launcher.stop(gateway.pid)

    command = [sys.executable, "-m", "creatorcloud_gateway", "--state-dir", str(tmp_path / "state")]
    command += ["--endpoint-url", aws.endpoint_url, "--creator", "creator1", "--port", str(launcher.free_port())]
    env = {"PYTHONPATH": str(emulator_launcher.TOOLS_DIR), "PATH": "/usr/bin:/bin"}

    def cli(action):
        return subprocess.run([*command, action], capture_output=True, text=True, env=env, timeout=60, check=False)

    up = cli("up")
    again = cli("up")
    status = cli("status")
    url = cli("url")
    state = json.loads((tmp_path / "state" / "creator1.json").read_text())
    down = cli("down")

    assert up.returncode == 0, up.stderr
    assert f"open http://127.0.0.1:{state['port']}/" in up.stdout
    assert "already running" in again.stdout
    assert url.stdout == f"http://127.0.0.1:{state['port']}/\n"
    assert status.returncode == 0 and creator1.bucket in status.stdout
    assert f"(pid {state['pid']}) stopped" in down.stdout
    assert not (tmp_path / "state" / "creator1.json").exists()


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*", "/anything", True),
        ("/api/*", "/api/streams", True),
        ("api/*", "/api/streams", True),
        ("/api/*", "/apiary", False),
        ("*.jpg", "/img/a.jpg", True),
        ("*.jpg", "/img/a.JPG", False),
        ("/img/?.png", "/img/a.png", True),
        ("/img/?.png", "/img/ab.png", False),
    ],
)
def test_cache_behavior_path_patterns_match_like_cloudfront(pattern, path, expected):
    assert CacheBehavior(pattern, "origin").matches(path) is expected


def test_security_headers_are_built_like_cloudfront_builds_them():
    policy = ResponseHeadersPolicy.from_config(
        {
            "SecurityHeadersConfig": {
                **SECURITY_HEADERS,
                "StrictTransportSecurity": {"Override": False, "AccessControlMaxAgeSec": 31536000},
                "XSSProtection": {"Override": True, "Protection": True, "ModeBlock": True},
            },
            "RemoveHeadersConfig": {"Quantity": 1, "Items": [{"Header": "X-Amz-Meta-Build"}]},
        }
    )

    values = {rule.name: (rule.value, rule.override) for rule in policy.rules}

    assert values["Strict-Transport-Security"] == ("max-age=31536000", False)
    assert values["X-XSS-Protection"] == ("1; mode=block", True)
    assert values["X-Content-Type-Options"] == ("nosniff", True)
    assert policy.removed == ("X-Amz-Meta-Build",)
