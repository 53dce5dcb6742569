# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Payload format 2.0: the event an HTTP API sends a Lambda integration, and the response it makes of the result.

Header names are lower-cased and repeated headers joined with ","; cookies move from the Cookie header
to `cookies`; repeated query parameters are joined with ","; a text body is passed as is and
any other body base64-encoded. The function sees the API's own domain name, as it does behind
CloudFront. A result with a statusCode is the response; any other result is a 200 with the
result as its JSON body, as API Gateway infers it.
"""

import base64
import binascii
import datetime
import json
import secrets
import time

from werkzeug.wrappers import Response

STAGE = "$default"
# Content types whose body API Gateway passes as text; every other body is base64-encoded.
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
)
TEXT_SUFFIXES = ("+json", "+xml")


def request_id():
    """A request id shaped like API Gateway's (base64 of 10 random bytes)."""
    return base64.b64encode(secrets.token_bytes(10)).decode()


def event_headers(request):
    """The request's headers with lower-case names, without the Cookie header.

    The WSGI server has already joined a repeated header's values with ",", as API Gateway does.
    """
    return {name.lower(): value for name, value in request.headers.items() if name.lower() != "cookie"}


def request_cookies(request):
    """The Cookie header as payload 2.0's `cookies` list, or None without one."""
    cookies = [part.strip() for part in request.headers.get("Cookie", "").split(";") if part.strip()]
    return cookies or None


def query_parameters(request):
    """queryStringParameters: repeated parameters joined with ","; None without a query."""
    if not request.args:
        return None
    return {name: ",".join(values) for name, values in request.args.lists()}


def is_text(content_type):
    """Whether API Gateway passes a body of this content type as text."""
    mimetype = content_type.split(";", 1)[0].strip().lower()
    return mimetype.startswith(TEXT_TYPES) or mimetype.endswith(TEXT_SUFFIXES)


def event_body(request):
    """(body, isBase64Encoded) of the request; (None, False) without a body."""
    data = request.get_data(cache=True)
    if not data:
        return None, False
    if is_text(request.headers.get("Content-Type", "")):
        try:
            return data.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(data).decode(), True


def api_event(request, api, match, account_id, jwt_context=None, now=None):
    """The payload 2.0 event of `request` for the route `match` of `api`."""
    now = now or time.time()
    route_key = match.route.route_key
    domain_name = api.domain_name
    body, encoded = event_body(request)
    request_context = {
        "accountId": account_id,
        "apiId": api.api_id,
        "domainName": domain_name,
        "domainPrefix": domain_name.split(".", 1)[0],
        "http": {
            "method": request.method,
            "path": request.path,
            "protocol": request.environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
            "sourceIp": request.remote_addr or "127.0.0.1",
            "userAgent": request.headers.get("User-Agent", ""),
        },
        "requestId": request_id(),
        "routeKey": route_key,
        "stage": STAGE,
        "time": datetime.datetime.fromtimestamp(now, datetime.UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "timeEpoch": int(now * 1000),
    }
    if jwt_context is not None:
        request_context["authorizer"] = {"jwt": jwt_context}
    event = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string.decode("latin-1"),
        "headers": event_headers(request),
        "requestContext": request_context,
        "isBase64Encoded": encoded,
    }
    optional = {
        "cookies": request_cookies(request),
        "queryStringParameters": query_parameters(request),
        "pathParameters": match.path_parameters or None,
        "body": body,
    }
    event.update({name: value for name, value in optional.items() if value is not None})
    return event


def gateway_error(status, message, headers=None):
    """API Gateway's own answer: `{"message": ...}` as JSON, e.g. 404 Not Found, 401 Unauthorized."""
    return Response(json.dumps({"message": message}), status=status, headers=headers, content_type="application/json")


def proxy_response(result):
    """The HTTP response of a function's result; API Gateway's 500 for a result it cannot use."""
    if not (isinstance(result, dict) and "statusCode" in result):
        body = result if isinstance(result, str) else json.dumps(result)
        return Response(body, status=200, content_type="application/json")
    try:
        status = int(result["statusCode"])
        body = result.get("body") or ""
        data = base64.b64decode(body, validate=True) if result.get("isBase64Encoded") else body.encode("utf-8")
        headers = [(name, str(value)) for name, value in (result.get("headers") or {}).items()]
    except (TypeError, ValueError, AttributeError, binascii.Error):
        return gateway_error(500, "Internal Server Error")
    headers += [("Set-Cookie", cookie) for cookie in result.get("cookies") or ()]
    response = Response(data, status=status)
    # No content type of its own: only what the function set, as API Gateway passes it.
    response.headers.remove("Content-Type")
    response.headers.extend(headers)
    return response
