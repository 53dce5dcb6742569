# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may invoke the API's functions: the creator's HTTP API, Cognito and the chat room for their triggers.

Private to the api module. Each permission is one statement of the function's resource policy,
found by its statement id. A statement that is missing is added; one that differs (principal,
action or source ARN) is removed and added again, as Lambda cannot change a statement in place.
Statements with other ids are left alone.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import awslambda

API_STATEMENT_ID = "creatorcloud-api-invoke"
INVOKE_ACTION = "lambda:InvokeFunction"
# Each trigger: its statement id, the service that invokes the function, and which source ARN it invokes for.
TRIGGERS = {
    "cognito_post_confirmation": ("creatorcloud-cognito-trigger", "cognito-idp.amazonaws.com", "user_pool_arn"),
    "ivschat_message_review": ("creatorcloud-chat-review", "ivschat.amazonaws.com", "room_arn"),
}


def desired_permissions(name, spec, api_arn, sources, account_id=None):
    """The AddPermission requests of one function: the API for routed functions, a service for a trigger.

    `sources` holds the ARNs a trigger can name ("user_pool_arn", "room_arn"); the room's trigger is also bound
    to `account_id` (SourceAccount), as IVS Chat invokes it on behalf of the creator's account only.
    """
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
        statement_id, principal, source = TRIGGERS[spec["trigger"]]
        request = {
            "FunctionName": name,
            "StatementId": statement_id,
            "Action": INVOKE_ACTION,
            "Principal": principal,
            "SourceArn": sources[source],
        }
        if source == "room_arn":
            request["SourceAccount"] = account_id
        permissions.append(request)
    return permissions


def statement_view(statement):
    """A policy statement as (principal, action, source ARN), the parts an AddPermission request sets."""
    principal = statement.get("Principal", {})
    principal = principal.get("Service") or principal.get("AWS") if isinstance(principal, dict) else principal
    condition = statement.get("Condition", {})
    return {
        "principal": principal,
        "action": statement.get("Action"),
        "source_arn": condition.get("ArnLike", {}).get("AWS:SourceArn"),
        "source_account": condition.get("StringEquals", {}).get("AWS:SourceAccount"),
    }


def request_view(request):
    """An AddPermission request in the shape of statement_view."""
    return {
        "principal": request["Principal"],
        "action": request["Action"],
        "source_arn": request["SourceArn"],
        "source_account": request.get("SourceAccount"),
    }


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
