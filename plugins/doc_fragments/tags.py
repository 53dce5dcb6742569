# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # amazon.aws.tags' contract, with the tags that every module of the collection sets on its own.
    DOCUMENTATION = r"""
options:
  tags:
    description:
      - Tags for every resource that the module manages, besides the C(creatorcloud:) tags (C(creatorcloud:creator),
        C(creatorcloud:component) and, where the module says so, C(creatorcloud:backup)), which it always sets.
      - If O(tags) is not set, the resources keep whatever other tags they have.
    type: dict
    aliases: ['resource_tags']
  purge_tags:
    description:
      - If O(purge_tags=true) and O(tags) is set, tags that are neither in O(tags) nor the module's own are removed.
      - If O(tags) is not set, no tag is removed, even if O(purge_tags=true).
      - Tag keys beginning with V(aws:) are reserved by AWS and never removed.
    type: bool
    default: true
"""
