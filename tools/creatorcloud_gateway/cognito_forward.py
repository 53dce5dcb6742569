# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`/_aws/cognito-idp/`: the site's calls to Cognito's public user API, forwarded to the emulator.

Locally `cognito-idp.<region>.amazonaws.com` does not resolve, so the site's runtime config
points its Cognito client here (see runtime_config.py). Only the operations a browser makes
without AWS credentials pass; any other X-Amz-Target gets Cognito's UnknownOperationException.
A request goes on unsigned, exactly as the browser sent it: moto's server picks the service
from the X-Amz-Target header alone, and answers these operations from whichever account holds
the client id or the token, as Cognito does. After a successful ConfirmSignUp the pool's
PostConfirmation function runs in-process, as Cognito would invoke it.
"""

import json
import logging
import urllib.error
import urllib.request

from werkzeug.wrappers import Response

from creatorcloud_gateway.creator_access import AWS_ERRORS
from creatorcloud_gateway.creator_access import SiteUnavailable
from creatorcloud_gateway.creator_access import describe_aws_error
from creatorcloud_gateway.http_api import DEFAULT_REGION
from creatorcloud_gateway.lambda_runtime import FunctionError

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
PUBLIC_OPERATIONS = frozenset(
    {
        "SignUp",
        "ConfirmSignUp",
        "ResendConfirmationCode",
        "InitiateAuth",
        "RespondToAuthChallenge",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "ForgotPassword",
        "ConfirmForgotPassword",
        "ChangePassword",
        "UpdateUserAttributes",
        "VerifyUserAttribute",
        "DeleteUser",
    }
)
FORWARDED_HEADERS = ("Content-Type", "X-Amz-Target", "X-Amz-User-Agent")
RETURNED_HEADERS = ("Content-Type", "x-amzn-RequestId", "x-amzn-ErrorType")
AMZ_JSON = "application/x-amz-json-1.1"
POST_CONFIRMATION = "PostConfirmation_ConfirmSignUp"
SDK_VERSION = "aws-sdk-unknown-unknown"

log = logging.getLogger("creatorcloud_gateway")


def cognito_error(code, message, status=400):
    """An error as Cognito answers it: `{"__type", "message"}` and the x-amzn-ErrorType header."""
    body = json.dumps({"__type": code, "message": message})
    return Response(body, status=status, headers={"x-amzn-ErrorType": code}, content_type=AMZ_JSON)


def requested_operation(request):
    """The Cognito operation of a request, or None when its X-Amz-Target is not Cognito's."""
    target = request.headers.get("X-Amz-Target", "")
    return target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else None


def post_confirmation_event(region, pool, client_id, user):
    """Cognito's PostConfirmation_ConfirmSignUp trigger event for a user just confirmed."""
    attributes = {item["Name"]: item["Value"] for item in user.get("UserAttributes") or ()}
    # A sign-up confirmed with the code e-mailed to the fan verifies the address; moto does not record it.
    if "email" in (pool.get("AutoVerifiedAttributes") or ()) and "email" in attributes:
        attributes.setdefault("email_verified", "true")
    attributes["cognito:user_status"] = user.get("UserStatus", "CONFIRMED")
    return {
        "version": "1",
        "region": region,
        "userPoolId": pool["Id"],
        "userName": user["Username"],
        "triggerSource": POST_CONFIRMATION,
        "callerContext": {"awsSdkVersion": SDK_VERSION, "clientId": client_id},
        "request": {"userAttributes": attributes},
        "response": {},
    }


class CognitoForward:
    """Forwards the site's Cognito calls to the emulator and runs the creator's post-confirmation trigger."""

    def __init__(self, access, functions, region=DEFAULT_REGION):
        self.access = access
        self.functions = functions
        self.region = region
        self._pool_of_client = {}

    def respond(self, request):
        """Cognito's answer to a call of its public user API."""
        operation = requested_operation(request)
        if request.method != "POST" or operation not in PUBLIC_OPERATIONS:
            target = request.headers.get("X-Amz-Target", "")
            return cognito_error("UnknownOperationException", f"Unknown or not allowed operation: {target!r}")
        status, headers, body = self._forward(request)
        if operation == "ConfirmSignUp" and status == 200:
            failure = self._confirmed(json.loads(request.get_data() or b"{}"))
            if failure is not None:
                return failure
        return Response(body, status=status, headers=headers)

    def _forward(self, request):
        """(status, headers, body) of the emulator for the request, sent on unsigned."""
        headers = {name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers}
        upstream = urllib.request.Request(
            f"{self.access.endpoint_url.rstrip('/')}/", data=request.get_data(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(upstream, timeout=15) as answer:
                status, answer_headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as e:
            status, answer_headers, body = e.code, e.headers, e.read()
        except OSError as e:
            raise SiteUnavailable(f"Cognito at {self.access.endpoint_url} does not answer ({e}).") from e
        returned = {name: answer_headers[name] for name in RETURNED_HEADERS if answer_headers.get(name)}
        return status, returned, body

    def _confirmed(self, parameters):
        """Run the pool's PostConfirmation function for a confirmed user; Cognito's error response when it fails."""
        client_id, username = parameters.get("ClientId", ""), parameters.get("Username", "")
        try:
            cognito = self.access.client("cognito-idp", self.region)
            pool = self._creators_pool(cognito, client_id)
            function_arn = ((pool or {}).get("LambdaConfig") or {}).get("PostConfirmation")
            if not function_arn:
                return None
            user = cognito.admin_get_user(UserPoolId=pool["Id"], Username=username)
        except AWS_ERRORS as e:
            raise SiteUnavailable(
                f"Cannot read the user pool of client {client_id} of creator {self.access.creator} "
                f"({describe_aws_error(e)})."
            ) from e
        try:
            self.functions.invoke(function_arn, post_confirmation_event(self.region, pool, client_id, user))
        except FunctionError as e:
            log.error("post confirmation of %s in pool %s: %s", user["Username"], pool["Id"], e)
            return cognito_error("UserLambdaValidationException", f"PostConfirmation failed with error {e}.")
        return None

    def _creators_pool(self, cognito, client_id):
        """The creator's pool (DescribeUserPool) that has the app client, or None when it is another account's."""
        pool_id = self._pool_of_client.get(client_id) or self._find_pool_id(cognito, client_id)
        if pool_id is None:
            log.info("client %s is not in a user pool of creator %s: no trigger runs", client_id, self.access.creator)
            return None
        # A client never moves to another pool; the pool's triggers may change, so it is described every time.
        self._pool_of_client[client_id] = pool_id
        return cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]

    @staticmethod
    def _find_pool_id(cognito, client_id):
        for page in cognito.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 60}):
            for pool in page["UserPools"]:
                pages = cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool["Id"])
                if any(client["ClientId"] == client_id for listed in pages for client in listed["UserPoolClients"]):
                    return pool["Id"]
        return None
