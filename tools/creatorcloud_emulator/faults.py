# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throttling on demand (test tooling): the emulator answers some AWS calls as a busy AWS service does.

Real AWS throttles control-plane calls per account; moto never does, so without this a test cannot
show that the collection survives it, or how many attempts one throttled call costs.
``PUT /_creatorcloud/faults`` with ``{"throttle_every": 3}`` answers every third signed call with
the service's own throttling error, in its protocol (JSON ``__type``, REST-JSON's
``x-amzn-ErrorType``, the Query and REST-XML ``<Error>`` documents, S3's 503 SlowDown), which
botocore's retry modes recognise as they would AWS's. ``"operations": ["DescribeTable"]`` limits it
to those operations, ``"throttle_every": 1`` throttles each of them. ``DELETE`` stops it;
``GET`` shows the rule and how many calls it throttled.
"""

import json
import threading

from creatorcloud_emulator.json_answer import json_response

CONTROL_PATH = "/_creatorcloud/faults"
# Set by the call log on each AWS call it names: {"service", "operation", ...}.
CALL_KEY = "creatorcloud.call"
THROTTLED_KEY = "creatorcloud.throttled"
MESSAGE = "Rate exceeded"
# Error codes of the REST services by signing name (each service's own, as AWS sends them).
REST_JSON_CODES = {"lambda": "TooManyRequestsException", "apigateway": "TooManyRequestsException"}
REST_XML_SERVICES = frozenset({"s3", "route53", "cloudfront"})


class Faults:
    """WSGI middleware in front of moto that throttles the calls its rule selects."""

    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self._rule = None
        self._seen = 0
        self._throttled = 0

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(CONTROL_PATH):
            return self._control(environ, start_response)
        call = environ.get(CALL_KEY)
        if call is not None and self._throttles(call["operation"]):
            environ[THROTTLED_KEY] = True
            return _throttling_answer(environ, call["service"], start_response)
        return self.app(environ, start_response)

    def _throttles(self, operation):
        with self._lock:
            rule = self._rule
            if rule is None or (rule["operations"] and operation not in rule["operations"]):
                return False
            self._seen += 1
            if self._seen % rule["throttle_every"]:
                return False
            self._throttled += 1
            return True

    def _control(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        with self._lock:
            if method == "PUT":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                document = json.loads(environ["wsgi.input"].read(length) or b"{}")
                every = int(document.get("throttle_every", 0))
                if every < 1:
                    return json_response(start_response, "400 Bad Request", {"error": "throttle_every must be >= 1"})
                self._rule = {"throttle_every": every, "operations": sorted(document.get("operations") or [])}
                self._seen = self._throttled = 0
            elif method == "DELETE":
                self._rule = None
            return json_response(start_response, "200 OK", {"rule": self._rule, "throttled": self._throttled})


def _throttling_answer(environ, service, start_response):
    """The throttling error of `service` in the protocol of the request."""
    _drain_body(environ)
    if environ.get("HTTP_X_AMZ_TARGET"):
        body = json.dumps({"__type": "ThrottlingException", "message": MESSAGE}).encode()
        return _answer(start_response, "400 Bad Request", "application/x-amz-json-1.1", body)
    if service in REST_XML_SERVICES:
        if service == "s3":
            body = f"<Error><Code>SlowDown</Code><Message>{MESSAGE}</Message></Error>".encode()
            return _answer(start_response, "503 Slow Down", "application/xml", body)
        return _answer(start_response, "400 Bad Request", "text/xml", _error_response_xml("Throttling"))
    if _is_query_request(environ):
        return _answer(start_response, "400 Bad Request", "text/xml", _error_response_xml("Throttling"))
    code = REST_JSON_CODES.get(service, "ThrottlingException")
    body = json.dumps({"message": MESSAGE}).encode()
    return _answer(start_response, "429 Too Many Requests", "application/json", body, [("x-amzn-ErrorType", code)])


def _drain_body(environ):
    """Read the request body that moto would have read, so that a kept-alive connection stays in step."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)


def _is_query_request(environ):
    return "Action=" in environ.get("QUERY_STRING", "") or environ.get("CONTENT_TYPE", "").startswith(
        "application/x-www-form-urlencoded"
    )


def _error_response_xml(code):
    return (
        "<ErrorResponse><Error><Type>Sender</Type>"
        f"<Code>{code}</Code><Message>{MESSAGE}</Message></Error>"
        "<RequestId>creatorcloud-throttled</RequestId></ErrorResponse>"
    ).encode()


def _answer(start_response, status, content_type, body, headers=()):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))), *headers])
    return [body]
