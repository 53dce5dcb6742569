# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge a creator's API: package, log groups, roles, functions, HTTP API, permissions.

Private to the api module. The plan builds the deployment zip (locally, also in check mode, so
a changed backend is predicted) and reads every resource; the steps then run in dependency
order: log groups before the functions (so Lambda never creates one without retention), roles
before the functions that assume them, functions before the API that integrates them, the API
before the permissions that name it. Check mode stops short of every write and predicts the
state after. A failing step raises ConvergeError with what had already changed.
"""

import os

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.naming import resource_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tiers import tier_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import desired_function
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import ensure_function
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import ensure_log_group
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import environment_variables
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import function_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import function_log_group
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import function_name
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import log_group_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import read_functions
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import read_log_groups
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import read_tags
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import table_arn
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import FunctionRoleError
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import desired_function_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import ensure_function_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import read_function_role
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.roles import read_function_roles
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import (
    BackendPackageError,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import (
    build_backend_package,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import desired_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import ensure_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import read_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.http import summarize_http_api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.permissions import desired_permissions
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.permissions import ensure_permissions
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.permissions import read_permissions

COMPONENT = "api"


class ApiClients:
    """The clients of the api slice in the creator's account, each made on first use (the session keeps them)."""

    def __init__(self, session):
        self._session = session

    def _client(self, service):
        return self._session.client(service)

    @property
    def awslambda(self):
        return self._client("lambda")

    @property
    def logs(self):
        return self._client("logs")

    @property
    def tagging(self):
        return self._client("resourcegroupstaggingapi")

    @property
    def iam(self):
        return self._client("iam")

    @property
    def apigatewayv2(self):
        return self._client("apigatewayv2")


def access_log_group(creator):
    """The log group of the HTTP API's access logs."""
    return f"/aws/apigateway/{resource_name(creator, 'api')}"


def user_pool_arn(region, account_id, pool_id):
    """The ARN of the creator's user pool."""
    return f"arn:aws:cognito-idp:{region}:{account_id}:userpool/{pool_id}"


def function_view(configuration):
    """A function as the module's diff shows it."""
    if configuration is None:
        return None
    return {
        "runtime": configuration.get("Runtime"),
        "architectures": configuration.get("Architectures"),
        "memory_size": configuration.get("MemorySize"),
        "timeout": configuration.get("Timeout"),
        "handler": configuration.get("Handler"),
        "role": configuration.get("Role"),
        "code_sha256": configuration.get("CodeSha256"),
        "environment": configuration.get("Environment", {}).get("Variables", {}),
    }


def describe(state):
    """A state (from read or apply) as the module's diff shows it."""
    return {
        "functions": {name: function_view(config) for name, config in sorted(state["functions"].items())},
        "log_groups": {name: group and group["retention"] for name, group in sorted(state["log_groups"].items())},
        "roles": {name: role and role["role_arn"] for name, role in sorted(state["roles"].items())},
        "permissions": {name: sorted(statements) for name, statements in sorted(state["permissions"].items())},
        "api": state["api"],
    }


class Api:
    """The converge of one creator's API. `desired` holds the module's validated parameters."""

    def __init__(self, clients, desired, check_mode, build=build_backend_package):
        self.clients = clients
        self.desired = desired
        self.changes = Changes(check_mode)
        self.build = build
        self.tags = resource_tags(desired["creator"], COMPONENT, extra=desired["tags"])
        self.pool_arn = user_pool_arn(desired["region"], desired["account_id"], desired["user_pool_id"])
        self.result = {}

    def converge(self):
        """Plan, and apply unless in check mode. Returns (changed, before, after) in the shape of describe()."""
        try:
            plan = self.plan()
            after = self.apply(plan)
        except BackendPackageError as e:
            raise ConvergeError(f"could not build the backend package: {e}", self.changes.made) from e
        except FunctionRoleError as e:
            raise ConvergeError(str(e), self.changes.made) from e
        except AnsibleAWSError as e:
            raise self.changes.error_from(e) from e
        return bool(self.changes.made), plan["current"], after

    def function_names(self):
        """Each function spec by its name in AWS."""
        return {function_name(self.desired["creator"], spec["name"]): spec for spec in self.desired["functions"]}

    def desired_role(self, spec):
        """The execution role of one function spec (only its own tables, only its own log group)."""
        desired = self.desired
        tables = {
            table["name"]: {
                "arn": table_arn(desired["region"], desired["account_id"], desired["tables"][table["name"]]),
                "indexes": table["indexes"],
            }
            for table in spec["tables"]
        }
        return desired_function_role(
            desired["creator"],
            spec,
            desired["account_id"],
            desired["region"],
            tables,
            self.pool_arn,
            self.tags,
            desired["chat_room_arn"],
        )

    def plan(self):
        """The package, every desired role, and every resource as it is now (None for each that is missing)."""
        desired = self.desired
        package = self.build(desired["backend_dir"], os.path.expanduser(desired["package_cache_dir"]))
        names = self.function_names()
        roles = {name: self.desired_role(spec) for name, spec in names.items()}
        tags = read_tags(self.clients.tagging)
        functions = read_functions(self.clients.awslambda, names, tags)
        found = read_log_groups(self.clients.logs, function_log_group(resource_name(desired["creator"], "")), tags)
        found.update(read_log_groups(self.clients.logs, access_log_group(desired["creator"]), tags))
        # Log groups of functions the spec no longer has are left alone, and out of the diff.
        log_groups = {name: found.get(name) for name in self.log_group_names(names)}
        existing_roles = read_function_roles(self.clients)
        current = {
            "functions": {name: function and function["configuration"] for name, function in functions.items()},
            "log_groups": log_groups,
            "roles": {
                name: read_function_role(self.clients, role["role_name"], roles=existing_roles)
                for name, role in roles.items()
            },
            "permissions": {
                name: read_permissions(self.clients.awslambda, name) if functions[name] else {} for name in names
            },
            "http_api": read_http_api(self.clients, desired["creator"]),
        }
        current["api"] = summarize_http_api(current["http_api"], desired["region"], desired["account_id"])
        return {"package": package, "names": names, "roles": roles, "functions": functions, "current": current}

    def log_group_names(self, names):
        """The log group of each function (by its name in AWS), then the API's access log group."""
        return [*(function_log_group(name) for name in names), access_log_group(self.desired["creator"])]

    def ensure_log_groups(self, current, names):
        """Each function's log group and the access log group; returns the groups after, by name."""
        desired = self.desired
        after = {}
        for name in self.log_group_names(names):
            arn = log_group_arn(desired["region"], desired["account_id"], name)
            after[name] = ensure_log_group(
                self.changes,
                self.clients.logs,
                name,
                arn,
                desired["log_retention_days"],
                self.tags,
                current.get(name),
                desired["purge_tags"],
            )
        return after

    def ensure_functions(self, plan, roles):
        """Each function with its role; returns the configurations after, by name."""
        desired = self.desired
        memory = tier_settings(desired["tier"])["lambda_memory_mb"]
        after = {}
        for name, spec in plan["names"].items():
            variables = environment_variables(
                spec, desired["tables"], desired["user_pool_id"], desired["chat_room_arn"]
            )
            wanted = desired_function(name, spec, memory, roles[name]["role_arn"], variables)
            wanted["FunctionArn"] = function_arn(desired["region"], desired["account_id"], name)
            after[name] = ensure_function(
                self.changes,
                self.clients.awslambda,
                wanted,
                plan["package"],
                self.tags,
                plan["functions"][name],
                desired["purge_tags"],
            )
        return after

    def ensure_api(self, current, functions, access_log_arn):
        """The HTTP API with one integration per routed function; returns ensure_http_api's answer."""
        desired = self.desired
        routed = {
            spec["name"]: {"function_arn": functions[name]["FunctionArn"], "routes": spec["routes"]}
            for name, spec in self.function_names().items()
            if spec["routes"]
        }
        wanted = desired_http_api(
            desired["creator"],
            desired["domain"],
            desired["region"],
            desired["account_id"],
            desired["user_pool_id"],
            desired["client_id"],
            desired["tier"],
            routed,
            access_log_arn,
            desired["tags"],
        )
        return ensure_http_api(self.changes, self.clients, dict(wanted, purge_tags=desired["purge_tags"]), current)

    def apply(self, plan):
        """Converge every resource in dependency order; returns the state after (predicted in check mode)."""
        desired = self.desired
        current = plan["current"]
        names = plan["names"]
        log_groups = self.ensure_log_groups(current["log_groups"], names)
        roles = {
            name: ensure_function_role(
                self.changes, self.clients, role, current["roles"][name], purge_tags=self.desired["purge_tags"]
            )
            for name, role in plan["roles"].items()
        }
        functions = self.ensure_functions(plan, roles)
        http_api = self.ensure_api(
            current["http_api"], functions, log_groups[access_log_group(desired["creator"])]["arn"]
        )
        permissions = {
            name: ensure_permissions(
                self.changes,
                self.clients.awslambda,
                desired_permissions(
                    name,
                    spec,
                    http_api["execution_arn"],
                    {"user_pool_arn": self.pool_arn, "room_arn": desired["chat_room_arn"]},
                    desired["account_id"],
                ),
                current["permissions"][name],
            )
            for name, spec in names.items()
        }
        self.result = {
            "api_id": http_api["api_id"],
            "api_endpoint": http_api["api_endpoint"],
            "authorizer_id": http_api["authorizer_id"],
            "stage": http_api["stage"],
            "functions": {
                spec["name"]: {
                    "function_name": name,
                    "function_arn": functions[name]["FunctionArn"],
                    "role_arn": roles[name]["role_arn"],
                    "code_sha256": functions[name]["CodeSha256"],
                    "log_group": function_log_group(name),
                }
                for name, spec in names.items()
            },
        }
        return {
            "functions": functions,
            "log_groups": log_groups,
            "roles": roles,
            "permissions": permissions,
            "api": http_api,
        }
