# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Counts the AWS API calls the emulator answers, split into reads and writes.

A WSGI middleware in front of moto: every signed request is named by its service and
operation (from X-Amz-Target, the Action parameter or the service model's request URIs)
and classified as a read or a write, with the CreatorCloud module that made it (from the user
agent) and whether the emulator throttled it (faults.py). `GET /_creatorcloud/calls` returns the log and
`DELETE /_creatorcloud/calls` clears it, so a test or the benchmark can prove that a
no-op run made no write call.
"""

import re
import threading
from urllib.parse import parse_qs

from creatorcloud_emulator.faults import CALL_KEY
from creatorcloud_emulator.faults import THROTTLED_KEY
from creatorcloud_emulator.json_answer import json_response

READ_PREFIXES = (
    "Get",
    "List",
    "Describe",
    "Head",
    "BatchGet",
    "Query",
    "Scan",
    "Search",
    "Lookup",
    "Select",
)
# Calls that change no resource although their names do not say so.
READ_OPERATIONS = frozenset(
    {"AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML", "GetSessionToken", "GetCallerIdentity"}
)
# Signing names whose botocore service names differ (or that sign for several APIs).
SIGNING_NAME_SERVICES = {
    "apigateway": ("apigatewayv2", "apigateway"),
    "monitoring": ("cloudwatch",),
    "cognito-idp": ("cognito-idp",),
    "states": ("stepfunctions",),
    "email": ("sesv2", "ses"),
}
CONTROL_PATH = "/_creatorcloud/calls"
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")
# The collection names the module that made a call in its user agent (creatorcloud_module.py).
_MODULE_IN_USER_AGENT = re.compile(r"creatorcloud-module/(\S+)")


def classify(operation):
    """Return 'read' or 'write' for an operation name."""
    if operation in READ_OPERATIONS or operation.startswith(READ_PREFIXES):
        return "read"
    return "write"


class _RestOperationIndex:
    """Matches REST requests (method, path, query keys, headers) to a service's operations."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_signing_name = {}

    def operation(self, signing_name, method, path, query_keys, header_names):
        """The most specific operation whose request URI, query keys and required headers all match."""
        best = None
        for matcher in self._matchers(signing_name):
            specificity, op_method, pattern, required_keys, required_headers, name = matcher
            if op_method != method or not required_keys <= query_keys or not required_headers <= header_names:
                continue
            if pattern.match(path) and (best is None or specificity > best[0]):
                best = (specificity, name)
        return best[1] if best else None

    def _matchers(self, signing_name):
        with self._lock:
            if signing_name not in self._by_signing_name:
                self._by_signing_name[signing_name] = self._load(signing_name)
            return self._by_signing_name[signing_name]

    @staticmethod
    def _load(signing_name):
        import botocore.session

        session = botocore.session.get_session()
        matchers = []
        for service in SIGNING_NAME_SERVICES.get(signing_name, (signing_name,)):
            try:
                model = session.get_service_model(service)
            except Exception:  # an unknown service: fall back to the HTTP method
                continue
            for name in model.operation_names:
                operation = model.operation_model(name)
                path, unused_separator, query = operation.http.get("requestUri", "/").partition("?")
                required_keys = frozenset(part.split("=")[0] for part in query.split("&") if part)
                required_headers = _required_headers(operation.input_shape)
                literal = len(re.sub(r"\{[^}]+\}", "", path))
                # Of two operations on the same request (PutBucketLifecycle and its successor), the
                # one not deprecated is what today's SDKs send.
                specificity = (literal, len(required_keys), len(required_headers), not operation.deprecated)
                method = operation.http.get("method", "POST")
                matchers.append(
                    (specificity, method, re.compile(f"^{_uri_regex(path)}/?$"), required_keys, required_headers, name)
                )
        return matchers


def _required_headers(shape):
    """Lower-case names of the headers an operation's input requires (CopyObject's x-amz-copy-source)."""
    if shape is None:
        return frozenset()
    return frozenset(
        shape.members[member].serialization["name"].lower()
        for member in shape.required_members
        if shape.members[member].serialization.get("location") == "header"
    )


def _uri_regex(path):
    """A regex for a request URI template: {Name} is one segment, {Name+} the rest."""
    parts = []
    for literal, label in re.findall(r"([^{]*)(\{[^}]*\})?", path):
        parts.append(re.escape(literal))
        if label:
            parts.append(".+" if label.endswith("+}") else "[^/]+")
    return "".join(parts)


class CallLog:
    """WSGI middleware that records each AWS call before moto answers it."""

    def __init__(self, app):
        self.app = app
        self._lock = threading.Lock()
        self._calls = []
        self._rest = _RestOperationIndex()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(CONTROL_PATH):
            return self._control(environ, start_response)
        call = self._describe(environ)
        if call is None:
            return self.app(environ, start_response)
        with self._lock:
            self._calls.append(call)
        environ[CALL_KEY] = call
        answer = self.app(environ, start_response)
        if environ.get(THROTTLED_KEY):
            call["throttled"] = True
        return answer

    def snapshot(self):
        with self._lock:
            calls = list(self._calls)
        return {
            "reads": sum(1 for c in calls if c["kind"] == "read"),
            "writes": sum(1 for c in calls if c["kind"] == "write"),
            "calls": calls,
        }

    def reset(self):
        with self._lock:
            self._calls.clear()

    def _control(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "DELETE":
            self.reset()
        return json_response(start_response, "200 OK", self.snapshot())

    def _describe(self, environ):
        match = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if not match:
            return None
        region, signing_name = match.groups()
        method = environ["REQUEST_METHOD"]
        operation = self._operation_name(environ, signing_name, method)
        if operation is None:
            kind = "read" if method in ("GET", "HEAD") else "write"
            operation = f"{method} {environ.get('PATH_INFO', '/')}"
        else:
            kind = classify(operation)
        return {
            "service": signing_name,
            "operation": operation,
            "kind": kind,
            "region": region,
            "account": _account_of(environ.get("HTTP_AUTHORIZATION", "")),
            "module": _module_of(environ.get("HTTP_USER_AGENT", "")),
        }

    def _operation_name(self, environ, signing_name, method):
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            return target.rsplit(".", 1)[-1]
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if "Action" in query:
            return query["Action"][0]
        if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            action = parse_qs(_peek_body(environ).decode("utf-8", "replace")).get("Action")
            if action:
                return action[0]
        headers = frozenset(key[5:].replace("_", "-").lower() for key in environ if key.startswith("HTTP_"))
        return self._rest.operation(signing_name, method, _raw_path(environ), frozenset(query), headers)


def _raw_path(environ):
    """The request path as sent: PATH_INFO is decoded, so an ARN with %2F in one segment would span several."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    return raw.split("?", 1)[0] if raw else environ.get("PATH_INFO", "/")


def _module_of(user_agent):
    """The CreatorCloud module that made the call, from its user agent; None for any other client."""
    match = _MODULE_IN_USER_AGENT.search(user_agent)
    return match.group(1) if match else None


def _account_of(authorization):
    """The account moto answers for: it is decided by the access key, as in moto itself."""
    from moto.iam.models import get_account_id_from

    match = re.search(r"Credential=([^/]+)/", authorization)
    return get_account_id_from(match.group(1)) if match else None


def _peek_body(environ):
    """Read the request body and put it back, so that moto still finds it."""
    import io

    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body
