# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's response headers policy: HSTS, Content-Security-Policy and the other security headers.

Private to the website module. The headers live in a CloudFront response headers policy, not in
code at the edge, so whatever serves the site (CloudFront, or the local gateway reading the same
policy from the emulator) sends the same headers. Found again by its name in the account.
"""

import re

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cloudfront
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name

# Two years, the max-age that HSTS preload lists ask for.
HSTS_MAX_AGE_SECONDS = 63072000
# Everything from the site's own origin; no third-party origin but the services the site's scripts
# call (the creator's HTTP API, the Cognito user API, IVS playback and IVS Chat, named by
# `connect_sources`); images may be small data: URIs; the player plays video through MediaSource,
# whose blob: URLs media-src must allow (hls.js runs without a worker), and where a browser has no
# MediaSource (older iPhones) the video element loads IVS's playback hosts itself, so media-src
# names them too when connect_sources do; no plugins, no framing.
CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("media-src", "'self' blob:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
# An origin a page may connect to: https or wss, a host name (its leftmost label may be `*`, for a
# service's hosts like IVS playback's *.live-video.net, never a bare domain), an optional port; no path.
CONNECT_SOURCE = re.compile(
    r"^(https|wss)://(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?$"
)


# IVS playback's hosts, as the IVS guide on Content-Security-Policy names them.
IVS_PLAYBACK_SOURCE = "https://*.live-video.net"


def content_security_policy(connect_sources=()):
    """The site's Content-Security-Policy; `connect_sources` are the origins its scripts may call."""
    extra = {
        "connect-src": sorted(set(connect_sources)),
        "media-src": [IVS_PLAYBACK_SOURCE] if IVS_PLAYBACK_SOURCE in connect_sources else [],
    }
    return "; ".join(" ".join([name, value, *extra.get(name, [])]) for name, value in CSP_DIRECTIVES)


def connect_source_error(field, value):
    """An origin for connect-src: https:// or wss://host[:port], nothing else (a path would widen the policy)."""
    if not isinstance(value, str) or not CONNECT_SOURCE.match(value):
        return f"{field} {value!r} is not an https or wss origin like https://abc123.execute-api.eu-central-1.amazonaws.com"
    return None


CONTENT_SECURITY_POLICY = content_security_policy()
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


def headers_policy_name(creator):
    """The policy's name, unique in the account, by which it is found again."""
    return resource_name(creator, "site-headers")


def desired_headers_policy_config(creator, domain, connect_sources=()):
    """The ResponseHeadersPolicyConfig of the creator's site."""
    return {
        "Name": headers_policy_name(creator),
        "Comment": f"Security headers of {domain}",
        "SecurityHeadersConfig": {
            "StrictTransportSecurity": {
                "Override": True,
                "IncludeSubdomains": True,
                "Preload": False,
                "AccessControlMaxAgeSec": HSTS_MAX_AGE_SECONDS,
            },
            "ContentSecurityPolicy": {
                "Override": True,
                "ContentSecurityPolicy": content_security_policy(connect_sources),
            },
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"Override": True, "FrameOption": "DENY"},
            "ReferrerPolicy": {"Override": True, "ReferrerPolicy": "strict-origin-when-cross-origin"},
        },
        "CustomHeadersConfig": {
            "Quantity": 1,
            "Items": [{"Header": "Permissions-Policy", "Value": PERMISSIONS_POLICY, "Override": True}],
        },
    }


def read_headers_policy(client, creator):
    """The creator's policy as {id, config}, or None."""
    name = headers_policy_name(creator)
    for policy in cloudfront.list_response_headers_policies(client):
        if policy["ResponseHeadersPolicyConfig"]["Name"] == name:
            return {"id": policy["Id"], "config": policy["ResponseHeadersPolicyConfig"]}
    return None


def _sections(config):
    """The headers a config sets: its top-level sections and its security headers."""
    security = config.get("SecurityHeadersConfig") or {}
    top = {key for key, value in config.items() if isinstance(value, dict) and value}
    return top | {f"SecurityHeadersConfig.{key}" for key, value in security.items() if value}


def policy_differs(current, desired):
    """True when a value differs, or the current policy sets headers the desired one does not."""
    return not matches(current, desired) or not _sections(current) <= _sections(desired)


def ensure_headers_policy(client, changes, current, desired):
    """Create the policy when missing, update it when it differs; returns {id, config} (id None in check mode)."""
    name = desired["Name"]
    if current is None:
        created = changes.make(
            f"create response headers policy {name}", cloudfront.create_response_headers_policy, client, desired
        )
        return {"id": created["Id"] if created else None, "config": desired}
    if policy_differs(current["config"], desired):
        changes.make(
            f"update response headers policy {name}",
            cloudfront.update_response_headers_policy,
            client,
            current["id"],
            desired,
        )
    return {"id": current["id"], "config": desired}
