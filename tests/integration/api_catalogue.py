# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api role's function catalogue (roles/api/vars/main.yml) as the role templates it without payments."""

import yaml
from playbook_runner import REPO

API_VARS = REPO / "roles/api/vars/main.yml"


def api_catalogue():
    """The functions of api_functions; the profile's tables templated as they are without the payment features."""
    variables = yaml.safe_load(API_VARS.read_text())
    profile_tables = variables["api_profile_tables"]
    return [
        dict(spec, tables=profile_tables) if isinstance(spec.get("tables"), str) else spec
        for spec in variables["api_functions"]
    ]
