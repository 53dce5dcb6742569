# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleAWSModule for CreatorCloud modules: names our collection in the user agent."""

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

CREATORCLOUD_COLLECTION_NAME = "creatorcloud.platform"
CREATORCLOUD_COLLECTION_VERSION = "0.1.0"


class CreatorCloudModule(AnsibleAWSModule):
    """AnsibleAWSModule with the collection's name and version in the user agent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        set_collection_info(
            collection_name=CREATORCLOUD_COLLECTION_NAME,
            collection_version=CREATORCLOUD_COLLECTION_VERSION,
        )

    def fail_converge(self, subject, message, changes, exception=None):
        """Fail naming the subject (the creator), what went wrong and what the run had already changed."""
        text = f"{subject}: {message}"
        if changes:
            text += f" (already changed: {'; '.join(changes)})"
        if exception is not None:
            self.fail_json_aws(exception, msg=text, changes=changes)
        self.fail_json(msg=text, changes=changes)
