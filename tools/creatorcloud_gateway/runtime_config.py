# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`/config.json` pointed at the local stack, and the one CSP source that this needs.

The deployed config names AWS's endpoints: the API's (`https://<id>.execute-api.<region>.amazonaws.com`),
Cognito's (`https://cognito-idp.<region>.amazonaws.com/`), the channel's playback URL
(`https://<id>.<region>.playback.live-video.net/...m3u8`) and IVS Chat's messaging endpoint
(`wss://edge.ivschat.<region>.amazonaws.com`). None of these resolves locally, so the gateway serves
`api_url` as its own origin (where it answers `/api/...`), `auth.endpoint` as
`<origin>/_aws/cognito-idp/` (forwarded to the emulator), `live.playback_url` as
`<origin>/_creatorcloud/live/index.m3u8` (a local test stream when one runs, else 404: the page's
offline state) and `chat.endpoint` as the emulator's messaging endpoint (`ws://127.0.0.1:<port>`).
That last one is another origin, so the pages' Content-Security-Policy gains it in connect-src, next
to the deployed `wss://edge.ivschat...` it replaces. Every other key and header is served as is.
"""

import json
import logging
import urllib.error
import urllib.request

RUNTIME_CONFIG_PATH = "/config.json"
COGNITO_PATH = "/_aws/cognito-idp/"
LIVE_PATH = "/_creatorcloud/live/"
LIVE_PLAYLIST = "index.m3u8"
CHAT_ENDPOINT_PATH = "/_creatorcloud/chat"
# How the deployed policy names IVS Chat's endpoint: only such a site's pages get the local one.
DEPLOYED_CHAT_SOURCE = "wss://edge.ivschat."

log = logging.getLogger("creatorcloud_gateway")


def local_runtime_config(config, origin, chat_endpoint=None):
    """The runtime config with the API, Cognito, playback and chat endpoints replaced by the local ones."""
    local = dict(config)
    if "api_url" in local:
        local["api_url"] = origin
    if isinstance(local.get("auth"), dict) and "endpoint" in local["auth"]:
        local["auth"] = {**local["auth"], "endpoint": origin + COGNITO_PATH}
    if isinstance(local.get("live"), dict) and "playback_url" in local["live"]:
        local["live"] = {**local["live"], "playback_url": origin + LIVE_PATH + LIVE_PLAYLIST}
    if isinstance(local.get("chat"), dict) and "endpoint" in local["chat"] and chat_endpoint:
        local["chat"] = {**local["chat"], "endpoint": chat_endpoint}
    return local


def with_connect_source(policy, source):
    """A Content-Security-Policy whose connect-src also allows `source` (added once, other directives as they are)."""
    directives = [directive.strip() for directive in policy.split(";") if directive.strip()]
    for index, directive in enumerate(directives):
        name, _space, sources = directive.partition(" ")
        if name == "connect-src":
            if source not in sources.split():
                directives[index] = f"{directive} {source}"
            return "; ".join(directives)
    return policy


class LocalEndpoints:
    """The local stand-ins of AWS's endpoints that the site's scripts are pointed at."""

    def __init__(self, endpoint_url):
        self.endpoint_url = endpoint_url.rstrip("/")
        self._chat_endpoint = None

    def chat_endpoint(self):
        """The emulator's IVS Chat messaging endpoint (asked once), or None when the emulator has none."""
        if self._chat_endpoint is None:
            try:
                with urllib.request.urlopen(self.endpoint_url + CHAT_ENDPOINT_PATH, timeout=5) as response:
                    self._chat_endpoint = json.loads(response.read())["endpoint"]
            except (OSError, ValueError, KeyError) as e:
                log.warning("the emulator at %s reports no chat endpoint: %s", self.endpoint_url, e)
                return None
        return self._chat_endpoint

    def rewrite_runtime_config(self, request, response):
        """The site's response for `/config.json` with the local endpoints; any other response as is."""
        if request.path != RUNTIME_CONFIG_PATH or response.status_code != 200:
            return response
        try:
            config = json.loads(response.get_data())
        except ValueError:
            return response
        if not isinstance(config, dict):
            return response
        origin = request.host_url.rstrip("/")
        chat_endpoint = self.chat_endpoint() if isinstance(config.get("chat"), dict) else None
        response.set_data(json.dumps(local_runtime_config(config, origin, chat_endpoint), indent=2).encode())
        # The object's ETag names the bucket's bytes, not these.
        response.add_etag(overwrite=True)
        return response

    def allow_local_chat(self, response):
        """The viewer response with the local chat endpoint in its CSP's connect-src, where it allows IVS Chat's."""
        policy = response.headers.get("Content-Security-Policy") or ""
        if DEPLOYED_CHAT_SOURCE not in policy:
            return response
        chat_endpoint = self.chat_endpoint()
        if chat_endpoint:
            response.headers["Content-Security-Policy"] = with_connect_source(policy, chat_endpoint)
        return response
