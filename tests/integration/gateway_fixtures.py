# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the gateway tests share: a creator's account in an emulated organization, and the gateway's test client.

`CreatorApiResources` makes, with boto3 inside a creator account, the auth and api slices'
resources exactly as the API contract names them (/tmp contract of the API slice, mirrored in
files/backend/README.md): the user pool with its website client and groups, the Users table,
the functions `profile` and `post-confirmation` with their execution roles, and the HTTP API
with its JWT authorizer, integrations, routes, `$default` stage and CORS. The functions' code is
any zip: the gateway runs the repository's files/backend.

A test module gets the `organization` fixture by importing `organization_fixture` (its
function name, so that the import does not shadow the argument's name).
"""

import io
import json
import zipfile

import boto3
import pytest
from creatorcloud_gateway.app import build_app
from creatorcloud_gateway.collection import naming
from e2e.site_resources import REGION
from e2e.site_resources import CreatorWebsite
from e2e.site_resources import creator_credentials
from werkzeug.test import Client

MANAGEMENT_ACCOUNT = "123456789012"
FAN_PASSWORD = "Fan-passw0rd!"
GROUPS = ("admin", "door", "member", "moderator", "premium")
PUBLIC_ROUTES = ("GET /api/health",)
PROFILE_ROUTES = (
    "GET /api/health",
    "GET /api/me",
    "PUT /api/me",
    "GET /api/me/export",
    "DELETE /api/me",
    "GET /api/admin/users",
    "PUT /api/admin/users/{userId}/groups",
)
FUNCTION_HANDLERS = {
    "profile": "creatorcloud_backend.handlers.profile.handler",
    "post-confirmation": "creatorcloud_backend.handlers.post_confirmation.handler",
}
LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


@pytest.fixture(name="organization")
def organization_fixture(aws, aws_client):
    """`organization(creator)`: a member account tagged as the creator's, in an emulated organization."""
    aws_client("organizations", "us-east-1").create_organization(FeatureSet="ALL")
    return lambda creator: organization_account(aws, aws_client, creator)


def organization_account(aws, aws_client, creator):
    """A new member account tagged as the creator's, with its website resources (none yet)."""
    status = aws_client("organizations", "us-east-1").create_account(
        Email=f"aws+{creator}@agency.example",
        AccountName=creator,
        Tags=[{"Key": naming.CREATOR_TAG, "Value": creator}],
    )["CreateAccountStatus"]
    return CreatorWebsite(aws.endpoint_url, creator, status["AccountId"])


def gateway_for(aws, creator, **options):
    """A test client of the creator's gateway that reads the distribution (and the API) on every request."""
    return Client(build_app(creator, aws.endpoint_url, **{"config_ttl": 0, **options}))


def function_zip():
    """A deployment package for the emulated functions; never run: the gateway imports files/backend."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("creatorcloud_backend/__init__.py", "")
    return buffer.getvalue()


class CreatorApiResources:
    """The auth and api slices of one creator's account, made with the creator role."""

    def __init__(self, endpoint_url, creator, account_id, domain):
        self.creator = creator
        self.account_id = account_id
        self.domain = domain
        credentials = creator_credentials(endpoint_url, account_id)

        def client(service, region=REGION):
            return boto3.client(service, region_name=region, endpoint_url=endpoint_url, **credentials)

        self.cognito = client("cognito-idp")
        self.dynamodb = client("dynamodb")
        self.lambda_ = client("lambda")
        self.iam = client("iam", "us-east-1")
        self.apigateway = client("apigatewayv2")
        self.users_table = naming.resource_name(creator, "users")

    def function_name(self, function):
        """creatorcloud-<slug>-<function>."""
        return naming.resource_name(self.creator, function)

    def function_arn(self, function):
        """The function's ARN, deterministic as the contract says."""
        return f"arn:aws:lambda:{REGION}:{self.account_id}:function:{self.function_name(function)}"

    @property
    def issuer(self):
        """The JWT issuer of the creator's pool."""
        return f"https://cognito-idp.{REGION}.amazonaws.com/{self.pool_id}"

    def create(self):
        """Every resource of the auth and api slices; returns self."""
        self.create_pool()
        self.create_users_table()
        for function in FUNCTION_HANDLERS:
            self.create_function(function)
        self.create_api()
        return self

    def create_pool(self):
        """The pool (e-mail as username, PostConfirmation → the function's ARN), website client and groups."""
        pool = self.cognito.create_user_pool(
            PoolName=naming.resource_name(self.creator, "fans"),
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            LambdaConfig={"PostConfirmation": self.function_arn("post-confirmation")},
        )["UserPool"]
        self.pool_id = pool["Id"]
        self.client_id = self.cognito.create_user_pool_client(
            UserPoolId=self.pool_id,
            ClientName="website",
            ExplicitAuthFlows=[
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            ],
        )["UserPoolClient"]["ClientId"]
        for group in GROUPS:
            self.cognito.create_group(UserPoolId=self.pool_id, GroupName=group)

    def create_users_table(self, name=None):
        """The Users table as the tables role makes it: userId, GSIs email-index and username-index."""
        self.dynamodb.create_table(
            TableName=name or self.users_table,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": key, "AttributeType": "S"} for key in ("userId", "email", "username")
            ],
            KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": f"{key}-index",
                    "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                }
                for key in ("email", "username")
            ],
        )

    def environment(self, function, users_table=None):
        """The function's environment per the contract."""
        return {
            "Variables": {
                "USERS_TABLE": users_table or self.users_table,
                "USER_POOL_ID": self.pool_id,
                "POWERTOOLS_SERVICE_NAME": function,
            }
        }

    def create_function(self, function):
        """The function and its execution role (the role's policy is the api slice's test, not this one's)."""
        name = self.function_name(function)
        role = self.iam.create_role(
            RoleName=name, Path="/creatorcloud/", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST)
        )["Role"]
        self.lambda_.create_function(
            FunctionName=name,
            Runtime="python3.12",
            Architectures=["arm64"],
            Role=role["Arn"],
            Handler=FUNCTION_HANDLERS[function],
            Code={"ZipFile": function_zip()},
            MemorySize=256,
            Timeout=10,
            Environment=self.environment(function),
            Tags=naming.resource_tags(self.creator, "api"),
        )

    def create_api(self):
        """The HTTP API: CORS for the creator's domains, the cognito JWT authorizer, routes of the profile function."""
        api = self.apigateway.create_api(
            Name=naming.resource_name(self.creator, "api"),
            ProtocolType="HTTP",
            CorsConfiguration={
                "AllowOrigins": [f"https://{self.domain}", f"https://www.{self.domain}"],
                "AllowMethods": ["GET", "PUT", "POST", "DELETE"],
                "AllowHeaders": ["authorization", "content-type"],
                "MaxAge": 600,
                "AllowCredentials": False,
            },
            Tags=naming.resource_tags(self.creator, "api"),
        )
        self.api_id = api["ApiId"]
        self.authorizer_id = self.apigateway.create_authorizer(
            ApiId=self.api_id,
            Name="cognito",
            AuthorizerType="JWT",
            IdentitySource=["$request.header.Authorization"],
            JwtConfiguration={"Issuer": self.issuer, "Audience": [self.client_id]},
        )["AuthorizerId"]
        integration_id = self.apigateway.create_integration(
            ApiId=self.api_id,
            IntegrationType="AWS_PROXY",
            IntegrationUri=self.function_arn("profile"),
            PayloadFormatVersion="2.0",
            IntegrationMethod="POST",
        )["IntegrationId"]
        for route_key in PROFILE_ROUTES:
            self.add_route(route_key, integration_id, public=route_key in PUBLIC_ROUTES)
        self.apigateway.create_stage(ApiId=self.api_id, StageName="$default", AutoDeploy=True)
        self.profile_integration_id = integration_id

    def add_route(self, route_key, integration_id, public=False):
        """A route to an integration, authorized by the cognito authorizer unless public."""
        authorization = (
            {"AuthorizationType": "NONE"}
            if public
            else {
                "AuthorizationType": "JWT",
                "AuthorizerId": self.authorizer_id,
            }
        )
        self.apigateway.create_route(
            ApiId=self.api_id, RouteKey=route_key, Target=f"integrations/{integration_id}", **authorization
        )

    def fan(self, email, groups=()):
        """A confirmed fan with a password, in `groups`; returns (sub, id token, access token) from the emulator."""
        self.cognito.admin_create_user(
            UserPoolId=self.pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            MessageAction="SUPPRESS",
        )
        self.cognito.admin_set_user_password(
            UserPoolId=self.pool_id, Username=email, Password=FAN_PASSWORD, Permanent=True
        )
        for group in groups:
            self.cognito.admin_add_user_to_group(UserPoolId=self.pool_id, Username=email, GroupName=group)
        return self.tokens(email)

    def tokens(self, email, password=FAN_PASSWORD, client_id=None):
        """(sub, id token, access token) of a fan signed in through `client_id` (the website client)."""
        tokens = self.cognito.admin_initiate_auth(
            UserPoolId=self.pool_id,
            ClientId=client_id or self.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )["AuthenticationResult"]
        user = self.cognito.admin_get_user(UserPoolId=self.pool_id, Username=email)
        sub = next(item["Value"] for item in user["UserAttributes"] if item["Name"] == "sub")
        return sub, tokens["IdToken"], tokens["AccessToken"]

    def user_row(self, user_id, table=None):
        """The fan's item in the Users table (low-level attribute values), or None."""
        return self.dynamodb.get_item(TableName=table or self.users_table, Key={"userId": {"S": user_id}}).get("Item")
