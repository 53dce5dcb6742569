# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The least-privilege execution role of each Lambda function of a creator's API.

Used by the api and backup slices. A function's role is named like the function, lives under the
path /creatorcloud/, is assumable only by Lambda on behalf of the creator's own account, and
holds one inline policy that lists ARNs only: the function's own log group and its streams,
the tables (and indexes) and the user pool the function's spec names, with exactly the actions
the spec names. Other inline policies on the role are not ours: they are left alone and reported.
"""

import functools

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import iam
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags

COMPONENT = "api"
ROLE_PATH = "/creatorcloud/"
POLICY_VERSION = "2012-10-17"
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
# Lambda makes the log streams (their names hold a date and an instance id); the log group is made by the api
# module, so the function needs no logs:CreateLogGroup.
LOG_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")
SECRET_READ_ACTION = "secretsmanager:GetSecretValue"
SECRET_DECRYPT_ACTION = "kms:Decrypt"
# ensure_function_role's default `current`: None already means "read, and there is no such role".
NOT_READ = object()


class FunctionRoleError(ValueError):
    """A function spec asks for what its role cannot grant: the message names the function and the field."""


def function_name(creator, function):
    """The Lambda function's name, which its role and inline policy share: creatorcloud-<creator>-<function>."""
    return resource_name(creator, function)


def role_arn(account_id, role_name, path=ROLE_PATH):
    """The ARN IAM gives a role: it carries the path."""
    return f"arn:aws:iam::{account_id}:role{path}{role_name}"


def log_group_arn(region, account_id, name):
    """The ARN of the function's log group, /aws/lambda/<function>, without the trailing `:*`."""
    return f"arn:aws:logs:{region}:{account_id}:log-group:/aws/lambda/{name}"


def trust_policy(account_id):
    """Lambda may assume the role, and only for functions of the creator's account (no confused deputy)."""
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Sid": "LambdaAssumesRole",
                "Effect": "Allow",
                "Principal": {"Service": LAMBDA_PRINCIPAL},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ],
    }


def allow(sid, actions, resources):
    """One Allow statement, actions and resources sorted so the document is the same on every run."""
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(set(actions)), "Resource": sorted(set(resources))}


def checked_actions(function, field, actions, service):
    """The actions of a spec field, refused when one is of another service or a wildcard."""
    for action in actions:
        if not action.startswith(f"{service}:") or "*" in action:
            raise FunctionRoleError(
                f"function {function}: {field} lists {action!r}; name single {service}: actions, without wildcards"
            )
    return actions


def table_statement(function, table_spec, tables):
    """The statement of one table of a spec: its actions on the table ARN and on each index it names."""
    logical = table_spec["name"]
    if logical not in tables:
        raise FunctionRoleError(
            f"function {function}: table {logical!r} is not one of the creator's tables ({', '.join(sorted(tables))})"
        )
    table = tables[logical]
    resources = [table["arn"]]
    for index in table_spec.get("indexes") or []:
        if index not in table.get("indexes", []):
            known = ", ".join(sorted(table.get("indexes", []))) or "none"
            raise FunctionRoleError(
                f"function {function}: table {logical} has no index {index!r} (its indexes: {known})"
            )
        resources.append(f"{table['arn']}/index/{index}")
    actions = checked_actions(function, f"the actions on table {logical}", table_spec["actions"], "dynamodb")
    return allow(f"Table{logical}", actions, resources)


def function_policy(name, function_spec, account_id, region, tables, user_pool_arn, room_arn=None):
    """The inline policy of a function's role: logs, each table, the user pool, the chat room, then the secrets."""
    function = function_spec["name"]
    group = log_group_arn(region, account_id, name)
    statements = [allow("Logs", LOG_ACTIONS, [group, f"{group}:log-stream:*"])]
    statements += [table_statement(function, spec, tables) for spec in function_spec.get("tables") or []]
    pool_actions = function_spec.get("user_pool_actions") or []
    if pool_actions:
        if not user_pool_arn:
            raise FunctionRoleError(f"function {function}: user_pool_actions are set but there is no user pool ARN")
        actions = checked_actions(function, "user_pool_actions", pool_actions, "cognito-idp")
        statements.append(allow("UserPool", actions, [user_pool_arn]))
    room_actions = function_spec.get("room_actions") or []
    if room_actions:
        if not room_arn:
            raise FunctionRoleError(f"function {function}: room_actions are set but there is no chat room ARN")
        actions = checked_actions(function, "room_actions", room_actions, "ivschat")
        statements.append(allow("ChatRoom", actions, [room_arn]))
    statements += secret_statements(function_spec.get("secrets"), region)
    return {"Version": POLICY_VERSION, "Statement": statements}


def secret_statements(secrets, region):
    """Reading exactly the spec's secrets, and decrypting with their keys only on Secrets Manager's behalf."""
    if not secrets:
        return []
    read = allow("Secrets", [SECRET_READ_ACTION], [secret["arn"] for secret in secrets])
    decrypt = allow("SecretsKeys", [SECRET_DECRYPT_ACTION], [secret["kms_key_arn"] for secret in secrets])
    # Without the condition the role could decrypt anything else the key encrypts (tables, recordings).
    decrypt["Condition"] = {"StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"}}
    return [read, decrypt]


def desired_function_role(creator, function_spec, account_id, region, tables, user_pool_arn, tags, room_arn=None):
    """The role of one function: name, path, ARN, trust policy, inline policy, tags.

    `tags` are the user's; the creator and component tags are added. `tables` maps a logical
    table name to {"arn": ..., "indexes": [index names]}; a spec naming a table or index not
    there raises FunctionRoleError; so do room actions without `room_arn`.
    """
    name = function_name(creator, function_spec["name"])
    return {
        "role_name": name,
        "path": ROLE_PATH,
        "role_arn": role_arn(account_id, name),
        "assume_role_policy": trust_policy(account_id),
        "policy_name": name,
        "policy": function_policy(name, function_spec, account_id, region, tables, user_pool_arn, room_arn),
        "tags": resource_tags(creator, COMPONENT, extra=tags),
    }


def read_function_roles(clients):
    """{role name: role with its inline policies} of every role under ROLE_PATH, in one paged read."""
    return iam.roles_with_inline_policies(clients.iam, ROLE_PATH)


def read_function_role(clients, role_name, policy_name=None, roles=None):
    """The role as it is, or None when it does not exist.

    Returns {"role_name", "path", "role_arn", "assume_role_policy", "policy" (ours, or None),
    "policy_names" (every inline policy), "tags"}; our inline policy is named like the role by default.
    `roles` is what read_function_roles returned; without it the role is read on its own.
    """
    policy_name = policy_name or role_name
    if roles is not None:
        role = roles.get(role_name)
        if role is None:
            return None
        inline = {item["PolicyName"]: item["PolicyDocument"] for item in role.get("RolePolicyList", [])}
        policy_names, policy = sorted(inline), inline.get(policy_name)
    else:
        role = iam.get_role(clients.iam, role_name)
        if role is None:
            return None
        policy_names = iam.list_role_policies(clients.iam, role_name)
        policy = iam.get_role_policy(clients.iam, role_name, policy_name) if policy_name in policy_names else None
    return {
        "role_name": role["RoleName"],
        "path": role["Path"],
        "role_arn": role["Arn"],
        "assume_role_policy": role.get("AssumeRolePolicyDocument"),
        "policy": policy,
        "policy_names": policy_names,
        "tags": {tag["Key"]: tag["Value"] for tag in role.get("Tags", [])},
    }


def create_function_role(changes, clients, desired):
    """Create the role with its trust policy and tags; returns the state after (predicted in check mode)."""
    name = desired["role_name"]
    created = changes.make(
        f"create IAM role {name}",
        iam.create_role,
        clients.iam,
        name,
        desired["path"],
        desired["assume_role_policy"],
        desired["tags"],
    )
    return {
        "role_name": name,
        "path": desired["path"],
        "role_arn": created["Arn"] if created else desired["role_arn"],
        "assume_role_policy": desired["assume_role_policy"],
        "policy": None,
        "policy_names": [],
        "tags": dict(desired["tags"]),
    }


def ensure_function_role(changes, clients, desired, current=NOT_READ, purge_tags=True):
    """Create or update the role to `desired` through `changes`; returns the state after.

    `current` is what read_function_role returned during the plan (None: no role yet); when not
    given, it is read here. The state after has "unmanaged_policies": inline policies on the role
    that are not ours.
    """
    name = desired["role_name"]
    if current is NOT_READ:
        current = read_function_role(clients, name, desired["policy_name"])
    after = dict(current) if current else create_function_role(changes, clients, desired)
    if compare_policies(after["assume_role_policy"], desired["assume_role_policy"]):
        changes.make(
            f"update the trust policy of IAM role {name}",
            iam.update_assume_role_policy,
            clients.iam,
            name,
            desired["assume_role_policy"],
        )
        after["assume_role_policy"] = desired["assume_role_policy"]
    if after["policy"] is None or compare_policies(after["policy"], desired["policy"]):
        changes.make(
            f"put the inline policy {desired['policy_name']} of IAM role {name}",
            iam.put_role_policy,
            clients.iam,
            name,
            desired["policy_name"],
            desired["policy"],
        )
        after["policy"] = desired["policy"]
        after["policy_names"] = sorted({*after["policy_names"], desired["policy_name"]})
    after["tags"] = ensure_tags(
        changes,
        f"IAM role {name}",
        after["tags"],
        desired["tags"],
        purge_tags,
        functools.partial(iam.tag_role, clients.iam, name),
        functools.partial(iam.untag_role, clients.iam, name),
    )
    after["unmanaged_policies"] = [policy for policy in after["policy_names"] if policy != desired["policy_name"]]
    return after
