# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Lambda functions of a creator's API and their log groups: validate, plan, ensure.

Used by the api and chat slices. A function is found by its deterministic name
(`creatorcloud-<creator>-<function>`), its log group by `/aws/lambda/<function name>`. Code is
uploaded only when the package's CodeSha256 differs from the function's (or the architecture
changes, which only UpdateFunctionCode can change); configuration only when one of the settings
the module owns differs.
"""

import functools
import re

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import awslambda
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import logs
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import resourcegroupstaggingapi
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import ensure_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import KMS_KEY_ARN

RUNTIME = "python3.12"
ARCHITECTURES = ["arm64"]
TIMEOUT_SECONDS = 10
FUNCTION_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
ROUTE_KEY_PATTERN = re.compile(r"^(GET|PUT|POST|DELETE|PATCH) /api(/[A-Za-z0-9_{}.-]+)*$")
HANDLER_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
ENVIRONMENT_KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
SECRET_ARN_PATTERN = re.compile(r"^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$")
# Triggers invoked on behalf of the chat room: they need its ARN.
ROOM_TRIGGERS = ("ivschat_message_review",)
# CloudWatch Logs accepts only these retention periods (days).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288)
# The settings UpdateFunctionConfiguration owns, as GetFunction reports them.
CONFIGURATION_KEYS = ("Runtime", "MemorySize", "Timeout", "Handler", "Role", "Environment")


def function_name(creator, function):
    """The function's name in AWS: creatorcloud-<creator>-<function>."""
    return resource_name(creator, function)


def function_arn(region, account_id, name):
    """A function's ARN, known before the function exists (the auth slice needs the trigger's)."""
    return f"arn:aws:lambda:{region}:{account_id}:function:{name}"


def function_log_group(name):
    """The log group Lambda writes a function's logs to."""
    return f"/aws/lambda/{name}"


def log_group_arn(region, account_id, name):
    """A log group's ARN (without the `:*` stream suffix), as tag calls and API Gateway take it."""
    return f"arn:aws:logs:{region}:{account_id}:log-group:{name}"


def table_arn(region, account_id, table_name):
    """A DynamoDB table's ARN."""
    return f"arn:aws:dynamodb:{region}:{account_id}:table/{table_name}"


def environment_variables(spec, tables, user_pool_id, chat_room_arn=""):
    """A function's environment: the spec's own, `<LOGICAL>_TABLE` per table it uses, the pool, the chat room for a
    function with room actions, each secret's ARN under its variable, and Powertools' service name."""
    variables = dict(spec.get("environment") or {})
    variables.update({f"{table['name'].upper()}_TABLE": tables[table["name"]] for table in spec["tables"]})
    variables["USER_POOL_ID"] = user_pool_id
    if spec.get("room_actions"):
        variables["CHAT_ROOM_ARN"] = chat_room_arn
    variables.update({secret["environment"]: secret["arn"] for secret in spec.get("secrets") or []})
    variables["POWERTOOLS_SERVICE_NAME"] = spec["name"]
    return variables


def duplicates(values):
    """The values that occur more than once, sorted."""
    return sorted({value for value in values if values.count(value) > 1})


def chat_spec_errors(field, spec, chat_room_arn):
    """What is wrong with the chat parts of one function spec: environment, room actions, room trigger."""
    errors = []
    for key, value in (spec.get("environment") or {}).items():
        if not ENVIRONMENT_KEY_PATTERN.match(str(key)):
            errors.append(
                f"{field}.environment key {key!r} must be letters, digits and underscores, starting with a letter"
            )
        if not isinstance(value, str):
            errors.append(f"{field}.environment.{key} {value!r} must be a string (quote it, or use to_json)")
    for action in spec.get("room_actions") or []:
        if not action.startswith("ivschat:") or "*" in action:
            errors.append(f"{field}.room_actions {action!r} must be one ivschat: action, no '*'")
    if (spec.get("room_actions") or spec.get("trigger") in ROOM_TRIGGERS) and not chat_room_arn:
        errors.append(
            f"{field}: room_actions and the ivschat_message_review trigger need chat_room_arn: run the chat role first"
        )
    return errors


def function_spec_errors(index, spec, tables, chat_room_arn=""):
    """What is wrong with one function spec, each message naming the field and its value."""
    field = f"functions[{index}]"
    errors = []
    if not FUNCTION_NAME_PATTERN.match(spec["name"]):
        errors.append(
            f"{field}.name {spec['name']!r} must be lower-case letters, digits and hyphens, starting with a letter "
            "(at most 30)"
        )
    if not HANDLER_PATTERN.match(spec["handler"]):
        errors.append(f"{field}.handler {spec['handler']!r} must be a dotted path like package.module.handler")
    for position, route in enumerate(spec["routes"]):
        if not ROUTE_KEY_PATTERN.match(route["route_key"]):
            errors.append(
                f"{field}.routes[{position}].route_key {route['route_key']!r} must be a method "
                "(GET, PUT, POST, DELETE, PATCH) and a path under /api, like 'GET /api/me'"
            )
    for position, table in enumerate(spec["tables"]):
        if table["name"] not in tables:
            errors.append(
                f"{field}.tables[{position}].name {table['name']!r} is not in tables "
                f"({', '.join(sorted(tables)) or 'empty'}): run the tables role first or fix the name"
            )
        for action in table["actions"]:
            if not action.startswith("dynamodb:") or "*" in action:
                errors.append(f"{field}.tables[{position}].actions {action!r} must be one dynamodb: action, no '*'")
    for action in spec["user_pool_actions"]:
        if not action.startswith("cognito-idp:") or "*" in action:
            errors.append(f"{field}.user_pool_actions {action!r} must be one cognito-idp: action, no '*'")
    if spec["trigger"] and spec["routes"]:
        errors.append(f"{field}.trigger {spec['trigger']!r}: a trigger function has no routes")
    return errors + chat_spec_errors(field, spec, chat_room_arn) + secrets_errors(field, spec.get("secrets") or [])


def secrets_errors(field, secrets):
    """What is wrong with the secrets of one function spec: ARNs of a secret and a KMS key, variable names."""
    errors = []
    for position, secret in enumerate(secrets):
        where = f"{field}.secrets[{position}]"
        if not SECRET_ARN_PATTERN.match(secret["arn"] or ""):
            errors.append(
                f"{where}.arn {secret['arn']!r} is not a secret's ARN like "
                "arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>: run the shop role first"
            )
        if not KMS_KEY_ARN.match(secret["kms_key_arn"] or ""):
            errors.append(f"{where}.kms_key_arn {secret['kms_key_arn']!r} is not a KMS key ARN")
        if not ENVIRONMENT_KEY_PATTERN.match(secret["environment"]):
            errors.append(
                f"{where}.environment {secret['environment']!r} must be letters, digits and underscores, "
                "starting with a letter"
            )
    return errors


def functions_errors(functions, tables, chat_room_arn=""):
    """Every mistake in the function specs, before anything is read or written."""
    names = [spec["name"] for spec in functions]
    errors = [f"functions: {name!r} is declared more than once" for name in duplicates(names)]
    route_keys = [route["route_key"] for spec in functions for route in spec["routes"]]
    errors.extend(f"functions: route {key!r} is declared more than once" for key in duplicates(route_keys))
    for index, spec in enumerate(functions):
        errors.extend(function_spec_errors(index, spec, tables, chat_room_arn))
    return errors


def retention_error(field, days):
    """A retention that CloudWatch Logs accepts."""
    if days not in RETENTION_DAYS:
        return f"{field} {days!r} is not a retention CloudWatch Logs accepts ({', '.join(map(str, RETENTION_DAYS))})"
    return None


def desired_function(name, spec, memory_mb, role_arn, variables):
    """The configuration of one function, in GetFunction's Configuration shape."""
    return {
        "FunctionName": name,
        "Runtime": RUNTIME,
        "Architectures": list(ARCHITECTURES),
        "MemorySize": memory_mb,
        "Timeout": TIMEOUT_SECONDS,
        "Handler": spec["handler"],
        "Role": role_arn,
        "Environment": {"Variables": variables},
    }


# The tagging API's resource types of the functions and their log groups ("logs", not "logs:log-group":
# moto files log groups as "logs:loggroup"; the ARN picks them out).
TAGGED_TYPES = ("lambda:function", "logs")


def read_tags(tagging):
    """{ARN: tags} of the region's functions and log groups: one paged read for all of them."""
    return resourcegroupstaggingapi.tags_by_arn(tagging, TAGGED_TYPES)


def read_functions(client, names, tags):
    """{name: {"configuration", "tags"} or None} of the functions `names`; `tags` is what read_tags returned.

    One paged ListFunctions for all of them, instead of a GetFunction each; the configuration fields
    that the converge compares (CONFIGURATION_KEYS, CodeSha256, FunctionArn) are the same in both answers.
    """
    found = {item["FunctionName"]: item for item in awslambda.list_functions(client) if item["FunctionName"] in names}
    return {
        name: {"configuration": found[name], "tags": tags.get(found[name]["FunctionArn"], {})}
        if name in found
        else None
        for name in names
    }


def configuration_differences(configuration, desired):
    """The keys of CONFIGURATION_KEYS whose values differ (no Environment reads as empty variables)."""
    current = dict(configuration, Environment={"Variables": configuration.get("Environment", {}).get("Variables", {})})
    return [key for key in CONFIGURATION_KEYS if current.get(key) != desired[key]]


def create_function(client, request):
    """Create a function and wait until it can be invoked and updated."""
    answer = awslambda.create_function(client, request)
    awslambda.wait_active(client, request["FunctionName"])
    return answer


def update_function(client, update, request):
    """Update a function's code or configuration and wait until the update is done."""
    answer = update(client, request)
    awslambda.wait_updated(client, request["FunctionName"])
    return answer


def ensure_function(changes, client, desired, package, tags, current, purge_tags=True):
    """Create or update one function; returns its configuration after (predicted in check mode).

    `desired` is desired_function's answer plus "FunctionArn"; `package` the BackendPackage.
    """
    name = desired["FunctionName"]
    if current is None:
        request = {key: value for key, value in desired.items() if key != "FunctionArn"}
        request.update(Code={"ZipFile": package.zip_bytes}, PackageType="Zip", Tags=tags)
        changes.make(f"create function {name}", create_function, client, request)
        return dict(desired, CodeSha256=package.code_sha256)
    configuration = current["configuration"]
    if configuration.get("CodeSha256") != package.code_sha256 or configuration.get("Architectures") != ARCHITECTURES:
        request = {"FunctionName": name, "ZipFile": package.zip_bytes, "Architectures": list(ARCHITECTURES)}
        changes.make(
            f"update the code of function {name} to {package.code_sha256}",
            update_function,
            client,
            awslambda.update_function_code,
            request,
        )
    different = configuration_differences(configuration, desired)
    if different:
        request = {"FunctionName": name, **{key: desired[key] for key in different}}
        changes.make(
            f"update function {name}: {', '.join(different)}",
            update_function,
            client,
            awslambda.update_function_configuration,
            request,
        )
    arn = configuration["FunctionArn"]
    ensure_tags(
        changes,
        f"function {name}",
        current["tags"],
        tags,
        purge_tags,
        functools.partial(awslambda.tag_resource, client, arn),
        functools.partial(awslambda.untag_resource, client, arn),
    )
    return {**configuration, **desired, "FunctionArn": arn, "CodeSha256": package.code_sha256}


def read_log_groups(client, prefix, tags):
    """The log groups whose names start with `prefix`: {name: {"arn", "retention", "tags"}}.

    `tags` is what read_tags returned: the tagging API's tags of every log group, instead of a
    ListTagsForResource per log group.
    """
    groups = logs.describe_log_groups(client, prefix)
    found = {}
    for group in groups:
        # Older answers carry only "arn", which ends in the ":*" of the log group's streams.
        arn = group.get("logGroupArn") or re.sub(r":\*$", "", group["arn"])
        found[group["logGroupName"]] = {
            "arn": arn,
            "retention": group.get("retentionInDays"),
            "tags": tags.get(arn, {}),
        }
    return found


def ensure_log_group(changes, client, name, arn, retention, tags, current, purge_tags=True):
    """Create the log group or set its retention and tags; returns {"name", "arn", "retention"}."""
    if current is None:
        changes.make(f"create log group {name}", logs.create_log_group, client, name, tags)
    if (current or {}).get("retention") != retention:
        what = f"keep the logs of {name} for {retention} days"
        changes.make(what, logs.put_retention_policy, client, name, retention)
    if current is None:
        return {"name": name, "arn": arn, "retention": retention}
    ensure_tags(
        changes,
        f"log group {name}",
        current["tags"],
        tags,
        purge_tags,
        functools.partial(logs.tag_resource, client, current["arn"]),
        functools.partial(logs.untag_resource, client, current["arn"]),
    )
    return {"name": name, "arn": current["arn"], "retention": retention}
