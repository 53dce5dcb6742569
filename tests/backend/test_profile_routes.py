# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GET /api/health, GET and PUT /api/me: answers, validation (422) and the unique username."""

import pytest


def test_health_answers_without_auth(call_api):
    # GIVEN no token WHEN the health route is called
    response = call_api("GET", "/api/health")
    # THEN it answers ok
    assert (response.status, response.body) == (200, {"status": "ok"})


def test_get_me_returns_the_callers_profile(sign_up, call_api):
    # GIVEN a confirmed fan
    fan = sign_up("ada@example.com")
    # WHEN the fan reads their profile
    response = call_api("GET", "/api/me", fan)
    # THEN it is the row the post-confirmation trigger made
    assert response.status == 200
    assert response.body["user_id"] == fan.user_id
    assert response.body["email"] == "ada@example.com"
    assert response.body["display_name"] == "ada"
    assert response.body["username"] is None


def test_get_me_without_a_row_is_a_json_404(unconfirmed_fan, call_api):
    # GIVEN verified claims of a user the trigger never saw
    # WHEN the profile is read
    response = call_api("GET", "/api/me", unconfirmed_fan)
    # THEN a 404 with a stable code
    assert (response.status, response.body["code"]) == (404, "profile_not_found")


def test_put_me_sets_display_name_and_username(sign_up, call_api):
    # GIVEN a fan
    fan = sign_up("ada@example.com")
    # WHEN the fan sets a display name and username
    response = call_api("PUT", "/api/me", fan, body={"display_name": "Ada L.", "username": "ada_l"})
    # THEN the profile has them, and so does a later read
    assert response.status == 200
    assert (response.body["display_name"], response.body["username"]) == ("Ada L.", "ada_l")
    assert call_api("GET", "/api/me", fan).body == response.body


def test_changing_username_releases_the_old_one(sign_up, call_api):
    # GIVEN a fan holding a username
    ada, bob = sign_up("ada@example.com"), sign_up("bob@example.com")
    call_api("PUT", "/api/me", ada, body={"display_name": "Ada", "username": "first"})
    # WHEN the fan changes it
    assert call_api("PUT", "/api/me", ada, body={"display_name": "Ada", "username": "second"}).status == 200
    # THEN another fan can take the old one, not the new one
    assert call_api("PUT", "/api/me", bob, body={"display_name": "Bob", "username": "first"}).status == 200
    taken = call_api("PUT", "/api/me", bob, body={"display_name": "Bob", "username": "second"})
    assert (taken.status, taken.body["code"]) == (409, "username_taken")


def test_keeping_the_same_username_is_not_a_conflict(sign_up, call_api):
    # GIVEN a fan holding a username
    fan = sign_up("ada@example.com")
    call_api("PUT", "/api/me", fan, body={"display_name": "Ada", "username": "ada"})
    # WHEN the fan changes only the display name
    response = call_api("PUT", "/api/me", fan, body={"display_name": "Ada Lovelace", "username": "ada"})
    # THEN it succeeds
    assert (response.status, response.body["display_name"]) == (200, "Ada Lovelace")


def test_two_fans_racing_for_one_username_one_gets_409(sign_up, call_api, backend_aws):
    # GIVEN two fans without usernames
    ada, bob = sign_up("ada@example.com"), sign_up("bob@example.com")
    # WHEN both PUT the same username (the second transaction runs after the first's claim landed,
    # which is the only order the claim's condition can see: DynamoDB serialises the two)
    answers = [call_api("PUT", "/api/me", fan, body={"display_name": "X", "username": "same"}) for fan in (ada, bob)]
    # THEN exactly one wins, the other gets 409 username_taken, and only the winner's row has the name
    assert sorted(answer.status for answer in answers) == [200, 409]
    assert answers[1].body == {"code": "username_taken", "message": "That username is taken."}
    holders = [item["userId"]["S"] for item in backend_aws.table_items() if item.get("username", {}).get("S") == "same"]
    assert holders == [ada.user_id]


@pytest.mark.parametrize(
    ("body", "location", "error_type"),
    [
        ({"display_name": "", "username": "ada"}, ["body", "display_name"], "string_too_short"),
        ({"display_name": "x" * 51, "username": "ada"}, ["body", "display_name"], "string_too_long"),
        ({"display_name": "Ada", "username": "Ada"}, ["body", "username"], "string_pattern_mismatch"),
        ({"display_name": "Ada", "username": "ab"}, ["body", "username"], "string_pattern_mismatch"),
        ({"display_name": "Ada", "username": "a" * 21}, ["body", "username"], "string_pattern_mismatch"),
        ({"display_name": "Ada"}, ["body", "username"], "missing"),
        ({"display_name": "Ada", "username": "ada", "user_id": "x"}, ["body", "user_id"], "extra_forbidden"),
    ],
)
def test_invalid_profile_body_is_a_json_422(sign_up, call_api, body, location, error_type):
    # GIVEN a fan
    fan = sign_up("ada@example.com")
    # WHEN the fan PUTs an invalid body
    response = call_api("PUT", "/api/me", fan, body=body)
    # THEN 422 in the error shape, naming the field, and the profile is unchanged
    assert response.status == 422
    assert response.body["code"] == "validation_error"
    assert {"loc": location, "type": error_type} in response.body["details"]
    assert call_api("GET", "/api/me", fan).body["username"] is None


def test_unknown_route_is_a_json_404(call_api):
    # GIVEN nothing WHEN an unknown route is called
    response = call_api("GET", "/api/nothing-here")
    # THEN a JSON 404 with a stable code
    assert (response.status, response.body["code"]) == (404, "route_not_found")


def test_unexpected_failure_is_a_bare_500_without_a_trace(sign_up, call_api, backend_aws):
    # GIVEN a fan, and the Users table gone (a misconfigured deployment)
    fan = sign_up("ada@example.com")
    backend_aws.dynamodb.delete_table(TableName="Users")
    # WHEN the fan reads their profile
    response = call_api("GET", "/api/me", fan)
    # THEN a 500 that says nothing of the cause
    assert response.status == 500
    assert response.body == {"code": "internal_error", "message": "Something went wrong."}
