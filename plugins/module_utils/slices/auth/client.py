# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The website's app client of the creator's user pool: found by its name, created or updated.

Private to the auth module. The client has no secret (it runs in the fans' browsers), signs in
with SRP and refreshes tokens, and only redirects to pages of the creator's own domains.
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import cognito
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import matches

# The site's account page finishes a sign-in (it receives the authorisation code); a sign-out
# returns to the home page. Both on the apex and on www, the names the site answers on.
CALLBACK_PATHS = ("/", "/account.html")
LOGOUT_PATHS = ("/",)
# AWS's limits: access and ID tokens 5 minutes to 1 day, refresh tokens 1 hour to 10 years.
TOKEN_LIMITS = {"access_minutes": (5, 1440), "id_minutes": (5, 1440), "refresh_days": (1, 3650)}
DEFAULT_LIFETIMES = {"access_minutes": 60, "id_minutes": 60, "refresh_days": 30}


def site_urls(domain, paths):
    """The https URLs of `paths` on the apex and www of `domain`."""
    return [f"https://{host}{path}" for host in (domain, f"www.{domain}") for path in paths]


def token_lifetimes_errors(field, lifetimes):
    """Messages for each token lifetime outside AWS's range."""
    errors = []
    for key, (low, high) in TOKEN_LIMITS.items():
        value = lifetimes[key]
        if not low <= value <= high:
            errors.append(f"{field}.{key} {value!r} is out of range: AWS allows {low} to {high}")
    return errors


def desired_client_settings(name, domain, lifetimes):
    """The app client as UpdateUserPoolClient takes it (which resets what it is not sent: send it all)."""
    return {
        "ClientName": name,
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "AccessTokenValidity": lifetimes["access_minutes"],
        "IdTokenValidity": lifetimes["id_minutes"],
        "RefreshTokenValidity": lifetimes["refresh_days"],
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
        "CallbackURLs": site_urls(domain, CALLBACK_PATHS),
        "LogoutURLs": site_urls(domain, LOGOUT_PATHS),
        "SupportedIdentityProviders": ["COGNITO"],
        "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email", "profile"],
        "AllowedOAuthFlowsUserPoolClient": True,
        "PreventUserExistenceErrors": "ENABLED",
        "EnableTokenRevocation": True,
    }


def client_differences(current, settings):
    """The names of the settings the client does not have as `settings` sets them."""
    return sorted(key for key, value in settings.items() if not matches(current.get(key), value))


def read_client(client, pool_id, name):
    """The app client named `name` of the pool (described), or None; None too when the pool is new."""
    if pool_id is None:
        return None
    found = [item for item in cognito.list_clients(client, pool_id) if item["ClientName"] == name]
    if len(found) > 1:
        ids = ", ".join(item["ClientId"] for item in found)
        raise ConvergeError(
            f"user pool {pool_id} has {len(found)} app clients named {name} ({ids}): delete all but one", []
        )
    return cognito.describe_client(client, pool_id, found[0]["ClientId"]) if found else None


def ensure_client(client, changes, current, pool_id, settings):
    """Create the app client or put its settings right; returns the client after (ClientId None in check mode)."""
    name = settings["ClientName"]
    if current is None:
        created = changes.make(
            f"create app client {name}", cognito.create_client, client, pool_id, dict(settings, GenerateSecret=False)
        )
        return dict(settings, ClientId=created["ClientId"] if created else None)
    if current.get("ClientSecret"):
        changes.fail(
            f"app client {name} ({current['ClientId']}) has a secret, which a website cannot keep: delete the client, "
            "the next run creates one without"
        )
    differences = client_differences(current, settings)
    if differences:
        changes.make(
            f"update app client {name}: {', '.join(differences)}",
            cognito.update_client,
            client,
            pool_id,
            current["ClientId"],
            settings,
        )
    return dict(current, **settings)


def client_view(app_client):
    """An app client as the diff shows it."""
    if app_client is None:
        return None
    return {
        "id": app_client["ClientId"],
        "name": app_client["ClientName"],
        "auth_flows": app_client.get("ExplicitAuthFlows"),
        "access_token_minutes": app_client.get("AccessTokenValidity"),
        "id_token_minutes": app_client.get("IdTokenValidity"),
        "refresh_token_days": app_client.get("RefreshTokenValidity"),
        "callback_urls": app_client.get("CallbackURLs"),
        "logout_urls": app_client.get("LogoutURLs"),
        "prevent_user_existence_errors": app_client.get("PreventUserExistenceErrors"),
    }
