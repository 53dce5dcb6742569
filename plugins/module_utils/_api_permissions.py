# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may invoke the API's functions: the creator's HTTP API, and Cognito for the trigger.

Private to the api module. Each permission is one statement of the function's resource policy,
found by its statement id. A statement that is missing is added; one that differs (principal,
action or source ARN) is removed and added again, as Lambda cannot change a statement in place.
Statements with other ids are left alone.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils import awslambda

API_STATEMENT_ID = "creatorcloud-api-invoke"
TRIGGER_STATEMENT_ID = "creatorcloud-cognito-trigger"
INVOKE_ACTION = "lambda:InvokeFunction"
TRIGGERS = {"cognito_post_confirmation": "cognito-idp.amazonaws.com"}


def desired_permissions(name, spec, api_arn, user_pool_arn):
    """The AddPermission requests of one function: the API for routed functions, Cognito for a trigger."""
    permissions = []
    if spec["routes"]:
        permissions.append(
            {
                "FunctionName": name,
                "StatementId": API_STATEMENT_ID,
                "Action": INVOKE_ACTION,
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": api_arn,
            }
        )
    if spec["trigger"]:
        permissions.append(
            {
                "FunctionName": name,
                "StatementId": TRIGGER_STATEMENT_ID,
                "Action": INVOKE_ACTION,
                "Principal": TRIGGERS[spec["trigger"]],
                "SourceArn": user_pool_arn,
            }
        )
    return permissions


def statement_view(statement):
    """A policy statement as (principal, action, source ARN), the parts an AddPermission request sets."""
    principal = statement.get("Principal", {})
    principal = principal.get("Service") or principal.get("AWS") if isinstance(principal, dict) else principal
    source_arn = statement.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn")
    return {"principal": principal, "action": statement.get("Action"), "source_arn": source_arn}


def request_view(request):
    """An AddPermission request in the shape of statement_view."""
    return {"principal": request["Principal"], "action": request["Action"], "source_arn": request["SourceArn"]}


def read_permissions(client, name):
    """The function's policy statements by statement id, as statement_view shows them."""
    return {statement.get("Sid"): statement_view(statement) for statement in awslambda.policy_statements(client, name)}


def ensure_permissions(changes, client, requests, current):
    """Add each permission of `requests` that `current` (read_permissions) lacks or holds differently."""
    for request in requests:
        sid, name = request["StatementId"], request["FunctionName"]
        existing = current.get(sid)
        if existing == request_view(request):
            continue
        if existing is not None:
            changes.make(
                f"remove the outdated permission {sid} of function {name}",
                awslambda.remove_permission,
                client,
                name,
                sid,
            )
        changes.make(
            f"allow {request['Principal']} to invoke function {name} ({sid})", awslambda.add_permission, client, request
        )
    return {request["StatementId"]: request_view(request) for request in requests}
