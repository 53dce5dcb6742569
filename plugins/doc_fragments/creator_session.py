# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The options of creator_session_argument_spec() that every slice module shares (with creator_role).
    DOCUMENTATION = r"""
options:
  account_id:
    description:
      - The 12-digit id of the creator's member account.
    type: str
    required: true
  external_id:
    description:
      - External id that the creator role's trust policy asks for, if any.
    type: str
"""
