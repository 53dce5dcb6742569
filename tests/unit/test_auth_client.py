# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planning of the website's app client, groups and admins: what they want and how they compare."""

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import Changes
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import ConvergeError
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth import admins
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.admins import ensure_admins
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import DEFAULT_LIFETIMES
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import client_differences
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import desired_client_settings
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import ensure_client
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import site_urls
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.client import token_lifetimes_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import desired_groups
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.auth.groups import ensure_groups

NAME = "creatorcloud-creator1-website"


def settings(**lifetimes):
    return desired_client_settings(NAME, "creator1.example", {**DEFAULT_LIFETIMES, **lifetimes})


def test_redirects_stay_on_the_creators_domain_and_www():
    assert site_urls("creator1.example", ("/", "/account.html")) == [
        "https://creator1.example/",
        "https://creator1.example/account.html",
        "https://www.creator1.example/",
        "https://www.creator1.example/account.html",
    ]
    wanted = settings()
    assert all(
        url.startswith(("https://creator1.example/", "https://www.creator1.example/"))
        for url in wanted["CallbackURLs"] + wanted["LogoutURLs"]
    )


def test_the_client_signs_in_with_srp_and_refreshes_in_the_units_it_names():
    wanted = settings(access_minutes=15)

    assert wanted["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert (wanted["AccessTokenValidity"], wanted["IdTokenValidity"], wanted["RefreshTokenValidity"]) == (15, 60, 30)
    assert wanted["TokenValidityUnits"] == {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"}
    assert wanted["PreventUserExistenceErrors"] == "ENABLED"


@pytest.mark.parametrize(
    ("lifetimes", "expected"),
    [
        ({"access_minutes": 4}, ["lifetimes.access_minutes 4 is out of range: AWS allows 5 to 1440"]),
        ({"id_minutes": 1441}, ["lifetimes.id_minutes 1441 is out of range: AWS allows 5 to 1440"]),
        ({"refresh_days": 0}, ["lifetimes.refresh_days 0 is out of range: AWS allows 1 to 3650"]),
        ({"access_minutes": 5, "id_minutes": 1440, "refresh_days": 3650}, []),
    ],
)
def test_lifetimes_outside_aws_ranges_are_named(lifetimes, expected):
    assert token_lifetimes_errors("lifetimes", {**DEFAULT_LIFETIMES, **lifetimes}) == expected


def test_the_client_as_aws_describes_it_has_no_difference():
    wanted = settings()
    current = dict(wanted, ClientId="abc", UserPoolId="pool", CallbackURLs=list(reversed(wanted["CallbackURLs"])))

    assert client_differences(current, wanted) == []
    assert client_differences(dict(current, AccessTokenValidity=15), wanted) == ["AccessTokenValidity"]


def test_a_client_with_a_secret_is_refused():
    with pytest.raises(ConvergeError, match="has a secret"):
        ensure_client(
            None, Changes(check_mode=True), dict(settings(), ClientId="abc", ClientSecret="s"), "p", settings()
        )


def test_check_mode_plans_the_groups_that_are_missing_or_different():
    changes = Changes(check_mode=True)
    current = {"admin": dict(desired_groups()["admin"]), "member": dict(desired_groups()["member"], Precedence=5)}

    assert ensure_groups(None, changes, current, "pool") == ["admin", "door", "member", "moderator", "premium"]
    assert changes.made == [
        "create group moderator",
        "create group door",
        "create group premium",
        "update group member",
    ]


def test_an_admin_who_is_a_user_already_is_only_added_to_the_group(monkeypatch):
    users = {"old@agency.example": {"Username": "1b2c"}}
    monkeypatch.setattr(admins.cognito, "find_user_by_email", lambda client, pool, email: users.get(email))
    changes = Changes(check_mode=True)

    invited = ensure_admins(
        None, changes, ["in@agency.example"], "pool", ["In@agency.example", "old@agency.example", "new@agency.example"]
    )

    assert invited == ["new@agency.example"]
    assert changes.made == [
        "add old@agency.example to group admin",
        "invite admin new@agency.example",
        "add new@agency.example to group admin",
    ]


def test_an_admin_listed_twice_is_invited_once(monkeypatch):
    monkeypatch.setattr(admins.cognito, "find_user_by_email", lambda client, pool, email: None)
    changes = Changes(check_mode=True)

    assert ensure_admins(None, changes, [], "pool", ["A@agency.example", "b@agency.example", "a@agency.example"]) == [
        "A@agency.example",
        "b@agency.example",
    ]
