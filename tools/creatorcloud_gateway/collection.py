# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's own module_utils, imported from the checkout.

The gateway finds resources by the same names and tags the modules give them, so it imports
them rather than repeating them: `.collections/ansible_collections/creatorcloud/platform` is
a link to the checkout (see ansible.cfg), the same path tests/conftest.py puts on sys.path.
"""

import sys
from pathlib import Path

COLLECTIONS_DIR = Path(__file__).resolve().parents[2] / ".collections"

if str(COLLECTIONS_DIR) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS_DIR))

from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import organizations  # noqa: E402
from ansible_collections.creatorcloud.platform.plugins.module_utils.aws import secretsmanager  # noqa: E402
from ansible_collections.creatorcloud.platform.plugins.module_utils.core import creator_session  # noqa: E402
from ansible_collections.creatorcloud.platform.plugins.module_utils.core import naming  # noqa: E402
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.shop.converge import stripe_secret_name  # noqa: E402

__all__ = ["creator_session", "naming", "organizations", "secretsmanager", "stripe_secret_name"]
