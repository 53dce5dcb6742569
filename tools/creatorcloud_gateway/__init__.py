# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local gateway: a creator's site and API served from the emulator the way AWS serves them.

It stands in for the creator's CloudFront distribution and HTTP API: it finds the creator's
member account, distribution and API in the emulated AWS, serves the site bucket with the
distribution's root object, response headers, compression and error pages, and `/api/` with
the API's routes, JWT authorizer and CORS, running the backend's handlers in-process.
"""

import os

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_ENDPOINT = "http://127.0.0.1:4566"
ENDPOINT_VARIABLE = "CREATORCLOUD_AWS_ENDPOINT"


def default_endpoint():
    """The emulator's endpoint: $CREATORCLOUD_AWS_ENDPOINT (as for the playbooks), else the default port."""
    return os.environ.get(ENDPOINT_VARIABLE) or DEFAULT_ENDPOINT
