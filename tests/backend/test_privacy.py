# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GET /api/me/export has everything of the fan; DELETE /api/me leaves nothing in any table or the pool."""

import json

import pytest
from creatorcloud_backend import privacy


def items_mentioning(backend_aws, user_id):
    """Every item of every table with an attribute value that is the user's id."""
    found = []
    for table in backend_aws.dynamodb.list_tables()["TableNames"]:
        for item in backend_aws.dynamodb.scan(TableName=table)["Items"]:
            if user_id in json.dumps(item):
                found.append(item)
    return found


@pytest.fixture
def ada_and_bob(sign_up, call_api):
    """Two fans with usernames; Ada is premium."""
    ada, bob = sign_up("ada@example.com", ("member", "premium")), sign_up("bob@example.com", ("member",))
    call_api("PUT", "/api/me", ada, body={"display_name": "Ada", "username": "ada"})
    call_api("PUT", "/api/me", bob, body={"display_name": "Bob", "username": "bob"})
    return ada, bob


def test_export_contains_everything_held_about_the_fan(ada_and_bob, call_api, backend_aws):
    # GIVEN a fan with a profile, a username and groups
    ada, bob = ada_and_bob
    # WHEN the fan exports their data
    response = call_api("GET", "/api/me/export", ada)
    # THEN every table item that mentions the fan is in it, with the pool's record and groups, and nothing of Bob
    assert response.status == 200
    exported = json.dumps(response.body)
    for item in items_mentioning(backend_aws, ada.user_id):
        for value in item.values():
            assert json.dumps(value["S"]) in exported
    assert response.body["profile"]["row"]["username"] == "ada"
    assert response.body["profile"]["username_claim"]["ownerId"] == ada.user_id
    assert response.body["account"]["attributes"]["email"] == "ada@example.com"
    assert response.body["account"]["groups"] == ["member", "premium"]
    assert bob.user_id not in exported and "bob" not in exported


def test_erasure_leaves_nothing_of_the_fan(ada_and_bob, call_api, backend_aws):
    # GIVEN two fans
    ada, bob = ada_and_bob
    # WHEN Ada erases her data
    response = call_api("DELETE", "/api/me", ada)
    # THEN no table item and no pool user is left of her, her username is free again, and Bob is untouched
    assert (response.status, response.body) == (200, {"erased": ["profile", "chat", "account"]})
    assert items_mentioning(backend_aws, ada.user_id) == []
    pool_users = backend_aws.cognito.list_users(UserPoolId=backend_aws.user_pool_id)["Users"]
    assert [user["Username"] for user in pool_users] == [bob.user_id]
    assert call_api("PUT", "/api/me", bob, body={"display_name": "Bob", "username": "ada"}).status == 200


def test_erasure_finishes_a_half_done_erasure(ada_and_bob, call_api, backend_aws, monkeypatch):
    # GIVEN an erasure that failed after the profile step (the pool user is still there)
    ada, unused_bob = ada_and_bob
    monkeypatch.setattr(privacy.identity, "delete_identity", lambda user_id: 1 / 0)
    assert call_api("DELETE", "/api/me", ada).status == 500
    monkeypatch.undo()
    monkeypatch.setenv("USER_POOL_ID", backend_aws.user_pool_id)
    # WHEN the fan (still able to sign in) erases again
    response = call_api("DELETE", "/api/me", ada)
    # THEN it completes and nothing is left
    assert response.status == 200
    assert items_mentioning(backend_aws, ada.user_id) == []
    assert (
        backend_aws.cognito.list_users(UserPoolId=backend_aws.user_pool_id, Filter=f'sub = "{ada.user_id}"')["Users"]
        == []
    )


def test_a_registered_feature_is_exported_and_erased(ada_and_bob, call_api):
    # GIVEN a later feature that registered its steps
    ada, unused_bob = ada_and_bob
    held = {ada.user_id: {"orders": ["o-1"]}}
    privacy.register("shop", lambda user_id: held.get(user_id, {}), lambda user_id: held.pop(user_id, None))
    try:
        # WHEN the fan exports, then erases
        exported = call_api("GET", "/api/me/export", ada).body
        erased = call_api("DELETE", "/api/me", ada).body
    finally:
        privacy.unregister("shop")
    # THEN the feature's data is in the export and gone after the erasure
    assert exported["shop"] == {"orders": ["o-1"]}
    assert erased == {"erased": ["profile", "chat", "shop", "account"]}
    assert held == {}
