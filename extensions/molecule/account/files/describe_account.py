# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print a member account as AWS Organizations reports it, read with plain boto3.

Usage: describe_account.py ENDPOINT_URL EMAIL. The verify step compares this with what the
creator_account module reports, so that a module misreading the API cannot pass on its own word.
Credentials and region come from the environment.
"""

import json
import sys

import boto3


def ou_path(client, parent):
    """The OU path of a parent, walking up to the root."""
    names = []
    while parent["Type"] == "ORGANIZATIONAL_UNIT":
        ou = client.describe_organizational_unit(OrganizationalUnitId=parent["Id"])["OrganizationalUnit"]
        names.append(ou["Name"])
        parent = client.list_parents(ChildId=parent["Id"])["Parents"][0]
    return "/".join(reversed(names))


def describe_account(client, email):
    """The account with this e-mail: id, name, status, OU path and tags; {} when there is none."""
    pages = client.get_paginator("list_accounts").paginate()
    account = next((a for page in pages for a in page["Accounts"] if a["Email"].lower() == email.lower()), None)
    if account is None:
        return {}
    parent = client.list_parents(ChildId=account["Id"])["Parents"][0]
    tag_pages = client.get_paginator("list_tags_for_resource").paginate(ResourceId=account["Id"])
    return {
        "id": account["Id"],
        "name": account["Name"],
        "status": account["Status"],
        "ou_path": ou_path(client, parent),
        "tags": {tag["Key"]: tag["Value"] for page in tag_pages for tag in page["Tags"]},
    }


def main(endpoint_url, email):
    client = boto3.client("organizations", endpoint_url=endpoint_url)
    print(json.dumps(describe_account(client, email)))


if __name__ == "__main__":
    main(*sys.argv[1:])
