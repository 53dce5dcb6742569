# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local gateway: a creator's site served from the emulator the way CloudFront serves it.

It stands in for the creator's CloudFront distribution (and, in later issues, the HTTP API
behind `/api/`): it finds the creator's member account and distribution in the emulated AWS,
reads the distribution's configuration, and serves the site bucket with the same root object,
response headers, compression and error pages.
"""

import os

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_ENDPOINT = "http://127.0.0.1:4566"
ENDPOINT_VARIABLE = "CREATORCLOUD_AWS_ENDPOINT"


def default_endpoint():
    """The emulator's endpoint: $CREATORCLOUD_AWS_ENDPOINT (as for the playbooks), else the default port."""
    return os.environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT
