# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`/config.json`: the site's runtime config from its bucket, pointed at the gateway itself.

The deployed config names the API's endpoint (`https://<id>.execute-api.<region>.amazonaws.com`)
and Cognito's (`https://cognito-idp.<region>.amazonaws.com/`); neither host name resolves
locally, so the gateway serves `api_url` as its own origin (where it answers `/api/...`) and
`auth.endpoint` as `<origin>/_aws/cognito-idp/` (where it forwards Cognito's calls to the
emulator). Every other key is served as the bucket holds it.
"""

import json

RUNTIME_CONFIG_PATH = "/config.json"
COGNITO_PATH = "/_aws/cognito-idp/"


def local_runtime_config(config, origin):
    """The runtime config with the API and Cognito endpoints replaced by the gateway's `origin`."""
    local = dict(config)
    if "api_url" in local:
        local["api_url"] = origin
    if isinstance(local.get("auth"), dict) and "endpoint" in local["auth"]:
        local["auth"] = {**local["auth"], "endpoint": origin + COGNITO_PATH}
    return local


def rewrite_runtime_config(request, response):
    """The site's response for `/config.json`, with the endpoints of the local gateway; any other response as is."""
    if request.path != RUNTIME_CONFIG_PATH or response.status_code != 200:
        return response
    try:
        config = json.loads(response.get_data())
    except ValueError:
        return response
    if not isinstance(config, dict):
        return response
    response.set_data(json.dumps(local_runtime_config(config, request.host_url.rstrip("/")), indent=2).encode())
    # The object's ETag names the bucket's bytes, not these.
    response.add_etag(overwrite=True)
    return response
