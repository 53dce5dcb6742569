# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retried, error-wrapped API Gateway v2 (HTTP API) calls: one exception type for a module to catch.

Requests are boto3 keyword dicts; answers are boto3's dicts without ResponseMetadata. Reads page
through every item; a write answers what AWS answered.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.retries import ConsistencyRetry

# API Gateway answers ConflictException while an earlier change of the same API is still being applied.
_RETRY = ConsistencyRetry.jittered_backoff(catch_extra_error_codes=["ConflictException"])


class AnsibleApiGatewayV2Error(AnsibleAWSError):
    pass


class ApiGatewayV2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleApiGatewayV2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


def api_arn(region, api_id):
    """The ARN that API Gateway's tag calls take for an HTTP API."""
    return f"arn:aws:apigateway:{region}::/apis/{api_id}"


def _answer(response):
    """A boto3 answer without its ResponseMetadata."""
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


def _paginate(client, operation, **kwargs):
    """Every item of a paginated Get call."""
    return client.get_paginator(operation).paginate(**kwargs).build_full_result().get("Items", [])


@ApiGatewayV2ErrorHandler.common_error_handler("list the HTTP APIs")
@_RETRY
def get_apis(client):
    """Every API of the account and region (with its Tags)."""
    return _paginate(client, "get_apis")


@ApiGatewayV2ErrorHandler.common_error_handler("create the HTTP API")
@_RETRY
def create_api(client, request):
    return _answer(client.create_api(**request))


@ApiGatewayV2ErrorHandler.common_error_handler("update the HTTP API")
@_RETRY
def update_api(client, api_id, request):
    return _answer(client.update_api(ApiId=api_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("list the authorizers of the HTTP API")
@_RETRY
def get_authorizers(client, api_id):
    return _paginate(client, "get_authorizers", ApiId=api_id)


@ApiGatewayV2ErrorHandler.common_error_handler("create the authorizer of the HTTP API")
@_RETRY
def create_authorizer(client, api_id, request):
    return _answer(client.create_authorizer(ApiId=api_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("update the authorizer of the HTTP API")
@_RETRY
def update_authorizer(client, api_id, authorizer_id, request):
    return _answer(client.update_authorizer(ApiId=api_id, AuthorizerId=authorizer_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("list the integrations of the HTTP API")
@_RETRY
def get_integrations(client, api_id):
    return _paginate(client, "get_integrations", ApiId=api_id)


@ApiGatewayV2ErrorHandler.common_error_handler("create an integration of the HTTP API")
@_RETRY
def create_integration(client, api_id, request):
    return _answer(client.create_integration(ApiId=api_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("update an integration of the HTTP API")
@_RETRY
def update_integration(client, api_id, integration_id, request):
    return _answer(client.update_integration(ApiId=api_id, IntegrationId=integration_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("list the routes of the HTTP API")
@_RETRY
def get_routes(client, api_id):
    return _paginate(client, "get_routes", ApiId=api_id)


@ApiGatewayV2ErrorHandler.common_error_handler("create a route of the HTTP API")
@_RETRY
def create_route(client, api_id, request):
    return _answer(client.create_route(ApiId=api_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("update a route of the HTTP API")
@_RETRY
def update_route(client, api_id, route_id, request):
    return _answer(client.update_route(ApiId=api_id, RouteId=route_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("delete a route of the HTTP API")
@_RETRY
def delete_route(client, api_id, route_id):
    client.delete_route(ApiId=api_id, RouteId=route_id)


@ApiGatewayV2ErrorHandler.common_error_handler("list the stages of the HTTP API")
@_RETRY
def get_stages(client, api_id):
    return _paginate(client, "get_stages", ApiId=api_id)


@ApiGatewayV2ErrorHandler.list_error_handler("read a stage of the HTTP API")
@_RETRY
def get_stage(client, api_id, stage_name):
    """The stage, or None when the API has no stage of that name."""
    return _answer(client.get_stage(ApiId=api_id, StageName=stage_name))


@ApiGatewayV2ErrorHandler.common_error_handler("create a stage of the HTTP API")
@_RETRY
def create_stage(client, api_id, request):
    return _answer(client.create_stage(ApiId=api_id, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("update a stage of the HTTP API")
@_RETRY
def update_stage(client, api_id, stage_name, request):
    return _answer(client.update_stage(ApiId=api_id, StageName=stage_name, **request))


@ApiGatewayV2ErrorHandler.common_error_handler("read the tags of the HTTP API")
@_RETRY
def get_tags(client, arn):
    """The tags of a resource, as a dict."""
    return dict(client.get_tags(ResourceArn=arn).get("Tags") or {})


@ApiGatewayV2ErrorHandler.common_error_handler("tag the HTTP API")
@_RETRY
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=dict(tags))


@ApiGatewayV2ErrorHandler.common_error_handler("untag the HTTP API")
@_RETRY
def untag_resource(client, arn, tag_keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(tag_keys))
