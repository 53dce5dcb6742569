#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: api
short_description: Ensure a creator's API (Lambda functions, their roles and logs, an HTTP API with a JWT authorizer)
version_added: 0.1.0
description:
  - Converges the API of a creator's site inside the creator's own AWS account, by assuming the creator role there.
  - Builds O(backend_dir) and its pinned dependencies (wheels for Python 3.12 on arm64, cached in
    O(package_cache_dir)) into one deterministic zip. The same source gives the same bytes and so the same
    C(CodeSha256), so an unchanged backend is never uploaded again.
  - One Lambda function C(creatorcloud-<creator>-<name>) per entry of O(functions) (python3.12, arm64, 10 seconds,
    the memory of O(tier), the handler of the entry, an environment with C(<TABLE>_TABLE) per table it uses,
    C(USER_POOL_ID) and C(POWERTOOLS_SERVICE_NAME)). Code is uploaded only when its C(CodeSha256) differs;
    configuration is updated only when a setting differs.
  - A log group C(/aws/lambda/<function name>) per function and C(/aws/apigateway/creatorcloud-<creator>-api) for
    the API's access logs, each kept O(log_retention_days) days.
  - An execution role per function, C(/creatorcloud/creatorcloud-<creator>-<name>), trusted by Lambda in this
    account only, whose one inline policy allows only the actions of the entry on only its own tables (and listed
    indexes), its user pool and its own log group.
  - The HTTP API C(creatorcloud-<creator>-api) with CORS for C(https://<domain>) and C(https://www.<domain>) only,
    a Cognito JWT authorizer (issuer of O(user_pool_id), audience O(client_id)), one Lambda proxy integration per
    function with routes, the routes of each entry, and the C($default) stage with the throttling of O(tier) and
    JSON access logs.
  - The permission of the API to invoke each function with routes, of Cognito to invoke the post-confirmation
    trigger, and of IVS Chat to invoke the message review trigger for the room O(chat_room_arn) of the creator's
    account only.
  - Each resource is compared with what AWS returns and written only when it differs; a second run makes no write
    call. Nothing is ever deleted.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names every resource of the API.
    type: str
    required: true
  functions:
    description:
      - The functions of the creator's enabled features.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The function's short name, like C(profile); the function is C(creatorcloud-<creator>-<name>).
          - Lower-case letters, digits and hyphens, starting with a letter, at most 30 characters.
        type: str
        required: true
      feature:
        description:
          - The feature the function belongs to (the api role deploys the functions of enabled features only).
        type: str
      handler:
        description:
          - The handler, like C(creatorcloud_backend.handlers.profile.handler).
        type: str
        required: true
      routes:
        description:
          - The HTTP API routes the function serves.
        type: list
        elements: dict
        default: []
        suboptions:
          route_key:
            description:
              - A method and a path under C(/api), like C(GET /api/me) or C(PUT /api/admin/users/{userId}/groups).
            type: str
            required: true
          authorization:
            description:
              - C(jwt) needs a valid token of the creator's user pool; C(none) is public.
            type: str
            choices: [jwt, none]
            default: jwt
      tables:
        description:
          - The tables the function uses, by logical name (a key of O(tables)), and what it may do on them.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: The table's logical name, like C(Users).
            type: str
            required: true
          actions:
            description: The DynamoDB actions the function may call on the table, like C(dynamodb:GetItem).
            type: list
            elements: str
            required: true
          indexes:
            description: The table's indexes the actions also apply to.
            type: list
            elements: str
            default: []
      user_pool_actions:
        description:
          - The Cognito actions the function may call on the creator's user pool, like C(cognito-idp:ListUsers).
        type: list
        elements: str
        default: []
      room_actions:
        description:
          - The IVS Chat actions the function may call on the chat room O(chat_room_arn) only, like
            C(ivschat:CreateChatToken). The function's environment gets C(CHAT_ROOM_ARN). Needs O(chat_room_arn).
        type: list
        elements: str
        default: []
      secrets:
        description:
          - Secrets Manager secrets the function reads (C(secretsmanager:GetSecretValue) on each ARN only, and
            C(kms:Decrypt) on its KMS key only through Secrets Manager); the function's environment gets each ARN.
        type: list
        elements: dict
        default: []
        suboptions:
          arn:
            description: The secret's full ARN, like the shop module's C(secret_arn).
            type: str
            required: true
          kms_key_arn:
            description: The ARN of the KMS key that encrypts the secret.
            type: str
            required: true
          environment:
            description: The environment variable that holds the secret's ARN, like C(STRIPE_SECRET_ARN).
            type: str
            required: true
      environment:
        description:
          - Extra environment variables of the function (string values), besides the ones the module sets.
        type: dict
        default: {}
      trigger:
        description:
          - C(cognito_post_confirmation) lets the user pool invoke the function after a sign-up is confirmed.
          - C(ivschat_message_review) lets IVS Chat invoke the function as the message review handler of the room
            O(chat_room_arn), for the creator's account only. Needs O(chat_room_arn).
        type: str
        choices: [cognito_post_confirmation, ivschat_message_review]
  tables:
    description:
      - The physical name of each table, by logical name (the tables role's C(tables_names)).
    type: dict
    required: true
  user_pool_id:
    description:
      - The creator's Cognito user pool (the auth module's C(user_pool_id)).
    type: str
    required: true
  client_id:
    description:
      - The website's app client, the audience of the JWT authorizer.
    type: str
    required: true
  chat_room_arn:
    description:
      - The creator's IVS Chat room (the chat module's C(room_arn)); empty when the creator has no chat.
    type: str
    default: ""
  domain:
    description:
      - The creator's apex domain, like C(creator1.example); CORS allows it and its C(www) only.
    type: str
    required: true
  tier:
    description:
      - Size of the creator's platform; it sets the functions' memory and the API's throttling.
    type: str
    choices: [small, medium, large]
    default: small
  log_retention_days:
    description:
      - How many days the functions' logs and the API's access logs are kept.
    type: int
    default: 30
  backend_dir:
    description:
      - The backend on the controller (the collection's C(files/backend)), with the package
        C(creatorcloud_backend) and C(requirements.txt).
    type: path
    required: true
  package_cache_dir:
    description:
      - Where the dependencies' wheels are cached on the controller, keyed by the requirements.
    type: path
    default: ~/.cache/creatorcloud/lambda-wheels
extends_documentation_fragment:
  - creatorcloud.platform.tags
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - The package is built on the controller, also in check mode, so a changed backend shows up as a planned code
    update. It needs C(pip) and, the first time for a set of requirements, access to the package index.
  - A function's ARN is known before it exists; the auth module takes the trigger's.
  - In check mode the ids that AWS assigns on creation (API, authorizer) are returned as C((known after creation)).
"""

EXAMPLES = r"""
- name: Ensure creator1's API
  creatorcloud.platform.api:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    domain: creator1.example
    tier: small
    user_pool_id: "{{ auth_user_pool_id }}"
    client_id: "{{ auth_client_id }}"
    tables: "{{ tables_names }}"
    backend_dir: "{{ playbook_dir }}/../files/backend"
    functions:
      - name: profile
        feature: auth
        handler: creatorcloud_backend.handlers.profile.handler
        routes:
          - {route_key: "GET /api/health", authorization: none}
          - {route_key: "GET /api/me"}
        tables:
          - {name: Users, actions: [dynamodb:GetItem, dynamodb:PutItem]}
        user_pool_actions: [cognito-idp:ListUsers]
      - name: post-confirmation
        feature: auth
        handler: creatorcloud_backend.handlers.post_confirmation.handler
        trigger: cognito_post_confirmation
        tables:
          - {name: Users, actions: [dynamodb:PutItem]}
  register: api_result

- name: Plan a larger tier
  creatorcloud.platform.api:
    account_id: "123456789012"
    creator: creator1
    domain: creator1.example
    tier: medium
    user_pool_id: "{{ auth_user_pool_id }}"
    client_id: "{{ auth_client_id }}"
    tables: "{{ tables_names }}"
    backend_dir: /opt/creatorcloud/files/backend
    functions: "{{ api_functions }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
api:
  description: The API after the run (predicted in check mode).
  returned: always
  type: dict
  contains:
    api_id:
      description: The HTTP API's id; C((known after creation)) when check mode would create it.
      type: str
      sample: a1b2c3d4e5
    api_endpoint:
      description: The API's URL.
      type: str
      sample: https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com
    authorizer_id:
      description: The JWT authorizer's id.
      type: str
    stage:
      description: The stage's name.
      type: str
      sample: $default
    functions:
      description: Each function by its short name.
      type: dict
      sample:
        profile:
          function_name: creatorcloud-creator1-profile
          function_arn: arn:aws:lambda:eu-central-1:123456789012:function:creatorcloud-creator1-profile
          role_arn: arn:aws:iam::123456789012:role/creatorcloud/creatorcloud-creator1-profile
          code_sha256: 3q2+7w...=
          log_group: /aws/lambda/creatorcloud-creator1-profile
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create log group /aws/lambda/creatorcloud-creator1-profile
    - create function creatorcloud-creator1-profile
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import domain_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import functions_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.functions import retention_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.converge import Api
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.converge import ApiClients
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.converge import describe

ROUTE_OPTIONS = dict(
    route_key=dict(type="str", required=True, no_log=False),  # an HTTP route, not a secret
    authorization=dict(type="str", choices=["jwt", "none"], default="jwt"),
)
TABLE_OPTIONS = dict(
    name=dict(type="str", required=True),
    actions=dict(type="list", elements="str", required=True),
    indexes=dict(type="list", elements="str", default=[]),
)
SECRET_OPTIONS = dict(
    arn=dict(type="str", required=True),
    kms_key_arn=dict(type="str", required=True, no_log=False),  # an ARN, not key material
    environment=dict(type="str", required=True),
)
FUNCTION_OPTIONS = dict(
    name=dict(type="str", required=True),
    feature=dict(type="str"),
    handler=dict(type="str", required=True),
    routes=dict(type="list", elements="dict", default=[], options=ROUTE_OPTIONS),
    tables=dict(type="list", elements="dict", default=[], options=TABLE_OPTIONS),
    user_pool_actions=dict(type="list", elements="str", default=[]),
    room_actions=dict(type="list", elements="str", default=[]),
    secrets=dict(type="list", elements="dict", default=[], options=SECRET_OPTIONS, no_log=False),  # ARNs only
    environment=dict(type="dict", default={}),
    trigger=dict(type="str", choices=["cognito_post_confirmation", "ivschat_message_review"]),
)


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        domain_error("domain", params["domain"]),
        tags_error("tags", params["tags"]),
        retention_error("log_retention_days", params["log_retention_days"]),
        None if params["user_pool_id"] else "user_pool_id is empty: run the auth role first",
        None if params["client_id"] else "client_id is empty: run the auth role first",
        None if params["region"] else "region is missing: set the region of the API",
    ]
    return [error for error in checks if error] + functions_errors(
        params["functions"], params["tables"], params["chat_room_arn"]
    )


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        functions=dict(type="list", elements="dict", required=True, options=FUNCTION_OPTIONS),
        tables=dict(type="dict", required=True),
        user_pool_id=dict(type="str", required=True),
        client_id=dict(type="str", required=True),
        chat_room_arn=dict(type="str", default=""),
        domain=dict(type="str", required=True),
        tier=dict(type="str", choices=["small", "medium", "large"], default="small"),
        log_retention_days=dict(type="int", default=30),
        backend_dir=dict(type="path", required=True),
        package_cache_dir=dict(type="path", default="~/.cache/creatorcloud/lambda-wheels"),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    api = Api(ApiClients(CreatorSession.from_params(module)), params, module.check_mode)
    changed, before, after = module.run_converge(f"creator {params['creator']}", api.converge)
    module.exit_converged(api.changes, changed, describe(before), describe(after), api=api.result)


if __name__ == "__main__":
    main()
