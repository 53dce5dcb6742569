# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converge the organization itself and its OU paths. Private to the organization module."""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import organizations as orgs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import ou_path_names
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.organizational_units import ensure_ou_path
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.organizational_units import read_ou_path


def _describe(organization, root_id, ou_ids):
    if organization is None:
        return {}
    return {
        "id": organization.get("Id"),
        "management_account_id": organization.get("MasterAccountId"),
        "feature_set": organization.get("FeatureSet"),
        "root_id": root_id,
        "ou_ids": ou_ids,
    }


def ensure_organization(client, ou_paths, changes):
    """Ensure the organization (all features) and every OU path through `changes`; returns (before, after)."""
    paths = ["/".join(ou_path_names(path)) for path in ou_paths]
    organization = orgs.find_organization(client)
    created = organization is None
    if created:
        organization = changes.make("create the organization with all features", orgs.create_organization, client)
        if changes.check_mode:
            for path in paths:
                changes.make(f"create organizational unit {path}", None)
            return {}, _describe({"FeatureSet": "ALL"}, None, dict.fromkeys(paths))
    elif organization.get("FeatureSet") != "ALL":
        raise orgs.AnsibleOrganizationsError(
            message=f"organization {organization['Id']} has only consolidated billing; enable all features "
            "in the AWS Organizations console (every member account must accept) before onboarding creators"
        )
    root_id = orgs.list_roots(client)[0]["Id"]
    before_ou_ids, after_ou_ids = {}, {}
    for path in paths:
        ou_path = read_ou_path(client, path, root_id)
        if ou_path.leaf_id:
            before_ou_ids[path] = ou_path.leaf_id
        after_ou_ids[path] = ou_path.leaf_id or ensure_ou_path(client, ou_path, changes)
    before = {} if created else _describe(organization, root_id, before_ou_ids)
    return before, _describe(organization, root_id, after_ou_ids)
