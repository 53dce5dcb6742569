# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make group TO=<e-mail> [GROUP=door] [CREATOR=creator1]`: put a fan of the local stack into a group of the pool.

After `make demo`, a person who signed up on creator1's site becomes door staff (the check-in page) or a
moderator without an admin. The account is found as the gateway finds it (creator_access.py), by its tag; the
fan signs in again so that the ID token names the group. On AWS the operator runs
`aws cognito-idp admin-add-user-to-group` in the creator's account.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from creatorcloud_gateway import default_endpoint  # noqa: E402
from creatorcloud_gateway.collection import naming  # noqa: E402
from creatorcloud_gateway.creator_access import CreatorAccess  # noqa: E402

REGION = "eu-central-1"
GROUPS = ("admin", "moderator", "door", "premium", "member")


def add_to_group(creator, email, group, endpoint_url):
    """Add the pool's user `email` of `creator` to `group`; a message for the person."""
    cognito = CreatorAccess(creator, endpoint_url).client("cognito-idp", REGION)
    pool_name = naming.resource_name(creator, "users")
    pools = [pool["Id"] for pool in cognito.list_user_pools(MaxResults=60)["UserPools"] if pool["Name"] == pool_name]
    if len(pools) != 1:
        raise SystemExit(f"creator {creator} has no user pool {pool_name}: run `make demo` first")
    try:
        cognito.admin_add_user_to_group(UserPoolId=pools[0], Username=email, GroupName=group)
    except cognito.exceptions.UserNotFoundException:
        raise SystemExit(f"creator {creator} has no fan {email}: sign up on the site first") from None
    return f"{email} is in the group {group} of {creator}: sign out and in again on the site to use it"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creator", default="creator1")
    parser.add_argument("--email", required=True)
    parser.add_argument("--group", default="door", choices=GROUPS)
    args = parser.parse_args(argv)
    print(add_to_group(args.creator, args.email, args.group, default_endpoint()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
