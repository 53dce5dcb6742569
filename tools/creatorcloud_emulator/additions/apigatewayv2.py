# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API Gateway v2: GetAuthorizers and UpdateStage, and paged GetApis, GetIntegrations, GetRoutes and GetStages,
on top of moto's APIs, authorizers and stages (moto answers every item on one page and ignores MaxResults);
UpdateRoute to AuthorizationType NONE detaches the route's authorizer (moto keeps it).
"""

import json
from datetime import datetime

from moto.apigateway import urls as apigateway_urls
from moto.apigatewayv2 import models
from moto.apigatewayv2 import responses
from moto.apigatewayv2 import urls
from moto.apigatewayv2.exceptions import BadRequestException

from .common import MotoUrls
from .common import paginate
from .common import route
from .common import use_backend

# What a Get...s call answers per page when MaxResults is not given.
DEFAULT_MAX_RESULTS = 100

# UpdateStage members that replace the stage's value, by the Stage attribute that holds it.
REPLACED = {
    "access_log_settings": "accessLogSettings",
    "auto_deploy": "autoDeploy",
    "client_certificate_id": "clientCertificateId",
    "deployment_id": "deploymentId",
    "description": "description",
}


class Stage(models.Stage):
    """moto's stage, plus deploymentId and in-place updates."""

    def __init__(self, api, config):
        super().__init__(api, config)
        self.deployment_id = config.get("deploymentId")

    def update(self, changes):
        """Apply an UpdateStage request: members it leaves out keep their values.

        defaultRouteSettings and each route's settings are merged field by field, stageVariables key by key.
        """
        self.default_route_settings = {**self.default_route_settings, **changes.get("defaultRouteSettings", {})}
        for route_key, settings in changes.get("routeSettings", {}).items():
            self.route_settings[route_key] = {**self.route_settings.get(route_key, {}), **settings}
        self.stage_variables.update(changes.get("stageVariables", {}))
        for attribute, member in REPLACED.items():
            if member in changes:
                setattr(self, attribute, changes[member])
        self.updated = datetime.now()

    def to_json(self):
        stage = super().to_json()
        if self.deployment_id:
            stage["deploymentId"] = self.deployment_id
        return stage


class ApiGatewayV2Backend(MotoUrls, models.ApiGatewayV2Backend):
    """moto's API Gateway v2 backend with GetAuthorizers, UpdateStage, and UpdateRoute that detaches authorizers."""

    urls_module = urls.__name__

    def get_authorizers(self, api_id):
        return list(self.get_api(api_id).authorizers.values())

    def update_route(self, api_id, **changes):
        """moto's UpdateRoute; AuthorizationType NONE detaches the authorizer, as API Gateway does."""
        route = super().update_route(api_id, **changes)
        if changes.get("authorization_type") == "NONE":
            route.authorizer_id = None
        return route

    def update_stage(self, api_id, stage_name, changes):
        stage = self.get_stage(api_id, stage_name)
        stage.update(changes)
        return stage


class ApiGatewayV2Response(responses.ApiGatewayV2Response):
    """moto's API Gateway v2 responses plus GetAuthorizers, UpdateStage and paged lists."""

    def _page(self, items, unique_attribute, **filters):
        """One page of `items` as API Gateway answers a Get...s call: items, and nextToken while more follow."""
        max_results = self._get_param("maxResults")
        page, next_token = paginate(
            items,
            int(max_results) if max_results else None,
            self._get_param("nextToken"),
            DEFAULT_MAX_RESULTS,
            unique_attribute,
            BadRequestException,
            **filters,
        )
        answer = {"items": [item.to_json() for item in page]}
        if next_token:
            answer["nextToken"] = next_token
        return 200, {}, json.dumps(answer)

    def get_apis(self):
        return self._page(self.apigatewayv2_backend.get_apis(), "api_id")

    def get_authorizers(self):
        api_id = self.uri_match["apiId"]
        return self._page(self.apigatewayv2_backend.get_authorizers(api_id), "id", api=api_id)

    def get_integrations(self):
        api_id = self.uri_match["apiId"]
        return self._page(self.apigatewayv2_backend.get_integrations(api_id), "id", api=api_id)

    def get_routes(self):
        api_id = self.uri_match["apiId"]
        return self._page(self.apigatewayv2_backend.get_routes(api_id), "route_id", api=api_id)

    def get_stages(self):
        api_id = self.uri_match["apiId"]
        return self._page(self.apigatewayv2_backend.get_stages(api_id), "name", api=api_id)

    def update_stage(self):
        stage = self.apigatewayv2_backend.update_stage(
            self.uri_match["apiId"], self.uri_match["stageName"], json.loads(self.body or "{}")
        )
        return 200, {}, json.dumps(stage.to_json())


def register():
    """Build Stage and ApiGatewayV2Backend for API Gateway v2; answer its requests with ApiGatewayV2Response.

    API Gateway (v1) serves the v2 paths too, from its own copy of them.
    """
    models.Stage = Stage
    use_backend(models.apigatewayv2_backends, ApiGatewayV2Backend)
    route([urls.url_paths, apigateway_urls.url_paths], responses.ApiGatewayV2Response, ApiGatewayV2Response)
