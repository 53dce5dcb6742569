# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo creators of the local inventory, as the browser tests expect to see them."""

import yaml
from playbook_runner import REPO

CREATORS = ("creator1", "creator2")


def host_vars(creator):
    """A creator's configuration from the local inventory."""
    return yaml.safe_load((REPO / f"inventories/local/host_vars/{creator}.yml").read_text())
