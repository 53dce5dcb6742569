# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The role CreatorCloud assumes in every creator account.
    DOCUMENTATION = r"""
options:
  role_name:
    description:
      - Name of the IAM role in the creator's member account that the management account assumes.
      - AWS Organizations creates it with the account; C(OrganizationAccountAccessRole) is its default name.
    type: str
    default: OrganizationAccountAccessRole
"""
