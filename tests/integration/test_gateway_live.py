# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway points the live page at the local stack: the emulator's chat endpoint and a local test stream.

creator1's site here is a config.json as the frontend role writes it for a creator with live and
chat, behind a distribution whose response headers policy is the one the website slice makes
(connect-src with IVS playback and IVS Chat). The gateway's WSGI app is asked through werkzeug's
test client; the chat endpoint is the one the test's emulator reports.
"""

import json

import pytest
from creatorcloud_gateway.runtime_config import with_connect_source
from gateway_fixtures import gateway_for
from gateway_fixtures import organization_fixture  # noqa: F401  # pylint: disable=unused-import

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.website.headers import (
    desired_headers_policy_config,
)

ORIGIN = "http://127.0.0.1:8080"
PLAYBACK_URL = "https://a1b2c3d4e5f6.eu-central-1.playback.live-video.net/api/video/v1/eu-central-1.1.channel.x.m3u8"
DEPLOYED_CHAT = "wss://edge.ivschat.eu-central-1.amazonaws.com"
SITE_CONFIG = {"live": {"playback_url": PLAYBACK_URL}, "chat": {"endpoint": DEPLOYED_CHAT}}
PAGE = b"<!doctype html><title>Live</title>"


@pytest.fixture
def creator1(organization):
    """creator1's site with live and chat behind a distribution with the website slice's headers policy."""
    account = organization("creator1")
    account.upload(
        {
            "live.html": (PAGE, "text/html; charset=utf-8", "no-cache"),
            "config.json": (json.dumps(SITE_CONFIG).encode(), "application/json", "no-cache"),
        }
    )
    policy = desired_headers_policy_config("creator1", "creator1.example", ["https://*.live-video.net", DEPLOYED_CHAT])
    account.distribution(policy_id=account.headers_policy(**policy))
    return account


def connect_sources(response):
    """The connect-src sources of a response's Content-Security-Policy."""
    policy = response.headers["Content-Security-Policy"]
    directive = next(part.strip() for part in policy.split(";") if part.strip().startswith("connect-src "))
    return directive.split()[1:]


def test_the_config_names_the_local_stream_and_the_emulators_chat(aws, creator1):
    response = gateway_for(aws, "creator1").get("/config.json", base_url=ORIGIN)

    assert response.status_code == 200
    assert json.loads(response.data) == {
        "live": {"playback_url": f"{ORIGIN}/_creatorcloud/live/index.m3u8"},
        "chat": {"endpoint": aws.chat_endpoint()},
    }


def test_the_pages_may_connect_to_the_emulators_chat_besides_the_deployed_sources(aws, creator1):
    response = gateway_for(aws, "creator1").get("/live.html", base_url=ORIGIN)

    assert response.status_code == 200
    assert connect_sources(response) == ["'self'", "https://*.live-video.net", DEPLOYED_CHAT, aws.chat_endpoint()]


def test_a_site_without_chat_keeps_its_policy(aws, organization):
    account = organization("creator2")
    account.upload({"index.html": (PAGE, "text/html; charset=utf-8", "no-cache")})
    policy = desired_headers_policy_config("creator2", "creator2.example", ["https://abc.execute-api.example.com"])
    account.distribution(policy_id=account.headers_policy(**policy))

    response = gateway_for(aws, "creator2").get("/", base_url=ORIGIN)

    assert connect_sources(response) == ["'self'", "https://abc.execute-api.example.com"]


def test_the_channel_is_offline_while_no_local_stream_runs(aws, creator1, tmp_path):
    client = gateway_for(aws, "creator1", live_dir=str(tmp_path))

    playlist = client.get("/_creatorcloud/live/index.m3u8", base_url=ORIGIN)
    without_directory = gateway_for(aws, "creator1").get("/_creatorcloud/live/index.m3u8", base_url=ORIGIN)

    assert playlist.status_code == 404
    assert without_directory.status_code == 404


def test_a_local_stream_is_served_as_hls(aws, creator1, tmp_path):
    (tmp_path / "index.m3u8").write_text("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\nindex0.ts\n")
    (tmp_path / "index0.ts").write_bytes(b"\x47" * 188)
    (tmp_path / "secret.txt").write_text("not a stream file")
    client = gateway_for(aws, "creator1", live_dir=str(tmp_path))

    playlist = client.get("/_creatorcloud/live/index.m3u8", base_url=ORIGIN)
    segment = client.get("/_creatorcloud/live/index0.ts", base_url=ORIGIN)
    other = client.get("/_creatorcloud/live/secret.txt", base_url=ORIGIN)
    outside = client.get("/_creatorcloud/live/../live.html.m3u8", base_url=ORIGIN)
    posted = client.post("/_creatorcloud/live/index.m3u8", base_url=ORIGIN)

    assert playlist.status_code == 200
    assert playlist.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert playlist.headers["Cache-Control"] == "no-cache"
    assert playlist.data.startswith(b"#EXTM3U")
    assert segment.status_code == 200
    assert segment.headers["Content-Type"] == "video/mp2t"
    assert segment.data == b"\x47" * 188
    assert other.status_code == 404
    assert outside.status_code == 404
    assert posted.status_code == 405


def test_a_connect_source_is_added_once_and_other_directives_stay():
    policy = "default-src 'self'; connect-src 'self' wss://edge.ivschat.eu-central-1.amazonaws.com; img-src 'self'"

    once = with_connect_source(policy, "ws://127.0.0.1:4567")
    twice = with_connect_source(once, "ws://127.0.0.1:4567")

    assert once == (
        "default-src 'self'; connect-src 'self' wss://edge.ivschat.eu-central-1.amazonaws.com ws://127.0.0.1:4567; "
        "img-src 'self'"
    )
    assert twice == once
