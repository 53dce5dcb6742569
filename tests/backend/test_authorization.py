# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who may call what: no claims is 401, a fan sees only their own profile, admin routes need admin."""

import pytest

ADMIN_ROUTES = [
    ("GET", "/api/admin/users", None),
    ("PUT", "/api/admin/users/someone/groups", {"group": "premium", "member": True}),
]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/api/me", None), ("PUT", "/api/me", {"display_name": "A", "username": "ada"})]
    + [("GET", "/api/me/export", None), ("DELETE", "/api/me", None)]
    + ADMIN_ROUTES,
)
def test_no_claims_is_401(call_api, method, path, body):
    # GIVEN a request without a verified token WHEN it calls a protected route
    response = call_api(method, path, body=body)
    # THEN 401
    assert (response.status, response.body["code"]) == (401, "unauthorized")


@pytest.mark.parametrize("groups", [(), ("member",), ("member", "premium")])
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_a_non_admin_cannot_call_admin_routes(sign_up, call_api, backend_aws, groups, method, path, body):
    # GIVEN a fan who is not an admin, and another fan
    fan = sign_up("fan@example.com", groups)
    other = sign_up("other@example.com")
    # WHEN the fan calls an admin route
    response = call_api(method, path.replace("someone", other.user_id), fan, body=body)
    # THEN 403 and the other fan's groups are unchanged
    assert (response.status, response.body["code"]) == (403, "forbidden")
    groups_after = backend_aws.cognito.admin_list_groups_for_user(
        UserPoolId=backend_aws.user_pool_id, Username=other.user_id
    )["Groups"]
    assert groups_after == []


def test_a_fan_cannot_read_another_fans_profile(sign_up, call_api):
    # GIVEN two fans
    ada, bob = sign_up("ada@example.com"), sign_up("bob@example.com")
    call_api("PUT", "/api/me", bob, body={"display_name": "Bob", "username": "bob"})
    # WHEN Ada tries to reach Bob's profile by path, query or body
    by_path = call_api("GET", f"/api/users/{bob.user_id}", ada)
    by_query = call_api("GET", "/api/me", ada, query={"userId": bob.user_id})
    by_body = call_api("PUT", "/api/me", ada, body={"display_name": "x", "username": "y_y", "userId": bob.user_id})
    # THEN there is no such route, /me is Ada's own, and a user id in a body is refused
    assert by_path.status == 404
    assert by_query.body["user_id"] == ada.user_id
    assert by_body.status == 422
    assert call_api("GET", "/api/me", bob).body["display_name"] == "Bob"


def test_admin_lists_users_page_by_page(sign_up, call_api):
    # GIVEN an admin and four fans (each with a username claim item in the table too)
    admin = sign_up("admin@example.com", ("admin",))
    fans = [sign_up(f"fan{index}@example.com") for index in range(4)]
    for index, fan in enumerate(fans):
        call_api("PUT", "/api/me", fan, body={"display_name": f"Fan {index}", "username": f"fan_{index}"})
    # WHEN the admin pages through the users two table items at a time
    seen, query = [], {"limit": "2"}
    while True:
        page = call_api("GET", "/api/admin/users", admin, query=query)
        assert page.status == 200
        seen += page.body["users"]
        if not page.body["next"]:
            break
        query = {"limit": "2", "next": page.body["next"]}
    # THEN every fan's profile is listed once, and no claim item
    assert sorted(user["user_id"] for user in seen) == sorted([admin.user_id] + [fan.user_id for fan in fans])
    assert {user["username"] for user in seen} == {None, "fan_0", "fan_1", "fan_2", "fan_3"}


@pytest.mark.parametrize(
    ("query", "code"), [({"limit": "0"}, "validation_error"), ({"next": "bm9wZQ"}, "invalid_page_token")]
)
def test_admin_list_refuses_bad_paging(sign_up, call_api, query, code):
    # GIVEN an admin WHEN the list is asked with a bad limit or a token we did not make
    response = call_api("GET", "/api/admin/users", sign_up("admin@example.com", ("admin",)), query=query)
    # THEN a 4xx with a stable code
    assert response.status in (400, 422)
    assert response.body["code"] == code


def test_admin_changes_a_users_groups(sign_up, call_api):
    # GIVEN an admin and a fan
    admin, fan = sign_up("admin@example.com", ("admin",)), sign_up("fan@example.com", ("member",))
    # WHEN the admin adds the fan to premium, then removes them from member
    added = call_api("PUT", f"/api/admin/users/{fan.user_id}/groups", admin, body={"group": "premium", "member": True})
    removed = call_api(
        "PUT", f"/api/admin/users/{fan.user_id}/groups", admin, body={"group": "member", "member": False}
    )
    # THEN the answers show the groups after each change
    assert (added.status, added.body["groups"]) == (200, ["member", "premium"])
    assert (removed.status, removed.body) == (200, {"user_id": fan.user_id, "groups": ["premium"]})


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"group": "owner", "member": True}, 422, "validation_error"),
        ({"group": "premium"}, 422, "validation_error"),
        ({"group": "premium", "member": "maybe"}, 422, "validation_error"),
    ],
)
def test_admin_group_change_validates_the_body(sign_up, call_api, body, status, code):
    # GIVEN an admin and a fan WHEN the admin sends an invalid change
    admin, fan = sign_up("admin@example.com", ("admin",)), sign_up("fan@example.com")
    response = call_api("PUT", f"/api/admin/users/{fan.user_id}/groups", admin, body=body)
    # THEN 422 in the error shape
    assert (response.status, response.body["code"]) == (status, code)


def test_admin_group_change_of_an_unknown_user_is_404(sign_up, call_api):
    # GIVEN an admin WHEN they change the groups of a user the pool does not have
    admin = sign_up("admin@example.com", ("admin",))
    response = call_api("PUT", "/api/admin/users/nobody/groups", admin, body={"group": "premium", "member": True})
    # THEN 404 user_not_found
    assert (response.status, response.body["code"]) == (404, "user_not_found")


def test_an_admin_cannot_drop_their_own_admin_membership(sign_up, call_api):
    # GIVEN the only admin WHEN they remove themselves from admin
    admin = sign_up("admin@example.com", ("admin",))
    response = call_api(
        "PUT", f"/api/admin/users/{admin.user_id}/groups", admin, body={"group": "admin", "member": False}
    )
    # THEN 409, so a pool is never left without an admin by accident
    assert (response.status, response.body["code"]) == (409, "cannot_remove_own_admin")
