# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The username update transaction: the conditions that make a concurrent claim lose, whatever the order."""

from creatorcloud_backend.domain import profile


def conditions(items):
    """{operation: its ConditionExpression} of TransactItems."""
    return {operation: body["ConditionExpression"] for item in items for operation, body in item.items()}


def test_a_new_claim_is_put_only_if_nobody_holds_the_name(backend_aws):
    # GIVEN a fan without a username WHEN they take one
    items = profile.profile_update_transaction("fan-1", None, "Ada", "ada")
    # THEN the row is guarded against a concurrent change, and the claim is put only where none exists
    assert conditions(items) == {
        "Update": "attribute_exists(userId) AND attribute_not_exists(username)",
        "Put": "attribute_not_exists(userId)",
    }
    assert items[1]["Put"]["Item"]["userId"] == {"S": "username#ada"}


def test_a_changed_name_releases_only_the_fans_own_claim(backend_aws):
    # GIVEN a fan holding "old" WHEN they change to "new"
    items = profile.profile_update_transaction("fan-1", "old", "Ada", "new")
    # THEN the old claim is deleted only if the fan owns it
    assert conditions(items)["Delete"] == "ownerId = :me"
    assert items[2]["Delete"]["Key"] == {"userId": {"S": "username#old"}}
    assert items[2]["Delete"]["ExpressionAttributeValues"] == {":me": {"S": "fan-1"}}


def test_an_unchanged_name_touches_no_claim(backend_aws):
    # GIVEN a fan holding "ada" WHEN only the display name changes THEN the transaction is the row alone
    items = profile.profile_update_transaction("fan-1", "ada", "Ada L.", "ada")
    assert [list(item) for item in items] == [["Update"]]


def test_a_concurrent_change_of_the_fans_own_row_is_409_profile_changed(sign_up, call_api, monkeypatch):
    # GIVEN a fan whose row changes between the read and the transaction (a second tab saved first)
    fan = sign_up("ada@example.com")
    read_row = profile.read_row
    monkeypatch.setattr(profile, "read_row", lambda user_id: {**read_row(user_id), "username": "stale"})
    # WHEN the update runs
    response = call_api("PUT", "/api/me", fan, body={"display_name": "Ada", "username": "ada"})
    # THEN it is refused, not merged
    assert (response.status, response.body["code"]) == (409, "profile_changed")
