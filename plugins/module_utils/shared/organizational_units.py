# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Find and create organizational unit paths like `creators/eu` below the organization root."""

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import organizations as orgs
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import ou_path_names


class OUPath:
    """What exists of one OU path: the root id, the OUs found from the top, the names missing below them."""

    def __init__(self, path, root_id, found, missing):
        self.path = "/".join(ou_path_names(path))
        self.root_id = root_id
        self.found = found
        self.missing = missing

    @property
    def leaf_id(self):
        """The id of the path's last OU, or None while part of it is missing."""
        if self.missing:
            return None
        return self.found[-1][1] if self.found else self.root_id

    def known_paths(self):
        """Ids of the root and the found OUs, mapped to their paths."""
        known = {self.root_id: ""}
        names = []
        for name, ou_id in self.found:
            names.append(name)
            known[ou_id] = "/".join(names)
        return known


def read_ou_path(client, path, root_id=None):
    """Walk an OU path from the root with one list call per level."""
    root_id = root_id or orgs.list_roots(client)[0]["Id"]
    parent_id = root_id
    found = []
    names = ou_path_names(path)
    for index, name in enumerate(names):
        children = {ou["Name"]: ou["Id"] for ou in orgs.list_organizational_units(client, parent_id)}
        if name not in children:
            return OUPath(path, root_id, found, names[index:])
        parent_id = children[name]
        found.append((name, parent_id))
    return OUPath(path, root_id, found, [])


def ensure_ou_path(client, ou_path, changes):
    """Create the missing OUs of a path, top down, through `changes`; returns the leaf id (None in check mode)."""
    parent_id = ou_path.found[-1][1] if ou_path.found else ou_path.root_id
    names = [name for name, unused_id in ou_path.found]
    for name in ou_path.missing:
        names.append(name)
        created = changes.make(
            f"create organizational unit {'/'.join(names)}", orgs.create_organizational_unit, client, parent_id, name
        )
        parent_id = created["Id"] if created else None
    return parent_id


def path_of(client, ou_id, known):
    """The path of an OU id; walks up with DescribeOrganizationalUnit/ListParents only when not known."""
    names = []
    while ou_id not in known:
        names.append(orgs.describe_organizational_unit(client, ou_id)["Name"])
        ou_id = orgs.list_parents(client, ou_id)[0]["Id"]
    return "/".join(filter(None, [known[ou_id]] + list(reversed(names))))
